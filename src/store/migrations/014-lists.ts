import { sql, type Kysely } from 'kysely';
import type { DialectName } from '../database.js';

/**
 * Lists of contacts (HubSpot's lists v3, issue #13):
 * - lists: MANUAL, DYNAMIC or SNAPSHOT, with the DYNAMIC/SNAPSHOT filter branch as JSON. Removed
 *   lists keep their row (deleted_at) so they can be restored; a live list's name is unique
 *   (case-insensitively, on name_key), a removed one frees it;
 * - list_memberships: MATERIALIZED membership, one row per member, written in the same
 *   transaction as the contact change that makes a contact join or leave a DYNAMIC list, so
 *   "contact joined the list" is known at that moment (the list-membership trigger needs it).
 *   Indexed by contact, as every contact change looks up the lists the contact is on.
 */
export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  const t = db.schema.createTable('lists');
  await (dialect === 'postgres' ? t.addColumn('id', 'serial', (c) => c.primaryKey()) : t.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement()))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_key', 'text', (c) => c.notNull())
    .addColumn('object_type_id', 'text', (c) => c.notNull())
    .addColumn('processing_type', 'text', (c) => c.notNull())
    .addColumn('filter_branch', 'text')
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_by_user_id', 'integer')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('filters_updated_at', 'bigint', (c) => c.notNull())
    .addColumn('deleted_at', 'bigint')
    .execute();
  await sql`create unique index lists_live_name on lists (name_key) where deleted_at is null`.execute(db);

  await db.schema
    .createTable('list_memberships')
    .addColumn('list_id', 'integer', (c) => c.notNull().references('lists.id'))
    .addColumn('contact_id', 'integer', (c) => c.notNull().references('contacts.id'))
    .addColumn('added_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('list_memberships_pk', ['list_id', 'contact_id'])
    .execute();
  await db.schema.createIndex('list_memberships_contact').on('list_memberships').columns(['contact_id', 'list_id']).execute();
}
