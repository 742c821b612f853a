/**
 * The API shapes the UI reads: the server's own schemas (src/schemas, imported for their types
 * only, so nothing of them reaches the bundle), so the server and the UI cannot drift apart.
 */
export type { Paged } from '../../src/schemas/common.js';
export type { Contact } from '../../src/schemas/contacts.js';
export type { Enrollment } from '../../src/schemas/enrollments.js';
export type {
  ActionType,
  EnrollmentCriteria,
  Flow,
  FlowAction,
  FlowListing,
  GuardrailIssue,
  LogEntry,
  ContactHistoryEntry,
  ManualEnrollmentResult,
  TriggerType,
  WorkflowCatalog,
  PropertyFilter as Filter,
  PropertyFilterBranch as FilterBranch,
} from '../../src/schemas/flows.js';
export type { Form } from '../../src/schemas/forms.js';
export type { Inbox, InboxUsage } from '../../src/schemas/inboxes.js';
export type { Sequence, SequenceLite, SequenceSettings, SequenceStats, SequenceStep } from '../../src/schemas/sequences.js';
export type { DevMessage } from '../../src/schemas/system.js';
export type { ReportFigures, ReportStep, SequenceReport } from '../../src/schemas/reports.js';
export type { User } from '../../src/schemas/users.js';
export type { Company } from '../../src/schemas/companies.js';
export type { AssociatedObject } from '../../src/schemas/associations.js';
export type { Property, PropertyGroup } from '../../src/schemas/properties.js';
export type { BulkEnrollResponse, ContactList, ListMembershipsPage } from '../../src/schemas/lists.js';
export type { ImportError, ImportProgress, ImportView, SuggestedMapping } from '../../src/schemas/imports.js';
export type { OAuthProviders, OAuthStatus } from '../../src/schemas/oauth.js';
export type { Holiday, HolidayCountry } from '../../src/schemas/holidays.js';
export type { Snippet, Template } from '../../src/schemas/templates.js';
export type { Schedule } from '../../src/schemas/schedules.js';
export type { QueueTask, TaskDraft } from '../../src/schemas/tasks.js';
