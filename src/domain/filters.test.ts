import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import {
  SEARCH_OPERATORS,
  matchesFilter,
  matchesFilterGroups,
  matchesFlowBranch,
  matchesQuery,
  sortComparator,
  validateFilterGroups,
  validateFlowBranch,
  type FilterGroup,
  type FlowFilterBranch,
  type FlowPropertyFilter,
  type Properties,
  type SearchFilter,
} from './filters.js';

const jane: Properties = {
  email: 'Jane.Doe@Example.com',
  firstname: 'Jane',
  lastname: 'Doe',
  company: 'Acme Corp',
  phone: '+1 (555) 123-4567',
  lifecyclestage: 'lead',
  num_employees: '250',
  zip: '02134',
  createdate: '2025-01-15T10:30:00.000Z',
  lastmodifieddate: '1736937000000', // 2025-01-15T10:30:00Z as epoch ms
  hs_lead_status: '',
};

const f = (propertyName: string, operator: string, extra: Partial<SearchFilter> = {}): SearchFilter => ({
  propertyName,
  operator,
  ...extra,
});
const m = (props: Properties, ...args: Parameters<typeof f>): boolean => matchesFilter(props, f(...args));

describe('matchesFilter: equality', () => {
  it('should match EQ case-insensitively when the string differs only in case', () => {
    expect(m(jane, 'lifecyclestage', 'EQ', { value: 'LEAD' })).toBe(true);
    expect(m(jane, 'email', 'EQ', { value: 'jane.doe@example.com' })).toBe(true);
  });
  it('should not match EQ when the value differs', () => {
    expect(m(jane, 'lifecyclestage', 'EQ', { value: 'customer' })).toBe(false);
  });
  it('should not match EQ when the property is missing or empty', () => {
    expect(m(jane, 'jobtitle', 'EQ', { value: 'CEO' })).toBe(false);
    expect(m(jane, 'hs_lead_status', 'EQ', { value: '' })).toBe(false);
  });
  it('should match NEQ when the value differs and when the property is missing', () => {
    expect(m(jane, 'lifecyclestage', 'NEQ', { value: 'customer' })).toBe(true);
    expect(m(jane, 'jobtitle', 'NEQ', { value: 'CEO' })).toBe(true);
    expect(m(jane, 'lifecyclestage', 'NEQ', { value: 'Lead' })).toBe(false);
  });
  it('should compare numerically when both sides are numbers', () => {
    expect(m(jane, 'num_employees', 'EQ', { value: 250 })).toBe(true);
    expect(m(jane, 'num_employees', 'EQ', { value: '250.0' })).toBe(true);
    expect(m(jane, 'zip', 'EQ', { value: 2134 })).toBe(true);
  });
  it('should match a boolean value when the property holds its string form', () => {
    expect(m({ hs_email_optout: 'true' }, 'hs_email_optout', 'EQ', { value: true })).toBe(true);
    expect(m({ hs_email_optout: 'false' }, 'hs_email_optout', 'EQ', { value: true })).toBe(false);
  });
  it('should not read inherited object members when the property is named like one', () => {
    expect(m({}, 'constructor', 'HAS_PROPERTY')).toBe(false);
    expect(m({}, 'toString', 'EQ', { value: 'x' })).toBe(false);
  });
});

describe('matchesFilter: IN / NOT_IN', () => {
  it('should match IN when any value equals case-insensitively', () => {
    expect(m(jane, 'lifecyclestage', 'IN', { values: ['customer', 'LEAD'] })).toBe(true);
    expect(m(jane, 'num_employees', 'IN', { values: [10, 250] })).toBe(true);
  });
  it('should not match IN when no value equals or the property is missing', () => {
    expect(m(jane, 'lifecyclestage', 'IN', { values: ['customer'] })).toBe(false);
    expect(m(jane, 'jobtitle', 'IN', { values: ['ceo'] })).toBe(false);
  });
  it('should match NOT_IN when no value equals and when the property is missing', () => {
    expect(m(jane, 'lifecyclestage', 'NOT_IN', { values: ['customer', 'opportunity'] })).toBe(true);
    expect(m(jane, 'jobtitle', 'NOT_IN', { values: ['ceo'] })).toBe(true);
    expect(m(jane, 'lifecyclestage', 'NOT_IN', { values: ['Lead'] })).toBe(false);
  });
  it('should not match IN when values is missing or empty', () => {
    expect(m(jane, 'lifecyclestage', 'IN')).toBe(false);
    expect(m(jane, 'lifecyclestage', 'IN', { values: [] })).toBe(false);
  });
});

describe('matchesFilter: ordering', () => {
  it('should compare numbers numerically when both sides parse as numbers', () => {
    // As strings "250" < "30"; numerically it is greater.
    expect(m(jane, 'num_employees', 'GT', { value: '30' })).toBe(true);
    expect(m(jane, 'num_employees', 'GTE', { value: 250 })).toBe(true);
    expect(m(jane, 'num_employees', 'LT', { value: 1000 })).toBe(true);
    expect(m(jane, 'num_employees', 'LTE', { value: 249 })).toBe(false);
  });
  it('should compare strings case-insensitively when either side is not a number', () => {
    expect(m(jane, 'lastname', 'GT', { value: 'anderson' })).toBe(true);
    expect(m(jane, 'lastname', 'LT', { value: 'DZ' })).toBe(true);
    expect(m(jane, 'lastname', 'LTE', { value: 'DOE' })).toBe(true);
  });
  it('should not match an ordering operator when the property is missing', () => {
    for (const op of ['LT', 'LTE', 'GT', 'GTE']) expect(m(jane, 'revenue', op, { value: 5 })).toBe(false);
  });
  it('should include both bounds when BETWEEN', () => {
    expect(m(jane, 'num_employees', 'BETWEEN', { value: 250, highValue: 500 })).toBe(true);
    expect(m(jane, 'num_employees', 'BETWEEN', { value: '100', highValue: '250' })).toBe(true);
    expect(m(jane, 'num_employees', 'BETWEEN', { value: 251, highValue: 500 })).toBe(false);
    expect(m(jane, 'num_employees', 'BETWEEN', { value: 9, highValue: 10 })).toBe(false);
  });
  it('should not match BETWEEN when highValue is missing', () => {
    expect(m(jane, 'num_employees', 'BETWEEN', { value: 1 })).toBe(false);
  });
});

describe('matchesFilter: dates', () => {
  const created = Date.parse('2025-01-15T10:30:00.000Z');
  it('should compare an ISO property with an epoch-ms value as instants', () => {
    expect(m(jane, 'createdate', 'EQ', { value: created })).toBe(true);
    expect(m(jane, 'createdate', 'GT', { value: String(created - 1) })).toBe(true);
    expect(m(jane, 'createdate', 'LT', { value: created })).toBe(false);
  });
  it('should compare an epoch-ms property with an ISO value as instants', () => {
    expect(m(jane, 'lastmodifieddate', 'EQ', { value: '2025-01-15T10:30:00Z' })).toBe(true);
    expect(m(jane, 'lastmodifieddate', 'GTE', { value: '2025-01-15' })).toBe(true);
    expect(m(jane, 'lastmodifieddate', 'LT', { value: '2025-01-15T11:30:00+01:00' })).toBe(false);
  });
  it('should honour offsets when ISO strings are in different zones', () => {
    expect(m(jane, 'createdate', 'EQ', { value: '2025-01-15T05:30:00-05:00' })).toBe(true);
  });
  it('should include both instants when BETWEEN dates', () => {
    expect(m(jane, 'createdate', 'BETWEEN', { value: '2025-01-01', highValue: created })).toBe(true);
    expect(m(jane, 'createdate', 'BETWEEN', { value: created + 1, highValue: '2025-02-01' })).toBe(false);
  });
});

describe('matchesFilter: HAS_PROPERTY / NOT_HAS_PROPERTY', () => {
  it('should match HAS_PROPERTY when the property has a non-empty value', () => {
    expect(m(jane, 'email', 'HAS_PROPERTY')).toBe(true);
    expect(m(jane, 'hs_lead_status', 'HAS_PROPERTY')).toBe(false);
    expect(m({ x: null }, 'x', 'HAS_PROPERTY')).toBe(false);
  });
  it('should match NOT_HAS_PROPERTY when the property is missing, null or empty', () => {
    expect(m(jane, 'jobtitle', 'NOT_HAS_PROPERTY')).toBe(true);
    expect(m(jane, 'hs_lead_status', 'NOT_HAS_PROPERTY')).toBe(true);
    expect(m({ x: null }, 'x', 'NOT_HAS_PROPERTY')).toBe(true);
    expect(m(jane, 'email', 'NOT_HAS_PROPERTY')).toBe(false);
  });
});

describe('matchesFilter: CONTAINS_TOKEN', () => {
  it('should match a whole token when it is delimited by non-alphanumerics', () => {
    expect(m(jane, 'email', 'CONTAINS_TOKEN', { value: 'doe' })).toBe(true);
    expect(m(jane, 'company', 'CONTAINS_TOKEN', { value: 'ACME' })).toBe(true);
    expect(m(jane, 'email', 'CONTAINS_TOKEN', { value: 'example.com' })).toBe(true);
  });
  it('should not match when the value is only part of a token', () => {
    expect(m(jane, 'email', 'CONTAINS_TOKEN', { value: 'jan' })).toBe(false);
    expect(m(jane, 'company', 'CONTAINS_TOKEN', { value: 'Corporation' })).toBe(false);
  });
  it('should match a wildcard domain when the pattern is *@domain', () => {
    expect(m(jane, 'email', 'CONTAINS_TOKEN', { value: '*@example.com' })).toBe(true);
    expect(m(jane, 'email', 'CONTAINS_TOKEN', { value: '*@other.com' })).toBe(false);
    expect(m({ email: 'a@example.community' }, 'email', 'CONTAINS_TOKEN', { value: '*@example.com' })).toBe(false);
    expect(m({ email: 'a@notexample.com' }, 'email', 'CONTAINS_TOKEN', { value: '*@example.com' })).toBe(false);
  });
  it('should match a trailing wildcard when it completes a token', () => {
    expect(m(jane, 'firstname', 'CONTAINS_TOKEN', { value: 'ja*' })).toBe(true);
    expect(m(jane, 'company', 'CONTAINS_TOKEN', { value: 'cor*' })).toBe(true);
    expect(m(jane, 'company', 'CONTAINS_TOKEN', { value: 'orp*' })).toBe(false);
  });
  it('should treat regex metacharacters literally when they appear in the pattern', () => {
    expect(m({ note: 'price (usd) 1+1' }, 'note', 'CONTAINS_TOKEN', { value: '1+1' })).toBe(true);
    expect(m({ note: 'a.b' }, 'note', 'CONTAINS_TOKEN', { value: 'a?b' })).toBe(false);
  });
  it('should match NOT_CONTAINS_TOKEN when the token is absent or the property is missing', () => {
    expect(m(jane, 'email', 'NOT_CONTAINS_TOKEN', { value: '*@gmail.com' })).toBe(true);
    expect(m(jane, 'jobtitle', 'NOT_CONTAINS_TOKEN', { value: 'ceo' })).toBe(true);
    expect(m(jane, 'email', 'NOT_CONTAINS_TOKEN', { value: 'doe' })).toBe(false);
  });
});

describe('matchesFilter: unknown operators', () => {
  it('should return false when the operator is unknown', () => {
    expect(m(jane, 'email', 'LIKE', { value: 'jane' })).toBe(false);
    expect(m(jane, 'email', 'eq', { value: 'jane.doe@example.com' })).toBe(false);
  });
});

describe('matchesFilterGroups', () => {
  const stage = (v: string): SearchFilter => f('lifecyclestage', 'EQ', { value: v });
  it('should match everything when there are no groups', () => {
    expect(matchesFilterGroups(jane, [])).toBe(true);
    expect(matchesFilterGroups({}, [])).toBe(true);
  });
  it('should AND the filters when they are in one group', () => {
    expect(matchesFilterGroups(jane, [{ filters: [stage('lead'), f('lastname', 'EQ', { value: 'doe' })] }])).toBe(true);
    expect(matchesFilterGroups(jane, [{ filters: [stage('lead'), f('lastname', 'EQ', { value: 'x' })] }])).toBe(false);
  });
  it('should OR the groups when there are several', () => {
    expect(matchesFilterGroups(jane, [{ filters: [stage('customer')] }, { filters: [stage('lead')] }])).toBe(true);
    expect(matchesFilterGroups(jane, [{ filters: [stage('customer')] }, { filters: [stage('opportunity')] }])).toBe(false);
  });
});

describe('validateFilterGroups', () => {
  const group = (n: number): FilterGroup => ({
    filters: Array.from({ length: n }, () => f('email', 'HAS_PROPERTY')),
  });
  it('should accept a request when it is within the limits', () => {
    expect(validateFilterGroups(undefined)).toEqual([]);
    expect(validateFilterGroups([group(10), group(10), group(5)])).toEqual([]);
    expect(validateFilterGroups(Array.from({ length: 5 }, () => group(1)))).toEqual([]);
  });
  it('should refuse 6 groups when at most 5 are allowed', () => {
    const problems = validateFilterGroups(Array.from({ length: 6 }, () => group(1)));
    expect(problems).toHaveLength(1);
    expect(problems[0]!.in).toBe('filterGroups');
    expect(problems[0]!.message).toMatch(/6.*5/);
  });
  it('should refuse 11 filters in a group when at most 10 are allowed', () => {
    const problems = validateFilterGroups([group(1), group(11)]);
    expect(problems).toEqual([{ message: expect.stringMatching(/11.*10/), in: 'filterGroups[1].filters' }]);
  });
  it('should refuse 26 filters in all when at most 25 are allowed', () => {
    const problems = validateFilterGroups([group(10), group(10), group(6)]);
    expect(problems).toEqual([{ message: expect.stringMatching(/26.*25/), in: 'filterGroups' }]);
  });
  it('should report the path of an unknown operator when one is used', () => {
    const problems = validateFilterGroups([{ filters: [f('email', 'EQ', { value: 'a' }), f('email', 'LIKE', { value: 'a' })] }]);
    expect(problems).toEqual([{ message: expect.stringContaining('LIKE'), in: 'filterGroups[0].filters[1].operator' }]);
  });
  it('should report missing values when an operator needs them', () => {
    const problems = validateFilterGroups([
      {
        filters: [
          f('email', 'EQ'),
          f('n', 'BETWEEN', { value: 1 }),
          f('stage', 'IN', { values: [] }),
          f('', 'HAS_PROPERTY'),
          f('email', 'HAS_PROPERTY'),
        ],
      },
    ]);
    expect(problems.map((p) => p.in)).toEqual([
      'filterGroups[0].filters[0].value',
      'filterGroups[0].filters[1].highValue',
      'filterGroups[0].filters[2].values',
      'filterGroups[0].filters[3].propertyName',
    ]);
  });
  it('should report malformed shapes when the input is not groups of filters', () => {
    expect(validateFilterGroups('x')).toEqual([{ message: expect.any(String), in: 'filterGroups' }]);
    expect(validateFilterGroups([{}])).toEqual([{ message: expect.any(String), in: 'filterGroups[0].filters' }]);
    expect(validateFilterGroups([{ filters: [null] }])).toEqual([
      { message: expect.any(String), in: 'filterGroups[0].filters[0]' },
    ]);
  });
});

describe('matchesQuery', () => {
  it('should match when a term is a prefix of a word, case-insensitively', () => {
    expect(matchesQuery(jane, 'JA')).toBe(true);
    expect(matchesQuery(jane, 'do')).toBe(true);
    expect(matchesQuery(jane, 'acm')).toBe(true);
    expect(matchesQuery(jane, 'corp')).toBe(true);
  });
  it('should not match when a term occurs only inside a word', () => {
    expect(matchesQuery(jane, 'ane')).toBe(false);
    expect(matchesQuery(jane, 'orp')).toBe(false);
  });
  it('should require every term when the query has several', () => {
    expect(matchesQuery(jane, 'jane doe')).toBe(true);
    expect(matchesQuery(jane, 'jane smith')).toBe(false);
  });
  it('should match the email, its domain and the phone when searched by them', () => {
    expect(matchesQuery(jane, 'jane.doe@exa')).toBe(true);
    expect(matchesQuery(jane, 'example.com')).toBe(true);
    expect(matchesQuery(jane, 'exam')).toBe(true);
    expect(matchesQuery(jane, '555')).toBe(true);
    expect(matchesQuery(jane, '1555123')).toBe(true);
  });
  it('should ignore non-searchable properties when matching', () => {
    expect(matchesQuery(jane, 'lead')).toBe(false);
  });
  it('should match everything when the query is blank', () => {
    expect(matchesQuery(jane, '   ')).toBe(true);
    expect(matchesQuery({}, '')).toBe(true);
  });
});

describe('sortComparator', () => {
  const a: Properties = { id: 'a', createdate: '2025-03-01T00:00:00Z', lastname: 'beta', n: '9' };
  const b: Properties = { id: 'b', createdate: '2025-01-01T00:00:00Z', lastname: 'Alpha', n: '10' };
  const c: Properties = { id: 'c', createdate: '1738368000000', lastname: 'alpha', n: '100' }; // 2025-02-01
  const d: Properties = { id: 'd' };
  const order = (sorts: unknown[], list = [a, b, c, d]): string[] =>
    [...list].sort(sortComparator(sorts)).map((p) => p.id!);

  it('should sort ascending and descending when given strings', () => {
    expect(order(['createdate'])).toEqual(['b', 'c', 'a', 'd']);
    expect(order(['-createdate'])).toEqual(['a', 'c', 'b', 'd']);
  });
  it('should sort ascending and descending when given objects', () => {
    expect(order([{ propertyName: 'createdate', direction: 'ASCENDING' }])).toEqual(['b', 'c', 'a', 'd']);
    expect(order([{ propertyName: 'createdate', direction: 'DESCENDING' }])).toEqual(['a', 'c', 'b', 'd']);
  });
  it('should compare numerically when both values are numbers', () => {
    expect(order(['n'])).toEqual(['a', 'b', 'c', 'd']);
  });
  it('should compare case-insensitively and use later keys when earlier keys tie', () => {
    expect(order(['lastname', '-createdate'])).toEqual(['c', 'b', 'a', 'd']);
    expect(order([{ propertyName: 'lastname' }, { propertyName: 'createdate', direction: 'ASCENDING' }])).toEqual([
      'b',
      'c',
      'a',
      'd',
    ]);
  });
  it('should put missing values last when sorting in either direction', () => {
    expect(order(['-lastname']).at(-1)).toBe('d');
    expect(order([{ propertyName: 'n', direction: 'DESCENDING' }])).toEqual(['c', 'b', 'a', 'd']);
  });
  it('should keep the order when there are no usable sorts', () => {
    expect(order([])).toEqual(['a', 'b', 'c', 'd']);
    expect(order([42, null, {}])).toEqual(['a', 'b', 'c', 'd']);
  });
});

// ---------------------------------------------------------------------------------------------
// v4 flow filters

const NY = 'America/New_York';
const ctxAt = (iso: string, zone = NY) => ({ now: DateTime.fromISO(iso, { setZone: true }).toMillis(), zone });
const ctx = ctxAt('2025-01-20T12:00:00-05:00');
const pf = (property: string, operator: string, extra: Partial<FlowPropertyFilter['operation']> = {}): FlowPropertyFilter => ({
  filterType: 'PROPERTY',
  property,
  operation: { operationType: 'STRING', operator, ...extra },
});
const and = (...filters: FlowPropertyFilter[]): FlowFilterBranch => ({ filterBranchType: 'AND', filters });
const one = (props: Properties, filter: FlowPropertyFilter, c = ctx): boolean => matchesFlowBranch(props, and(filter), c);

describe('matchesFlowBranch: operators', () => {
  it('should match IS_EQUAL_TO and IS_NOT_EQUAL_TO case-insensitively when given a value', () => {
    expect(one(jane, pf('lifecyclestage', 'IS_EQUAL_TO', { value: 'Lead' }))).toBe(true);
    expect(one(jane, pf('lifecyclestage', 'IS_NOT_EQUAL_TO', { value: 'LEAD' }))).toBe(false);
    expect(one(jane, pf('lifecyclestage', 'IS_NOT_EQUAL_TO', { value: 'customer' }))).toBe(true);
  });
  it('should treat IS_EQUAL_TO as any-of when given values', () => {
    expect(one(jane, pf('lifecyclestage', 'IS_EQUAL_TO', { values: ['customer', 'lead'] }))).toBe(true);
    expect(one(jane, pf('lifecyclestage', 'IS_NOT_EQUAL_TO', { values: ['customer', 'lead'] }))).toBe(false);
  });
  it('should match CONTAINS as a substring and DOES_NOT_CONTAIN as its negation', () => {
    expect(one(jane, pf('email', 'CONTAINS', { value: 'EXAMPLE' }))).toBe(true);
    expect(one(jane, pf('company', 'CONTAINS', { value: 'me co' }))).toBe(true);
    expect(one(jane, pf('email', 'DOES_NOT_CONTAIN', { value: 'example' }))).toBe(false);
    expect(one(jane, pf('email', 'DOES_NOT_CONTAIN', { values: ['gmail', 'yahoo'] }))).toBe(true);
  });
  it('should match IS_KNOWN and IS_UNKNOWN when the property is set or not', () => {
    expect(one(jane, pf('email', 'IS_KNOWN'))).toBe(true);
    expect(one(jane, pf('jobtitle', 'IS_KNOWN'))).toBe(false);
    expect(one(jane, pf('hs_lead_status', 'IS_UNKNOWN'))).toBe(true);
  });
  it('should match IS_ANY_OF and IS_NONE_OF when given values', () => {
    expect(one(jane, pf('lifecyclestage', 'IS_ANY_OF', { values: ['LEAD', 'mql'] }))).toBe(true);
    expect(one(jane, pf('lifecyclestage', 'IS_NONE_OF', { values: ['LEAD', 'mql'] }))).toBe(false);
    expect(one(jane, pf('lifecyclestage', 'IS_NONE_OF', { values: ['customer'] }))).toBe(true);
  });
  it('should compare numbers when IS_GREATER_THAN, IS_LESS_THAN or IS_BETWEEN', () => {
    expect(one(jane, pf('num_employees', 'IS_GREATER_THAN', { operationType: 'NUMBER', value: 99 }))).toBe(true);
    expect(one(jane, pf('num_employees', 'IS_LESS_THAN', { value: '99' }))).toBe(false);
    expect(one(jane, pf('num_employees', 'IS_BETWEEN', { lowerBound: 100, upperBound: 250 }))).toBe(true);
    expect(one(jane, pf('num_employees', 'IS_BETWEEN', { values: [250, 300] }))).toBe(true);
    expect(one(jane, pf('num_employees', 'IS_BETWEEN', { value: 251, highValue: 300 }))).toBe(false);
  });
  it('should accept search operator names when used in a flow', () => {
    expect(one(jane, pf('lifecyclestage', 'EQ', { value: 'lead' }))).toBe(true);
    expect(one(jane, pf('jobtitle', 'NEQ', { value: 'ceo' }))).toBe(true);
    expect(one(jane, pf('email', 'HAS_PROPERTY'))).toBe(true);
    expect(one(jane, pf('email', 'CONTAINS_TOKEN', { value: '*@example.com' }))).toBe(true);
    expect(one(jane, pf('num_employees', 'BETWEEN', { value: 1, highValue: 250 }))).toBe(true);
    expect(one(jane, pf('lifecyclestage', 'NOT_IN', { values: ['customer'] }))).toBe(true);
  });
  it('should return false when the operator is unknown or its operand is missing', () => {
    expect(one(jane, pf('email', 'STARTS_WITH_REGEX', { value: 'j' }))).toBe(false);
    expect(one(jane, pf('jobtitle', 'IS_NOT_EQUAL_TO'))).toBe(false);
    expect(matchesFlowBranch(jane, { filterBranchType: 'AND', filters: [{ filterType: 'EVENT' } as never] }, ctx)).toBe(false);
  });
});

describe('matchesFlowBranch: missing values', () => {
  it('should include contacts without the property when a negative operator has no flag', () => {
    expect(one(jane, pf('jobtitle', 'IS_NOT_EQUAL_TO', { value: 'ceo' }))).toBe(true);
    expect(one(jane, pf('jobtitle', 'IS_NONE_OF', { values: ['ceo'] }))).toBe(true);
    expect(one(jane, pf('jobtitle', 'DOES_NOT_CONTAIN', { value: 'ceo' }))).toBe(true);
    expect(one(jane, pf('jobtitle', 'IS_EQUAL_TO', { value: 'ceo' }))).toBe(false);
  });
  it('should follow includeObjectsWithNoValueSet when it is given', () => {
    const no = { includeObjectsWithNoValueSet: false };
    const yes = { includeObjectsWithNoValueSet: true };
    expect(one(jane, pf('jobtitle', 'IS_NOT_EQUAL_TO', { value: 'ceo', ...no }))).toBe(false);
    expect(one(jane, pf('revenue', 'IS_LESS_THAN', { value: 10, ...yes }))).toBe(true);
    // A set value is judged on its own, whatever the flag.
    expect(one(jane, pf('num_employees', 'IS_LESS_THAN', { value: 10, ...yes }))).toBe(false);
    // IS_KNOWN / IS_UNKNOWN are about the value being set, so the flag cannot flip them.
    expect(one(jane, pf('jobtitle', 'IS_KNOWN', yes))).toBe(false);
  });
});

describe('matchesFlowBranch: nesting', () => {
  // (stage = lead AND employees > 100) OR (stage = customer)
  const tree: FlowFilterBranch = {
    filterBranchType: 'OR',
    filterBranches: [
      and(pf('lifecyclestage', 'IS_EQUAL_TO', { value: 'lead' }), pf('num_employees', 'IS_GREATER_THAN', { value: 100 })),
      and(pf('lifecyclestage', 'IS_EQUAL_TO', { value: 'customer' })),
    ],
  };
  it('should match when one AND branch of the OR matches in full', () => {
    expect(matchesFlowBranch(jane, tree, ctx)).toBe(true);
    expect(matchesFlowBranch({ lifecyclestage: 'customer' }, tree, ctx)).toBe(true);
  });
  it('should not match when every AND branch has a failing filter', () => {
    expect(matchesFlowBranch({ ...jane, num_employees: '50' }, tree, ctx)).toBe(false);
    expect(matchesFlowBranch({}, tree, ctx)).toBe(false);
  });
  it('should match nobody when the OR branch is empty and everybody when the AND branch is empty', () => {
    expect(matchesFlowBranch(jane, { filterBranchType: 'OR', filterBranches: [] }, ctx)).toBe(false);
    expect(matchesFlowBranch(jane, { filterBranchType: 'AND' }, ctx)).toBe(true);
  });
  it('should combine filters and sub-branches when both are on one branch', () => {
    const mixed: FlowFilterBranch = {
      filterBranchType: 'AND',
      filters: [pf('email', 'IS_KNOWN')],
      filterBranches: [{ filterBranchType: 'OR', filters: [pf('firstname', 'IS_EQUAL_TO', { value: 'x' }), pf('lastname', 'IS_EQUAL_TO', { value: 'doe' })] }],
    };
    expect(matchesFlowBranch(jane, mixed, ctx)).toBe(true);
    expect(matchesFlowBranch({ lastname: 'doe' }, mixed, ctx)).toBe(false);
  });
});

describe('matchesFlowBranch: date operators', () => {
  const today = pf('createdate', 'IS_TODAY', { operationType: 'TIME_POINT' });
  it('should match IS_TODAY when the instant is on the same local day in the zone', () => {
    // 23:45 in New York on Jan 20 is already Jan 21 in UTC.
    const late = ctxAt('2025-01-20T23:45:00-05:00');
    expect(one({ createdate: '2025-01-21T04:30:00Z' }, today, late)).toBe(true);
    expect(one({ createdate: '2025-01-20T05:00:00Z' }, today, late)).toBe(true); // 00:00 local
    expect(one({ createdate: '2025-01-20T04:59:59Z' }, today, late)).toBe(false); // 23:59 the day before
  });
  it('should give different answers for IS_TODAY when the zone differs across midnight', () => {
    const now = '2025-01-21T03:00:00Z'; // Jan 20 22:00 in New York, Jan 21 04:00 in Warsaw
    const created = { createdate: String(Date.parse('2025-01-20T20:00:00Z')) };
    expect(one(created, today, { now: Date.parse(now), zone: NY })).toBe(true);
    expect(one(created, today, { now: Date.parse(now), zone: 'Europe/Warsaw' })).toBe(false);
  });
  it('should compare a date-only value as a calendar date when IS_TODAY', () => {
    expect(one({ birthday: '2025-01-20' }, pf('birthday', 'IS_TODAY'), ctxAt('2025-01-20T23:00:00-05:00'))).toBe(true);
    expect(one({ birthday: '2025-01-21' }, pf('birthday', 'IS_TODAY'), ctxAt('2025-01-20T23:00:00-05:00'))).toBe(false);
  });
  it('should not match IS_TODAY when the value is not a date or the zone is invalid', () => {
    expect(one({ createdate: 'yesterday' }, today)).toBe(false);
    expect(one({ createdate: '2025-01-20T12:00:00Z' }, today, { now: ctx.now, zone: 'Mars/Olympus' })).toBe(false);
  });
  it('should match IN_LAST_N_DAYS when the date is within the last N calendar days, not in the future', () => {
    const last7 = pf('createdate', 'IN_LAST_N_DAYS', { numberOfDays: 7 });
    expect(one({ createdate: '2025-01-13T05:00:00Z' }, last7)).toBe(true); // Jan 13 00:00 local
    expect(one({ createdate: '2025-01-13T04:59:59Z' }, last7)).toBe(false); // Jan 12 local
    expect(one({ createdate: '2025-01-20T16:59:00Z' }, last7)).toBe(true); // 11:59 today
    expect(one({ createdate: '2025-01-20T17:01:00Z' }, last7)).toBe(false); // after now
    expect(one({ createdate: '2025-01-14' }, pf('createdate', 'IN_LAST_N_DAYS', { value: '6' }))).toBe(true);
    expect(one({ createdate: '2025-01-13' }, pf('createdate', 'IN_LAST_N_DAYS', { value: 6 }))).toBe(false);
  });
  it('should return false for IN_LAST_N_DAYS when the number of days is missing or negative', () => {
    expect(one(jane, pf('createdate', 'IN_LAST_N_DAYS'))).toBe(false);
    expect(one(jane, pf('createdate', 'IN_LAST_N_DAYS', { numberOfDays: -1 }))).toBe(false);
  });
});

describe('validateFlowBranch', () => {
  it('should accept a well-formed OR of ANDs', () => {
    const tree: FlowFilterBranch = {
      filterBranchType: 'OR',
      filterBranches: [
        and(pf('email', 'IS_KNOWN'), pf('createdate', 'IN_LAST_N_DAYS', { numberOfDays: 3 })),
        and(pf('n', 'IS_BETWEEN', { lowerBound: 1, upperBound: 2 }), pf('s', 'IS_ANY_OF', { values: ['a'] })),
      ],
    };
    expect(validateFlowBranch(tree, 'enrollmentCriteria.listFilterBranch')).toEqual([]);
  });
  it('should report each problem with its path when the branch is malformed', () => {
    const bad = {
      filterBranchType: 'XOR',
      filterBranches: [
        {
          filterBranchType: 'AND',
          filters: [
            pf('email', 'MATCHES', { value: 'x' }),
            pf('stage', 'IS_ANY_OF'),
            pf('n', 'IS_BETWEEN', { value: 1 }),
            pf('d', 'IN_LAST_N_DAYS', { numberOfDays: 1.5 }),
            pf('e', 'IS_EQUAL_TO'),
            { filterType: 'ASSOCIATION', property: '', operation: { operator: 'IS_KNOWN' } },
          ],
        },
      ],
    };
    const p = 'b.filterBranches[0].filters';
    expect(validateFlowBranch(bad, 'b').map((x) => x.in)).toEqual([
      'b.filterBranchType',
      `${p}[0].operation.operator`,
      `${p}[1].operation.values`,
      `${p}[2].operation`,
      `${p}[3].operation.numberOfDays`,
      `${p}[4].operation.value`,
      `${p}[5].filterType`,
      `${p}[5].property`,
    ]);
  });
  it('should report a non-object branch when given one', () => {
    expect(validateFlowBranch(null, 'x')).toEqual([{ message: expect.any(String), in: 'x' }]);
    expect(validateFlowBranch({ filterBranchType: 'OR', filters: 'no' }, 'x')).toEqual([
      { message: expect.any(String), in: 'x.filters' },
    ]);
  });
});

// ---------------------------------------------------------------------------------------------
// Properties

describe('properties', () => {
  const scalar = fc.oneof(fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constant(undefined));
  const propName = fc.oneof(fc.constantFrom('email', 'createdate', 'n', 'constructor', '__proto__'), fc.string());
  const props = fc.dictionary(
    fc.oneof(fc.constantFrom('email', 'createdate', 'n'), fc.string()),
    fc.option(fc.oneof(fc.string(), fc.constantFrom('2025-01-01', '2025-01-01T00:00:00Z', '1736937000000', '42', '*')), {
      nil: undefined,
    }),
  );
  const filter = fc.oneof(
    fc.record(
      {
        propertyName: propName,
        operator: fc.oneof(fc.constantFrom(...SEARCH_OPERATORS), fc.string()),
        value: scalar,
        values: fc.oneof(fc.array(scalar), fc.anything()),
        highValue: scalar,
      },
      { requiredKeys: ['propertyName', 'operator'] },
    ),
    fc.anything(),
  );

  it('should never throw when matchesFilterGroups gets arbitrary props and filters', () => {
    fc.assert(
      fc.property(props, fc.array(fc.oneof(fc.record({ filters: fc.array(filter) }), fc.anything())), (p, groups) => {
        const r = matchesFilterGroups(p as Properties, groups as FilterGroup[]);
        expect(typeof r).toBe('boolean');
        validateFilterGroups(groups);
      }),
    );
  });

  it('should make NEQ the negation of EQ when the contact has the property', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ minLength: 1 }), fc.integer().map(String), fc.constantFrom('2025-01-01', '1735689600000', 'TRUE')),
        fc.oneof(fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constantFrom('2025-01-01T00:00:00Z', 'true')),
        (have, value) => {
          const p: Properties = { x: have };
          expect(matchesFilter(p, { propertyName: 'x', operator: 'NEQ', value })).toBe(
            !matchesFilter(p, { propertyName: 'x', operator: 'EQ', value }),
          );
        },
      ),
    );
  });

  it('should never throw when matchesFlowBranch gets an arbitrary branch', () => {
    fc.assert(
      fc.property(props, fc.anything(), fc.integer(), (p, branch, now) => {
        expect(typeof matchesFlowBranch(p as Properties, branch as FlowFilterBranch, { now, zone: NY })).toBe('boolean');
        validateFlowBranch(branch, 'b');
      }),
    );
  });
});

describe('typed properties', () => {
  const deal: Properties = { seats: '9', renewal: '2026-03-02', signed_at: '1772460000000', colors: 'red;green', active: 'true', code: '10' };
  const types = { seats: 'number', renewal: 'date', signed_at: 'datetime', colors: 'checkbox', active: 'bool', code: 'string' } as const;
  const t = (...args: Parameters<typeof f>) => matchesFilter(deal, f(...args), types);

  it('should compare as numbers when the property is a number', () => {
    expect(t('seats', 'LT', { value: '10' })).toBe(true);
    expect(t('seats', 'EQ', { value: '9.0' })).toBe(true);
    expect(t('seats', 'GT', { value: 'abc' })).toBe(false);
    expect(t('seats', 'LT', { value: 'abc' })).toBe(false);
  });

  it('should compare as instants when the property is a date or datetime given as ISO or epoch ms', () => {
    expect(t('renewal', 'EQ', { value: String(Date.UTC(2026, 2, 2)) })).toBe(true);
    expect(t('renewal', 'GT', { value: '2026-03-01' })).toBe(true);
    expect(t('renewal', 'BETWEEN', { value: '2026-01-01', highValue: '2026-12-31' })).toBe(true);
    expect(t('signed_at', 'GTE', { value: '2026-03-02T14:00:00Z' })).toBe(true);
    expect(t('signed_at', 'LT', { value: '2026' })).toBe(false);
  });

  it('should match one option of a multi-select when the property is a checkbox enumeration', () => {
    expect(t('colors', 'EQ', { value: 'green' })).toBe(true);
    expect(t('colors', 'IN', { values: ['blue', 'red'] })).toBe(true);
    expect(t('colors', 'NOT_IN', { values: ['red'] })).toBe(false);
    expect(t('colors', 'EQ', { value: 'gre' })).toBe(false);
  });

  it('should sort numbers numerically and dates chronologically when the properties are typed', () => {
    const rows: Properties[] = [{ n: '10', d: '2026-03-10' }, { n: '9', d: '1772409600000' }, { n: '100', d: '2026-01-01' }];
    expect([...rows].sort(sortComparator(['n'], { n: 'number' })).map((r) => r.n)).toEqual(['9', '10', '100']);
    expect([...rows].sort(sortComparator(['d'], { d: 'date' })).map((r) => r.d)).toEqual(['2026-01-01', '1772409600000', '2026-03-10']);
  });

  it('should apply the types to v4 flow filters when the context carries them', () => {
    const branch: FlowFilterBranch = {
      filterBranchType: 'AND',
      filters: [{ filterType: 'PROPERTY', property: 'seats', operation: { operator: 'IS_GREATER_THAN', value: '8' } }],
    };
    expect(matchesFlowBranch(deal, branch, { now: 0, zone: 'UTC', types })).toBe(true);
    expect(matchesFlowBranch({ seats: 'many' }, branch, { now: 0, zone: 'UTC', types })).toBe(false);
  });
});
