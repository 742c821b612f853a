import type { Kysely } from 'kysely';
import type { DialectName } from '../database.js';

/**
 * Property history (HubSpot's propertiesWithHistory): one row per value a property was set to,
 * with where it came from. And `contacts.purged_at`: a GDPR-deleted contact keeps its row (events,
 * enrollments and sends reference it) but is emptied and never readable again, not even archived.
 */
export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  const t = db.schema.createTable('contact_property_history');
  await (dialect === 'postgres' ? t.addColumn('id', 'serial', (c) => c.primaryKey()) : t.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement()))
    .addColumn('contact_id', 'integer', (c) => c.notNull().references('contacts.id'))
    .addColumn('property', 'text', (c) => c.notNull())
    .addColumn('value', 'text')
    .addColumn('timestamp', 'bigint', (c) => c.notNull())
    .addColumn('source_type', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('contact_property_history_contact').on('contact_property_history').columns(['contact_id', 'property']).execute();
  await db.schema.alterTable('contacts').addColumn('purged_at', 'bigint').execute();
}
