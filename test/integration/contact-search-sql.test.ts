import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { dialectCases, type TestDatabase } from '../support/databases.js';
import { openDatabase, type Database } from '../../src/store/database.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import { archiveContact, getContact, insertContact, insertContactsBulk, listContacts, purgeContact, updateContactProperties } from '../../src/store/contacts.js';
import { searchContactsSql } from '../../src/store/contact-search-sql.js';
import { searchRecords } from '../../src/services/contact-search.js';
import { contactProperties } from '../../src/domain/properties.js';
import type { FilterGroup, PropertyTypes, SearchFilter } from '../../src/domain/filters.js';
import type { Contact } from '../../src/domain/glossary.js';

/**
 * Differential test of contact search in SQL (src/store/contact-search-sql.ts): random filter
 * groups, sorts, queries and pages over a few hundred deliberately untidy contacts must give
 * exactly what the filter evaluator (src/domain/filters.ts) gives over the same contacts.
 */

const T0 = Date.UTC(2025, 0, 6, 9);

function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!;
  return { next, pick, int: (n: number) => Math.floor(next() * n) };
}

const TYPES: PropertyTypes = {
  email: 'string',
  firstname: 'string',
  lastname: 'string',
  company: 'string',
  phone: 'string',
  lifecyclestage: 'enumeration',
  score: 'number',
  dirty_score: 'number',
  renewal: 'date',
  signup_at: 'datetime',
  vip: 'bool',
  tags: 'checkbox',
  createdate: 'datetime',
  lastmodifieddate: 'datetime',
  hs_object_id: 'number',
};

const POOLS: Record<string, readonly (string | null)[]> = {
  firstname: ['Jane', 'jane', 'JANE', 'Jan', 'Zoë', 'Émile', 'o\'brien', 'Ann-Marie', '', null, 'Bob'],
  lastname: ['Doe', 'doe', 'Smith', 'van der Berg', 'Łukasz', null, '', 'DOE-SMITH'],
  company: ['Acme', 'acme inc.', 'ACME', 'Globex', 'Initech', null, 'Café Noir', 'acme'],
  phone: ['+1 (555) 010-1234', '555-0100', null, '0044 20 7946 0000'],
  lifecyclestage: ['lead', 'customer', 'Customer', 'subscriber', 'opportunity', 'other', null, null],
  score: ['5', '5.50', '-3', '1e3', '0012', '100', '7', '0', '-0', null, null],
  dirty_score: ['5', 'abc', ' 7 ', '12', '2024-01-01', null, '9.5'],
  renewal: ['2024-01-05', '2024-01-05', '2023-12-31', '1704412800000', '2025-06-30', null, 'soon'],
  signup_at: ['2024-01-05T10:00:00Z', '2024-01-05T10:00:00+02:00', '2024-01-05 08:00', '1704448800000', '2024-02-29T23:59:59.999Z', null],
  vip: ['true', 'false', 'TRUE', ' true', 'False', null],
  tags: ['a;b', 'B', 'c', 'a', ';', null, 'b;c'],
  misc: ['10', '9', 'apple', 'Banana', '2024-01-01', '1e2', '', null, 'zebra', '-1', '2023-05-05T00:00:00Z'],
};
const DOMAINS = ['example.com', 'Example.COM', 'mail.example.org', 'acme.io'];
const OPERANDS: Record<string, readonly (string | number | boolean)[]> = {
  email: ['jane@example.com', 'JANE@EXAMPLE.COM', 'x@acme.io', 'm'],
  firstname: ['jane', 'Jan', 'zoë', 'émile', 'bob', 'a', 'm'],
  lastname: ['doe', 'SMITH', 'berg', 'a'],
  company: ['acme', 'ACME', 'globex', '10', 9, 'café noir'],
  phone: ['555-0100', '555'],
  lifecyclestage: ['customer', 'LEAD', 'other', 'opportunity', 'subscriber'],
  score: [5, '5.5', '7', -3, '1000', 'abc', '0', '1e1', 12],
  dirty_score: [5, '7', 'abc', '12', '2024-01-01', 10],
  renewal: ['2024-01-05', '1704412800000', '2024-01-01T00:00:00Z', 'soon', 1704412800000, '2024-06-01'],
  signup_at: ['2024-01-05T08:00:00Z', '2024-01-05', 1704448800000, '2024-03-01', 'x'],
  vip: ['true', true, false, 'FALSE', ' true '],
  tags: ['a', 'B', 'c', 'd'],
  misc: ['10', 9, 'apple', 'banana', '2024-01-01', 100, 'm', '2023-01-01'],
  createdate: [T0, T0 + 86_400_000 * 3, new Date(T0 + 86_400_000 * 5).toISOString(), '2025-01-08'],
  lastmodifieddate: [T0 + 86_400_000 * 10, '2025-02-01'],
  hs_object_id: [1, '5', 10, 150, '2.5', 'abc'],
};
const TOKENS = ['ann-marie', 'van der', '*ample.com', "o'brien", 'mail.*', 'x.1*', 'jane', 'JANE', '*@example.com', 'example.com', 'exa*', 'doe', 'acme', 'émile', 'berg', '555', '*', '@acme.io', 'j*e', 'a', 'customer', 'true'];
const OPERATORS = ['EQ', 'NEQ', 'LT', 'LTE', 'GT', 'GTE', 'BETWEEN', 'IN', 'NOT_IN', 'HAS_PROPERTY', 'NOT_HAS_PROPERTY', 'CONTAINS_TOKEN', 'NOT_CONTAINS_TOKEN'] as const;
const QUERIES = ['jan', 'example.com', 'doe j', '555', 'acme', 'zz', ' ', 'émi', 'jane@ex', '0100', 'Café'];
/** Sorts the evaluator orders pairwise in ways no one column can (mixed kinds, booleans): SQL declines them. */
const UNSORTABLE = new Set(['misc', 'dirty_score', 'vip', 'renewal']);

function randomContact(r: ReturnType<typeof rng>, i: number): Record<string, string | null> {
  const props: Record<string, string | null> = {};
  for (const [name, pool] of Object.entries(POOLS)) {
    const v = r.pick(pool);
    if (v !== null || r.next() < 0.2) props[name] = v;
  }
  if (r.next() < 0.9) props.email = `${r.pick(['Jane', 'john', 'm', 'x', 'Émile'])}.${i}@${r.pick(DOMAINS)}`;
  return props;
}

function randomFilter(r: ReturnType<typeof rng>): SearchFilter {
  const propertyName = r.pick(Object.keys(OPERANDS));
  const operator = r.pick(OPERATORS);
  const operand = () => r.pick(OPERANDS[propertyName]!);
  switch (operator) {
    case 'HAS_PROPERTY':
    case 'NOT_HAS_PROPERTY':
      return { propertyName, operator };
    case 'BETWEEN':
      return { propertyName, operator, value: operand() as string, highValue: operand() as string };
    case 'IN':
    case 'NOT_IN':
      return { propertyName, operator, values: [operand(), operand(), 'm'].filter((v): v is string | number => typeof v !== 'boolean') };
    case 'CONTAINS_TOKEN':
    case 'NOT_CONTAINS_TOKEN':
      return { propertyName, operator, value: r.pick(TOKENS) };
    default:
      return { propertyName, operator, value: operand() };
  }
}

function randomSearch(r: ReturnType<typeof rng>) {
  const groups: FilterGroup[] = Array.from({ length: r.int(4) }, () => ({ filters: Array.from({ length: 1 + r.int(3) }, () => randomFilter(r)) }));
  const sortable = [...Object.keys(OPERANDS)];
  const sorts = Array.from({ length: r.int(3) }, () =>
    r.next() < 0.5 ? { propertyName: r.pick(sortable), direction: r.pick(['ASCENDING', 'DESCENDING']) } : `${r.pick(['', '-'])}${r.pick(sortable)}`,
  );
  const query = r.next() < 0.25 ? r.pick(QUERIES) : undefined;
  return { groups, sorts, query, offset: r.pick([0, 0, 0, 3, 40]), limit: r.pick([1, 10, 100, 500]) };
}

const sortNames = (sorts: unknown[]) => sorts.map((s) => (typeof s === 'string' ? s.replace(/^-/, '') : (s as { propertyName: string }).propertyName));
const checkboxEquality = (groups: FilterGroup[]) =>
  groups.some((g) => g.filters.some((f) => f.propertyName === 'tags' && ['EQ', 'NEQ', 'IN', 'NOT_IN'].includes(f.operator)));

describe.each(dialectCases)('contact search in SQL on $dialect', ({ dialect, create, skip }) => {
  let tdb: TestDatabase;
  let db: Database;
  beforeAll(async () => {
    if (skip) return;
    tdb = await create();
    db = openDatabase({ url: tdb.url });
    await migrateToLatest(db);
    const r = rng(11);
    const k = db.kysely;
    // Created on different days, through each write path: bulk (import), one by one, updated, archived, purged.
    for (let day = 0; day < 4; day++) await insertContactsBulk(k, Array.from({ length: 60 }, (_, i) => randomContact(r, day * 100 + i)), T0 + day * 86_400_000, 'IMPORT');
    for (let i = 0; i < 60; i++) await insertContact(k, randomContact(r, 1000 + i), T0 + (i % 7) * 86_400_000 + i);
    for (let id = 1; id <= 300; id += 3) {
      const c = await getContact(k, id);
      if (!c) continue;
      const patch = randomContact(r, 2000 + id);
      for (const name of Object.keys(patch)) if (r.next() < 0.5) delete patch[name];
      if (r.next() < 0.3) patch.lifecyclestage = null;
      await updateContactProperties(k, c, patch, T0 + 86_400_000 * 8 + id);
    }
    for (let id = 5; id <= 300; id += 29) await archiveContact(k, id, T0 + 86_400_000 * 9);
    for (let id = 7; id <= 300; id += 53) await purgeContact(k, id, T0 + 86_400_000 * 9);
  }, 120_000);
  afterAll(async () => {
    await db?.close();
    await tdb?.drop();
  });
  beforeEach((ctx) => {
    if (skip) ctx.skip();
  });

  const everyLiveContact = async (): Promise<Contact[]> => {
    const out: Contact[] = [];
    for (let after = 0; ; ) {
      const batch = await listContacts(db.kysely, { after, limit: 500 });
      if (!batch.length) return out;
      out.push(...batch);
      after = batch[batch.length - 1]!.id;
    }
  };

  it('should return exactly what the evaluator returns when random filter groups, sorts, queries and pages are searched, walked or sorted', async () => {
    const contacts = await everyLiveContact();
    expect(contacts.length).toBeGreaterThan(250);
    const r = rng(dialect === 'sqlite' ? 1 : 2);
    let compiled = 0;
    let nonEmpty = 0;
    for (let i = 0; i < 600; i++) {
      const s = randomSearch(r);
      const expected = searchRecords(contacts, contactProperties, { filterGroups: s.groups, sorts: s.sorts, query: s.query, limit: s.limit, after: s.offset }, TYPES);
      // Each way to the page: chosen by cost, walking the sort's order (a window that may run out first), sorting every match.
      const plans = [{ walk: 'auto' as const }, { walk: 'always' as const, window: r.pick([1, 7, 60, 10_000]) }, { walk: 'never' as const }];
      for (const plan of plans) {
        const got = await searchContactsSql(db.kysely, dialect, { groups: s.groups, sorts: s.sorts, query: s.query, offset: s.offset, limit: s.limit, types: TYPES, plan });
        const declinable = checkboxEquality(s.groups) || sortNames(s.sorts).some((n) => UNSORTABLE.has(n));
        if (got === null) {
          expect(declinable, `declined ${JSON.stringify(s)}`).toBe(true);
          continue;
        }
        compiled++;
        if (expected.total > 0) nonEmpty++;
        const where = JSON.stringify({ ...s, plan });
        expect(got.total, where).toBe(expected.total);
        expect(got.contacts.map((c) => c.id), where).toEqual(expected.page.map((c) => c.id));
      }
    }
    // The generator must exercise the SQL side, with matches, not only its refusals.
    expect(compiled).toBeGreaterThan(3 * 400);
    expect(nonEmpty).toBeGreaterThan(3 * 150);
  }, 120_000);

  it('should order by each sortable property exactly as the evaluator does when sorting alone', async () => {
    const contacts = await everyLiveContact();
    for (const name of Object.keys(OPERANDS).filter((n) => !UNSORTABLE.has(n))) {
      for (const direction of ['ASCENDING', 'DESCENDING']) {
        const sorts = [{ propertyName: name, direction }];
        const expected = searchRecords(contacts, contactProperties, { filterGroups: [], sorts, limit: 500 }, TYPES);
        const got = await searchContactsSql(db.kysely, dialect, { groups: [], sorts, offset: 0, limit: 500, types: TYPES });
        expect(got, name).not.toBeNull();
        expect(got!.contacts.map((c) => c.id), `${name} ${direction}`).toEqual(expected.page.map((c) => c.id));
      }
    }
  });

  it('should decline a sort when the stored values mix numbers and text', async () => {
    const got = await searchContactsSql(db.kysely, dialect, { groups: [], sorts: ['misc'], offset: 0, limit: 10, types: TYPES });
    expect(got).toBeNull();
  });

  it('should find a contact by a custom property defined after it was written when the value is updated', async () => {
    const k = db.kysely;
    const c = await insertContact(k, { email: 'late@custom.example' }, T0);
    const none = await searchContactsSql(k, dialect, { groups: [{ filters: [{ propertyName: 'region_code', operator: 'EQ', value: 'NW-7' }] }], sorts: [], offset: 0, limit: 10, types: TYPES });
    expect(none!.total).toBe(0);
    await updateContactProperties(k, c, { region_code: 'nw-7' }, T0 + 1);
    const found = await searchContactsSql(k, dialect, { groups: [{ filters: [{ propertyName: 'region_code', operator: 'EQ', value: 'NW-7' }] }], sorts: [], offset: 0, limit: 10, types: TYPES });
    expect(found!.contacts.map((x) => x.id)).toEqual([c.id]);
    await updateContactProperties(k, (await getContact(k, c.id))!, { region_code: null }, T0 + 2);
    const cleared = await searchContactsSql(k, dialect, { groups: [{ filters: [{ propertyName: 'region_code', operator: 'HAS_PROPERTY' }] }], sorts: [], offset: 0, limit: 10, types: TYPES });
    expect(cleared!.total).toBe(0);
  });
});
