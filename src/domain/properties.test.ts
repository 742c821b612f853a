import { describe, expect, it } from 'vitest';
import { BUILT_IN_PROPERTIES, bounceReason, checkValues, maintainedChanges, normalizeValue, optionProblems, pairProblems, type PropertyDefinition } from './properties.js';

const def = (over: Partial<PropertyDefinition>): PropertyDefinition => ({
  ...BUILT_IN_PROPERTIES.contacts[0]!,
  name: 'custom',
  type: 'string',
  fieldType: 'text',
  hubspotDefined: false,
  hasUniqueValue: false,
  readOnlyValue: false,
  options: [],
  ...over,
});
const opts = (...values: string[]) => values.map((value, displayOrder) => ({ label: value, value, displayOrder, hidden: false }));

describe('property values', () => {
  it('should keep any string when the property is a string', () => {
    expect(normalizeValue(def({ type: 'string' }), ' anything ')).toEqual({ value: ' anything ' });
  });

  it('should accept numbers and refuse words when the property is a number', () => {
    const n = def({ type: 'number', fieldType: 'number' });
    expect(normalizeValue(n, '-12.5')).toEqual({ value: '-12.5' });
    expect(normalizeValue(n, '1e3')).toEqual({ value: '1e3' });
    expect(normalizeValue(n, 'abc')).toMatchObject({ error: 'INVALID_NUMBER', name: 'custom' });
    expect(normalizeValue(n, ' 12')).toMatchObject({ error: 'LEADING_TRAILING_WHITESPACE' });
  });

  it('should store YYYY-MM-DD and refuse impossible or non-midnight dates when the property is a date', () => {
    const d = def({ type: 'date', fieldType: 'date' });
    expect(normalizeValue(d, '2026-03-02')).toEqual({ value: '2026-03-02' });
    expect(normalizeValue(d, String(Date.UTC(2026, 2, 2)))).toEqual({ value: '2026-03-02' });
    expect(normalizeValue(d, '2026-02-30')).toMatchObject({ error: 'INVALID_DATE' });
    expect(normalizeValue(d, String(Date.UTC(2026, 2, 2, 5)))).toMatchObject({ error: 'INVALID_DATE' });
    expect(normalizeValue(d, 'next tuesday')).toMatchObject({ error: 'INVALID_DATE' });
  });

  it('should store ISO-8601 UTC when a datetime is given as epoch ms or with an offset', () => {
    const d = def({ type: 'datetime', fieldType: 'date' });
    expect(normalizeValue(d, '1772460000000')).toEqual({ value: '2026-03-02T14:00:00.000Z' });
    expect(normalizeValue(d, '2026-03-02T15:00:00+01:00')).toEqual({ value: '2026-03-02T14:00:00.000Z' });
    expect(normalizeValue(d, '2026-13-02T15:00:00Z')).toMatchObject({ error: 'INVALID_DATETIME' });
  });

  it('should take only true or false when the property is a bool', () => {
    const b = def({ type: 'bool', fieldType: 'booleancheckbox' });
    expect(normalizeValue(b, 'TRUE')).toEqual({ value: 'true' });
    expect(normalizeValue(b, 'yes')).toMatchObject({ error: 'INVALID_BOOLEAN' });
  });

  it('should take only option values, several for a checkbox, when the property is an enumeration', () => {
    const select = def({ type: 'enumeration', fieldType: 'select', options: opts('red', 'green') });
    expect(normalizeValue(select, 'red')).toEqual({ value: 'red' });
    expect(normalizeValue(select, 'Red')).toMatchObject({ error: 'INVALID_OPTION', message: expect.stringContaining('red, green') });
    expect(normalizeValue(select, 'red;green')).toMatchObject({ error: 'INVALID_OPTION' });
    const box = def({ type: 'enumeration', fieldType: 'checkbox', options: opts('red', 'green') });
    expect(normalizeValue(box, 'red;green')).toEqual({ value: 'red;green' });
    expect(normalizeValue(box, 'red;blue')).toMatchObject({ error: 'INVALID_OPTION', message: expect.stringContaining('"blue"') });
  });

  it('should report unknown and read-only properties and let null clear a typed one when values are checked', () => {
    const defs = new Map(BUILT_IN_PROPERTIES.contacts.map((d) => [d.name, d]));
    defs.set('score', def({ name: 'score', type: 'number', fieldType: 'number' }));
    const r = checkValues(defs, { firstname: 'Ada', score: null, nope: 'x', hs_sequences_is_enrolled: 'true', lifecyclestage: 'lead' });
    expect(r.values).toEqual({ firstname: 'Ada', score: null, lifecyclestage: 'lead' });
    expect(r.problems.map((p) => [p.name, p.error])).toEqual([
      ['nope', 'PROPERTY_DOESNT_EXIST'],
      ['hs_sequences_is_enrolled', 'READ_ONLY_VALUE'],
    ]);
  });

  it('should treat an archived property as missing when values are checked', () => {
    const defs = new Map([['gone', def({ name: 'gone', archivedAt: 1 })]]);
    expect(checkValues(defs, { gone: 'x' }).problems[0]?.error).toBe('PROPERTY_DOESNT_EXIST');
  });
});

describe('property definitions', () => {
  it('should refuse a fieldType when it does not go with the type', () => {
    expect(pairProblems('number', 'number')).toEqual([]);
    expect(pairProblems('datetime', 'date')).toEqual([]);
    expect(pairProblems('bool', 'select')[0]?.in).toBe('fieldType');
  });

  it('should refuse duplicate, blank or padded option values when an enumeration is defined', () => {
    expect(optionProblems('enumeration', opts('a', 'b'))).toEqual([]);
    expect(optionProblems('enumeration', [])[0]?.in).toBe('options');
    expect(optionProblems('enumeration', opts('a', 'a')).map((p) => p.in)).toEqual(['options[1].value']);
    expect(optionProblems('enumeration', opts(' a')).map((p) => p.in)).toEqual(['options[0].value']);
    expect(optionProblems('string', [])).toEqual([]);
  });
});

describe('maintained properties', () => {
  const NOW = Date.UTC(2026, 2, 2, 14);

  it('should mark enrolled, count and name the sequence when a contact is enrolled', () => {
    expect(maintainedChanges('SEQUENCE_ENROLLED', { sequenceId: 7 }, { hs_sequences_enrolled_count: '2' }, NOW)).toEqual({
      hs_sequences_is_enrolled: 'true',
      hs_sequences_enrolled_count: '3',
      hs_latest_sequence_enrolled: '7',
      hs_latest_sequence_enrolled_date: '2026-03-02T14:00:00.000Z',
    });
  });

  it('should clear is-enrolled when an enrollment ends or finishes and change nothing for other events', () => {
    expect(maintainedChanges('SEQUENCE_UNENROLLED', {}, {}, NOW)).toEqual({ hs_sequences_is_enrolled: 'false' });
    expect(maintainedChanges('SEQUENCE_FINISHED', {}, {}, NOW)).toEqual({ hs_sequences_is_enrolled: 'false' });
    expect(maintainedChanges('FORM_SUBMITTED', {}, {}, NOW)).toEqual({});
  });

  it('should opt out on unsubscribe and stamp the reply time on a reply', () => {
    expect(maintainedChanges('UNSUBSCRIBED', {}, {}, NOW)).toEqual({ hs_email_optout: 'true' });
    expect(maintainedChanges('EMAIL_REPLIED', {}, {}, NOW)).toEqual({ hs_sales_email_last_replied: '2026-03-02T14:00:00.000Z' });
  });

  it('should map DSN status codes and texts to HubSpot bounce categories when an email bounces', () => {
    expect(bounceReason('5.1.1', 'user unknown')).toBe('UNKNOWN_USER');
    expect(bounceReason('5.2.2', '')).toBe('MAILBOX_FULL');
    expect(bounceReason(undefined, '552 5.2.2 Mailbox full')).toBe('MAILBOX_FULL');
    expect(bounceReason('5.7.1', 'message rejected as spam')).toBe('SPAM');
    expect(bounceReason('5.7.1', 'relay denied')).toBe('POLICY');
    expect(bounceReason('5.4.4', '')).toBe('DNS_FAILURE');
    expect(bounceReason(undefined, undefined)).toBe('UNCATEGORIZED');
    expect(maintainedChanges('EMAIL_BOUNCED', { status: '5.1.1' }, { hs_email_bounce: '1' }, NOW)).toEqual({ hs_email_bounce: '2', hs_email_hard_bounce_reason_enum: 'UNKNOWN_USER' });
  });

  it('should offer every bounce category as an option of the reason property', () => {
    const def = BUILT_IN_PROPERTIES.contacts.find((d) => d.name === 'hs_email_hard_bounce_reason_enum')!;
    for (const reason of ['UNKNOWN_USER', 'MAILBOX_FULL', 'SPAM', 'POLICY', 'DNS_FAILURE', 'UNCATEGORIZED']) expect(def.options.map((o) => o.value)).toContain(reason);
  });
});
