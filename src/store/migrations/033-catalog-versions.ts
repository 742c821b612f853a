import { sql, type Kysely } from 'kysely';
import type { DialectName } from '../database.js';

/** The tables whose rows every contact event reads, and whose version the catalog keeps. */
export const CATALOG_TABLES = ['workflows', 'lists', 'property_definitions'] as const;

/**
 * A version per catalog table that a trigger bumps on every write to it, in the writing
 * transaction, whatever the writer (this process, another, an import, an operator's SQL). A
 * transaction that reads a table's version reads it in the same snapshot as the table, so
 * src/store/transaction-memo.ts can keep the parsed rows across transactions and still see
 * another process's change in the next transaction. A rolled-back write takes its bump with it.
 */
export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  await db.schema
    .createTable('catalog_versions')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('version', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute();
  if (dialect === 'postgres') {
    await sql`create function seqflow_bump_catalog_version() returns trigger language plpgsql as $$
      begin
        update catalog_versions set version = version + 1 where name = TG_TABLE_NAME;
        return null;
      end $$`.execute(db);
  }
  await versionTables(db, dialect, CATALOG_TABLES);
}

/** A row in catalog_versions for each table, and the triggers that bump it (also used by later migrations). */
export async function versionTables(db: Kysely<any>, dialect: DialectName, tables: readonly string[]): Promise<void> {
  await db
    .insertInto('catalog_versions')
    .values(tables.map((name) => ({ name, version: 0 })))
    .execute();
  if (dialect === 'postgres') {
    for (const table of tables) {
      // Per row, so an update that matched nothing keeps what is kept; TRUNCATE has only a statement trigger.
      await sql`create trigger ${sql.raw(`${table}_catalog_version`)} after insert or update or delete on ${sql.table(table)} for each row execute function seqflow_bump_catalog_version()`.execute(db);
      await sql`create trigger ${sql.raw(`${table}_catalog_truncate`)} after truncate on ${sql.table(table)} for each statement execute function seqflow_bump_catalog_version()`.execute(db);
    }
    return;
  }
  for (const table of tables) {
    for (const op of ['insert', 'update', 'delete']) {
      await sql`create trigger ${sql.raw(`${table}_catalog_version_${op}`)} after ${sql.raw(op)} on ${sql.table(table)} begin update catalog_versions set version = version + 1 where name = ${sql.lit(table)}; end`.execute(db);
    }
  }
}
