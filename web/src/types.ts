/** The API shapes the UI reads (a subset of what the server returns). */

export interface User {
  id: string;
  email: string;
  firstName: string;
  lastName: string;
  seat: string;
  timezone: string | null;
  superAdmin: boolean;
}

export interface Inbox {
  id: string;
  userId: string;
  address: string;
  aliases: string[];
  provider: string;
  status: 'connected' | 'disconnected' | 'error';
  dailyLimit: number;
  perMinuteLimit: number;
}

export interface InboxUsage {
  sentLast24h: number;
  scheduledLast24h: number;
  sequenceLimit: number;
  dailyLimit: number;
  perMinuteLimit: number;
  sync: { status: string; lastSyncAt: string | null; lastError: string | null } | null;
}

export interface FlowAction {
  type: string;
  actionId: string;
  actionTypeId: string;
  actionTypeVersion?: number;
  fields: Record<string, unknown>;
  connection?: { edgeType?: string; nextActionId: string };
  [extra: string]: unknown;
}

export interface Filter {
  filterType?: string;
  property: string;
  operation: { operationType?: string; operator: string; value?: string; values?: string[]; [k: string]: unknown };
}

export interface FilterBranch {
  filterBranchType: string;
  filterBranchOperator?: string;
  filters: Filter[];
  filterBranches: FilterBranch[];
  [k: string]: unknown;
}

export type EnrollmentCriteria =
  | { type: 'EVENT_BASED'; shouldReEnroll?: boolean; eventFilterBranches: { eventTypeId: string; filters?: Filter[]; [k: string]: unknown }[]; listMembershipFilterBranches?: unknown[] }
  | { type: 'LIST_BASED'; shouldReEnroll?: boolean; listFilterBranch: FilterBranch; reEnrollmentTriggersFilterBranches?: unknown[]; unEnrollObjectsNotMeetingCriteria?: boolean }
  | { type: 'MANUAL'; shouldReEnroll?: boolean };

export interface Flow {
  id: string;
  name: string;
  description?: string;
  type: 'CONTACT_FLOW';
  objectTypeId: '0-1';
  flowType: 'WORKFLOW';
  isEnabled: boolean;
  revisionId: string;
  startActionId?: string;
  nextAvailableActionId?: string;
  actions: FlowAction[];
  enrollmentCriteria?: EnrollmentCriteria;
  needsReview?: boolean;
  reviewReason?: string;
  warnings?: GuardrailIssue[];
  createdAt: string;
  updatedAt: string;
  [extra: string]: unknown;
}

export interface FlowListing {
  id: string;
  name: string;
  isEnabled: boolean;
  revisionId: string;
  needsReview?: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface GuardrailIssue {
  code: string;
  level: 'warning' | 'error';
  message: string;
  count?: number;
  actionId?: string;
}

export interface ActionType {
  actionTypeId: string;
  actionName: string;
  groupId: string;
  inputFieldDefinitions: { name: string; type: string; required: boolean; options?: readonly string[] }[];
}

export interface Form {
  id: string;
  portalId: string;
  name: string;
  fields: { name: string; label: string; required: boolean }[];
}

export interface SequenceLite {
  id: string;
  name: string;
  userId: string;
  createdAt: string;
  updatedAt: string;
}

export interface SequenceSettings {
  eligibleFollowUpDays: 'EVERYDAY' | 'WEEKDAYS_ONLY' | 'BUSINESS_DAYS';
  sendWindowStartMinute: number;
  sendWindowEndMinute: number;
  useThreadedFollowUps: boolean;
  unenrollOnReply: boolean;
  unenrollOnMeeting: boolean;
  sellingStrategy: 'LEAD_BASED' | 'ACCOUNT_BASED';
}

export interface SequenceStep {
  id: string;
  stepOrder: number;
  delayMillis: number;
  actionType: 'EMAIL' | 'TASK';
  emailPattern?: { subject: string; body: string; threadEmailToStepOrder?: number | null };
  taskPattern?: { taskType: string; taskPriority: string; subject: string; notes: string };
}

export interface Sequence extends SequenceLite {
  settings: SequenceSettings;
  steps: SequenceStep[];
  dependencies: { reliesOnStepOrder: number; requiredByStepOrder: number }[];
}

export interface Enrollment {
  id: string;
  contactId: string;
  sequenceId: string;
  state: 'ACTIVE' | 'PAUSED' | 'FINISHED' | 'UNENROLLED' | 'FAILED';
  reason?: string;
  senderUserId: string;
  senderEmail: string;
  toEmail: string;
  timeZone: string;
  source: string;
  currentStep: number;
  nextDueAt?: string;
  enrolledAt: string;
  updatedAt: string;
  endedAt?: string;
  sends: { step: number; status: string; messageId: string; subject: string; at: string; error?: string }[];
}

export interface Contact {
  id: string;
  properties: Record<string, string | null>;
  createdAt: string;
  updatedAt: string;
  archived: boolean;
}

export interface LogEntry {
  flowId: string;
  runId: string;
  contactId: string;
  actionId: string;
  actionTypeId: string;
  status: 'EXECUTED' | 'SKIPPED' | 'FAILED';
  reasonCode?: string;
  reasonText?: string;
  at: string;
}

export interface DevMessage {
  id: string;
  messageId: string | null;
  from: string;
  to: string[];
  subject: string;
  text: string;
  html: string | null;
  headers: Record<string, string>;
  receivedAt: string;
}

export interface Paged<T> {
  results: T[];
  total?: number;
  paging?: { next?: { after: string } };
}
