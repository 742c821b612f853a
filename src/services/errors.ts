import { rejectionText, type EnrollmentRejection } from '../domain/reasons.js';

/**
 * Every error the API answers with, in one table (as Fastify keeps its errors): a code, the HTTP
 * status, HubSpot's category, the message template and what goes into the HubSpot error body
 * (hubspot-api.md §4.2: subCategory, errors[], context). Services throw them through the
 * constructors below (`errors.contactNotFound({ id })`), keep their typed details on the error
 * (`err.details`, read with `isError(err, 'CONTACT_EXISTS')`), and the HTTP face only renders
 * them (src/http/errors.ts). Nothing ever parses a message to learn what an error was about.
 */

export interface ErrorDetail {
  message: string;
  in?: string;
  code?: string;
}

/** HubSpot's error categories, as Seqflow answers them. */
export type ErrorCategory = 'VALIDATION_ERROR' | 'OBJECT_NOT_FOUND' | 'CONFLICT' | 'INVALID_AUTHENTICATION' | 'MISSING_SCOPES' | 'FORBIDDEN' | 'RATE_LIMITS' | 'INTERNAL_ERROR';

interface ErrorSpec<C> {
  status: number | ((c: C) => number);
  category: ErrorCategory | ((c: C) => ErrorCategory);
  message: (c: C) => string;
  /** Our reason code, rendered as HubSpot's subCategory. */
  subCategory?: string | ((c: C) => string | undefined);
  errors?: (c: C, message: string) => ErrorDetail[] | undefined;
  /** HubSpot's `context`: lists of strings by name. */
  context?: (c: C) => Record<string, string[]> | undefined;
}

const spec = <C = void>(s: ErrorSpec<C>): ErrorSpec<C> => s;

/** `${what} not found. ${what} ${id} does not exist.`, naming the request field that pointed at it when there is one. */
const notFound = (what: string, subCategory?: string) =>
  spec<{ id: string | number; field?: string }>({
    status: 404,
    category: 'OBJECT_NOT_FOUND',
    message: (c) => `${what} not found. ${what} ${c.id} does not exist.`,
    subCategory,
    errors: (c, message) => (c.field ? [{ message, in: c.field }] : undefined),
    context: (c) => ({ id: [String(c.id)] }),
  });

/** A state conflict named by our reason code, which clients match on (subCategory and errors[].code). */
const conflict = <C = void>(subCategory: string | ((c: C) => string), message: (c: C) => string) =>
  spec<C>({
    status: 409,
    category: 'CONFLICT',
    message,
    subCategory,
    errors: (c, m) => [{ message: m, code: typeof subCategory === 'string' ? subCategory : subCategory(c) }],
  });

const invalid = <C = void>(message: (c: C) => string, errors?: (c: C, message: string) => ErrorDetail[] | undefined, subCategory?: string) =>
  spec<C>({ status: 400, category: 'VALIDATION_ERROR', message, errors, subCategory });

/** Enrollment rejections that are about state, not about the request: 409. */
const STATE_REJECTIONS: EnrollmentRejection[] = ['ALREADY_ENROLLED', 'SEND_LIMIT_REACHED'];
/** The enrollment request field (HubSpot's names) each rejection is about, so a client knows what to fix. */
const REJECTION_FIELD: Partial<Record<EnrollmentRejection, string>> = {
  SEQUENCE_NOT_FOUND: 'sequenceId',
  CONTACT_NOT_FOUND: 'contactId',
  NO_EMAIL_ADDRESS: 'contactId',
  SENDER_NOT_FOUND: 'userId',
  SENDER_NO_SEAT: 'userId',
  SENDER_INBOX_DISCONNECTED: 'senderEmail',
  SENDER_ADDRESS_NOT_ALLOWED: 'senderEmail',
};

export const ERRORS = {
  // ---- requests -----------------------------------------------------------------------------
  /** Input that breaks a rule the request schema cannot express; `errors` name each field. */
  INVALID_INPUT: spec<{ message: string; errors?: ErrorDetail[]; subCategory?: string }>({
    status: 400,
    category: 'VALIDATION_ERROR',
    message: (c) => c.message,
    subCategory: (c) => c.subCategory,
    errors: (c) => (c.errors?.length ? c.errors : undefined),
  }),
  /** One bad field; `code` is our reason code when there is one. */
  INVALID_FIELD: spec<{ field: string; message: string; code?: string }>({
    status: 400,
    category: 'VALIDATION_ERROR',
    message: (c) => c.message,
    subCategory: (c) => c.code,
    errors: (c) => [{ message: c.message, in: c.field, ...(c.code && { code: c.code }) }],
  }),
  BODY_MISSING: invalid(
    () => 'The request body is empty or missing: send a JSON object.',
    () => [{ message: 'The request body is required', in: 'body' }],
  ),
  NUL_IN_INPUT: invalid<{ field: string }>(
    (c) => `Invalid input (${c.field}: must not contain a NUL character (\\u0000))`,
    (c) => [{ message: `${c.field}: must not contain a NUL character`, in: c.field }],
  ),
  NUL_IN_PATH: spec({ status: 404, category: 'OBJECT_NOT_FOUND', message: () => 'Object not found. The path holds a NUL character (\\u0000).' }),
  PATH_ID_INVALID: spec<{ raw: string }>({
    status: 404,
    category: 'OBJECT_NOT_FOUND',
    message: (c) => `Object not found. ${JSON.stringify(c.raw)} is not an object id; ids are numeric.`,
    context: (c) => ({ id: [c.raw] }),
  }),
  UNSUPPORTED_MEDIA_TYPE: spec<{ contentType: string | undefined }>({
    status: 415,
    category: 'VALIDATION_ERROR',
    message: (c) => `Unsupported Content-Type ${c.contentType ?? '(none)'}; send application/json.`,
  }),
  BODY_TOO_LARGE: spec({ status: 413, category: 'VALIDATION_ERROR', message: () => 'The request body is too large.' }),
  MALFORMED_URL: invalid(() => 'The URL path is not valid: it has a malformed percent-encoding.'),
  PATH_SEGMENT_TOO_LONG: spec({ status: 414, category: 'VALIDATION_ERROR', message: () => 'A path segment of the URL is too long.' }),
  /** Fastify's own 4xx (malformed JSON, an empty body with a JSON content type, …). */
  REQUEST_REFUSED: spec<{ status: number; message: string }>({ status: (c) => c.status, category: 'VALIDATION_ERROR', message: (c) => c.message }),
  NO_ROUTE: spec<{ method: string; path: string }>({ status: 404, category: 'OBJECT_NOT_FOUND', message: (c) => `No route ${c.method} ${c.path}.` }),
  INTERNAL: spec({ status: 500, category: 'INTERNAL_ERROR', message: () => 'Something went wrong on our side; the error was logged.' }),

  // ---- authentication, scopes and limits ------------------------------------------------------
  CREDENTIALS_MISSING: spec({
    status: 401,
    category: 'INVALID_AUTHENTICATION',
    message: () => 'Authentication credentials not found. This API supports Bearer token authentication: send Authorization: Bearer <token>.',
  }),
  TOKEN_INVALID: spec({ status: 401, category: 'INVALID_AUTHENTICATION', message: () => 'The access token is not valid or was revoked.' }),
  SIGN_IN_FAILED: spec({ status: 401, category: 'INVALID_AUTHENTICATION', message: () => 'The email or password is not correct.' }),
  /** HubSpot's MISSING_SCOPES answer, naming the scope the route needs. */
  SCOPE_MISSING: spec<{ scope: string }>({
    status: 403,
    category: 'MISSING_SCOPES',
    message: (c) => `This token hasn't been granted all required scopes to make this call: it needs ${c.scope}.`,
    errors: (c) => [{ message: `One or more of the following scopes are required: ${c.scope}.`, code: 'MISSING_SCOPES' }],
    context: (c) => ({ requiredScopes: [c.scope] }),
  }),
  ROUTE_UNMAPPED: spec<{ method: string; url: string }>({
    status: 403,
    category: 'MISSING_SCOPES',
    message: (c) => `No scope is mapped for ${c.method} ${c.url}, so only an admin token may call it.`,
  }),
  /** A token may only be given scopes its creator holds (`*` only from `*`). */
  SCOPES_NOT_HELD: spec<{ notHeld: { index: number; scope: string }[]; all: string }>({
    status: 403,
    category: 'MISSING_SCOPES',
    message: (c) => `A token can only be given scopes its creator holds; this one does not hold ${[...new Set(c.notHeld.map((n) => n.scope))].join(', ')}.`,
    errors: (c) =>
      c.notHeld.map((n) => ({
        message: `scopes[${n.index}]: ${n.scope === c.all ? 'only an admin token may create a token with every scope (*)' : `the creating token does not hold ${n.scope}`}.`,
        in: `scopes[${n.index}]`,
        code: 'MISSING_SCOPES',
      })),
    context: (c) => ({ requiredScopes: [...new Set(c.notHeld.map((n) => n.scope))] }),
  }),
  UNKNOWN_SCOPES: invalid<{ unknown: { index: number; scope: string }[]; known: readonly string[] }>(
    (c) =>
      `Invalid input (${c.unknown.map((u) => `scopes[${u.index}]: unknown scope ${JSON.stringify(u.scope)}`).join('; ')}). Known scopes: ${c.known.join(', ')}, and * for all of them.`,
    (c) => c.unknown.map((u) => ({ message: `scopes[${u.index}]: unknown scope ${JSON.stringify(u.scope)}`, in: `scopes[${u.index}]`, code: 'UNKNOWN_SCOPE' })),
    'UNKNOWN_SCOPE',
  ),
  PASSWORD_NOT_YOURS: spec({ status: 403, category: 'MISSING_SCOPES', message: () => 'Only an admin or the user themselves can set a password.' }),
  CROSS_ORIGIN_REQUEST: spec<{ reason: string }>({
    status: 403,
    category: 'FORBIDDEN',
    message: (c) =>
      `A request signed in with the web app's session cookie must come from the web app itself, and ${c.reason}. Scripts should send an API token (Authorization: Bearer …) instead.`,
    subCategory: 'CROSS_ORIGIN_REQUEST',
    errors: (c) => [{ message: `Cross-origin request refused: ${c.reason}.`, in: 'Origin', code: 'CROSS_ORIGIN_REQUEST' }],
  }),
  /** Too many failed sign-ins for an account (or browser); `retryAfterMs` says when to try again. */
  SIGN_IN_BACKOFF: spec<{ retryAfterMs: number }>({
    status: 429,
    category: 'RATE_LIMITS',
    message: (c) => `Too many failed sign-ins for this account; try again in ${Math.max(1, Math.ceil(c.retryAfterMs / 1000))} s.`,
    subCategory: 'SIGN_IN_BACKOFF',
  }),
  SIGN_IN_RATE_LIMITED: spec({ status: 429, category: 'RATE_LIMITS', message: () => 'Too many sign-in attempts; wait a minute.' }),
  FORM_RATE_LIMITED: spec<{ retryAfterMs: number }>({
    status: 429,
    category: 'RATE_LIMITS',
    message: (c) => `Too many form submissions; try again in ${Math.ceil(c.retryAfterMs / 1000)} s.`,
  }),
  UNSUBSCRIBE_LINK_INVALID: invalid(() => 'This unsubscribe link is not valid.', undefined, 'INVALID_TOKEN'),
  /** A click-tracking link whose token is forged, altered or unknown: 404, and no redirect anywhere. */
  TRACKED_LINK_INVALID: spec({ status: 404, category: 'OBJECT_NOT_FOUND', message: () => 'This link is not valid.', subCategory: 'INVALID_TOKEN' }),

  // ---- objects that do not exist ---------------------------------------------------------------
  CONTACT_NOT_FOUND: notFound('Contact'),
  /** A preview names its contact by our reason code, as enrollment rejections do. */
  PREVIEW_CONTACT_NOT_FOUND: notFound('Contact', 'CONTACT_NOT_FOUND'),
  USER_NOT_FOUND: notFound('User'),
  FLOW_NOT_FOUND: notFound('Flow'),
  SEQUENCE_NOT_FOUND: notFound('Sequence'),
  ENROLLMENT_NOT_FOUND: notFound('Enrollment'),
  NOT_ENROLLED: notFound('Enrollment for contact', 'NOT_ENROLLED'),
  TASK_NOT_FOUND: notFound('Task'),
  FORM_NOT_FOUND: notFound('Form'),
  PORTAL_NOT_FOUND: notFound('Portal'),
  MEETING_NOT_FOUND: notFound('Meeting'),
  INBOX_NOT_FOUND: notFound('Inbox'),
  HOLIDAY_NOT_FOUND: notFound('Holiday'),
  TOKEN_NOT_FOUND: notFound('Token'),
  DEV_MAIL_MESSAGE_NOT_FOUND: notFound('Dev mail message'),
  QUARANTINED_MESSAGE_NOT_FOUND: notFound('Quarantined message'),
  /** Batch reads and updates: the ids go into the batch error's context, not the message. */
  CONTACTS_NOT_READ: spec({
    status: 404,
    category: 'OBJECT_NOT_FOUND',
    message: () => 'Could not get some CONTACT objects, they may be deleted or not exist. Check that ids are valid.',
  }),
  CONTACTS_NOT_UPDATED: spec({
    status: 404,
    category: 'OBJECT_NOT_FOUND',
    message: () => 'Could not update some CONTACT objects, they may be deleted or not exist. Check that ids are valid.',
  }),
  FLOWS_NOT_FOUND: spec<{ ids: string[] }>({ status: 404, category: 'OBJECT_NOT_FOUND', message: (c) => `Could not find flows with ids ${c.ids.join(', ')}.` }),

  // ---- conflicts -----------------------------------------------------------------------------
  /**
   * HubSpot's exact 409 text, which scripts parse for the existing id; `existingId` is null when a
   * concurrent create won the race on the unique email and its id is not known here.
   */
  CONTACT_EXISTS: spec<{ existingId: number | null; email?: string }>({
    status: 409,
    category: 'CONFLICT',
    message: (c) => `Contact already exists. Existing ID: ${c.existingId ?? `unknown (${c.email})`}`,
  }),
  USER_EXISTS: conflict<{ email: string }>('USER_EXISTS', (c) => `A user with email ${c.email} already exists.`),
  INBOX_EXISTS: conflict<{ address: string }>('INBOX_EXISTS', (c) => `The inbox ${c.address} is already connected.`),
  ALREADY_SET_UP: conflict('ALREADY_SET_UP', () => 'Seqflow already has an admin; sign in instead.'),
  STALE_REVISION: conflict<{ expected: number; current: number }>(
    'STALE_REVISION',
    (c) => `The flow was changed since revision ${c.expected}; the current revision is ${c.current}. Read it again and reapply your change.`,
  ),
  TASK_COMPLETED: conflict('TASK_COMPLETED', () => 'The task is already completed.'),
  TASK_NOT_OPEN: conflict<{ status: string }>('TASK_NOT_OPEN', (c) => `Only an open task can be worked; this one is ${c.status}.`),
  /** The rep pressed Send: the email is the worker's now, and the task closes when it is sent. */
  TASK_EMAIL_QUEUED: conflict('TASK_EMAIL_QUEUED', () => 'The email of this task is being sent; the task completes when it is.'),
  NOT_AN_EMAIL_TASK: conflict<{ type: string }>('NOT_AN_EMAIL_TASK', (c) => `Only a manual email task has an email to send; this one is a ${c.type} task.`),
  NOT_A_PLACEHOLDER_TASK: conflict('NOT_A_PLACEHOLDER_TASK', () => 'Only the task of an email paused for unfilled placeholders takes placeholder values.'),
  /** The enrollment of a manual email is no longer waiting for it: ended (a reply, a bounce, an unsubscribe), paused or moved on. */
  TASK_ENROLLMENT_NOT_WAITING: conflict<{ state: string; reason: string | null }>(
    (c) => c.reason ?? 'NOT_ACTIVE',
    (c) => `The enrollment is ${c.state}${c.reason ? ` (${c.reason})` : ''}, so this email cannot be sent now.`,
  ),
  PAUSE_NOT_ACTIVE: conflict<{ state: string }>('NOT_ACTIVE', (c) => `Only an active enrollment can be paused; this one is ${c.state}.`),
  RESUME_NOT_PAUSED: conflict<{ state: string }>('NOT_PAUSED', (c) => `Only a paused enrollment can be resumed; this one is ${c.state}.`),
  /** A pause or resume lost the race with a worker or an unenroll. */
  ENROLLMENT_CHANGED: conflict<{ action: 'pause' | 'resume' }>(
    (c) => (c.action === 'pause' ? 'NOT_ACTIVE' : 'NOT_PAUSED'),
    () => 'The enrollment changed meanwhile; try again.',
  ),
  /** Manual enrollment (issue #12): a flow that is off enrolls nobody, as HubSpot's editor refuses it. */
  FLOW_NOT_ENABLED: conflict<{ id: number }>('FLOW_NOT_ENABLED', (c) => `Flow ${c.id} is turned off; turn it on to enroll contacts in it.`),
  /** Manual enrollment of a contact the flow already enrolled, with re-enrollment off (or a run of it still going). */
  ALREADY_IN_FLOW: conflict<{ id: number; contactId: number; running: boolean }>('ALREADY_ENROLLED', (c) =>
    c.running
      ? `Contact ${c.contactId} is still going through flow ${c.id}; it can be enrolled again when that run ends.`
      : `Contact ${c.contactId} was enrolled in flow ${c.id} before, and the flow does not re-enroll contacts.`,
  ),
  SEQUENCE_HAS_ENROLLMENTS: conflict<{ running: number }>(
    'ACTIVE_ENROLLMENTS',
    (c) => `The sequence has ${c.running} active enrollment(s). Delete with overrideActiveEnrollment=true to unenroll them.`,
  ),
  /** Turning a workflow on would enroll more existing contacts in a sequence than PRODUCT §4.3 allows unacknowledged. */
  ENROLLS_MANY: spec<{ count: number; threshold: number }>({
    status: 409,
    category: 'CONFLICT',
    message: (c) =>
      `Turning this workflow on would enroll ${c.count} existing contacts in a sequence (more than ${c.threshold}). Repeat with acknowledge=ENROLLS_MANY to confirm.`,
    subCategory: 'ENROLLS_MANY',
    errors: (c) => [{ code: 'ENROLLS_MANY', message: `${c.count} contacts would be enrolled.` }],
    context: (c) => ({ count: [String(c.count)] }),
  }),
  /**
   * Enrollment rejections (PRODUCT §3.5): state conflicts are 409, everything else about the
   * request is 400. The reason stays in subCategory (callers match on it); `field` overrides the
   * request field named in errors[].in where only the caller knows it (an alias rather than senderEmail).
   */
  ENROLLMENT_REJECTED: spec<{ reason: EnrollmentRejection; field?: string }>({
    status: (c) => (STATE_REJECTIONS.includes(c.reason) ? 409 : 400),
    category: (c) => (STATE_REJECTIONS.includes(c.reason) ? 'CONFLICT' : 'VALIDATION_ERROR'),
    message: (c) => rejectionText(c.reason),
    subCategory: (c) => c.reason,
    errors: (c, message) => {
      const field = c.field ?? REJECTION_FIELD[c.reason];
      return [{ message, code: c.reason, ...(field && { in: field }) }];
    },
  }),

  // ---- input the schema accepts but a rule refuses ---------------------------------------------
  SELF_MERGE: invalid(
    () => 'A contact cannot be merged with itself: primaryObjectId and objectIdToMerge are the same.',
    () => [{ message: 'must differ from primaryObjectId', in: 'objectIdToMerge' }],
  ),
  INVALID_EMAIL_PROPERTY: invalid<{ email: string; field: string }>(
    (c) => `Property values were not valid: "${c.email}" is not a valid email address.`,
    (c) => [{ message: `${c.email} is not a valid email address`, in: c.field, code: 'INVALID_EMAIL' }],
  ),
  BATCH_HISTORY_LIMIT: invalid<{ limit: number }>(
    (c) => `The maximum number of inputs supported in a batch request for property histories is ${c.limit}`,
    (c) => [{ message: `at most ${c.limit} inputs with propertiesWithHistory`, in: 'inputs' }],
  ),
  SEARCH_CURSOR_INVALID: invalid(
    () => 'after must be a cursor returned by a previous page',
    () => [{ message: 'after: invalid cursor', in: 'after' }],
  ),
  SEARCH_CURSOR_PAST_CAP: invalid<{ after: string; cap: number }>(
    (c) => `Search results are limited to ${c.cap} per query: after ${c.after} is past the last page. Narrow the filters instead.`,
    (c) => [{ message: `after must be below ${c.cap}`, in: 'after' }],
  ),
  MEETING_OWNER_INVALID: invalid(
    () => 'hubspot_owner_id must be an owner id.',
    () => [{ message: 'not an owner id', in: 'properties.hubspot_owner_id' }],
  ),
  MEETING_TIME_INVALID: invalid(
    () => 'hs_timestamp must be an ISO-8601 date or epoch milliseconds.',
    () => [{ message: 'invalid date', in: 'properties.hs_timestamp' }],
  ),
  /** The dev inbox was asked to answer mail no connected inbox sent. */
  NO_SENDING_INBOX: invalid<{ address: string; field?: string }>(
    (c) => `No connected inbox sends from ${c.address}.`,
    (c, message) => (c.field ? [{ message, in: c.field }] : undefined),
  ),

  // ---- companies and associations (issue #13) -------------------------------------------------
  COMPANY_NOT_FOUND: notFound('Company'),
  /** An association path or input naming a record that does not exist; `field` says which. */
  ASSOCIATED_OBJECT_NOT_FOUND: notFound('Object'),
  COMPANIES_NOT_READ: spec({
    status: 404,
    category: 'OBJECT_NOT_FOUND',
    message: () => 'Could not get some COMPANY objects, they may be deleted or not exist. Check that ids are valid.',
  }),
  COMPANIES_NOT_UPDATED: spec({
    status: 404,
    category: 'OBJECT_NOT_FOUND',
    message: () => 'Could not update some COMPANY objects, they may be deleted or not exist. Check that ids are valid.',
  }),
  /** An object type the associations API does not hold (Seqflow: contacts, companies, meetings). */
  OBJECT_TYPE_UNKNOWN: invalid<{ objectType: string; field: string }>(
    (c) => `Unable to infer object type from: ${c.objectType}`,
    (c, message) => [{ message, in: c.field }],
  ),
  ASSOCIATION_PAIR_UNSUPPORTED: invalid<{ from: string; to: string; field: string }>(
    (c) => `Seqflow holds no associations from ${c.from} to ${c.to}.`,
    (c, message) => [{ message, in: c.field }],
  ),
  ASSOCIATION_TYPE_INVALID: invalid<{ typeId: unknown; category?: string; from: string; to: string; field: string }>(
    (c) => `${c.category ?? 'HUBSPOT_DEFINED'} association type ${String(c.typeId)} is not valid from ${c.from} to ${c.to}.`,
    (c, message) => [{ message, in: c.field, code: 'INVALID_ASSOCIATION_TYPE' }],
  ),
  /** A meeting's contact is fixed when it is logged (one meeting per contact in Seqflow). */
  MEETING_CONTACT_FIXED: invalid<{ meetingId: number; field: string }>(
    (c) => `Meeting ${c.meetingId} is associated with its one contact; Seqflow does not move or remove it.`,
    (c, message) => [{ message, in: c.field }],
  ),
  // ---- properties (CRM properties v3) ---------------------------------------------------------
  PROPERTY_NOT_FOUND: notFound('Property'),
  PROPERTY_GROUP_NOT_FOUND: notFound('Property group'),
  PROPERTY_EXISTS: conflict<{ objectType: string; name: string; archived: boolean }>(
    'PROPERTY_EXISTS',
    (c) => `A ${c.objectType} property named ${c.name} already exists${c.archived ? ' (archived)' : ''}.`,
  ),
  PROPERTY_GROUP_EXISTS: conflict<{ objectType: string; name: string }>('PROPERTY_GROUP_EXISTS', (c) => `A ${c.objectType} property group named ${c.name} already exists.`),
  /** Built-in properties and groups keep their definition: no archiving, no retyping. */
  HUBSPOT_DEFINED: invalid<{ what: string; name: string; field?: string }>(
    (c) => `${c.name} is a HubSpot-defined ${c.what}; it cannot be ${c.field ? `changed (${c.field})` : 'archived'}.`,
    (c, message) => [{ message, in: c.field ?? 'name', code: 'READ_ONLY_DEFINITION' }],
    'READ_ONLY_DEFINITION',
  ),
  PROPERTY_GROUP_NOT_EMPTY: invalid<{ name: string; count: number }>(
    (c) => `The property group ${c.name} still holds ${c.count} propert${c.count === 1 ? 'y' : 'ies'}; move or archive them first.`,
    (c, message) => [{ message, in: 'groupName' }],
  ),
  /**
   * HubSpot's answer to property values it refuses: "Property values were not valid: [...]" with
   * its per-property list (isValid, message, error, name) in the message, and errors[] naming
   * each property with the HubSpot code, so clients need not parse the message.
   */
  PROPERTY_VALUES_INVALID: spec<{ problems: { name: string; error: string; message: string }[]; at?: string }>({
    status: 400,
    category: 'VALIDATION_ERROR',
    message: (c) => `Property values were not valid: ${JSON.stringify(c.problems.map((p) => ({ isValid: false, message: p.message, error: p.error, name: p.name })))}`,
    subCategory: (c) => c.problems[0]?.error,
    errors: (c) => c.problems.map((p) => ({ message: p.message, in: c.at ? `${c.at}.${p.name}` : p.name, code: p.error })),
  }),
  // ---- lists (HubSpot's lists v3) ------------------------------------------------------------
  LIST_NOT_FOUND: notFound('List'),
  LIST_NAME_EXISTS: conflict<{ name: string }>('LIST_NAME_EXISTS', (c) => `A list named ${JSON.stringify(c.name)} already exists; list names are unique.`),
  /** Members of a DYNAMIC list are whoever matches its filters: they cannot be added or removed by hand. */
  LIST_NOT_MANUAL: invalid<{ id: number }>(
    (c) => `List ${c.id} is a DYNAMIC list: its members are the contacts that match its filters and cannot be added or removed by hand.`,
    () => [{ message: 'only MANUAL and SNAPSHOT lists take membership changes', in: 'listId', code: 'LIST_NOT_MANUAL' }],
    'LIST_NOT_MANUAL',
  ),
  /** Only DYNAMIC and SNAPSHOT lists have filters to change. */
  LIST_HAS_NO_FILTERS: invalid<{ id: number }>(
    (c) => `List ${c.id} is a MANUAL list: it has no filters to update.`,
    () => [{ message: 'only DYNAMIC and SNAPSHOT lists have filters', in: 'filterBranch', code: 'LIST_HAS_NO_FILTERS' }],
    'LIST_HAS_NO_FILTERS',
  ),
  // ---- CSV imports ---------------------------------------------------------------------------
  IMPORT_NOT_FOUND: notFound('Import'),
  /** The import request and its file do not fit together (a mapped column the file lacks, no email column, …). */
  IMPORT_REQUEST_INVALID: invalid<{ problems: ErrorDetail[] }>(
    (c) => `The import cannot start: ${c.problems[0].message}`,
    (c) => c.problems,
    'INVALID_COLUMN_CONFIGURATION',
  ),
  IMPORT_FILE_MISSING: invalid(
    () => 'The import needs one CSV file in the multipart field "files".',
    (_c, message) => [{ message, in: 'files' }],
    'FILE_NOT_FOUND',
  ),
  IMPORT_FILE_TOO_LARGE: spec<{ limitBytes: number }>({
    status: 413,
    category: 'VALIDATION_ERROR',
    message: (c) => `The import file is larger than ${c.limitBytes} bytes.`,
    errors: (_c, message) => [{ message, in: 'files' }],
  }),
  IMPORT_FINISHED: conflict<{ state: string }>('IMPORT_FINISHED', (c) => `The import has already ended (${c.state}).`),
  /** OAuth mailboxes (issue #16). */
  OAUTH_PROVIDER_NOT_CONFIGURED: invalid<{ provider: string }>(
    (c) => `Connecting mailboxes with ${c.provider} is not set up on this server. An admin must configure its client id and secret (README: Connecting Google and Microsoft mailboxes).`,
    (_c, message) => [{ message, in: 'provider', code: 'OAUTH_PROVIDER_NOT_CONFIGURED' }],
    'OAUTH_PROVIDER_NOT_CONFIGURED',
  ),
  OAUTH_NOT_OAUTH_INBOX: invalid<{ id: number }>(
    (c) => `Inbox ${c.id} was not connected with Google, Microsoft or OpenID sign-in, so it cannot be reconnected that way.`,
    (_c, message) => [{ message, in: 'inboxId' }],
  ),
  /** The callback could not complete a connect; `code` says why (state, consent, scope, account, test). */
  OAUTH_CONNECT_FAILED: invalid<{ code: string; message: string; field?: string }>(
    (c) => c.message,
    (c, message) => [{ message, in: c.field ?? 'code', code: c.code }],
    'OAUTH_CONNECT_FAILED',
  ),
  // ---- templates and snippets (issue #14 item 1) -----------------------------------------------
  /** Someone else's private one is not found either, so its existence does not leak. */
  TEMPLATE_NOT_FOUND: notFound('Template'),
  SNIPPET_NOT_FOUND: notFound('Snippet'),
  SNIPPET_SHORTCUT_EXISTS: conflict<{ shortcut: string }>('SNIPPET_SHORTCUT_EXISTS', (c) => `A snippet with the shortcut #${c.shortcut} already exists; shortcuts are unique.`),
  /** A shared template or snippet of someone else: seen by all, changed by its owner and admins. */
  LIBRARY_ITEM_NOT_YOURS: spec<{ what: 'template' | 'snippet'; id: number }>({
    status: 403,
    category: 'FORBIDDEN',
    message: (c) => `The ${c.what} ${c.id} is shared by another user: only they or an admin can change it.`,
    subCategory: 'NOT_OWNER',
    errors: (_c, message) => [{ message, code: 'NOT_OWNER' }],
  }),
  // ---- named schedules (issue #14 item 4) ------------------------------------------------------
  SCHEDULE_NOT_FOUND: notFound('Schedule'),
  SCHEDULE_IN_USE: spec<{ id: number; sequences: { id: number; name: string }[] }>({
    status: 409,
    category: 'CONFLICT',
    message: (c) => `Schedule ${c.id} is used by ${c.sequences.map((s) => `"${s.name}" (${s.id})`).join(', ')}: choose other rules for them first.`,
    subCategory: 'SCHEDULE_IN_USE',
    errors: (_c, message) => [{ message, code: 'SCHEDULE_IN_USE' }],
    context: (c) => ({ sequenceIds: c.sequences.map((s) => String(s.id)), sequenceNames: c.sequences.map((s) => s.name) }),
  }),
} satisfies Record<string, ErrorSpec<any>>;

export type ErrorCode = keyof typeof ERRORS;
/** The typed details an error of this code carries (what its message and body are made from). */
export type ErrorDetails<K extends ErrorCode> = (typeof ERRORS)[K] extends ErrorSpec<infer C> ? C : never;

/** Every error the API returns: a coded entry of ERRORS with its details, as HubSpot shapes it. */
export class SeqflowError<K extends ErrorCode = ErrorCode> extends Error {
  readonly status: number;
  readonly category: ErrorCategory;
  readonly subCategory?: string;
  readonly errors?: ErrorDetail[];
  readonly context?: Record<string, string[]>;

  constructor(
    readonly code: K,
    readonly details: ErrorDetails<K>,
  ) {
    const s = ERRORS[code] as ErrorSpec<ErrorDetails<K>>;
    const message = s.message(details);
    super(message);
    this.name = 'SeqflowError';
    this.status = typeof s.status === 'function' ? s.status(details) : s.status;
    this.category = typeof s.category === 'function' ? s.category(details) : s.category;
    const subCategory = typeof s.subCategory === 'function' ? s.subCategory(details) : s.subCategory;
    if (subCategory) this.subCategory = subCategory;
    const list = s.errors?.(details, message);
    if (list) this.errors = list;
    const context = s.context?.(details);
    if (context) this.context = context;
  }
}

/** Whether `err` is the coded error `code`; its details are then typed. */
export const isError = <K extends ErrorCode>(err: unknown, code: K): err is SeqflowError<K> => err instanceof SeqflowError && err.code === code;

type CamelCase<S extends string> = S extends `${infer Head}_${infer Tail}` ? `${Lowercase<Head>}${Capitalize<CamelCase<Tail>>}` : Lowercase<S>;
type Constructor<K extends ErrorCode> = [ErrorDetails<K>] extends [void] ? () => SeqflowError<K> : (details: ErrorDetails<K>) => SeqflowError<K>;

const camelCase = (code: string) => code.toLowerCase().replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());

/** One constructor per code: `errors.contactNotFound({ id })` is `new SeqflowError('CONTACT_NOT_FOUND', { id })`. */
export const errors = Object.fromEntries(
  Object.keys(ERRORS).map((code) => [camelCase(code), (details: unknown) => new SeqflowError(code as ErrorCode, details as never)]),
) as { [K in ErrorCode as CamelCase<K>]: Constructor<K> };

/** A validation failure the request schema cannot express; `errors` name each field. */
export const validationError = (message: string, list: ErrorDetail[] = [], subCategory?: string): SeqflowError<'INVALID_INPUT'> =>
  errors.invalidInput({ message, errors: list, subCategory });

/** One bad field; `code`, when given, is our reason code (subCategory and errors[].code). */
export const fieldError = (field: string, message: string, code?: string): SeqflowError<'INVALID_FIELD'> => errors.invalidField({ field, message, code });
