import { describe, expect, it } from 'vitest';
import { ERRORS, SeqflowError, errors, isError, type ErrorCode } from './errors.js';

describe('the error table', () => {
  it('should have one constructor per code when the table is read', () => {
    const camel = (code: string) => code.toLowerCase().replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
    expect(Object.keys(errors).sort()).toEqual(Object.keys(ERRORS).map(camel).sort());
  });

  it('should carry the code and typed details when an error is constructed', () => {
    const err = errors.contactExists({ existingId: 42 });
    expect(err).toBeInstanceOf(SeqflowError);
    expect(err).toMatchObject({ code: 'CONTACT_EXISTS', status: 409, category: 'CONFLICT', message: 'Contact already exists. Existing ID: 42', details: { existingId: 42 } });
    expect(isError(err, 'CONTACT_EXISTS') && err.details.existingId).toBe(42);
    expect(isError(err, 'USER_EXISTS')).toBe(false);
    expect(isError(new Error('Contact already exists. Existing ID: 42'), 'CONTACT_EXISTS')).toBe(false);
  });

  it('should name the request field and the id when a not-found error has a field', () => {
    expect({ ...errors.contactNotFound({ id: 7, field: 'objectIdToMerge' }) }).toEqual({
      code: 'CONTACT_NOT_FOUND',
      details: { id: 7, field: 'objectIdToMerge' },
      name: 'SeqflowError',
      status: 404,
      category: 'OBJECT_NOT_FOUND',
      errors: [{ message: 'Contact not found. Contact 7 does not exist.', in: 'objectIdToMerge' }],
      context: { id: ['7'] },
    });
  });

  it('should answer 409 CONFLICT for state rejections and 400 for the rest when an enrollment is refused', () => {
    expect(errors.enrollmentRejected({ reason: 'ALREADY_ENROLLED' })).toMatchObject({ status: 409, category: 'CONFLICT', subCategory: 'ALREADY_ENROLLED' });
    const bad = errors.enrollmentRejected({ reason: 'SENDER_NO_SEAT' });
    expect(bad).toMatchObject({ status: 400, category: 'VALIDATION_ERROR', subCategory: 'SENDER_NO_SEAT', errors: [{ code: 'SENDER_NO_SEAT', in: 'userId' }] });
    expect(errors.enrollmentRejected({ reason: 'SENDER_ADDRESS_NOT_ALLOWED', field: 'senderAliasAddress' }).errors?.[0].in).toBe('senderAliasAddress');
  });

  it('should leave subCategory, errors and context unset when a code has none', () => {
    const err = errors.tokenInvalid();
    expect([err.subCategory, err.errors, err.context]).toEqual([undefined, undefined, undefined]);
  });

  it('should name each property and list HubSpot\'s per-property answer when property values are refused', () => {
    const err = errors.propertyValuesInvalid({ problems: [{ name: 'seats', error: 'INVALID_NUMBER', message: 'bad' }], at: 'properties' });
    expect(err).toMatchObject({ status: 400, category: 'VALIDATION_ERROR', subCategory: 'INVALID_NUMBER', errors: [{ in: 'properties.seats', code: 'INVALID_NUMBER', message: 'bad' }] });
    expect(JSON.parse(err.message.replace('Property values were not valid: ', ''))).toEqual([{ isValid: false, message: 'bad', error: 'INVALID_NUMBER', name: 'seats' }]);
  });

  it('should give every code a 4xx or 5xx status and a message when built from sample details', () => {
    const samples: Partial<Record<ErrorCode, unknown>> = {
      INVALID_INPUT: { message: 'x' },
      INVALID_FIELD: { field: 'f', message: 'x' },
      NUL_IN_INPUT: { field: 'f' },
      PATH_ID_INVALID: { raw: 'x' },
      UNSUPPORTED_MEDIA_TYPE: { contentType: 'text/plain' },
      REQUEST_REFUSED: { status: 400, message: 'x' },
      NO_ROUTE: { method: 'GET', path: '/x' },
      SCOPE_MISSING: { scope: 'automation' },
      ROUTE_UNMAPPED: { method: 'GET', url: '/x' },
      SCOPES_NOT_HELD: { notHeld: [{ index: 0, scope: 'automation' }], all: '*' },
      UNKNOWN_SCOPES: { unknown: [{ index: 0, scope: 'nope' }], known: ['automation'] },
      CROSS_ORIGIN_REQUEST: { reason: 'it comes from https://evil.example' },
      SIGN_IN_BACKOFF: { retryAfterMs: 1500 },
      FORM_RATE_LIMITED: { retryAfterMs: 1500 },
      FLOWS_NOT_FOUND: { ids: ['1'] },
      CONTACT_EXISTS: { existingId: null, email: 'a@b.c' },
      USER_EXISTS: { email: 'a@b.c' },
      INBOX_EXISTS: { address: 'a@b.c' },
      STALE_REVISION: { expected: 1, current: 2 },
      PAUSE_NOT_ACTIVE: { state: 'PAUSED' },
      RESUME_NOT_PAUSED: { state: 'ACTIVE' },
      ENROLLMENT_CHANGED: { action: 'pause' },
      SEQUENCE_HAS_ENROLLMENTS: { running: 2 },
      ENROLLS_MANY: { count: 101, threshold: 100 },
      ENROLLMENT_REJECTED: { reason: 'CONTACT_NOT_FOUND' },
      INVALID_EMAIL_PROPERTY: { email: 'x', field: 'email' },
      BATCH_HISTORY_LIMIT: { limit: 50 },
      SEARCH_CURSOR_PAST_CAP: { after: '10000', cap: 10000 },
      NO_SENDING_INBOX: { address: 'a@b.c' },
      OBJECT_TYPE_UNKNOWN: { objectType: 'deals', field: 'toObjectType' },
      ASSOCIATION_PAIR_UNSUPPORTED: { from: 'companies', to: 'meetings', field: 'toObjectType' },
      ASSOCIATION_TYPE_INVALID: { typeId: 9, category: 'HUBSPOT_DEFINED', from: 'contacts', to: 'companies', field: 'associationSpec[0].associationTypeId' },
      MEETING_CONTACT_FIXED: { meetingId: 3, field: 'toObjectId' },
      IMPORT_REQUEST_INVALID: { problems: [{ message: 'Column Email is not in the file', in: 'importRequest.files[0]' }] },
      IMPORT_FILE_TOO_LARGE: { limitBytes: 1024 },
      IMPORT_FINISHED: { state: 'DONE' },
      LIST_NAME_EXISTS: { name: 'Leads' },
      LIST_NOT_MANUAL: { id: 1 },
      LIST_HAS_NO_FILTERS: { id: 1 },
      PROPERTY_EXISTS: { objectType: 'contacts', name: 'x', archived: true },
      PROPERTY_GROUP_EXISTS: { objectType: 'contacts', name: 'x' },
      HUBSPOT_DEFINED: { what: 'property', name: 'email' },
      PROPERTY_GROUP_NOT_EMPTY: { name: 'g', count: 2 },
      PROPERTY_VALUES_INVALID: { problems: [{ name: 'seats', error: 'INVALID_NUMBER', message: '"abc" is not a valid number.' }] },
      OAUTH_PROVIDER_NOT_CONFIGURED: { provider: 'google' },
      OAUTH_NOT_OAUTH_INBOX: { id: 1 },
      SNIPPET_SHORTCUT_EXISTS: { shortcut: 'intro' },
      LIBRARY_ITEM_NOT_YOURS: { what: 'template', id: 1 },
      OAUTH_CONNECT_FAILED: { code: 'MISSING_SCOPE', message: 'The permission to read and send mail was not granted.', field: 'scope' },
      TASK_NOT_OPEN: { status: 'COMPLETED' },
      NOT_AN_EMAIL_TASK: { type: 'CALL' },
      TASK_ENROLLMENT_NOT_WAITING: { state: 'FINISHED', reason: 'REPLIED' },
      SCHEDULE_IN_USE: { id: 1, sequences: [{ id: 2, name: 'Outreach' }] },
      FLOW_NOT_ENABLED: { id: 1 },
      ALREADY_IN_FLOW: { id: 1, contactId: 2, running: false },
    };
    for (const code of Object.keys(ERRORS) as ErrorCode[]) {
      const details = samples[code] ?? (code.endsWith('NOT_FOUND') || code === 'NOT_ENROLLED' ? { id: 1 } : undefined);
      const err = new SeqflowError(code, details as never);
      expect(err.status, code).toBeGreaterThanOrEqual(400);
      expect(err.message, code).not.toMatch(/undefined|\[object/);
    }
  });
});
