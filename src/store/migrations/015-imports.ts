import type { Kysely } from 'kysely';
import type { DialectName } from '../database.js';

/**
 * CSV imports (HubSpot's CRM imports API, issue #13):
 * - imports: one row per import, with its request, where its file lies and how far it got.
 *   `committed_line` is the last file line whose batch committed, written in the same transaction
 *   as that batch's records, so a resumed import continues exactly after it. `file_sha256` lets
 *   the CLI find the unfinished import of the same file to resume. `lease_owner`/`lease_until`
 *   (wall clock) keep one process at a time running an import;
 * - import_errors: one row per rejected line, HubSpot's errorType and the row's cells.
 */
export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  const serial = <T extends { addColumn: (...a: any[]) => any }>(t: T): T =>
    dialect === 'postgres' ? t.addColumn('id', 'serial', (c: any) => c.primaryKey()) : t.addColumn('id', 'integer', (c: any) => c.primaryKey().autoIncrement());
  await serial(db.schema.createTable('imports'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('object_type_id', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('request', 'text', (c) => c.notNull())
    .addColumn('columns', 'text', (c) => c.notNull())
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('file_path', 'text', (c) => c.notNull())
    .addColumn('file_sha256', 'text', (c) => c.notNull())
    .addColumn('file_bytes', 'bigint', (c) => c.notNull())
    .addColumn('committed_line', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('bytes_read', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('total_rows', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_objects', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_objects', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('error_rows', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('failure', 'text')
    .addColumn('lease_owner', 'text')
    .addColumn('lease_until', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('imports_by_file').on('imports').columns(['file_sha256', 'state']).execute();

  await serial(db.schema.createTable('import_errors'))
    .addColumn('import_id', 'integer', (c) => c.notNull().references('imports.id'))
    .addColumn('line_number', 'integer', (c) => c.notNull())
    .addColumn('error_type', 'text', (c) => c.notNull())
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('invalid_value', 'text')
    .addColumn('known_column_number', 'integer')
    .addColumn('row_data', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('import_errors_by_import').on('import_errors').columns(['import_id', 'id']).execute();
}
