import type { ExpressionBuilder, Selectable } from 'kysely';
import type { Db } from './database.js';
import { memoCatalog } from './transaction-memo.js';
import type { PropertyGroupsTable, PropertyDefinitionsTable, Schema } from './schema.js';
import type { FieldType, ObjectType, PropertyDefinition, PropertyGroupDefinition, PropertyOption, PropertyType } from '../domain/properties.js';
import { fromJson, toJson } from './json.js';

const toDefinition = (r: Selectable<PropertyDefinitionsTable>): PropertyDefinition => ({
  objectType: r.object_type as ObjectType,
  name: r.name,
  label: r.label,
  type: r.type as PropertyType,
  fieldType: r.field_type as FieldType,
  groupName: r.group_name,
  description: r.description,
  options: fromJson<PropertyOption[]>(r.options, []),
  displayOrder: r.display_order,
  hidden: r.hidden === 1,
  formField: r.form_field === 1,
  hasUniqueValue: false,
  hubspotDefined: false,
  readOnlyValue: false,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  archivedAt: r.archived_at,
});

const toGroup = (r: Selectable<PropertyGroupsTable>): PropertyGroupDefinition => ({
  objectType: r.object_type as ObjectType,
  name: r.name,
  label: r.label,
  displayOrder: r.display_order,
  hubspotDefined: false,
  archivedAt: r.archived_at,
});

type PropertyTable = 'property_definitions' | 'property_groups';

/** Archived definitions and groups are history: updates and archiving touch only the live one of a name. */
const liveNamed = (objectType: ObjectType, name: string) => (eb: ExpressionBuilder<Schema, PropertyTable>) =>
  eb.and([eb('object_type', '=', objectType), eb('name', '=', name), eb('archived_at', 'is', null)]);

async function archiveLive(db: Db, table: PropertyTable, objectType: ObjectType, name: string, now: number): Promise<boolean> {
  const r = await db.updateTable(table).set({ archived_at: now, updated_at: now }).where(liveNamed(objectType, name)).executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Custom definitions of an object type, archived ones too (the caller filters); kept while none changes (memoCatalog). */
export const listDefinitions = (db: Db, objectType: ObjectType): Promise<PropertyDefinition[]> =>
  memoCatalog(db, 'property_definitions', `definitions:${objectType}`, async () => {
    const rows = await db.selectFrom('property_definitions').selectAll().where('object_type', '=', objectType).orderBy('id').execute();
    return rows.map(toDefinition);
  });

export async function getDefinition(db: Db, objectType: ObjectType, name: string): Promise<PropertyDefinition | null> {
  const r = await db.selectFrom('property_definitions').selectAll().where('object_type', '=', objectType).where('name', '=', name).executeTakeFirst();
  return r ? toDefinition(r) : null;
}

export type DefinitionInput = Pick<PropertyDefinition, 'name' | 'label' | 'type' | 'fieldType' | 'groupName' | 'description' | 'options' | 'displayOrder' | 'hidden' | 'formField'>;

/** The columns of what a definition's creator chooses, and may change later (all but its name). */
const definitionColumns = (d: Omit<DefinitionInput, 'name'>) => ({
  label: d.label,
  type: d.type,
  field_type: d.fieldType,
  group_name: d.groupName,
  description: d.description,
  options: toJson(d.options),
  display_order: d.displayOrder,
  hidden: d.hidden ? 1 : 0,
  form_field: d.formField ? 1 : 0,
});

export async function insertDefinition(db: Db, objectType: ObjectType, d: DefinitionInput, now: number): Promise<PropertyDefinition> {
  const r = await db
    .insertInto('property_definitions')
    .values({
      object_type: objectType,
      name: d.name,
      ...definitionColumns(d),
      created_at: now,
      updated_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toDefinition(r);
}

export async function updateDefinition(db: Db, objectType: ObjectType, name: string, d: Omit<DefinitionInput, 'name'>, now: number): Promise<PropertyDefinition | null> {
  const r = await db
    .updateTable('property_definitions')
    .set({ ...definitionColumns(d), updated_at: now })
    .where(liveNamed(objectType, name))
    .returningAll()
    .executeTakeFirst();
  return r ? toDefinition(r) : null;
}

export async function archiveDefinition(db: Db, objectType: ObjectType, name: string, now: number): Promise<boolean> {
  return archiveLive(db, 'property_definitions', objectType, name, now);
}

export async function listGroups(db: Db, objectType: ObjectType): Promise<PropertyGroupDefinition[]> {
  const rows = await db.selectFrom('property_groups').selectAll().where('object_type', '=', objectType).orderBy('id').execute();
  return rows.map(toGroup);
}

export async function getGroup(db: Db, objectType: ObjectType, name: string): Promise<PropertyGroupDefinition | null> {
  const r = await db.selectFrom('property_groups').selectAll().where('object_type', '=', objectType).where('name', '=', name).executeTakeFirst();
  return r ? toGroup(r) : null;
}

export async function insertGroup(db: Db, objectType: ObjectType, g: { name: string; label: string; displayOrder: number }, now: number): Promise<PropertyGroupDefinition> {
  const r = await db
    .insertInto('property_groups')
    .values({ object_type: objectType, name: g.name, label: g.label, display_order: g.displayOrder, created_at: now, updated_at: now })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toGroup(r);
}

export async function updateGroup(db: Db, objectType: ObjectType, name: string, g: { label: string; displayOrder: number }, now: number): Promise<PropertyGroupDefinition | null> {
  const r = await db
    .updateTable('property_groups')
    .set({ label: g.label, display_order: g.displayOrder, updated_at: now })
    .where(liveNamed(objectType, name))
    .returningAll()
    .executeTakeFirst();
  return r ? toGroup(r) : null;
}

export async function archiveGroup(db: Db, objectType: ObjectType, name: string, now: number): Promise<boolean> {
  return archiveLive(db, 'property_groups', objectType, name, now);
}

/** Live custom properties of a group: a group holding any cannot be archived. */
export async function countDefinitionsInGroup(db: Db, objectType: ObjectType, groupName: string): Promise<number> {
  const r = await db
    .selectFrom('property_definitions')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('object_type', '=', objectType)
    .where('group_name', '=', groupName)
    .where('archived_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}
