import { sql, type Kysely } from 'kysely';
import type { DialectName } from '../database.js';
import { indexContacts } from '../contact-search-index.js';

/**
 * Contact search in SQL (issue #11; docs/decisions.md "Contact search in SQL"):
 * - contact_property_values: one row per set property of a contact, with the keys the filter
 *   evaluator compares by (lower-cased text, trimmed boolean text, number, instant), indexed by
 *   (name, key) so a filter on any property, custom ones included, is an index range;
 * - contact_search_words: the words the full-text `query` finds a contact by, for prefix ranges.
 * Text keys use the "C" collation on PostgreSQL: code-point order, as JS compares strings, and
 * range scans on the index whatever the database's locale.
 * Only live contacts have rows (archiving removes them), so a match read from these tables alone
 * is live; the contact ids ride in every index so such reads never touch the rows.
 * Contacts saved before are back-filled here.
 */
export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  const c = (col: any) => (dialect === 'postgres' ? col.modifyFront(sql`collate "C"`) : col);
  await db.schema
    .createTable('contact_property_values')
    .addColumn('contact_id', 'integer', (col) => col.notNull().references('contacts.id'))
    .addColumn('name', 'text', (col) => c(col).notNull())
    // The database's own collation: CONTAINS_TOKEN's case-insensitive regex folds case by it ("C" folds ASCII only).
    .addColumn('value', 'text', (col) => col.notNull())
    .addColumn('text_key', 'text', (col) => c(col).notNull())
    .addColumn('bool_key', 'text', (col) => c(col).notNull())
    .addColumn('num', 'double precision')
    .addColumn('instant', 'double precision')
    .addPrimaryKeyConstraint('contact_property_values_pk', ['contact_id', 'name'])
    .execute();
  await db.schema.createIndex('contact_property_values_text').on('contact_property_values').columns(['name', 'text_key', 'contact_id']).execute();
  await db.schema.createIndex('contact_property_values_num').on('contact_property_values').columns(['name', 'num', 'contact_id']).execute();
  await db.schema.createIndex('contact_property_values_instant').on('contact_property_values').columns(['name', 'instant', 'contact_id']).execute();

  await db.schema
    .createTable('contact_search_words')
    .addColumn('contact_id', 'integer', (col) => col.notNull().references('contacts.id'))
    .addColumn('word', 'text', (col) => c(col).notNull())
    .addPrimaryKeyConstraint('contact_search_words_pk', ['word', 'contact_id'])
    .execute();
  await db.schema.createIndex('contact_search_words_contact').on('contact_search_words').column('contact_id').execute();

  for (let after = 0; ; ) {
    const rows: { id: number; properties: string }[] = await db
      .selectFrom('contacts')
      .select(['id', 'properties'])
      .where('id', '>', after)
      .where('archived_at', 'is', null)
      .orderBy('id')
      .limit(1000)
      .execute();
    if (rows.length === 0) break;
    await indexContacts(db, rows.map((r) => ({ id: r.id, properties: JSON.parse(r.properties) as Record<string, string | null> })));
    after = rows[rows.length - 1].id;
  }
}
