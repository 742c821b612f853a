/**
 * Seqflow's terms, in one place. Every other module speaks in these words
 * (see PRODUCT.md §1 for the prose definitions).
 *
 * - contact     a person sold to; unique by email (case-insensitive), string properties.
 * - user        a person using Seqflow; has a seat and a time zone; exposed as an owner.
 * - seat        the licence a user holds; decides whether they may use or send sequences.
 * - inbox       a user's connected mailbox: primary address + aliases, SMTP (and IMAP) settings,
 *               daily and per-minute send limits.
 * - sequence    ordered steps owned by a user, plus settings; edits create a new version,
 *               running enrollments keep the version they started with.
 * - step        EMAIL (subject + body template) or TASK, with a delay after the previous step.
 * - enrollment  one contact in one sequence, with sender, send-from address, state and the
 *               record of every send.
 * - send        one attempt to deliver one EMAIL step of one enrollment; exactly one per
 *               (enrollment, step).
 * - clock       where "now" comes from; passed in everywhere, never read from Date directly.
 *
 * Workflows (PRODUCT.md §4; HubSpot's flows v4):
 *
 * - workflow    a saved flow definition (trigger + actions) with a revision; on or off, and
 *               flagged "needs review" when something it names (a sequence, a sender) breaks.
 * - trigger     what enrolls a contact in a workflow (the definition's enrollmentCriteria):
 *               EVENT_BASED (an event of a type, with filters refining on the event's
 *               properties: which form, which sequence, which property from/to which value,
 *               which unenroll reason), LIST_BASED (the contact's properties start to match, or
 *               it joins a list) or MANUAL; re-enrollment decides whether a contact may go
 *               through it more than once (membership records that it did).
 * - manual enrollment  a user or a script starting a run for a contact, or for each member of
 *               a list, in an enabled workflow whatever its trigger; re-enrollment applies.
 * - workflow history   a contact's action-log entries across every workflow, newest first.
 * - event       one append-only entry on a contact's timeline (FORM_SUBMITTED, MEETING_BOOKED,
 *               EMAIL_REPLIED, PROPERTY_CHANGED, …); recording one fires the matching triggers
 *               in the same transaction.
 * - run         one contact's way through one workflow: a row with the action it is at and a
 *               due time, claimed with a lease like an enrollment; a delay is a due time.
 * - action      one node of a workflow: a single action with an actionTypeId (Delay 0-1, Enroll
 *               in a sequence 0-46510720, Set property 0-5, Create task 0-3, …) or an If/then
 *               branch (LIST_BRANCH, STATIC_BRANCH); every execution is written to the action
 *               log as EXECUTED, SKIPPED or FAILED with a reason code. Each action type and
 *               each event trigger is one file of a registry (src/services/workflow-actions,
 *               src/services/workflow-triggers).
 * - time window a weekday's hours in the account's zone when a workflow's actions may run
 *               (timeWindows); a blocked date is a local day when none runs. An action reached
 *               outside them waits; delays and branches do not (HubSpot).
 * - form        a hosted form with fields (always a required `email`); a submission creates or
 *               updates the contact by email and records FORM_SUBMITTED.
 * - meeting     a meeting booked with a contact (HubSpot's meetings object); records
 *               MEETING_BOOKED and, when the sequence says so, ends the contact's enrollment.
 * - task        a to-do for a user about a contact: a sequence TASK step (which may hold the
 *               next step until completed), a workflow's Create task action, or a check Seqflow
 *               asks for (an uncertain send, a template that cannot render).
 *
 * Companies (issue #13; HubSpot's companies object):
 *
 * - company     an account sold to: string properties (name, domain, industry, …); contacts are
 *               associated with it, one of them being each contact's primary company
 *               (`associatedcompanyid`). ACCOUNT_BASED sequences group contacts by it.
 * - association a link between two records (contact ↔ company, contact ↔ meeting) with HubSpot's
 *               type ids (src/domain/companies.ts).
 */

export type Millis = number;

export interface Clock {
  now(): Millis;
}

export const SEATS = [
  'none',
  'sales_starter',
  'sales_professional',
  'sales_enterprise',
  'service_starter',
  'service_professional',
  'service_enterprise',
] as const;
export type Seat = (typeof SEATS)[number];

export type UserRole = 'admin' | 'user';

export interface User {
  id: number;
  email: string;
  firstName: string;
  lastName: string;
  role: UserRole;
  seat: Seat;
  timezone: string | null;
  signature: string;
  createdAt: Millis;
  updatedAt: Millis;
  deletedAt: Millis | null;
}

export const INBOX_PROVIDERS = ['gmail_free', 'google_workspace', 'office365', 'exchange', 'imap', 'dev'] as const;
export type InboxProvider = (typeof INBOX_PROVIDERS)[number];
export type InboxStatus = 'connected' | 'disconnected' | 'error';

export interface SmtpSettings {
  host: string;
  port: number;
  secure?: boolean;
  auth?: { user: string; pass: string };
  /** An OAuth inbox's sign-in (issue #16): filled with a fresh access token just before use, never stored. */
  xoauth2?: XOAuth2Login;
}

export interface ImapSettings {
  host: string;
  port: number;
  secure?: boolean;
  auth?: { user: string; pass: string };
  xoauth2?: XOAuth2Login;
}

export interface XOAuth2Login {
  user: string;
  accessToken: string;
}

export interface Inbox {
  id: number;
  userId: number;
  address: string;
  aliases: string[];
  provider: InboxProvider;
  /** null for the `dev` provider: sends go to the built-in dev mail server. */
  smtp: SmtpSettings | null;
  imap: ImapSettings | null;
  status: InboxStatus;
  dailyLimit: number;
  perMinuteLimit: number;
  createdAt: Millis;
  updatedAt: Millis;
}

export interface Contact {
  id: number;
  email: string | null;
  properties: Record<string, string | null>;
  createdAt: Millis;
  updatedAt: Millis;
  archivedAt: Millis | null;
  bouncedAt: Millis | null;
  unsubscribedAt: Millis | null;
}

export interface Company {
  id: number;
  properties: Record<string, string | null>;
  createdAt: Millis;
  updatedAt: Millis;
  archivedAt: Millis | null;
}

export const FOLLOW_UP_DAYS = ['EVERYDAY', 'WEEKDAYS_ONLY', 'BUSINESS_DAYS'] as const;
export type FollowUpDays = (typeof FOLLOW_UP_DAYS)[number];

/** Whose holidays BUSINESS_DAYS skips under a named schedule: the account's and the sender's own (as a sequence's own settings do), or one of them. */
export const HOLIDAY_CALENDARS = ['ACCOUNT_AND_SENDER', 'ACCOUNT', 'SENDER'] as const;
export type HolidayCalendar = (typeof HOLIDAY_CALENDARS)[number];

export const SELLING_STRATEGIES = ['LEAD_BASED', 'ACCOUNT_BASED'] as const;
export type SellingStrategy = (typeof SELLING_STRATEGIES)[number];

/** ISO weekdays, Monday first, as luxon numbers them (1–7). */
export const WEEKDAYS = ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export interface SendWindow {
  /** Minutes after local midnight, inclusive. */
  startMinute: number;
  /** Minutes after local midnight, exclusive; may be 1440. */
  endMinute: number;
}

/**
 * A named schedule (issue #14 item 4): send windows and follow-up days several sequences share.
 * Minutes are local to each enrollment's zone, as a sequence's own windows are.
 */
export interface Schedule {
  id: number;
  name: string;
  sendWindowStartMinute: number;
  sendWindowEndMinute: number;
  sendWindowsByWeekday: Partial<Record<Weekday, SendWindow | null>>;
  eligibleFollowUpDays: FollowUpDays;
  holidayCalendar: HolidayCalendar;
  createdAt: Millis;
  updatedAt: Millis;
}

export interface SequenceSettings {
  eligibleFollowUpDays: FollowUpDays;
  sendWindowStartMinute: number;
  sendWindowEndMinute: number;
  /** Days with a window of their own (Fri 08–12) or none (null: nothing is sent); the others use the window above. */
  sendWindowsByWeekday?: Partial<Record<Weekday, SendWindow | null>>;
  /** A named schedule whose rules replace the four above, read whenever a step is placed; null or absent: the sequence's own. */
  scheduleId?: number | null;
  useThreadedFollowUps: boolean;
  unenrollOnReply: boolean;
  unenrollOnMeeting: boolean;
  sellingStrategy: SellingStrategy;
  /** Open tracking: a pixel in the HTML part, served by Seqflow (off by default; sequences saved before it read as off). */
  trackOpens: boolean;
  /** Click tracking: http(s) links of the HTML part go through Seqflow's redirect (off by default, as trackOpens). */
  trackClicks: boolean;
}

export const TASK_TYPES = ['CALL', 'EMAIL', 'TODO', 'LINKED_IN_CONNECT', 'LINKED_IN_MESSAGE'] as const;
export type TaskType = (typeof TASK_TYPES)[number];
/** A task is worked (COMPLETED) or passed over (SKIPPED); either lets a gated sequence go on. */
export const TASK_STATUSES = ['OPEN', 'COMPLETED', 'SKIPPED'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];
/** What a logged call came to (HubSpot's call dispositions, by our names). */
export const CALL_OUTCOMES = ['CONNECTED', 'LEFT_VOICEMAIL', 'LEFT_LIVE_MESSAGE', 'NO_ANSWER', 'BUSY', 'WRONG_NUMBER'] as const;
export type CallOutcome = (typeof CALL_OUTCOMES)[number];
export const CALL_OUTCOME_LABELS: Record<CallOutcome, string> = {
  CONNECTED: 'Connected',
  LEFT_VOICEMAIL: 'Left voicemail',
  LEFT_LIVE_MESSAGE: 'Left live message',
  NO_ANSWER: 'No answer',
  BUSY: 'Busy',
  WRONG_NUMBER: 'Wrong number',
};
export type TaskPriority = 'NONE' | 'LOW' | 'MEDIUM' | 'HIGH';

export interface Step {
  id: number;
  stepOrder: number;
  type: 'EMAIL' | 'TASK';
  delayMillis: Millis;
  subject: string;
  body: string;
  /** EMAIL: the earlier step whose thread this email replies in (null: a new thread). */
  threadToStepOrder: number | null;
  /** EMAIL: the library template its subject and body were copied from; editing that template later changes nothing here. */
  templateId: number | null;
  taskType: TaskType | null;
  taskPriority: 'NONE' | 'LOW' | 'MEDIUM' | 'HIGH' | null;
  taskGatesNextStep: boolean;
  createdAt: Millis;
}

export interface Sequence {
  id: number;
  userId: number;
  name: string;
  settings: SequenceSettings;
  version: number;
  createdAt: Millis;
  updatedAt: Millis;
  deletedAt: Millis | null;
}

export type EnrollmentState = 'ACTIVE' | 'PAUSED' | 'FINISHED' | 'UNENROLLED' | 'FAILED';
/** States in which a contact counts as "in a sequence" (PRODUCT §3.4). */
export const RUNNING_STATES: EnrollmentState[] = ['ACTIVE', 'PAUSED'];

export type EnrollmentSource = 'API' | 'WORKFLOW' | 'UI';

export interface Enrollment {
  id: number;
  contactId: number;
  sequenceId: number;
  sequenceVersion: number;
  senderUserId: number;
  enrolledByUserId: number;
  inboxId: number;
  senderEmail: string;
  toEmail: string;
  timeZone: string;
  source: EnrollmentSource;
  state: EnrollmentState;
  reason: string | null;
  currentStep: number;
  nextDueAt: Millis | null;
  placeholderValues: Record<string, string>;
  enrolledAt: Millis;
  updatedAt: Millis;
  endedAt: Millis | null;
}

export type SendStatus = 'SENDING' | 'SENT' | 'UNCERTAIN' | 'RETRYING' | 'FAILED';
/**
 * How a SENT send is known to have gone out: the server's 250 (SMTP), or — after the sending
 * worker died mid-conversation — the message found in the dev mail server's store (DEV_MAIL) or
 * in the inbox's Sent folder (IMAP_SENT).
 */
export type SendConfirmation = 'SMTP' | 'DEV_MAIL' | 'IMAP_SENT';

export interface Send {
  id: number;
  enrollmentId: number;
  stepOrder: number;
  inboxId: number;
  messageId: string;
  status: SendStatus;
  fromEmail: string;
  toEmail: string;
  subject: string;
  attempts: number;
  error: string | null;
  createdAt: Millis;
  sentAt: Millis | null;
  confirmedBy: SendConfirmation | null;
}

export interface Task {
  id: number;
  userId: number;
  contactId: number;
  enrollmentId: number | null;
  stepOrder: number | null;
  type: TaskType;
  subject: string;
  notes: string;
  status: TaskStatus;
  reason: string | null;
  dueAt: Millis;
  createdAt: Millis;
  completedAt: Millis | null;
  priority: TaskPriority | null;
  /** Hidden from the queue until then. */
  snoozedUntil: Millis | null;
  callOutcome: CallOutcome | null;
  completionNote: string | null;
  /** Set when Seqflow closed the task because its enrollment ended: why it ended (REPLIED, …). */
  closedReason: string | null;
  /** A manual email the rep sent: queued for the worker at this instant (see docs/decisions.md). */
  sendRequestedAt: Millis | null;
}

export interface ContactEvent {
  id: number;
  contactId: number;
  type: string;
  at: Millis;
  data: Record<string, unknown>;
}

/**
 * Lists (HubSpot's lists v3; objectTypeId 0-1, contacts only):
 *
 * - list        a named set of contacts. MANUAL: members are added and removed by hand or API.
 *               DYNAMIC: members are the contacts matching its filter branch, kept up to date
 *               in the transaction of every contact change. SNAPSHOT: filled once from its
 *               filters when created, then managed by hand like a MANUAL list.
 * - membership  one contact on one list since a time; joining a list fires the list-membership
 *               workflow triggers (an IN_LIST filter of a LIST_BASED trigger).
 */
export type ListProcessingType = 'MANUAL' | 'DYNAMIC' | 'SNAPSHOT';

export interface ContactList {
  id: number;
  name: string;
  objectTypeId: string;
  processingType: ListProcessingType;
  /** The v4 filter branch of a DYNAMIC or SNAPSHOT list (PROPERTY filters only); null for MANUAL. */
  filterBranch: unknown;
  version: number;
  createdByUserId: number | null;
  createdAt: Millis;
  updatedAt: Millis;
  filtersUpdatedAt: Millis;
  deletedAt: Millis | null;
}

export interface ListMembership {
  listId: number;
  contactId: number;
  addedAt: Millis;
}
