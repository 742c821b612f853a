import type { Generated } from 'kysely';

/**
 * Table shapes as the database holds them. Both dialects store timestamps as epoch
 * milliseconds, JSON as text and booleans as 0/1, so one set of queries serves both.
 */
export interface Schema {
  users: UsersTable;
  holidays: HolidaysTable;
  templates: TemplatesTable;
  snippets: SnippetsTable;
  tracking_links: TrackingLinksTable;
  tracking_events: TrackingEventsTable;
  schedules: SchedulesTable;
  inboxes: InboxesTable;
  contacts: ContactsTable;
  contact_property_history: ContactPropertyHistoryTable;
  contact_additional_emails: ContactAdditionalEmailsTable;
  contact_property_values: ContactPropertyValuesTable;
  contact_search_words: ContactSearchWordsTable;
  sequences: SequencesTable;
  sequence_steps: SequenceStepsTable;
  enrollments: EnrollmentsTable;
  sends: SendsTable;
  tasks: TasksTable;
  events: EventsTable;
  blocked_recipients: BlockedRecipientsTable;
  api_tokens: ApiTokensTable;
  dev_mail_messages: DevMailMessagesTable;
  settings: SettingsTable;
  catalog_versions: CatalogVersionsTable;
  workflows: WorkflowsTable;
  workflow_memberships: WorkflowMembershipsTable;
  workflow_runs: WorkflowRunsTable;
  action_log: ActionLogTable;
  owner_rotations: OwnerRotationsTable;
  forms: FormsTable;
  meetings: MeetingsTable;
  inbox_watch: InboxWatchTable;
  inbound_messages: InboundMessagesTable;
  inbound_quarantine: InboundQuarantineTable;
  sessions: SessionsTable;
  sign_in_attempts: SignInAttemptsTable;
  notifications: NotificationsTable;
  companies: CompaniesTable;
  contact_companies: ContactCompaniesTable;
  property_definitions: PropertyDefinitionsTable;
  property_groups: PropertyGroupsTable;
  lists: ListsTable;
  list_memberships: ListMembershipsTable;
  imports: ImportsTable;
  import_errors: ImportErrorsTable;
  inbox_oauth: InboxOAuthTable;
  oauth_pending: OAuthPendingTable;
}

export interface UsersTable {
  id: Generated<number>;
  email: string;
  email_key: string;
  first_name: string;
  last_name: string;
  role: string;
  seat: string;
  timezone: string | null;
  signature: string;
  created_at: number;
  updated_at: number;
  deleted_at: number | null;
  password_hash: string | null;
}

export interface InboxesTable {
  id: Generated<number>;
  user_id: number;
  address: string;
  address_key: string;
  aliases: string;
  provider: string;
  smtp: string | null;
  imap: string | null;
  status: string;
  daily_limit: number;
  per_minute_limit: number;
  created_at: number;
  updated_at: number;
}

export interface ContactsTable {
  id: Generated<number>;
  email: string | null;
  email_key: string | null;
  properties: string;
  created_at: number;
  updated_at: number;
  archived_at: number | null;
  bounced_at: number | null;
  unsubscribed_at: number | null;
  /** Set by a GDPR delete: the row stays (other tables reference it) but names nothing. */
  purged_at: number | null;
}

/** One row per address in a contact's `hs_additional_emails`, lower-cased (indexed by email_key). */
export interface ContactAdditionalEmailsTable {
  contact_id: number;
  email_key: string;
}

/** One row per set property of a contact, keyed as filters compare it (017; src/domain/search-index.ts). */
export interface ContactPropertyValuesTable {
  contact_id: number;
  name: string;
  value: string;
  text_key: string;
  bool_key: string;
  num: number | null;
  instant: number | null;
}

/** The words a search `query` finds a contact by (017). */
export interface ContactSearchWordsTable {
  contact_id: number;
  word: string;
}

export interface ContactPropertyHistoryTable {
  id: Generated<number>;
  contact_id: number;
  property: string;
  value: string | null;
  timestamp: number;
  /** API, FORM, WORKFLOW, IMPORT, MERGE, … (HubSpot's sourceType). */
  source_type: string;
}

export interface SequencesTable {
  id: Generated<number>;
  user_id: number;
  name: string;
  settings: string;
  version: number;
  created_at: number;
  updated_at: number;
  deleted_at: number | null;
}

export interface SequenceStepsTable {
  id: Generated<number>;
  sequence_id: number;
  version: number;
  step_order: number;
  type: string;
  delay_millis: number;
  subject: string;
  body: string;
  thread_to_step_order: number | null;
  task_type: string | null;
  task_priority: string | null;
  task_gates_next_step: number;
  /** EMAIL: the library template the subject and body were copied from, for reference only. */
  template_id: number | null;
  created_at: number;
}

export interface EnrollmentsTable {
  id: Generated<number>;
  contact_id: number;
  sequence_id: number;
  sequence_version: number;
  sender_user_id: number;
  enrolled_by_user_id: number;
  inbox_id: number;
  sender_email: string;
  to_email: string;
  time_zone: string;
  source: string;
  state: string;
  reason: string | null;
  current_step: number;
  /** The type of the step at current_step, so limit arithmetic can count scheduled emails. */
  next_step_type: string | null;
  next_due_at: number | null;
  paused_remaining_ms: number | null;
  placeholder_values: string;
  lease_owner: string | null;
  lease_until: number | null;
  enrolled_at: number;
  updated_at: number;
  ended_at: number | null;
}

export interface SendsTable {
  id: Generated<number>;
  enrollment_id: number;
  step_order: number;
  inbox_id: number;
  message_id: string;
  status: string;
  from_email: string;
  to_email: string;
  subject: string;
  attempts: number;
  error: string | null;
  created_at: number;
  /** When the SMTP conversation began (SENDING) — what the rolling windows count. */
  attempted_at: number;
  sent_at: number | null;
  /** SMTP (the server's 250), DEV_MAIL or IMAP_SENT (found after the sending worker died). */
  confirmed_by: string | null;
}

export interface TrackingLinksTable {
  send_id: number;
  link_index: number;
  url: string;
}

export interface TrackingEventsTable {
  id: Generated<number>;
  send_id: number;
  /** OPEN or CLICK. */
  kind: string;
  /** CLICK: where the link went; null for opens. */
  url: string | null;
  at: number;
  /** floor(at / 60 000): one row per send, kind, URL and proxy flag per minute. */
  minute: number;
  /** APPLE_PROXY, GMAIL_PROXY, YAHOO_PROXY, MOBILE, DESKTOP or UNKNOWN (src/domain/tracking.ts). */
  user_agent_class: string;
  /** 1: a mail-privacy proxy fetched it, not (necessarily) the person. */
  proxy: number;
}

export interface TasksTable {
  id: Generated<number>;
  user_id: number;
  contact_id: number;
  enrollment_id: number | null;
  step_order: number | null;
  type: string;
  subject: string;
  notes: string;
  status: string;
  reason: string | null;
  due_at: number;
  created_at: number;
  completed_at: number | null;
  priority: string | null;
  snoozed_until: number | null;
  call_outcome: string | null;
  completion_note: string | null;
  closed_reason: string | null;
  send_requested_at: number | null;
  email_subject: string | null;
  email_html: string | null;
  email_text: string | null;
}

export interface EventsTable {
  id: Generated<number>;
  contact_id: number;
  type: string;
  at: number;
  data: string;
}

export interface BlockedRecipientsTable {
  id: Generated<number>;
  kind: string;
  value: string;
  created_at: number;
}

export interface ApiTokensTable {
  id: Generated<number>;
  name: string;
  token_hash: string;
  user_id: number | null;
  scopes: string;
  created_at: number;
  revoked_at: number | null;
}

export interface DevMailMessagesTable {
  id: Generated<number>;
  message_id: string | null;
  from_address: string;
  to_addresses: string;
  subject: string;
  text: string;
  html: string | null;
  headers: string;
  raw: string;
  received_at: number;
}

/** Bumped by a trigger on every write to the named table (migration 033). */
export interface CatalogVersionsTable {
  name: string;
  version: number;
}

export interface SettingsTable {
  key: string;
  value: string;
}

export interface WorkflowsTable {
  id: Generated<number>;
  uuid: string;
  name: string;
  /** The flow as the v4 API shapes it (enrollmentCriteria, actions, startActionId, …). */
  definition: string;
  revision: number;
  is_enabled: number;
  needs_review: number;
  review_reason: string | null;
  created_at: number;
  updated_at: number;
  deleted_at: number | null;
}

export interface WorkflowMembershipsTable {
  workflow_id: number;
  contact_id: number;
  times_enrolled: number;
  first_enrolled_at: number;
  last_enrolled_at: number;
}

export interface WorkflowRunsTable {
  id: Generated<number>;
  workflow_id: number;
  contact_id: number;
  state: string;
  trigger: string;
  current_action_id: string | null;
  next_due_at: number | null;
  lease_owner: string | null;
  lease_until: number | null;
  started_at: number;
  updated_at: number;
  finished_at: number | null;
}

export interface ActionLogTable {
  id: Generated<number>;
  workflow_id: number;
  run_id: number;
  contact_id: number;
  action_id: string;
  action_type_id: string;
  status: string;
  reason_code: string | null;
  reason_text: string | null;
  at: number;
}

export interface FormsTable {
  id: Generated<number>;
  guid: string;
  name: string;
  fields: string;
  created_at: number;
  updated_at: number;
  deleted_at: number | null;
}

export interface MeetingsTable {
  id: Generated<number>;
  contact_id: number;
  user_id: number | null;
  properties: string;
  start_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface InboxWatchTable {
  inbox_id: number;
  uid_validity: string | null;
  last_uid: Generated<number>;
  last_sync_at: number | null;
  last_error: string | null;
  last_error_at: number | null;
  lease_owner: string | null;
  lease_until: number | null;
  /** When Seqflow first looked after this inbox (wall clock): "down since" for a watcher that never synced. */
  first_seen_at: number | null;
  /** When the reply-detection alarm was raised (wall clock); null while detection works. */
  alarm_since: number | null;
}

export interface InboundMessagesTable {
  inbox_id: number;
  message_key: string;
  classification: string;
  contact_id: number | null;
  enrollment_id: number | null;
  received_at: number;
}

export interface InboundQuarantineTable {
  id: Generated<number>;
  inbox_id: number;
  message_key: string;
  message_id: string | null;
  from_address: string | null;
  subject: string | null;
  reason: string;
  detail: string;
  /** What the message's headers were taken for when only they could be read; null when nothing was. */
  classification: string | null;
  attempts: number;
  size: number;
  raw: Buffer;
  first_seen_at: number;
  /** null while a failing message is still being retried. */
  quarantined_at: number | null;
}

export interface SessionsTable {
  token_hash: string;
  user_id: number;
  created_at: number;
  expires_at: number;
}

export interface SignInAttemptsTable {
  key: string;
  failures: number;
  blocked_until: number;
  updated_at: number;
}

export interface HolidaysTable {
  id: Generated<number>;
  /** null: the account's calendar; else one sender's own days off. */
  user_id: number | null;
  /** 'YYYY-MM-DD', read in the enrollment's zone. */
  date: string;
  name: string;
  /** 'manual', or 'import:<country>[-<region>]'. */
  source: string;
  created_at: number;
}

export interface TemplatesTable {
  id: Generated<number>;
  owner_user_id: number;
  name: string;
  subject: string;
  body: string;
  folder: string | null;
  /** 1: the whole team sees it; 0: only its owner. */
  shared: number;
  created_at: number;
  updated_at: number;
  deleted_at: number | null;
}

export interface SnippetsTable {
  id: Generated<number>;
  owner_user_id: number;
  name: string;
  /** Lower case; unique among live snippets. */
  shortcut: string;
  body: string;
  folder: string | null;
  shared: number;
  created_at: number;
  updated_at: number;
  deleted_at: number | null;
}

export interface NotificationsTable {
  id: Generated<number>;
  user_id: number;
  /** What it is about: REPLY_DETECTION_DOWN. */
  kind: string;
  inbox_id: number | null;
  /** The occurrence it reports (one outage of one inbox): one notification per person per key. */
  source_key: string;
  subject: string;
  body: string;
  created_at: number;
  resolved_at: number | null;
  resolution: string | null;
}

export interface CompaniesTable {
  id: Generated<number>;
  /** The `domain` property as compared (src/domain/companies.ts domainKey); indexed, not unique. */
  domain_key: string | null;
  properties: string;
  created_at: number;
  updated_at: number;
  archived_at: number | null;
}

/** One row per associated contact and company; is_primary (0/1) marks the contact's primary company. */
export interface ContactCompaniesTable {
  contact_id: number;
  company_id: number;
  is_primary: number;
  created_at: number;
}

/** Custom property definitions (013); built-in ones live in src/domain/properties.ts. */
export interface PropertyDefinitionsTable {
  id: Generated<number>;
  object_type: string;
  name: string;
  label: string;
  type: string;
  field_type: string;
  group_name: string;
  description: string;
  /** JSON array of {label, value, displayOrder, hidden, description?}. */
  options: string;
  display_order: number;
  hidden: number;
  form_field: number;
  created_at: number;
  updated_at: number;
  archived_at: number | null;
}

export interface PropertyGroupsTable {
  id: Generated<number>;
  object_type: string;
  name: string;
  label: string;
  display_order: number;
  created_at: number;
  updated_at: number;
  archived_at: number | null;
}

export interface ListsTable {
  id: Generated<number>;
  name: string;
  /** The name lower-cased and trimmed: unique among live lists. */
  name_key: string;
  object_type_id: string;
  /** MANUAL, DYNAMIC or SNAPSHOT (HubSpot's processingType). */
  processing_type: string;
  /** The filter branch (JSON) of a DYNAMIC or SNAPSHOT list; null for MANUAL. */
  filter_branch: string | null;
  version: number;
  created_by_user_id: number | null;
  created_at: number;
  updated_at: number;
  filters_updated_at: number;
  deleted_at: number | null;
}

/** Materialized membership: one row per contact on a list. */
export interface ListMembershipsTable {
  list_id: number;
  contact_id: number;
  added_at: number;
}

export interface ImportsTable {
  id: Generated<number>;
  name: string;
  /** HubSpot's object type id the import writes (0-1 contacts). */
  object_type_id: string;
  /** STARTED, PROCESSING, DONE, FAILED, CANCELED (HubSpot's state names). */
  state: string;
  /** API (the imports endpoint, the web app) or CLI. */
  source: string;
  /** The importRequest as given (JSON). */
  request: string;
  /** The resolved column mapping (JSON): file column index → property. */
  columns: string;
  file_name: string;
  file_path: string;
  file_sha256: string;
  file_bytes: number;
  /** The last file line whose batch has committed; a resumed import continues after it. */
  committed_line: Generated<number>;
  bytes_read: Generated<number>;
  total_rows: Generated<number>;
  created_objects: Generated<number>;
  updated_objects: Generated<number>;
  error_rows: Generated<number>;
  /** Why a FAILED import failed. */
  failure: string | null;
  lease_owner: string | null;
  lease_until: number | null;
  created_at: number;
  updated_at: number;
}

export interface ImportErrorsTable {
  id: Generated<number>;
  import_id: number;
  line_number: number;
  /** HubSpot's errorType (INVALID_EMAIL, MISSING_REQUIRED_PROPERTY, …). */
  error_type: string;
  message: string;
  invalid_value: string | null;
  known_column_number: number | null;
  /** The row's cells (JSON array). */
  row_data: string;
  created_at: number;
}

export interface InboxOAuthTable {
  inbox_id: number;
  /** google | microsoft | oidc */
  provider: string;
  /** The address in XOAUTH2's user= (the ID token's email). */
  login: string;
  /** The ID token's sub: a reconnect must be the same account. */
  subject: string;
  scopes: string;
  /** Sealed (secret-box), never returned by the API. */
  refresh_token: string | null;
  access_token: string | null;
  access_expires_at: number | null;
  /** connected | reconnect | admin | retrying */
  state: string;
  state_code: string | null;
  state_message: string | null;
  state_since: number | null;
  lease_owner: string | null;
  lease_until: number | null;
  version: Generated<number>;
  updated_at: number;
}

export interface OAuthPendingTable {
  state: string;
  user_id: number;
  /** Set on a reconnect: the inbox the consent is for. */
  inbox_id: number | null;
  provider: string;
  /** Sealed. */
  code_verifier: string;
  nonce: string;
  /** JSON array: send-as addresses for a new inbox. */
  aliases: string;
  expires_at: number;
}

export interface SchedulesTable {
  id: Generated<number>;
  name: string;
  send_window_start_minute: number;
  send_window_end_minute: number;
  /** JSON: { FRIDAY: { startMinute, endMinute } | null, ... }. */
  send_windows_by_weekday: string;
  eligible_follow_up_days: string;
  holiday_calendar: string;
  created_at: number;
  updated_at: number;
}

export interface OwnerRotationsTable {
  workflow_id: number;
  action_id: string;
  turns: number;
  updated_at: number;
}
