import { sql, type Expression, type RawBuilder, type SelectQueryBuilder, type SqlBool } from 'kysely';
import type { Contact } from '../domain/glossary.js';
import { QUERY_PROPERTIES, parseSort, prepareSearch, toInstant, toNumber, typeOf, type FilterGroup, type Prepared, type PropertyTypes } from '../domain/filters.js';
import type { ComparisonType } from '../domain/properties.js';
import type { Db, DialectName } from './database.js';
import { toContact } from './contacts.js';

/**
 * Contact search compiled to SQL over contact_property_values and contact_search_words (017),
 * giving exactly what src/domain/filters.ts gives over the contacts' properties: the keys were
 * computed by the evaluator's own parsers when the contact was written, and each comparison here
 * follows compareValues case by case. What cannot be matched exactly (equality on a multi-select
 * checkbox, a sort whose stored values mix kinds the evaluator orders pairwise) is reported as
 * null so the caller runs the evaluator instead.
 */
export interface SqlContactSearch {
  groups: FilterGroup[];
  sorts: unknown[];
  query?: string;
  offset: number;
  /** Rows of the page; 0 reads only the total. */
  limit: number;
  types: PropertyTypes;
}

class Inexact extends Error {}

const TRUE = sql<SqlBool>`1 = 1`;
const FALSE = sql<SqlBool>`1 = 0`;
const and = (xs: Expression<SqlBool>[]): Expression<SqlBool> => (xs.length === 0 ? TRUE : xs.length === 1 ? xs[0]! : sql<SqlBool>`(${sql.join(xs, sql` and `)})`);
const or = (xs: Expression<SqlBool>[]): Expression<SqlBool> => (xs.length === 0 ? FALSE : xs.length === 1 ? xs[0]! : sql<SqlBool>`(${sql.join(xs, sql` or `)})`);
const not = (x: Expression<SqlBool>): Expression<SqlBool> => sql<SqlBool>`not ${x}`;

/**
 * Where a property's keys live: columns of a contact_property_values row, or of the contact for
 * the properties derived from it. `null` is a key that is always NULL (an ISO createdate is no
 * number); `undefined` one SQL cannot produce, which makes a filter needing it inexact.
 */
interface Keys {
  num: RawBuilder<unknown> | null | undefined;
  instant: RawBuilder<unknown> | null | undefined;
  text: RawBuilder<unknown> | undefined;
  bool: RawBuilder<unknown> | undefined;
  value: RawBuilder<unknown> | undefined;
}

const rowKeys = (alias: string): Keys => ({
  num: sql.ref(`${alias}.num`),
  instant: sql.ref(`${alias}.instant`),
  text: sql.ref(`${alias}.text_key`),
  bool: sql.ref(`${alias}.bool_key`),
  value: sql.ref(`${alias}.value`),
});

/** `new Date(ms).toISOString()` in SQL, from integer parts so no float rounding touches the milliseconds. */
function isoOf(dialect: DialectName, column: string): RawBuilder<unknown> {
  const ms = sql.ref(column);
  return dialect === 'sqlite'
    ? sql`(strftime('%Y-%m-%dT%H:%M:%S', ${ms} / 1000, 'unixepoch') || '.' || substr('00' || (${ms} % 1000), -3) || 'Z')`
    : sql`(to_char(to_timestamp(${ms} / 1000) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS') || '.' || lpad((${ms} % 1000)::text, 3, '0') || 'Z')`;
}

/** Properties the evaluator reads from the contact row (contactProperties), never from stored values. */
function derived(dialect: DialectName, name: string): { column: string; keys: Keys } | null {
  const text = (x: RawBuilder<unknown>) => ({ text: sql`lower(${x})`, bool: sql`lower(${x})`, value: x });
  switch (name) {
    case 'hs_object_id':
      return { column: 'c.id', keys: { num: sql.ref('c.id'), instant: sql.ref('c.id'), ...text(sql`cast(c.id as text)`) } };
    case 'createdate':
      return { column: 'c.created_at', keys: { num: null, instant: sql.ref('c.created_at'), ...text(isoOf(dialect, 'c.created_at')) } };
    case 'lastmodifieddate':
      return { column: 'c.updated_at', keys: { num: null, instant: sql.ref('c.updated_at'), ...text(isoOf(dialect, 'c.updated_at')) } };
    default:
      return null;
  }
}

type Op = '=' | '<' | '<=' | '>' | '>=';
const need = <T>(k: T | undefined): T => {
  if (k === undefined) throw new Inexact();
  return k;
};
// Numbers are cast so PostgreSQL never reads a fractional operand as an integer column's type.
const num = (n: number) => sql`cast(${n} as double precision)`;
const holds = (k: RawBuilder<unknown> | null | undefined, op: Op, n: number): Expression<SqlBool> =>
  k === null ? FALSE : sql<SqlBool>`(${need(k)} is not null and ${need(k)} ${sql.raw(op)} ${num(n)})`;
const isNull = (k: RawBuilder<unknown> | null | undefined): Expression<SqlBool> => (k === null ? TRUE : sql<SqlBool>`${need(k)} is null`);

/** compareValues(value, b) `op` 0 without a type: numbers, else instants, else lower-cased text. */
function untyped(k: Keys, op: Op, b: string): Expression<SqlBool> {
  const nb = toNumber(b);
  const ib = toInstant(b);
  const text = () => sql<SqlBool>`${need(k.text)} ${sql.raw(op)} ${b.toLowerCase()}`;
  const instantOrText = ib === null ? text() : or([holds(k.instant, op, ib), and([isNull(k.instant), text()])]);
  return nb === null ? instantOrText : or([holds(k.num, op, nb), and([isNull(k.num), instantOrText])]);
}

/** compareValues(value, b, type) `op` 0; NaN (a value or operand the type cannot read) is false. */
function compare(k: Keys, op: Op, b: string, type: ComparisonType | undefined): Expression<SqlBool> {
  switch (type) {
    case 'number': {
      const nb = toNumber(b);
      return nb === null ? FALSE : holds(k.num, op, nb);
    }
    case 'date':
    case 'datetime': {
      const ib = toInstant(b);
      return ib === null ? FALSE : holds(k.instant, op, ib);
    }
    case 'bool':
      // Booleans only compare equal (0) or not at all (NaN): LTE and GTE hold exactly when equal.
      return op === '<' || op === '>' ? FALSE : sql<SqlBool>`${need(k.bool)} = ${b.trim().toLowerCase()}`;
    case 'checkbox':
      // Equality is per option of the ";"-joined value: not a column comparison.
      if (op === '=') throw new Inexact();
      return untyped(k, op, b);
    default:
      return untyped(k, op, b);
  }
}

/** The evaluator's token matcher: the same JS function on SQLite; an equivalent regex on PostgreSQL. */
function containsToken(dialect: DialectName, k: Keys, pattern: string): Expression<SqlBool> {
  if (dialect === 'sqlite') return sql<SqlBool>`seqflow_contains_token(${need(k.value)}, ${pattern}) = 1`;
  const p = pattern.trim().replace(/\*+/g, '*');
  if (p === '') return FALSE;
  const alnum = /[\p{L}\p{N}]/u;
  // In PostgreSQL's regexes a backslash before a non-alphanumeric character makes it literal.
  const body = p
    .split('*')
    .map((part) => part.replace(/[^\p{L}\p{N}\s]/gu, '\\$&'))
    .join('\\S*');
  const re = (alnum.test(p[0]!) ? '(^|[^[:alnum:]])' : '') + body + (alnum.test(p[p.length - 1]!) ? '($|[^[:alnum:]])' : '');
  return sql<SqlBool>`${need(k.value)} ~* ${re}`;
}

/** The value-level test of a prepared filter; `negated` says the filter matches where this does not (or no value is set). */
function valueTest(dialect: DialectName, k: Keys, p: Prepared, type: ComparisonType | undefined, gate: (pattern: string) => Expression<SqlBool> = () => TRUE): { test: Expression<SqlBool>; negated: boolean } {
  const v0 = p.values[0]!;
  switch (p.op) {
    case 'ANY_EQ':
    case 'NONE_EQ':
      return { test: or(p.values.map((v) => compare(k, '=', v, type))), negated: p.op === 'NONE_EQ' };
    case 'LT':
      return { test: compare(k, '<', v0, type), negated: false };
    case 'LTE':
      return { test: compare(k, '<=', v0, type), negated: false };
    case 'GT':
      return { test: compare(k, '>', v0, type), negated: false };
    case 'GTE':
      return { test: compare(k, '>=', v0, type), negated: false };
    case 'BETWEEN':
      return { test: and([compare(k, '>=', v0, type), compare(k, '<=', p.high!, type)]), negated: false };
    case 'KNOWN':
    case 'UNKNOWN':
      return { test: TRUE, negated: p.op === 'UNKNOWN' };
    case 'ANY_TOKEN':
    case 'NONE_TOKEN':
      return { test: or(p.values.map((v) => and([gate(v), containsToken(dialect, k, v)]))), negated: p.op === 'NONE_TOKEN' };
    default:
      throw new Inexact();
  }
}

/**
 * A search is compiled to a set of contact ids: each filter a SELECT of ids (an index range of
 * contact_property_values), AND an INTERSECT, OR a UNION, a negated filter an EXCEPT. Only
 * live contacts have search rows, so the contacts table is read only for what needs it: the
 * live ones when nothing positive narrows a group, and the properties derived from the row.
 */
type IdSet = RawBuilder<unknown>;
const LIVE: IdSet = sql`select c.id as id from contacts c where c.archived_at is null`;
const NONE: IdSet = sql`select c.id as id from contacts c where 1 = 0`;
// SQLite allows no parentheses around a compound's members: each is a SELECT from a subquery.
const compound = (op: 'intersect' | 'union' | 'except', sets: IdSet[]): IdSet =>
  sets.length === 1 ? sets[0]! : sql.join(sets.map((x) => sql`select id from (${x}) as m`), sql.raw(` ${op} `));

/** The ids a filter matches (`negated`: the live contacts outside `ids` match). */
function filterIds(dialect: DialectName, f: unknown, types: PropertyTypes): { ids: IdSet; negated: boolean } {
  const p = prepareSearch(f);
  if (p === null) return { ids: NONE, negated: false };
  const name = (f as { propertyName: unknown }).propertyName;
  const missingMatches = p.op === 'UNKNOWN' || p.op === 'NONE_EQ' || p.op === 'NONE_TOKEN';
  if (typeof name !== 'string') return { ids: missingMatches ? LIVE : NONE, negated: false };
  const type = typeOf(types, name);
  const fromRow = derived(dialect, name);
  if (fromRow) {
    // Always set: a negated test is simply its negation.
    const { test, negated } = valueTest(dialect, fromRow.keys, p, type);
    return { ids: sql`select c.id as id from contacts c where c.archived_at is null and ${negated ? not(test) : test}`, negated: false };
  }
  const { test, negated } = valueTest(dialect, rowKeys('v'), p, type, (pattern) => wordGate(name, pattern));
  return { ids: sql`select v.contact_id as id from contact_property_values v where v.name = ${name} and ${test}`, negated };
}

/**
 * A token pattern's whole word (an alphanumeric run bounded on both sides), or failing that a
 * word's start (bounded on the left, open to a `*`), that any matching value must hold. For
 * the properties `query` reads, their words are indexed: the contacts holding that word are the
 * only candidates, and the exact test runs on those alone instead of on every value.
 */
export function tokenWord(pattern: string): { word: string; prefix: boolean } | null {
  const p = pattern.trim().replace(/\*+/g, '*').toLowerCase();
  let best: { word: string; prefix: boolean } | null = null;
  const alnum = /[\p{L}\p{N}]/u;
  for (const m of p.matchAll(/[\p{L}\p{N}]+/gu)) {
    const at = m.index;
    const end = at + m[0].length;
    const before = at === 0 ? 'edge' : p[at - 1] === '*' ? 'star' : 'bound';
    const after = end === p.length ? 'edge' : p[end] === '*' ? 'star' : 'bound';
    // The pattern's own edges are boundaries only where the pattern starts or ends alphanumeric, which a run there does.
    if (before === 'star' || (before === 'edge' && !alnum.test(p[0]!))) continue;
    const candidate = { word: m[0], prefix: after === 'star' };
    if (!best || (best.prefix && !candidate.prefix) || (best.prefix === candidate.prefix && candidate.word.length > best.word.length)) best = candidate;
  }
  return best;
}

function wordGate(name: string, pattern: string): Expression<SqlBool> {
  if (!(QUERY_PROPERTIES as readonly string[]).includes(name)) return TRUE;
  const w = tokenWord(pattern);
  if (w === null) return TRUE;
  const words = w.prefix
    ? sql`select w.contact_id from contact_search_words w where w.word >= ${w.word} and w.word < ${w.word + '\u{10FFFF}'}`
    : sql`select w.contact_id from contact_search_words w where w.word = ${w.word}`;
  return sql<SqlBool>`v.contact_id in (${words})`;
}

/** Full-text `query`: every term a prefix of one of the contact's words (matchesQuery). */
function queryIds(query: string | undefined): IdSet[] {
  if (typeof query !== 'string') return [];
  const terms = [...new Set(query.toLowerCase().split(/\s+/).filter((t) => t !== ''))];
  // U+10FFFF sorts after every character, so [t, t + U+10FFFF) holds every word starting with t.
  return terms.map((t) => sql`select distinct w.contact_id as id from contact_search_words w where w.word >= ${t} and w.word < ${t + '\u{10FFFF}'}`);
}

function groupIds(dialect: DialectName, g: FilterGroup, types: PropertyTypes, also: IdSet[]): IdSet {
  const parts = (Array.isArray(g?.filters) ? g.filters : []).map((f) => filterIds(dialect, f, types));
  const positive = [...parts.filter((x) => !x.negated).map((x) => x.ids), ...also];
  const negative = parts.filter((x) => x.negated).map((x) => x.ids);
  const base = positive.length ? compound('intersect', positive) : LIVE;
  return negative.length ? sql`select id from (${base}) as b except select id from (${compound('union', negative)}) as n` : base;
}

/** The ids of the live contacts that match. */
function matchIds(dialect: DialectName, s: SqlContactSearch): IdSet {
  const words = queryIds(s.query);
  if (s.groups.length === 0) return words.length ? compound('intersect', words) : LIVE;
  return compound('union', s.groups.map((g) => groupIds(dialect, g, s.types, words)));
}

async function anyValue(db: Db, name: string, key: 'num' | 'instant', isNullKey: boolean): Promise<boolean> {
  const r = await db
    .selectFrom('contact_property_values')
    .select('contact_id')
    .where('name', '=', name)
    .where(key, isNullKey ? 'is' : 'is not', null)
    .limit(1)
    .executeTakeFirst();
  return r !== undefined;
}

/**
 * The one key that orders every stored value of `name` as sortComparator would, or null. The
 * evaluator compares pairwise (numbers as numbers, dates as instants, else text), so a single
 * key exists only when every value reads the same way; an index probe per kind tells.
 */
async function sortKey(db: Db, name: string, type: ComparisonType | undefined): Promise<'num' | 'instant' | 'text_key' | null> {
  // A boolean compares equal ignoring spaces and case, else as text: no one column orders that.
  if (type === 'bool') return null;
  if ((type === 'date' || type === 'datetime') && !(await anyValue(db, name, 'instant', true))) return 'instant';
  if (!(await anyValue(db, name, 'num', true))) return 'num';
  if (!(await anyValue(db, name, 'instant', true))) return 'instant';
  if (!(await anyValue(db, name, 'num', false)) && !(await anyValue(db, name, 'instant', false))) return 'text_key';
  return null;
}

type Query = SelectQueryBuilder<any, any, any>;

/** Joins and orders the matched ids by the sorts, id last (the evaluator's sort is stable over id order); null when not exact. */
async function ordered(db: Db, dialect: DialectName, q: Query, sorts: unknown[], types: PropertyTypes): Promise<Query | null> {
  const keys = (Array.isArray(sorts) ? sorts : []).map(parseSort).filter((k) => k !== null);
  let joinedContacts = false;
  for (const [i, k] of keys.entries()) {
    const dir = k.descending ? 'desc' : 'asc';
    const fromRow = derived(dialect, k.property);
    if (fromRow) {
      if (!joinedContacts) q = q.innerJoin('contacts as c', 'c.id', 'm.id');
      joinedContacts = true;
      q = q.orderBy(sql.ref(fromRow.column), dir);
      continue;
    }
    const key = await sortKey(db, k.property, typeOf(types, k.property));
    if (key === null) return null;
    const alias = `s${i}`;
    q = q
      .leftJoin(`contact_property_values as ${alias}`, (j) => j.onRef(`${alias}.contact_id`, '=', 'm.id').on(`${alias}.name`, '=', k.property))
      // Unset values last in either direction, as sortComparator puts them.
      .orderBy(sql`case when ${sql.ref(`${alias}.contact_id`)} is null then 1 else 0 end`)
      .orderBy(sql.ref(`${alias}.${key}`), dir);
  }
  return q.orderBy('m.id');
}

/**
 * The total and the page [offset, offset + limit) of live contacts matching the search, in the
 * evaluator's order; null when some part cannot be compiled exactly. The page is ordered as ids
 * first and its contacts read after, so no sort carries whole rows.
 */
export async function searchContactsSql(db: Db, dialect: DialectName, s: SqlContactSearch): Promise<{ total: number; contacts: Contact[] } | null> {
  let ids: IdSet;
  try {
    ids = matchIds(dialect, s);
  } catch (err) {
    if (err instanceof Inexact) return null;
    throw err;
  }
  const matched = () => (db as Db).selectFrom(sql`(${ids})`.as('m')) as Query;
  const countMatched = async () => Number(((await matched().select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()) as { n: unknown }).n);
  // No page (a cursor at the cap): only the total, which no sort changes.
  if (s.limit === 0) return { total: await countMatched(), contacts: [] };
  // The total rides on the page's rows (a window over every match), so the matches are found once.
  const page = await ordered(db, dialect, matched().select(['m.id', sql`count(*) over ()`.as('n')]), s.sorts, s.types);
  if (page === null) return null;
  const found = (await page.limit(s.limit).offset(s.offset).execute()) as { id: unknown; n: unknown }[];
  // A page past the end has no row to carry the total.
  const total = found.length ? Number(found[0]!.n) : await countMatched();
  const pageIds = found.map((r) => Number(r.id));
  if (pageIds.length === 0) return { total, contacts: [] };
  const rows = await db.selectFrom('contacts').selectAll().where('id', 'in', pageIds).execute();
  const byId = new Map(rows.map((r) => [r.id, toContact(r)]));
  return { total, contacts: pageIds.map((id) => byId.get(id)).filter((c) => c !== undefined) };
}
