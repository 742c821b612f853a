import type { Kysely } from 'kysely';

/**
 * Contacts in creation and modification order (issue #11): a search sorted by createdate or
 * lastmodifieddate walks these indexes and stops at its page instead of sorting every match
 * (src/store/contact-search-sql.ts). The id rides along for the ties, which sort by id.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('contacts_created_at').on('contacts').columns(['created_at', 'id']).execute();
  await db.schema.createIndex('contacts_updated_at').on('contacts').columns(['updated_at', 'id']).execute();
}
