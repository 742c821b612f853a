import type { Kysely } from 'kysely';
import type { DialectName } from '../database.js';

/**
 * A contact's other addresses (HubSpot's `hs_additional_emails`, ";"-separated), one row each
 * and indexed, so mail from an alias finds its contact by an index lookup instead of a LIKE over
 * every contact's properties.
 */
export async function up(db: Kysely<any>, _dialect: DialectName): Promise<void> {
  await db.schema
    .createTable('contact_additional_emails')
    .addColumn('contact_id', 'integer', (c) => c.notNull().references('contacts.id'))
    .addColumn('email_key', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('contact_additional_emails_pk', ['contact_id', 'email_key'])
    .execute();
  await db.schema.createIndex('contact_additional_emails_key').on('contact_additional_emails').column('email_key').execute();
  // Contacts saved before: only those whose properties name the key can have any.
  for (let after = 0; ; ) {
    const rows: { id: number; properties: string }[] = await db
      .selectFrom('contacts')
      .select(['id', 'properties'])
      .where('id', '>', after)
      .where('properties', 'like', '%hs_additional_emails%')
      .orderBy('id')
      .limit(1000)
      .execute();
    if (rows.length === 0) break;
    const values = rows.flatMap((r) => {
      const value = (JSON.parse(r.properties) as Record<string, string | null>).hs_additional_emails;
      const keys = new Set((value ?? '').split(/[;,\s]+/).map((a) => a.trim().toLowerCase()).filter((a) => a.length > 0 && a.length <= 320));
      return [...keys].map((email_key) => ({ contact_id: r.id, email_key }));
    });
    if (values.length) await db.insertInto('contact_additional_emails').values(values).execute();
    after = rows[rows.length - 1].id;
  }
}
