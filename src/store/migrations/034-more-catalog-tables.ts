import type { Kysely } from 'kysely';
import type { DialectName } from '../database.js';
import { versionTables } from './033-catalog-versions.js';

/**
 * Tables the pipeline reads by key in its transactions and only an admin writes (a sender and
 * their inboxes, a sequence and a version's steps, a setting): kept across transactions like the
 * catalog of migration 033. With a workflow read by id from the kept workflows, a form → email
 * pipeline makes six statements fewer — on PostgreSQL six round trips of 59. An inbox is still
 * read afresh, under its lock, where its sends are counted.
 */
export const MORE_CATALOG_TABLES = ['users', 'inboxes', 'sequences', 'sequence_steps', 'settings'] as const;

export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  await versionTables(db, dialect, MORE_CATALOG_TABLES);
}
