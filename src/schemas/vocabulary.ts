/**
 * The enumerations the API speaks, as zod-free constants the schemas build on. They are the
 * domain's (src/domain/glossary.ts and friends) copied here because this tree may import nothing
 * but zod; src/schemas/vocabulary.test.ts keeps the copies equal.
 */
export const SEATS = ['none', 'sales_starter', 'sales_professional', 'sales_enterprise', 'service_starter', 'service_professional', 'service_enterprise'] as const;
export const USER_ROLES = ['admin', 'user'] as const;
export const INBOX_PROVIDERS = ['gmail_free', 'google_workspace', 'office365', 'exchange', 'imap', 'dev'] as const;
export const INBOX_STATUSES = ['connected', 'disconnected', 'error'] as const;
export const FOLLOW_UP_DAYS = ['EVERYDAY', 'WEEKDAYS_ONLY', 'BUSINESS_DAYS'] as const;
export const WEEKDAYS = ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'] as const;
export const HOLIDAY_CALENDARS = ['ACCOUNT_AND_SENDER', 'ACCOUNT', 'SENDER'] as const;
export const SELLING_STRATEGIES = ['LEAD_BASED', 'ACCOUNT_BASED'] as const;
export const TASK_TYPES = ['CALL', 'EMAIL', 'TODO', 'LINKED_IN_CONNECT', 'LINKED_IN_MESSAGE'] as const;
export const TASK_PRIORITIES = ['NONE', 'LOW', 'MEDIUM', 'HIGH'] as const;
export const TASK_STATUSES = ['OPEN', 'COMPLETED', 'SKIPPED'] as const;
export const CALL_OUTCOMES = ['CONNECTED', 'LEFT_VOICEMAIL', 'LEFT_LIVE_MESSAGE', 'NO_ANSWER', 'BUSY', 'WRONG_NUMBER'] as const;
export const QUEUE_SECTIONS = ['OVERDUE', 'TODAY', 'UPCOMING'] as const;
export const ENROLLMENT_STATES = ['ACTIVE', 'PAUSED', 'FINISHED', 'UNENROLLED', 'FAILED'] as const;
export const ENROLLMENT_SOURCES = ['API', 'WORKFLOW', 'UI'] as const;
export const SEND_STATUSES = ['SENDING', 'SENT', 'UNCERTAIN', 'RETRYING', 'FAILED'] as const;
export const ACTION_STATUSES = ['EXECUTED', 'SKIPPED', 'FAILED', 'RETRYING'] as const;
/** PRODUCT §3.5's enrollment rejection codes, in the order they are checked (src/domain/reasons.ts). */
export const ENROLLMENT_REJECTION_CODES = [
  'SEQUENCE_NOT_FOUND',
  'CONTACT_NOT_FOUND',
  'NO_EMAIL_ADDRESS',
  'SENDER_NOT_FOUND',
  'SENDER_NO_SEAT',
  'SENDER_INBOX_DISCONNECTED',
  'SENDER_ADDRESS_NOT_ALLOWED',
  'UNSUBSCRIBED',
  'BOUNCED',
  'BLOCKED_ADDRESS',
  'BLOCKED_DOMAIN',
  'ALREADY_ENROLLED',
  'SEND_LIMIT_REACHED',
] as const;
export const LIST_PROCESSING_TYPES = ['MANUAL', 'DYNAMIC', 'SNAPSHOT'] as const;
