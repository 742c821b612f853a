import type { Kysely } from 'kysely';
import type { DialectName } from '../database.js';

/**
 * Custom property definitions and groups (HubSpot's CRM properties v3, issue #13), per object
 * type ('contacts', 'companies'). Built-in properties are not rows: they live in
 * src/domain/properties.ts, so a release can add one without a migration. Archiving keeps the
 * row (archived_at), as HubSpot lists archived properties with archived=true; a name stays taken.
 */
export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  const id = <T extends { addColumn: (...a: any[]) => T }>(t: T): T =>
    dialect === 'postgres' ? t.addColumn('id', 'serial', (c: any) => c.primaryKey()) : t.addColumn('id', 'integer', (c: any) => c.primaryKey().autoIncrement());
  await id(db.schema.createTable('property_definitions'))
    .addColumn('object_type', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('field_type', 'text', (c) => c.notNull())
    .addColumn('group_name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('options', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('display_order', 'integer', (c) => c.notNull().defaultTo(-1))
    .addColumn('hidden', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('form_field', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('archived_at', 'bigint')
    .addUniqueConstraint('property_definitions_name', ['object_type', 'name'])
    .execute();
  await id(db.schema.createTable('property_groups'))
    .addColumn('object_type', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('display_order', 'integer', (c) => c.notNull().defaultTo(-1))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('archived_at', 'bigint')
    .addUniqueConstraint('property_groups_name', ['object_type', 'name'])
    .execute();
}
