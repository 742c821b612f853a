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
  /** For tests: walk the sort's order always or never (default: when it pays), and how far before sorting instead. */
  plan?: { walk?: 'auto' | 'always' | 'never'; window?: number };
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
      return { column: 'id', keys: { num: sql.ref('c.id'), instant: sql.ref('c.id'), ...text(sql`cast(c.id as text)`) } };
    case 'createdate':
      return { column: 'created_at', keys: { num: null, instant: sql.ref('c.created_at'), ...text(isoOf(dialect, 'c.created_at')) } };
    case 'lastmodifieddate':
      return { column: 'updated_at', keys: { num: null, instant: sql.ref('c.updated_at'), ...text(isoOf(dialect, 'c.updated_at')) } };
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
    case 'NONE_EQ': {
      // Operands that compare as text alone are one IN list: PostgreSQL reads an OR of equalities as a filter, not as index ranges.
      const asText = type === undefined || type === 'string' || type === 'enumeration';
      const plain = asText ? p.values.filter((v) => toNumber(v) === null && toInstant(v) === null) : [];
      const tests = p.values.filter((v) => !plain.includes(v)).map((v) => compare(k, '=', v, type));
      if (plain.length) tests.unshift(sql<SqlBool>`${need(k.text)} in (${sql.join(plain.map((v) => v.toLowerCase()))})`);
      return { test: or(tests), negated: p.op === 'NONE_EQ' };
    }
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
 * A search is compiled twice from the same filters. As a set of contact ids: each filter a
 * SELECT of ids (an index range of contact_property_values), AND an INTERSECT, OR a UNION, a
 * negated filter an EXCEPT; only live contacts have search rows, so the contacts table is read
 * only for what needs it. And as a test of one contact (`holds`): each filter a read of that
 * contact's row by its key (a `query` word an EXISTS probe), so a walk along a sort order can stop
 * at the page instead of finding and sorting every match.
 */
type IdSet = RawBuilder<unknown>;
const LIVE: IdSet = sql`select c.id as id from contacts c where c.archived_at is null`;
const NONE: IdSet = sql`select c.id as id from contacts c where 1 = 0`;
// SQLite allows no parentheses around a compound's members: each is a SELECT from a subquery.
const compound = (op: 'intersect' | 'union' | 'except', sets: IdSet[]): IdSet =>
  sets.length === 1 ? sets[0]! : sql.join(sets.map((x) => sql`select id from (${x}) as m`), sql.raw(` ${op} `));

/** A filter compiled: its ids, and whether it holds for the contact whose id is `x` (live contacts only). */
interface Compiled {
  ids: IdSet;
  holds: (x: RawBuilder<unknown>) => Expression<SqlBool>;
  /** The live contacts outside `ids` match. */
  negated: boolean;
  /** A stored property's own test on a contact_property_values row aliased `alias`. */
  property?: { name: string; test: (alias: string) => Expression<SqlBool> };
}

/**
 * A test of one contact's one row (a property's value, or the contact itself), read by its key
 * alone: a test in the WHERE clause would let the planner pick an index on the tested value, and
 * PostgreSQL then scans the whole value range for each contact.
 */
const rowHolds = (table: RawBuilder<unknown>, key: RawBuilder<unknown>, test: Expression<SqlBool>): Expression<SqlBool> =>
  sql<SqlBool>`coalesce((select ${test} from ${table} where ${key}), ${FALSE})`;

const constant = (matches: boolean): Compiled => ({ ids: matches ? LIVE : NONE, holds: () => (matches ? TRUE : FALSE), negated: false });

function compileFilter(dialect: DialectName, f: unknown, types: PropertyTypes): Compiled {
  const p = prepareSearch(f);
  if (p === null) return constant(false);
  const name = (f as { propertyName: unknown }).propertyName;
  const missingMatches = p.op === 'UNKNOWN' || p.op === 'NONE_EQ' || p.op === 'NONE_TOKEN';
  if (typeof name !== 'string') return constant(missingMatches);
  const type = typeOf(types, name);
  const fromRow = derived(dialect, name);
  if (fromRow) {
    // Always set: a negated test is simply its negation.
    const { test, negated } = valueTest(dialect, fromRow.keys, p, type);
    const where = negated ? not(test) : test;
    return {
      ids: sql`select c.id as id from contacts c where c.archived_at is null and ${where}`,
      holds: (x) => rowHolds(sql`contacts c`, sql`c.id = ${x}`, where),
      negated: false,
    };
  }
  const { test: gated, negated } = valueTest(dialect, rowKeys('v'), p, type, (pattern) => wordGate(name, pattern));
  const test = (alias: string) => valueTest(dialect, rowKeys(alias), p, type).test;
  const probe = (x: RawBuilder<unknown>) => rowHolds(sql`contact_property_values v`, sql`v.contact_id = ${x} and v.name = ${name}`, test('v'));
  return {
    ids: sql`select v.contact_id as id from contact_property_values v where v.name = ${name} and ${gated}`,
    holds: negated ? (x) => not(probe(x)) : probe,
    negated,
    property: negated ? undefined : { name, test },
  };
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
function queryTerms(dialect: DialectName, query: string | undefined): Compiled[] {
  if (typeof query !== 'string') return [];
  const terms = [...new Set(query.toLowerCase().split(/\s+/).filter((t) => t !== ''))];
  // U+10FFFF sorts after every character, so [t, t + U+10FFFF) holds every word starting with t.
  return terms.map((t) => {
    const range = sql<SqlBool>`w.word >= ${t} and w.word < ${t + '\u{10FFFF}'}`;
    return {
      ids: sql`select distinct w.contact_id as id from contact_search_words w where ${range}`,
      // OFFSET 0 keeps PostgreSQL from hashing every word in range before a walk starts (it cannot tell how far the walk goes).
      holds: (x) => sql<SqlBool>`exists (select 1 from contact_search_words w where w.contact_id = ${x} and ${range}${dialect === 'postgres' ? sql` offset 0` : sql``})`,
      negated: false,
    };
  });
}

function compileGroup(dialect: DialectName, g: FilterGroup, types: PropertyTypes, also: Compiled[]): Compiled[] {
  return [...(Array.isArray(g?.filters) ? g.filters : []).map((f) => compileFilter(dialect, f, types)), ...also];
}

function groupIds(dialect: DialectName, parts: Compiled[]): IdSet {
  const positive = parts.filter((x) => !x.negated).map((x) => x.ids);
  const negative = parts.filter((x) => x.negated).map((x) => x.ids);
  if (dialect === 'postgres' && positive.length + negative.length > 1) {
    // PostgreSQL's INTERSECT and EXCEPT hash every row of both sides; a semi- or anti-join hashes one and probes it, 2–5× sooner.
    const [first, ...others] = positive.length ? positive : [LIVE];
    const tests = [...others.map((o) => sql<SqlBool>`a.id in (${o})`), ...negative.map((n) => sql<SqlBool>`not exists (select 1 from (${n}) as n where n.id = a.id)`)];
    return sql`select a.id as id from (${first}) as a where ${and(tests)}`;
  }
  const base = positive.length ? compound('intersect', positive) : LIVE;
  return negative.length ? sql`select id from (${base}) as b except select id from (${compound('union', negative)}) as n` : base;
}

interface Match {
  /** The ids of the live contacts that match. */
  ids: IdSet;
  /** Whether the live contact `x` matches. */
  holds: (x: RawBuilder<unknown>) => Expression<SqlBool>;
  /** Tests every match passes on its own row of property `name`, when one group alone decides. */
  required: (name: string) => ((alias: string) => Expression<SqlBool>)[];
}

function compileMatch(dialect: DialectName, s: SqlContactSearch): Match {
  const words = queryTerms(dialect, s.query);
  const groups = s.groups.length === 0 ? [words] : s.groups.map((g) => compileGroup(dialect, g, s.types, words));
  return {
    ids: compound('union', groups.map((parts) => groupIds(dialect, parts))),
    holds: (x) => or(groups.map((parts) => and(parts.map((p) => p.holds(x))))),
    required: (name) => (groups.length === 1 ? groups[0]!.flatMap((p) => (p.property?.name === name ? [p.property.test] : [])) : []),
  };
}

async function anyValue(db: Db, name: string, key: 'num' | 'instant', isNullKey: boolean): Promise<boolean> {
  const r = await db
    .selectFrom('contact_property_values')
    .select('contact_id')
    .where('name', '=', name)
    .where(key, isNullKey ? 'is' : 'is not', null)
    // In index order: PostgreSQL, guessing from other properties' nulls that a row is near, would otherwise scan the table.
    .orderBy(key)
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
const matched = (db: Db, match: Match): Query => db.selectFrom(sql`(${match.ids})`.as('m')) as Query;
type Sort = NonNullable<ReturnType<typeof parseSort>>;

/** Where a sort's values are read: a column of the contact, or one key column of a property's rows. */
type SortSource = { column: string } | { property: string; key: 'num' | 'instant' | 'text_key' };

/** null when no one column orders the values as the evaluator does. */
async function sortSource(db: Db, dialect: DialectName, k: Sort, types: PropertyTypes): Promise<SortSource | null> {
  const fromRow = derived(dialect, k.property);
  if (fromRow) return { column: fromRow.column };
  const key = await sortKey(db, k.property, typeOf(types, k.property));
  return key === null ? null : { property: k.property, key };
}

/** The page [offset, want) by finding every match and sorting them all, id last (the evaluator's sort is stable over id order). */
async function sortedPage(db: Db, match: Match, sorts: Sort[], sources: SortSource[], offset: number, want: number): Promise<number[]> {
  let q = matched(db, match).select('m.id');
  if (sources.some((x) => 'column' in x)) q = q.innerJoin('contacts as c', 'c.id', 'm.id');
  for (const [i, k] of sorts.entries()) {
    const dir = k.descending ? 'desc' : 'asc';
    const source = sources[i]!;
    if ('column' in source) {
      q = q.orderBy(sql.ref(`c.${source.column}`), dir);
      continue;
    }
    const alias = `s${i}`;
    q = q
      .leftJoin(`contact_property_values as ${alias}`, (j) => j.onRef(`${alias}.contact_id`, '=', 'm.id').on(`${alias}.name`, '=', source.property))
      // Unset values last in either direction, as sortComparator puts them.
      .orderBy(sql`case when ${sql.ref(`${alias}.contact_id`)} is null then 1 else 0 end`)
      .orderBy(sql.ref(`${alias}.${source.key}`), dir);
  }
  const rows = (await q.orderBy('m.id').limit(want - offset).offset(offset).execute()) as { id: unknown }[];
  return rows.map((r) => Number(r.id));
}

/**
 * The page [offset, want) by walking the sort's order (id order without one) and testing each
 * contact, at most `window` of them; null when the window ends before the page does, which the
 * caller answers by sorting instead. The window is bounded by its last contact (read from the
 * index alone), so the walk itself is one ordered index scan that stops at the page. A stored
 * property's order is its index, which holds only the contacts with a value: the matches
 * without one come after, by id.
 */
async function walkedPage(db: Db, match: Match, sort: Sort | undefined, source: SortSource | undefined, offset: number, want: number, window: number): Promise<number[] | null> {
  const dir = sort?.descending ? 'desc' : 'asc';
  let walk: Query;
  let id: string;
  let key: string;
  let tail = false;
  if (source === undefined || 'column' in source) {
    [id, key] = ['o.id', `o.${source?.column ?? 'id'}`];
    walk = db.selectFrom('contacts as o').where('o.archived_at', 'is', null) as Query;
  } else {
    [id, key] = ['s.contact_id', `s.${source.key}`];
    walk = db.selectFrom('contact_property_values as s').where('s.name', '=', source.property) as Query;
    // A filter every match passes on the sorted property narrows the walk to its index range.
    const required = match.required(source.property);
    for (const test of required) walk = walk.where(test('s'));
    tail = required.length === 0;
  }
  const inOrder = (q: Query) => q.orderBy(sql.ref(key), dir).orderBy(sql.ref(id));
  const end = (await inOrder(walk.select([sql.ref(id).as('id'), sql.ref(key).as('k')])).offset(window - 1).limit(1).executeTakeFirst()) as { id: unknown; k: unknown } | undefined;
  let bounded = walk.where(match.holds(sql.ref(id)));
  if (end) {
    const beyond = dir === 'asc' ? '<' : '>';
    bounded = bounded
      .where(sql.ref(key), `${beyond}=`, end.k)
      .where(sql<SqlBool>`(${sql.ref(key)} ${sql.raw(beyond)} ${end.k} or ${sql.ref(id)} <= ${end.id})`);
  }
  const found = ((await inOrder(bounded.select(sql.ref(id).as('id'))).limit(want).execute()) as { id: unknown }[]).map((r) => Number(r.id));
  if (found.length < want) {
    // Short of the page: cut at the window, or every contact of the walk seen.
    if (end) return null;
    if (tail) {
      const unset = await matched(db, match)
        .select('m.id')
        .where(({ not, exists, selectFrom }) =>
          not(exists(selectFrom('contact_property_values as t').select('t.contact_id').whereRef('t.contact_id', '=', 'm.id').where('t.name', '=', (source as { property: string }).property))),
        )
        .orderBy('m.id')
        .limit(want - found.length)
        .execute();
      found.push(...(unset as { id: unknown }[]).map((r) => Number(r.id)));
    }
  }
  return found.slice(offset);
}

/**
 * The total and the page [offset, offset + limit) of live contacts matching the search, in the
 * evaluator's order; null when some part cannot be compiled exactly. The total is a count of
 * the matched ids. The page is walked along the sort's order when matches are common enough for
 * the walk to reach it soon (`plan` forces a way, for tests), else found by sorting every match;
 * either way as ids first, and its contacts read after, so no sort carries whole rows.
 */
export async function searchContactsSql(db: Db, dialect: DialectName, s: SqlContactSearch): Promise<{ total: number; contacts: Contact[] } | null> {
  let match: Match;
  try {
    match = compileMatch(dialect, s);
  } catch (err) {
    if (err instanceof Inexact) return null;
    throw err;
  }
  const sorts = (Array.isArray(s.sorts) ? s.sorts : []).map(parseSort).filter((k) => k !== null);
  const sources: SortSource[] = [];
  for (const k of sorts) {
    const source = await sortSource(db, dialect, k, s.types);
    if (source === null) return null;
    sources.push(source);
  }
  const { n } = (await matched(db, match).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()) as { n: unknown };
  const total = Number(n);
  if (s.limit === 0 || s.offset >= total) return { total, contacts: [] };
  const want = s.offset + s.limit;

  let pageIds: number[] | null = null;
  const walk = s.plan?.walk ?? 'auto';
  // Only the first sort has an index to walk; ties under more sorts would need every tied row.
  if (sorts.length <= 1 && walk !== 'never') {
    // A walk meets a match every (contacts / matches) contacts; the highest id bounds the contacts.
    const highest = await db.selectFrom('contacts').select((eb) => eb.fn.max('id').as('id')).executeTakeFirst();
    const expected = (want * Number(highest?.id ?? 0)) / total;
    if (walk === 'always' || expected <= total) pageIds = await walkedPage(db, match, sorts[0], sources[0], s.offset, want, s.plan?.window ?? Math.ceil(2 * expected) + 100);
  }
  pageIds ??= await sortedPage(db, match, sorts, sources, s.offset, want);
  if (pageIds.length === 0) return { total, contacts: [] };
  const rows = await db.selectFrom('contacts').selectAll().where('id', 'in', pageIds).execute();
  const byId = new Map(rows.map((r) => [r.id, toContact(r)]));
  return { total, contacts: pageIds.map((id) => byId.get(id)).filter((c) => c !== undefined) };
}
