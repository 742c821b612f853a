import type { Kysely } from 'kysely';
import type { DialectName } from '../database.js';

/**
 * Failed sign-ins per account (and per trusted browser), shared by every API process, for the
 * per-account back-off (src/domain/sign-in-backoff.ts). `key` is `account:<sha256 of the
 * lower-cased email>` or `device:<nonce>`; no address is stored in clear.
 */
export async function up(db: Kysely<any>, _dialect: DialectName): Promise<void> {
  await db.schema
    .createTable('sign_in_attempts')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('failures', 'integer', (c) => c.notNull())
    .addColumn('blocked_until', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sign_in_attempts_updated').on('sign_in_attempts').columns(['updated_at']).execute();
}
