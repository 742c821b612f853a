import { sql, type Kysely } from 'kysely';
import type { DialectName } from '../database.js';

/**
 * Companies and the contact ↔ company association (issue #13). `domain_key` is indexed but not
 * unique: HubSpot's API lets two companies share a domain; auto-association picks the oldest.
 * One row per associated pair; `is_primary` marks the contact's primary company (at most one per
 * contact, held by a partial unique index), which `associatedcompanyid` mirrors.
 */
export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  const ms = 'bigint' as const;
  const t = db.schema.createTable('companies');
  await (dialect === 'postgres' ? t.addColumn('id', 'serial', (c) => c.primaryKey()) : t.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement()))
    .addColumn('domain_key', 'text')
    .addColumn('properties', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('updated_at', ms, (c) => c.notNull())
    .addColumn('archived_at', ms)
    .execute();
  await db.schema.createIndex('companies_domain').on('companies').column('domain_key').execute();

  await db.schema
    .createTable('contact_companies')
    .addColumn('contact_id', 'integer', (c) => c.notNull().references('contacts.id'))
    .addColumn('company_id', 'integer', (c) => c.notNull().references('companies.id'))
    .addColumn('is_primary', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', ms, (c) => c.notNull())
    .addPrimaryKeyConstraint('contact_companies_pk', ['contact_id', 'company_id'])
    .execute();
  await db.schema.createIndex('contact_companies_company').on('contact_companies').column('company_id').execute();
  await db.schema
    .createIndex('contact_companies_one_primary')
    .on('contact_companies')
    .column('contact_id')
    .unique()
    .where(sql.ref('is_primary'), '=', 1)
    .execute();
}
