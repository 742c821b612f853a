/**
 * HubSpot-style property filters (hubspot-api.md §3.3 search, §2.1 v4 flow filters; PRODUCT §4.1).
 * Pure: no I/O, "now" and the time zone are parameters. Shared by CRM search and by
 * LIST_BASED workflow triggers so both agree on what "matches" means.
 *
 * Matchers never throw: they run on stored, possibly hand-edited data; anything malformed simply
 * does not match. The validators are where malformed input is reported.
 */
import { DateTime } from 'luxon';
import type { ComparisonType } from './properties.js';

export type Properties = Record<string, string | null | undefined>;

export const SEARCH_OPERATORS = [
  'EQ',
  'NEQ',
  'LT',
  'LTE',
  'GT',
  'GTE',
  'BETWEEN',
  'IN',
  'NOT_IN',
  'HAS_PROPERTY',
  'NOT_HAS_PROPERTY',
  'CONTAINS_TOKEN',
  'NOT_CONTAINS_TOKEN',
] as const;
export type SearchOperator = (typeof SEARCH_OPERATORS)[number];

/** List-filter operator names accepted in the v4 flow model, besides the search names. */
export const FLOW_OPERATORS = [
  'IS_EQUAL_TO',
  'IS_NOT_EQUAL_TO',
  'CONTAINS',
  'DOES_NOT_CONTAIN',
  'IS_KNOWN',
  'IS_UNKNOWN',
  'IS_ANY_OF',
  'IS_NONE_OF',
  'IS_GREATER_THAN',
  'IS_GREATER_THAN_OR_EQUAL_TO',
  'IS_LESS_THAN',
  'IS_LESS_THAN_OR_EQUAL_TO',
  'IS_BETWEEN',
  'IS_TODAY',
  'IN_LAST_N_DAYS',
] as const;

/** Changelog 2024-08-26 (hubspot-api.md §3.3). */
export const SEARCH_LIMITS = { groups: 5, filtersPerGroup: 10, filtersTotal: 25 } as const;
/** Bounds recursion on untrusted flow JSON; real flows nest OR → AND, i.e. depth 2. */
const MAX_FLOW_DEPTH = 16;

export interface SearchFilter {
  propertyName: string;
  operator: string;
  value?: string | number | boolean;
  values?: (string | number)[];
  highValue?: string | number;
}
export interface FilterGroup {
  filters: SearchFilter[];
}
export interface Problem {
  message: string;
  in: string;
}

export interface FlowPropertyFilter {
  filterType: 'PROPERTY';
  property: string;
  operation: {
    operationType?: string;
    operator: string;
    value?: unknown;
    values?: unknown[];
    includeObjectsWithNoValueSet?: boolean;
    numberOfDays?: number;
    /** HubSpot's ranged operations carry the IS_BETWEEN bounds here. */
    lowerBound?: unknown;
    upperBound?: unknown;
    highValue?: unknown;
  };
}
export interface FlowFilterBranch {
  filterBranchType: 'OR' | 'AND';
  filterBranches?: FlowFilterBranch[];
  filters?: (FlowPropertyFilter | FlowInListFilter)[];
}
export interface FlowContext {
  now: number;
  zone: string;
  /** How each typed property compares (src/domain/properties.ts); untyped ones are guessed from their values. */
  types?: PropertyTypes;
  /** The ids of the lists the contact is on, for IN_LIST filters; without them none matches. */
  listIds?: ReadonlySet<string>;
}

/** HubSpot's list-membership filter (filterType IN_LIST): is, or is not, a member of the list. */
export interface FlowInListFilter {
  filterType: 'IN_LIST';
  listId: string;
  operator: 'IN_LIST' | 'NOT_IN_LIST';
}
const IN_LIST_OPERATORS = ['IN_LIST', 'NOT_IN_LIST'];

/** Comparison type by property name; a property not named here compares by what its values look like. */
export type PropertyTypes = Readonly<Record<string, ComparisonType>>;

// ---------------------------------------------------------------------------------------------
// Values

const hasOwn = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);
const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/** The property's value, or null when unset. HubSpot treats '' as "no value". */
export function readProp(props: Properties, name: unknown): string | null {
  // Own properties only: a property named "constructor" must not find Object.prototype's.
  if (!isObject(props) || typeof name !== 'string' || !hasOwn(props, name)) return null;
  const v: unknown = props[name];
  if (typeof v === 'string') return v === '' ? null : v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return null;
}

/** A filter operand as a string; null when it is not a scalar. */
export function operand(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return null;
}

const NUMBER_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i;
export function toNumber(s: string): number | null {
  const t = s.trim();
  if (!NUMBER_RE.test(t)) return null;
  const n = Number(t);
  return Number.isFinite(n) ? n : null;
}

const EPOCH_RE = /^-?\d{1,16}$/;
const DATE_ONLY_RE = /^\d{4}-\d{2}-\d{2}$/;
// Requires a full calendar date so plain numbers like "2025" are never read as dates.
const ISO_RE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;

function isoInstant(s: string): number | null {
  const t = s.trim();
  if (!ISO_RE.test(t)) return null;
  // No offset means UTC: HubSpot stores datetimes in UTC and date properties at UTC midnight.
  const dt = DateTime.fromISO(t.replace(' ', 'T'), { zone: 'utc' });
  return dt.isValid ? dt.toMillis() : null;
}

/** Epoch ms or ISO-8601 → instant. */
export function toInstant(s: string): number | null {
  const t = s.trim();
  if (EPOCH_RE.test(t)) return Number(t);
  return isoInstant(t);
}

/**
 * Orders a property value against an operand: numeric when both are numbers, as instants when
 * both are dates (ISO or epoch ms), else case-insensitive string order.
 */
function compareValues(a: string, b: string, type?: ComparisonType): number {
  switch (type) {
    case 'number': {
      // A number property compares as numbers only: "abc" is neither above nor below 5.
      const na = toNumber(a);
      const nb = toNumber(b);
      return na === null || nb === null ? NaN : Math.sign(na - nb);
    }
    case 'date':
    case 'datetime': {
      const ia = toInstant(a);
      const ib = toInstant(b);
      return ia === null || ib === null ? NaN : Math.sign(ia - ib);
    }
    case 'bool':
      return a.trim().toLowerCase() === b.trim().toLowerCase() ? 0 : NaN;
    default:
      break;
  }
  const na = toNumber(a);
  const nb = toNumber(b);
  if (na !== null && nb !== null) return Math.sign(na - nb);
  const ia = toInstant(a);
  const ib = toInstant(b);
  if (ia !== null && ib !== null) return Math.sign(ia - ib);
  const la = a.toLowerCase();
  const lb = b.toLowerCase();
  return la < lb ? -1 : la > lb ? 1 : 0;
}

/** Equality by type; a checkbox (multi-select) value equals an operand when one of its options does. */
const equalValues = (a: string, b: string, type?: ComparisonType): boolean =>
  type === 'checkbox' ? a.split(';').some((part) => part !== '' && compareValues(part, b) === 0) : compareValues(a, b, type) === 0;

const ALNUM = /[\p{L}\p{N}]/u;

/**
 * CONTAINS_TOKEN: the pattern must sit on token boundaries (tokens split on non-alphanumerics),
 * so "jane" matches "jane@example.com" but "jan" does not; `*` matches any run of non-space
 * characters, so "*@example.com" matches any address at that domain.
 */
export function containsToken(value: string, pattern: string): boolean {
  const re = tokenRegex(pattern);
  return re !== null && re.test(value);
}

// Filters are evaluated over many contacts; compile each pattern once.
const tokenRegexCache = new Map<string, RegExp | null>();
function tokenRegex(pattern: string): RegExp | null {
  let re = tokenRegexCache.get(pattern);
  if (re === undefined) {
    re = compileToken(pattern);
    if (tokenRegexCache.size >= 500) tokenRegexCache.clear();
    tokenRegexCache.set(pattern, re);
  }
  return re;
}

function compileToken(pattern: string): RegExp | null {
  const p = pattern.trim().replace(/\*+/g, '*'); // collapsed stars keep backtracking tame
  if (p === '') return null;
  const body = p
    .split('*')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'))
    .join('\\S*');
  // Boundaries only where the pattern edge is alphanumeric: "@example.com" may follow "jane".
  const start = ALNUM.test(p[0]!) ? '(?:^|[^\\p{L}\\p{N}])' : '';
  const end = ALNUM.test(p[p.length - 1]!) ? '(?=$|[^\\p{L}\\p{N}])' : '';
  return new RegExp(start + body + end, 'iu'); // no 'g': test() must stay stateless
}

// ---------------------------------------------------------------------------------------------
// One evaluation core for both models

export type CoreOp =
  | 'ANY_EQ'
  | 'NONE_EQ'
  | 'LT'
  | 'LTE'
  | 'GT'
  | 'GTE'
  | 'BETWEEN'
  | 'KNOWN'
  | 'UNKNOWN'
  | 'ANY_TOKEN'
  | 'NONE_TOKEN'
  | 'ANY_CONTAINS'
  | 'NONE_CONTAINS'
  | 'TODAY'
  | 'LAST_N_DAYS';

export interface Prepared {
  op: CoreOp;
  values: string[];
  high?: string;
  days?: number;
}

/** Negative operators also match records without the property (as HubSpot search does). */
const MATCHES_WHEN_MISSING: ReadonlySet<CoreOp> = new Set<CoreOp>(['NONE_EQ', 'NONE_TOKEN', 'NONE_CONTAINS', 'UNKNOWN']);

function evaluate(raw: string, p: Prepared, ctx?: FlowContext, type?: ComparisonType): boolean {
  switch (p.op) {
    case 'ANY_EQ':
      return p.values.some((v) => equalValues(raw, v, type));
    case 'NONE_EQ':
      return !p.values.some((v) => equalValues(raw, v, type));
    case 'LT':
      return compareValues(raw, p.values[0]!, type) < 0;
    case 'LTE':
      return compareValues(raw, p.values[0]!, type) <= 0;
    case 'GT':
      return compareValues(raw, p.values[0]!, type) > 0;
    case 'GTE':
      return compareValues(raw, p.values[0]!, type) >= 0;
    case 'BETWEEN':
      return compareValues(raw, p.values[0]!, type) >= 0 && compareValues(raw, p.high!, type) <= 0;
    case 'KNOWN':
      return true;
    case 'UNKNOWN':
      return false;
    case 'ANY_TOKEN':
      return p.values.some((v) => containsToken(raw, v));
    case 'NONE_TOKEN':
      return !p.values.some((v) => containsToken(raw, v));
    case 'ANY_CONTAINS':
      return p.values.some((v) => v !== '' && raw.toLowerCase().includes(v.toLowerCase()));
    case 'NONE_CONTAINS':
      return !p.values.some((v) => v !== '' && raw.toLowerCase().includes(v.toLowerCase()));
    case 'TODAY':
      return ctx !== undefined && inLastDays(raw, 0, ctx);
    case 'LAST_N_DAYS':
      return ctx !== undefined && inLastDays(raw, p.days!, ctx);
  }
}

/**
 * True when the date falls on one of the last `days` calendar days in ctx.zone, today included,
 * and not in the future (days = 0 is "today so far"). Calendar days, not 24-hour blocks, so the
 * answer follows the account's midnight and DST. A date-only value is a calendar date already.
 */
function inLastDays(raw: string, days: number, ctx: FlowContext): boolean {
  if (!Number.isFinite(ctx.now)) return false;
  const now = DateTime.fromMillis(ctx.now, { zone: ctx.zone });
  if (!now.isValid) return false;
  const today = now.startOf('day');
  const first = today.minus({ days });
  const t = raw.trim();
  if (DATE_ONLY_RE.test(t)) {
    if (isoInstant(t) === null) return false;
    return t >= first.toISODate()! && t <= today.toISODate()!;
  }
  const at = toInstant(t);
  return at !== null && at >= first.toMillis() && at <= ctx.now;
}

function run(raw: string | null, p: Prepared, whenMissing: boolean | undefined, ctx?: FlowContext, type?: ComparisonType): boolean {
  if (raw === null) {
    if (p.op === 'KNOWN') return false;
    if (p.op === 'UNKNOWN') return true;
    return whenMissing ?? MATCHES_WHEN_MISSING.has(p.op);
  }
  return evaluate(raw, p, ctx, type);
}

export const typeOf = (types: PropertyTypes | undefined, name: unknown): ComparisonType | undefined =>
  types && typeof name === 'string' && hasOwn(types, name) ? types[name] : undefined;

// ---------------------------------------------------------------------------------------------
// CRM search

const SEARCH_OP: Record<SearchOperator, CoreOp> = {
  EQ: 'ANY_EQ',
  NEQ: 'NONE_EQ',
  LT: 'LT',
  LTE: 'LTE',
  GT: 'GT',
  GTE: 'GTE',
  BETWEEN: 'BETWEEN',
  IN: 'ANY_EQ',
  NOT_IN: 'NONE_EQ',
  HAS_PROPERTY: 'KNOWN',
  NOT_HAS_PROPERTY: 'UNKNOWN',
  CONTAINS_TOKEN: 'ANY_TOKEN',
  NOT_CONTAINS_TOKEN: 'NONE_TOKEN',
};
const isSearchOperator = (op: unknown): op is SearchOperator =>
  typeof op === 'string' && (SEARCH_OPERATORS as readonly string[]).includes(op);

type Shape = 'none' | 'value' | 'values' | 'range';
const SEARCH_SHAPE: Record<SearchOperator, Shape> = {
  EQ: 'value',
  NEQ: 'value',
  LT: 'value',
  LTE: 'value',
  GT: 'value',
  GTE: 'value',
  BETWEEN: 'range',
  IN: 'values',
  NOT_IN: 'values',
  HAS_PROPERTY: 'none',
  NOT_HAS_PROPERTY: 'none',
  CONTAINS_TOKEN: 'value',
  NOT_CONTAINS_TOKEN: 'value',
};

/** Non-empty list of scalar operands, or null. */
function operandList(vs: unknown): string[] | null {
  if (!Array.isArray(vs) || vs.length === 0) return null;
  const out: string[] = [];
  for (const v of vs) {
    const s = operand(v);
    if (s === null) return null;
    out.push(s);
  }
  return out;
}

export function prepareSearch(f: unknown): Prepared | null {
  if (!isObject(f) || !isSearchOperator(f.operator)) return null;
  const op = SEARCH_OP[f.operator];
  switch (SEARCH_SHAPE[f.operator]) {
    case 'none':
      return { op, values: [] };
    case 'value': {
      const v = operand(f.value);
      return v === null ? null : { op, values: [v] };
    }
    case 'values': {
      const vs = operandList(f.values);
      return vs === null ? null : { op, values: vs };
    }
    case 'range': {
      const lo = operand(f.value);
      const hi = operand(f.highValue);
      return lo === null || hi === null ? null : { op, values: [lo], high: hi };
    }
  }
}

export function matchesFilter(props: Properties, f: SearchFilter, types?: PropertyTypes): boolean {
  const p = prepareSearch(f);
  if (p === null) return false; // unknown operator or missing operand
  return run(readProp(props, f.propertyName), p, undefined, undefined, typeOf(types, f.propertyName));
}

/** CRM search semantics: OR of groups, AND of filters; no groups matches everything. `types` makes typed properties compare as numbers, dates, booleans or options. */
export function matchesFilterGroups(props: Properties, groups: FilterGroup[], types?: PropertyTypes): boolean {
  if (!Array.isArray(groups) || groups.length === 0) return true;
  return groups.some((g) => isObject(g) && Array.isArray(g.filters) && g.filters.every((f) => matchesFilter(props, f, types)));
}

function checkOperands(
  f: Record<string, unknown>,
  shape: Shape,
  at: string,
  names: { value: string; values: string; high: string },
): Problem[] {
  const out: Problem[] = [];
  if (shape === 'value' || shape === 'range') {
    if (operand(f[names.value]) === null)
      out.push({ message: `${names.value} is required (a string, number or boolean)`, in: `${at}.${names.value}` });
  }
  if (shape === 'range' && operand(f[names.high]) === null)
    out.push({ message: `${names.high} is required for a range`, in: `${at}.${names.high}` });
  if (shape === 'values' && operandList(f[names.values]) === null)
    out.push({ message: `${names.values} must be a non-empty array of strings or numbers`, in: `${at}.${names.values}` });
  return out;
}

/**
 * Validates a search request's filters: known operators, value present where needed, at most 5
 * groups, 10 filters per group, 25 in all. `filterGroups` may be omitted.
 */
export function validateFilterGroups(groups: unknown): Problem[] {
  if (groups === undefined || groups === null) return [];
  if (!Array.isArray(groups)) return [{ message: 'filterGroups must be an array', in: 'filterGroups' }];
  const out: Problem[] = [];
  if (groups.length > SEARCH_LIMITS.groups)
    out.push({
      message: `Too many filter groups: ${groups.length} (at most ${SEARCH_LIMITS.groups})`,
      in: 'filterGroups',
    });
  let total = 0;
  groups.forEach((g, gi) => {
    const gAt = `filterGroups[${gi}]`;
    if (!isObject(g) || !Array.isArray(g.filters)) {
      out.push({ message: 'a filter group must be an object with a filters array', in: `${gAt}.filters` });
      return;
    }
    total += g.filters.length;
    if (g.filters.length > SEARCH_LIMITS.filtersPerGroup)
      out.push({
        message: `Too many filters in group ${gi}: ${g.filters.length} (at most ${SEARCH_LIMITS.filtersPerGroup})`,
        in: `${gAt}.filters`,
      });
    g.filters.forEach((f: unknown, fi: number) => {
      const at = `${gAt}.filters[${fi}]`;
      if (!isObject(f)) {
        out.push({ message: 'a filter must be an object', in: at });
        return;
      }
      if (typeof f.propertyName !== 'string' || f.propertyName === '')
        out.push({ message: 'propertyName is required', in: `${at}.propertyName` });
      if (!isSearchOperator(f.operator)) {
        out.push({
          message: `Unknown operator ${JSON.stringify(f.operator)}; expected one of ${SEARCH_OPERATORS.join(', ')}`,
          in: `${at}.operator`,
        });
        return;
      }
      out.push(...checkOperands(f, SEARCH_SHAPE[f.operator], at, { value: 'value', values: 'values', high: 'highValue' }));
    });
  });
  if (total > SEARCH_LIMITS.filtersTotal)
    out.push({ message: `Too many filters: ${total} in all (at most ${SEARCH_LIMITS.filtersTotal})`, in: 'filterGroups' });
  return out;
}

// ---------------------------------------------------------------------------------------------
// Full-text query

// name and domain are what company search finds by (contacts rarely have either).
export const QUERY_PROPERTIES = ['email', 'firstname', 'lastname', 'phone', 'company', 'name', 'domain'] as const;

export function searchableWords(props: Properties): string[] {
  const words: string[] = [];
  for (const name of QUERY_PROPERTIES) {
    const v = readProp(props, name)?.toLowerCase();
    if (!v) continue;
    // The whole value and its pieces, so "jane@ex", "example.com" and "doe" all find the contact.
    words.push(v, ...v.split(/\s+/), ...v.split(/[^\p{L}\p{N}]+/u));
    if (name === 'email' && v.includes('@')) words.push(v.slice(v.lastIndexOf('@') + 1));
    if (name === 'phone') words.push(v.replace(/\D+/g, ''));
  }
  return words.filter((w) => w !== '');
}

/**
 * Full-text `query`: every whitespace-separated term must be a prefix of a word in email,
 * firstname, lastname, phone, company, name, domain or the email's domain. Case-insensitive; blank matches all.
 */
export function matchesQuery(props: Properties, query: string): boolean {
  if (typeof query !== 'string') return true;
  const terms = query.toLowerCase().split(/\s+/).filter((t) => t !== '');
  if (terms.length === 0) return true;
  const words = searchableWords(props);
  return terms.every((t) => words.some((w) => w.startsWith(t)));
}

// ---------------------------------------------------------------------------------------------
// Sorts

export interface SortKey {
  property: string;
  descending: boolean;
}

export function parseSort(s: unknown): SortKey | null {
  if (typeof s === 'string') {
    const t = s.trim();
    const descending = t.startsWith('-');
    const property = t.replace(/^[-+]/, '');
    return property === '' ? null : { property, descending };
  }
  if (isObject(s) && typeof s.propertyName === 'string' && s.propertyName !== '') {
    return { property: s.propertyName, descending: String(s.direction).toUpperCase() === 'DESCENDING' };
  }
  return null;
}

/**
 * Comparator for search sorts, given as 'createdate' / '-createdate' or
 * {propertyName, direction}. Missing values sort last in either direction; unreadable entries
 * are ignored.
 */
export function sortComparator(sorts: unknown[], types?: PropertyTypes): (a: Properties, b: Properties) => number {
  const keys = (Array.isArray(sorts) ? sorts : []).map(parseSort).filter((k): k is SortKey => k !== null);
  return (a, b) => {
    for (const k of keys) {
      const va = readProp(a, k.property);
      const vb = readProp(b, k.property);
      if (va === null && vb === null) continue;
      if (va === null) return 1;
      if (vb === null) return -1;
      // A value its type cannot read (a stale "abc" in a number property) compares by what it looks like.
      let c = compareValues(va, vb, typeOf(types, k.property));
      if (Number.isNaN(c)) c = compareValues(va, vb);
      if (c !== 0) return k.descending ? -c : c;
    }
    return 0;
  };
}

// ---------------------------------------------------------------------------------------------
// v4 flow filters (LIST_BASED triggers)

interface FlowOpSpec {
  op: CoreOp;
  shape: Shape | 'valueOrValues' | 'days';
}

const FLOW_OP: Record<string, FlowOpSpec> = {
  IS_EQUAL_TO: { op: 'ANY_EQ', shape: 'valueOrValues' },
  IS_NOT_EQUAL_TO: { op: 'NONE_EQ', shape: 'valueOrValues' },
  CONTAINS: { op: 'ANY_CONTAINS', shape: 'valueOrValues' },
  DOES_NOT_CONTAIN: { op: 'NONE_CONTAINS', shape: 'valueOrValues' },
  IS_KNOWN: { op: 'KNOWN', shape: 'none' },
  IS_UNKNOWN: { op: 'UNKNOWN', shape: 'none' },
  IS_ANY_OF: { op: 'ANY_EQ', shape: 'values' },
  IS_NONE_OF: { op: 'NONE_EQ', shape: 'values' },
  IS_GREATER_THAN: { op: 'GT', shape: 'value' },
  IS_GREATER_THAN_OR_EQUAL_TO: { op: 'GTE', shape: 'value' },
  IS_LESS_THAN: { op: 'LT', shape: 'value' },
  IS_LESS_THAN_OR_EQUAL_TO: { op: 'LTE', shape: 'value' },
  IS_BETWEEN: { op: 'BETWEEN', shape: 'range' },
  IS_TODAY: { op: 'TODAY', shape: 'none' },
  IN_LAST_N_DAYS: { op: 'LAST_N_DAYS', shape: 'days' },
  // The search names, for convenience. Multi-value forms (MULTISTRING) also accept `values`.
  ...Object.fromEntries(
    SEARCH_OPERATORS.map((o): [string, FlowOpSpec] => {
      const shape = SEARCH_SHAPE[o];
      const multi = o === 'EQ' || o === 'NEQ' || o === 'CONTAINS_TOKEN' || o === 'NOT_CONTAINS_TOKEN';
      return [o, { op: SEARCH_OP[o], shape: multi ? 'valueOrValues' : shape }];
    }),
  ),
};

/** IS_BETWEEN bounds: lowerBound/upperBound (HubSpot ranged ops), value/highValue, or values[0..1]. */
function flowRange(op: Record<string, unknown>): [string, string] | null {
  const pairs: [unknown, unknown][] = [
    [op.lowerBound, op.upperBound],
    [op.value, op.highValue],
  ];
  if (Array.isArray(op.values)) pairs.push([op.values[0], op.values[1]]);
  for (const [lo, hi] of pairs) {
    const l = operand(lo);
    const h = operand(hi);
    if (l !== null && h !== null) return [l, h];
  }
  return null;
}

function flowDays(op: Record<string, unknown>): number | null {
  const raw = op.numberOfDays ?? op.value;
  const n = typeof raw === 'number' ? raw : typeof raw === 'string' ? toNumber(raw) : null;
  return n !== null && Number.isInteger(n) && n >= 0 ? n : null;
}

function prepareFlow(operation: Record<string, unknown>): Prepared | null {
  const spec = typeof operation.operator === 'string' && hasOwn(FLOW_OP, operation.operator) ? FLOW_OP[operation.operator]! : null;
  if (spec === null) return null;
  const { op } = spec;
  switch (spec.shape) {
    case 'none':
      return { op, values: [] };
    case 'value': {
      const v = operand(operation.value);
      return v === null ? null : { op, values: [v] };
    }
    case 'values': {
      const vs = operandList(operation.values);
      return vs === null ? null : { op, values: vs };
    }
    case 'valueOrValues': {
      const v = operand(operation.value);
      if (v !== null) return { op, values: [v] };
      const vs = operandList(operation.values);
      return vs === null ? null : { op, values: vs };
    }
    case 'range': {
      const r = flowRange(operation);
      return r === null ? null : { op, values: [r[0]], high: r[1] };
    }
    case 'days': {
      const d = flowDays(operation);
      return d === null ? null : { op, values: [], days: d };
    }
  }
}

function matchesFlowFilter(props: Properties, f: unknown, ctx: FlowContext): boolean {
  if (isObject(f) && f.filterType === 'IN_LIST') {
    const member = ctx.listIds?.has(String(f.listId)) ?? false;
    return f.operator === 'NOT_IN_LIST' ? !member : f.operator === 'IN_LIST' && member;
  }
  if (!isObject(f) || f.filterType !== 'PROPERTY' || !isObject(f.operation)) return false;
  const p = prepareFlow(f.operation);
  if (p === null) return false;
  // An explicit includeObjectsWithNoValueSet decides for records without a value; without it we
  // fall back to the search behaviour (negative operators include them).
  const flag = f.operation.includeObjectsWithNoValueSet;
  return run(readProp(props, f.property), p, typeof flag === 'boolean' ? flag : undefined, ctx, typeOf(ctx.types, f.property));
}

function matchesBranchAt(props: Properties, branch: unknown, ctx: FlowContext, depth: number): boolean {
  if (!isObject(branch) || depth > MAX_FLOW_DEPTH) return false;
  const filters: unknown[] = Array.isArray(branch.filters) ? branch.filters : [];
  const subs: unknown[] = Array.isArray(branch.filterBranches) ? branch.filterBranches : [];
  const children = [
    ...filters.map((f) => () => matchesFlowFilter(props, f, ctx)),
    ...subs.map((b) => () => matchesBranchAt(props, b, ctx, depth + 1)),
  ];
  if (branch.filterBranchType === 'AND') return children.every((c) => c());
  // An empty OR matches nobody, so a trigger with no criteria enrolls no one.
  if (branch.filterBranchType === 'OR') return children.some((c) => c());
  return false;
}

/** v4 flow filter branch: AND/OR over its filters and nested branches. */
export function matchesFlowBranch(props: Properties, branch: FlowFilterBranch, ctx: FlowContext): boolean {
  return matchesBranchAt(props, branch, ctx, 0);
}

/** Which filter types a place accepts besides PROPERTY: list-membership filters only where membership is known. */
export interface FlowBranchRules {
  inList?: boolean;
}

function validateInListFilter(f: Record<string, unknown>, at: string): Problem[] {
  const out: Problem[] = [];
  if (!(typeof f.listId === 'string' || typeof f.listId === 'number') || !/^\d+$/.test(String(f.listId)))
    out.push({ message: 'listId must be the id of a list', in: `${at}.listId` });
  if (typeof f.operator !== 'string' || !IN_LIST_OPERATORS.includes(f.operator))
    out.push({ message: `operator must be one of ${IN_LIST_OPERATORS.join(', ')}`, in: `${at}.operator` });
  return out;
}

function validateFlowFilter(f: unknown, at: string, rules: FlowBranchRules): Problem[] {
  if (!isObject(f)) return [{ message: 'a filter must be an object', in: at }];
  if (rules.inList && f.filterType === 'IN_LIST') return validateInListFilter(f, at);
  const out: Problem[] = [];
  if (f.filterType !== 'PROPERTY')
    out.push({
      message: `Unsupported filterType ${JSON.stringify(f.filterType)}; expected PROPERTY${rules.inList ? ' or IN_LIST' : ''}`,
      in: `${at}.filterType`,
    });
  if (typeof f.property !== 'string' || f.property === '')
    out.push({ message: 'property is required', in: `${at}.property` });
  if (!isObject(f.operation)) {
    out.push({ message: 'operation is required', in: `${at}.operation` });
    return out;
  }
  const opAt = `${at}.operation`;
  const o = f.operation;
  const spec = typeof o.operator === 'string' && hasOwn(FLOW_OP, o.operator) ? FLOW_OP[o.operator]! : null;
  if (spec === null) {
    out.push({ message: `Unknown operator ${JSON.stringify(o.operator)}`, in: `${opAt}.operator` });
    return out;
  }
  if (o.includeObjectsWithNoValueSet !== undefined && typeof o.includeObjectsWithNoValueSet !== 'boolean')
    out.push({ message: 'includeObjectsWithNoValueSet must be a boolean', in: `${opAt}.includeObjectsWithNoValueSet` });
  switch (spec.shape) {
    case 'none':
      break;
    case 'value':
    case 'values':
      out.push(...checkOperands(o, spec.shape, opAt, { value: 'value', values: 'values', high: 'highValue' }));
      break;
    case 'valueOrValues':
      if (operand(o.value) === null && operandList(o.values) === null)
        out.push({ message: 'value or values is required', in: `${opAt}.value` });
      break;
    case 'range':
      if (flowRange(o) === null)
        out.push({ message: 'IS_BETWEEN needs lowerBound and upperBound (or value and highValue)', in: opAt });
      break;
    case 'days':
      if (flowDays(o) === null)
        out.push({ message: 'numberOfDays must be a non-negative integer', in: `${opAt}.numberOfDays` });
      break;
  }
  return out;
}

function validateBranchAt(branch: unknown, path: string, depth: number, rules: FlowBranchRules): Problem[] {
  if (!isObject(branch)) return [{ message: 'a filter branch must be an object', in: path }];
  if (depth > MAX_FLOW_DEPTH) return [{ message: `filter branches nested deeper than ${MAX_FLOW_DEPTH}`, in: path }];
  const out: Problem[] = [];
  if (branch.filterBranchType !== 'OR' && branch.filterBranchType !== 'AND')
    out.push({
      message: `filterBranchType must be OR or AND, got ${JSON.stringify(branch.filterBranchType)}`,
      in: `${path}.filterBranchType`,
    });
  if (branch.filters !== undefined) {
    if (!Array.isArray(branch.filters)) out.push({ message: 'filters must be an array', in: `${path}.filters` });
    else branch.filters.forEach((f: unknown, i: number) => out.push(...validateFlowFilter(f, `${path}.filters[${i}]`, rules)));
  }
  if (branch.filterBranches !== undefined) {
    if (!Array.isArray(branch.filterBranches))
      out.push({ message: 'filterBranches must be an array', in: `${path}.filterBranches` });
    else
      branch.filterBranches.forEach((b: unknown, i: number) =>
        out.push(...validateBranchAt(b, `${path}.filterBranches[${i}]`, depth + 1, rules)),
      );
  }
  return out;
}

/** Validates a v4 flow filter branch; `path` prefixes every `in`, e.g. 'enrollmentCriteria.listFilterBranch'. */
export function validateFlowBranch(branch: unknown, path: string, rules: FlowBranchRules = {}): Problem[] {
  return validateBranchAt(branch, path, 0, rules);
}
