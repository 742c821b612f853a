import {
  BUILT_IN_GROUPS,
  BUILT_IN_PROPERTIES,
  PROPERTY_NAME,
  builtInProperty,
  checkValues,
  comparisonType,
  optionProblems,
  pairProblems,
  type ComparisonType,
  type FieldType,
  type ObjectType,
  type PropertyDefinition,
  type PropertyGroupDefinition,
  type PropertyOption,
  type PropertyType,
  type Problem,
} from '../domain/properties.js';
import type { Db } from '../store/database.js';
import * as store from '../store/properties.js';
import { isUniqueViolation } from '../store/json.js';
import type { Deps } from './deps.js';
import { SeqflowError, errors, validationError } from './errors.js';

/**
 * CRM properties v3 (issue #13): custom property definitions and groups per object type, next to
 * the built-in ones, and the check every API write of property values goes through.
 */

/** An option as written: its display order defaults to its position. */
export type OptionInput = Omit<PropertyOption, 'displayOrder' | 'hidden'> & { displayOrder?: number; hidden?: boolean };

export interface PropertyCreate {
  name: string;
  label: string;
  type: PropertyType;
  fieldType: FieldType;
  groupName: string;
  description?: string;
  options?: OptionInput[];
  displayOrder?: number;
  hidden?: boolean;
  formField?: boolean;
}
export type PropertyUpdate = Partial<Omit<PropertyCreate, 'name'>>;

const live = <T extends { archivedAt: number | null }>(x: T) => x.archivedAt === null;

/** Every definition of the object type by name: the built-in ones and the custom ones (archived included). */
export async function definitionsOf(db: Db, objectType: ObjectType): Promise<Map<string, PropertyDefinition>> {
  return withBuiltIns(objectType, await store.listDefinitions(db, objectType));
}

function withBuiltIns(objectType: ObjectType, custom: readonly PropertyDefinition[]): Map<string, PropertyDefinition> {
  const map = new Map(BUILT_IN_PROPERTIES[objectType].map((d) => [d.name, d]));
  for (const d of custom) if (!map.has(d.name)) map.set(d.name, d);
  return map;
}

/** HubSpot's getAll: live properties, or with archived=true only the archived ones. */
export async function listProperties(deps: Deps, objectType: ObjectType, o: { archived?: boolean } = {}): Promise<PropertyDefinition[]> {
  const all = [...(await definitionsOf(deps.db.kysely, objectType)).values()];
  return all.filter((d) => (o.archived ? !live(d) : live(d)));
}

export async function getProperty(deps: Deps, objectType: ObjectType, name: string, o: { archived?: boolean } = {}): Promise<PropertyDefinition> {
  const d = builtInProperty(objectType, name) ?? (await store.getDefinition(deps.db.kysely, objectType, name));
  if (!d || (o.archived ? live(d) : !live(d))) throw errors.propertyNotFound({ id: name });
  return d;
}

async function groupExists(db: Db, objectType: ObjectType, name: string): Promise<boolean> {
  if (BUILT_IN_GROUPS[objectType].some((g) => g.name === name)) return true;
  const g = await store.getGroup(db, objectType, name);
  return g !== null && live(g);
}

function definitionProblems(d: { type: PropertyType; fieldType: FieldType; options?: OptionInput[] }): Problem[] {
  return [...pairProblems(d.type, d.fieldType), ...optionProblems(d.type, d.options)];
}

const refuse = (problems: Problem[]) => {
  if (problems.length) throw validationError(`Invalid input (${problems.map((p) => `${p.in}: ${p.message}`).join('; ')})`, problems);
};

/** Options as stored: display order defaults to their position. */
const options = (type: PropertyType, list: OptionInput[] | undefined): PropertyOption[] =>
  type === 'enumeration' || type === 'bool' ? (list ?? []).map((o, i) => ({ ...o, displayOrder: o.displayOrder ?? i, hidden: o.hidden ?? false })) : [];

export async function createProperty(deps: Deps, objectType: ObjectType, input: PropertyCreate): Promise<PropertyDefinition> {
  const problems: Problem[] = [];
  if (!PROPERTY_NAME.test(input.name)) problems.push({ message: 'must start with a lower-case letter and hold only a-z, 0-9 and _ (at most 100)', in: 'name' });
  problems.push(...definitionProblems(input));
  refuse(problems);
  return deps.db.transaction(async (tx) => {
    const existing = builtInProperty(objectType, input.name) ?? (await store.getDefinition(tx, objectType, input.name));
    if (existing) throw errors.propertyExists({ objectType, name: input.name, archived: !live(existing) });
    if (!(await groupExists(tx, objectType, input.groupName))) throw errors.propertyGroupNotFound({ id: input.groupName, field: 'groupName' });
    try {
      return await store.insertDefinition(
        tx,
        objectType,
        {
          name: input.name,
          label: input.label,
          type: input.type,
          fieldType: input.fieldType,
          groupName: input.groupName,
          description: input.description ?? '',
          options: options(input.type, input.options),
          displayOrder: input.displayOrder ?? -1,
          hidden: input.hidden ?? false,
          formField: input.formField ?? true,
        },
        deps.clock.now(),
      );
    } catch (err) {
      if (isUniqueViolation(err)) throw errors.propertyExists({ objectType, name: input.name, archived: false });
      throw err;
    }
  });
}

/** Changes a custom property; a built-in one keeps its definition (400 naming the field). */
export async function updateProperty(deps: Deps, objectType: ObjectType, name: string, patch: PropertyUpdate): Promise<PropertyDefinition> {
  const builtIn = builtInProperty(objectType, name);
  if (builtIn) {
    const field = Object.keys(patch).find((k) => patch[k as keyof PropertyUpdate] !== undefined) ?? 'type';
    throw errors.hubspotDefined({ what: 'property', name, field });
  }
  return deps.db.transaction(async (tx) => {
    const current = await store.getDefinition(tx, objectType, name);
    if (!current || !live(current)) throw errors.propertyNotFound({ id: name });
    const type = patch.type ?? current.type;
    // Retyping without a field type takes the new type's first one.
    const fieldType = patch.fieldType ?? (patch.type && patch.type !== current.type ? (pairProblems(type, current.fieldType).length ? defaultFieldType(type) : current.fieldType) : current.fieldType);
    const next = {
      label: patch.label ?? current.label,
      type,
      fieldType,
      groupName: patch.groupName ?? current.groupName,
      description: patch.description ?? current.description,
      options: patch.options ? options(type, patch.options) : type === 'enumeration' ? current.options : [],
      displayOrder: patch.displayOrder ?? current.displayOrder,
      hidden: patch.hidden ?? current.hidden,
      formField: patch.formField ?? current.formField,
    };
    refuse(definitionProblems(next));
    if (next.groupName !== current.groupName && !(await groupExists(tx, objectType, next.groupName))) throw errors.propertyGroupNotFound({ id: next.groupName, field: 'groupName' });
    const updated = await store.updateDefinition(tx, objectType, name, next, deps.clock.now());
    if (!updated) throw errors.propertyNotFound({ id: name });
    return updated;
  });
}

const defaultFieldType = (type: PropertyType): FieldType => ({ string: 'text', number: 'number', date: 'date', datetime: 'date', enumeration: 'select', bool: 'booleancheckbox' })[type] as FieldType;

export async function archiveProperty(deps: Deps, objectType: ObjectType, name: string): Promise<void> {
  if (builtInProperty(objectType, name)) throw errors.hubspotDefined({ what: 'property', name });
  if (!(await store.archiveDefinition(deps.db.kysely, objectType, name, deps.clock.now()))) throw errors.propertyNotFound({ id: name });
}

/**
 * The one check for values written through the API, for any object type: each property must
 * exist, not be maintained by Seqflow, and suit its type. Answers the values in stored form
 * (dates as YYYY-MM-DD, datetimes as ISO, booleans lower-case) or throws HubSpot's 400 naming
 * every bad property (`at` prefixes errors[].in, e.g. 'inputs[2].properties').
 */
export async function checkPropertyValues(db: Db, objectType: ObjectType, values: Record<string, string | null>, at?: string): Promise<Record<string, string | null>> {
  if (Object.keys(values).length === 0) return values;
  const r = checkValues(await definitionsOf(db, objectType), values);
  if (r.problems.length) throw errors.propertyValuesInvalid({ problems: r.problems, at });
  return r.values;
}

/** Per list of custom definitions the catalog keeps (src/store/transaction-memo.ts): every event of a contact asks. */
const typesOf = new WeakMap<readonly PropertyDefinition[], Readonly<Record<string, ComparisonType>>>();

/** How filters compare each typed property of the object type (live definitions only). */
export async function comparisonTypes(db: Db, objectType: ObjectType): Promise<Readonly<Record<string, ComparisonType>>> {
  const custom = await store.listDefinitions(db, objectType);
  let out = typesOf.get(custom);
  if (!out) {
    const types: Record<string, ComparisonType> = {};
    for (const d of withBuiltIns(objectType, custom).values()) if (live(d)) types[d.name] = comparisonType(d);
    typesOf.set(custom, (out = Object.freeze(types)));
  }
  return out;
}

// ---- groups ------------------------------------------------------------------------------------

export async function listGroups(deps: Deps, objectType: ObjectType): Promise<PropertyGroupDefinition[]> {
  const custom = (await store.listGroups(deps.db.kysely, objectType)).filter(live);
  return [...BUILT_IN_GROUPS[objectType], ...custom];
}

export async function getGroup(deps: Deps, objectType: ObjectType, name: string): Promise<PropertyGroupDefinition> {
  const g = BUILT_IN_GROUPS[objectType].find((b) => b.name === name) ?? (await store.getGroup(deps.db.kysely, objectType, name));
  if (!g || !live(g)) throw errors.propertyGroupNotFound({ id: name });
  return g;
}

export async function createGroup(deps: Deps, objectType: ObjectType, input: { name: string; label: string; displayOrder?: number }): Promise<PropertyGroupDefinition> {
  if (!PROPERTY_NAME.test(input.name)) refuse([{ message: 'must start with a lower-case letter and hold only a-z, 0-9 and _ (at most 100)', in: 'name' }]);
  if (BUILT_IN_GROUPS[objectType].some((g) => g.name === input.name)) throw errors.propertyGroupExists({ objectType, name: input.name });
  try {
    return await store.insertGroup(deps.db.kysely, objectType, { name: input.name, label: input.label, displayOrder: input.displayOrder ?? -1 }, deps.clock.now());
  } catch (err) {
    if (isUniqueViolation(err)) throw errors.propertyGroupExists({ objectType, name: input.name });
    throw err;
  }
}

export async function updateGroup(deps: Deps, objectType: ObjectType, name: string, patch: { label?: string; displayOrder?: number }): Promise<PropertyGroupDefinition> {
  if (BUILT_IN_GROUPS[objectType].some((g) => g.name === name)) throw errors.hubspotDefined({ what: 'property group', name, field: patch.label !== undefined ? 'label' : 'displayOrder' });
  const current = await getGroup(deps, objectType, name);
  const updated = await store.updateGroup(deps.db.kysely, objectType, name, { label: patch.label ?? current.label, displayOrder: patch.displayOrder ?? current.displayOrder }, deps.clock.now());
  if (!updated) throw errors.propertyGroupNotFound({ id: name });
  return updated;
}

export async function archiveGroup(deps: Deps, objectType: ObjectType, name: string): Promise<void> {
  if (BUILT_IN_GROUPS[objectType].some((g) => g.name === name)) throw errors.hubspotDefined({ what: 'property group', name });
  await deps.db.transaction(async (tx) => {
    const count = await store.countDefinitionsInGroup(tx, objectType, name);
    if (count > 0) throw errors.propertyGroupNotEmpty({ name, count });
    if (!(await store.archiveGroup(tx, objectType, name, deps.clock.now()))) throw errors.propertyGroupNotFound({ id: name });
  });
}

// ---- batches -------------------------------------------------------------------------------------

export type BatchOutcome<T> = { ok: true; value: T } | { ok: false; name: string; error: SeqflowError };

/** Each input on its own (a bad one fails alone, answered 207); anything but a SeqflowError aborts the batch. */
async function each<I, T>(inputs: I[], name: (i: I) => string, fn: (i: I) => Promise<T>): Promise<BatchOutcome<T>[]> {
  const out: BatchOutcome<T>[] = [];
  for (const input of inputs) {
    try {
      out.push({ ok: true, value: await fn(input) });
    } catch (err) {
      if (!(err instanceof SeqflowError)) throw err;
      out.push({ ok: false, name: name(input), error: err });
    }
  }
  return out;
}

export const batchCreateProperties = (deps: Deps, objectType: ObjectType, inputs: PropertyCreate[]) =>
  each(inputs, (i) => i.name, (i) => createProperty(deps, objectType, i));

export const batchReadProperties = (deps: Deps, objectType: ObjectType, names: string[], o: { archived?: boolean } = {}) =>
  each([...new Set(names)], (n) => n, (n) => getProperty(deps, objectType, n, o));

/**
 * Archives every named custom property or none: a built-in or unknown name refuses the whole
 * batch (the client accepts only 204 here, so there is no partial answer to give).
 */
export async function batchArchiveProperties(deps: Deps, objectType: ObjectType, names: string[]): Promise<void> {
  await deps.db.transaction(async (tx) => {
    for (const name of new Set(names)) {
      if (builtInProperty(objectType, name)) throw errors.hubspotDefined({ what: 'property', name });
      if (!(await store.archiveDefinition(tx, objectType, name, deps.clock.now()))) throw errors.propertyNotFound({ id: name, field: 'inputs' });
    }
  });
}
