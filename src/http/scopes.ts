import { SCOPES, type Scope } from '../domain/scopes.js';
import { SEQUENCE_BASES } from './hubspot/sequences.js';
import { PROPERTY_OBJECT_PATHS, propertiesBase } from './hubspot/properties.js';

/**
 * Which scope each API route needs: HubSpot's scope names on the compatible routes
 * (hubspot-api.md §3), Seqflow's own on the /seqflow/v1 extensions. One table, read by the auth
 * hook (src/http/auth.ts) and by the OpenAPI document (src/http/openapi.ts). A route missing
 * here fails closed for every principal but an admin (`*`); a test checks that this table and the
 * registered routes match both ways, so it never promises a route that is not served.
 */
export { ALL, SCOPES, grants, type Scope } from '../domain/scopes.js';

/** Anyone may call it (health, the hosted form, unsubscribe links, sign-in, the OpenAPI document). */
export const PUBLIC = 'public';
/** Any signed-in principal; the handler checks who (a user setting their own password). */
export const AUTHENTICATED = 'authenticated';
export type Requirement = Scope | typeof PUBLIC | typeof AUTHENTICATED;

/** Scopes a signed-in web user who is not an admin holds: everything but administration (and operations' metrics). */
export const SESSION_USER_SCOPES: Scope[] = SCOPES.filter((s) => s !== 'seqflow.admin' && s !== 'settings.users.write' && s !== 'seqflow.metrics');

export interface RouteDoc {
  method: string;
  /** The path as registered with Fastify (`:id` parameters). */
  url: string;
  scope: Requirement;
  summary: string;
}

const r = (method: string, url: string, scope: Requirement, summary: string): RouteDoc => ({ method, url, scope, summary });
const C = '/crm/v3/objects/contacts';
const CO = '/crm/v3/objects/companies';
const AO = '/crm/v4/objects/:objectType/:objectId/associations/:toObjectType';
const AB = '/crm/v4/associations/:fromObjectType/:toObjectType/batch';

/** Every association Seqflow holds has a contact on one side: the contact scopes guard them, as the meeting routes. */
const COMPANY_ROUTES: RouteDoc[] = [
  r('POST', CO, 'crm.objects.companies.write', 'Create a company'),
  r('GET', CO, 'crm.objects.companies.read', 'List companies'),
  r('GET', `${CO}/:id`, 'crm.objects.companies.read', 'Read a company'),
  r('PATCH', `${CO}/:id`, 'crm.objects.companies.write', 'Update a company'),
  r('DELETE', `${CO}/:id`, 'crm.objects.companies.write', 'Archive a company'),
  r('POST', `${CO}/search`, 'crm.objects.companies.read', 'Search companies'),
  r('POST', `${CO}/batch/create`, 'crm.objects.companies.write', 'Create a batch of companies'),
  r('POST', `${CO}/batch/read`, 'crm.objects.companies.read', 'Read a batch of companies'),
  r('POST', `${CO}/batch/update`, 'crm.objects.companies.write', 'Update a batch of companies'),
  r('POST', `${CO}/batch/archive`, 'crm.objects.companies.write', 'Archive a batch of companies'),
  r('GET', AO, 'crm.objects.contacts.read', "List a record's associations of one type"),
  r('PUT', `${AO}/:toObjectId`, 'crm.objects.contacts.write', 'Associate two records with labels (type ids)'),
  r('DELETE', `${AO}/:toObjectId`, 'crm.objects.contacts.write', 'Remove the association of two records'),
  r('PUT', '/crm/v4/objects/:fromObjectType/:fromObjectId/associations/default/:toObjectType/:toObjectId', 'crm.objects.contacts.write', 'Associate two records, unlabeled'),
  r('POST', `${AB}/create`, 'crm.objects.contacts.write', 'Associate a batch of record pairs with labels'),
  r('POST', `${AB}/associate/default`, 'crm.objects.contacts.write', 'Associate a batch of record pairs, unlabeled'),
  r('POST', `${AB}/read`, 'crm.objects.contacts.read', 'Read the associations of a batch of records'),
  r('POST', `${AB}/archive`, 'crm.objects.contacts.write', 'Remove the associations of a batch of record pairs'),
  r('POST', `${AB}/labels/archive`, 'crm.objects.contacts.write', 'Remove labels from a batch of record pairs'),
  r('GET', '/seqflow/v1/companies/settings', 'crm.objects.companies.read', 'Whether contacts are associated with the company of their email domain'),
  r('PUT', '/seqflow/v1/companies/settings', 'seqflow.admin', 'Turn auto-association of contacts with companies on or off'),
];

export const ROUTES: RouteDoc[] = [
  // CRM contacts v3 (hubspot-api.md §3.3)
  r('POST', C, 'crm.objects.contacts.write', 'Create a contact'),
  r('GET', C, 'crm.objects.contacts.read', 'List contacts'),
  r('GET', `${C}/:id`, 'crm.objects.contacts.read', 'Read a contact (idProperty=email looks it up by email)'),
  r('PATCH', `${C}/:id`, 'crm.objects.contacts.write', 'Update a contact'),
  r('DELETE', `${C}/:id`, 'crm.objects.contacts.write', 'Archive a contact'),
  r('POST', `${C}/search`, 'crm.objects.contacts.read', 'Search contacts (4 requests / s per token)'),
  r('POST', `${C}/merge`, 'crm.objects.contacts.write', 'Merge two contacts'),
  r('POST', `${C}/gdpr-delete`, 'crm.objects.contacts.write', 'Permanently delete a contact (GDPR)'),
  r('POST', `${C}/batch/create`, 'crm.objects.contacts.write', 'Create a batch of contacts'),
  r('POST', `${C}/batch/read`, 'crm.objects.contacts.read', 'Read a batch of contacts'),
  r('POST', `${C}/batch/update`, 'crm.objects.contacts.write', 'Update a batch of contacts'),
  r('POST', `${C}/batch/upsert`, 'crm.objects.contacts.write', 'Create or update a batch of contacts'),
  r('POST', `${C}/batch/archive`, 'crm.objects.contacts.write', 'Archive a batch of contacts'),
  // Meetings are engagements on contacts, behind the contact scopes as in HubSpot.
  r('POST', '/crm/v3/objects/meetings', 'crm.objects.contacts.write', 'Log a meeting'),
  r('GET', '/crm/v3/objects/meetings', 'crm.objects.contacts.read', 'List meetings'),
  r('GET', '/crm/v3/objects/meetings/:id', 'crm.objects.contacts.read', 'Read a meeting'),
  // Owners and users (§3.4)
  r('GET', '/crm/v3/owners', 'crm.objects.owners.read', 'List owners'),
  r('GET', '/crm/v3/owners/:id', 'crm.objects.owners.read', 'Read an owner'),
  r('GET', '/settings/v3/users', 'settings.users.read', 'List users'),
  r('GET', '/settings/v3/users/:id', 'settings.users.read', 'Read a user'),
  r('POST', '/settings/v3/users', 'settings.users.write', 'Create a user'),
  r('PUT', '/settings/v3/users/:id', 'settings.users.write', 'Replace a user'),
  r('DELETE', '/settings/v3/users/:id', 'settings.users.write', 'Remove a user'),
  r('GET', '/settings/v3/users/teams', 'settings.users.read', 'List teams (none in Seqflow)'),
  r('GET', '/settings/v3/users/roles', 'settings.users.read', 'List roles (none in Seqflow)'),
  // Sequences v4 and the date-versioned paths (§3.5)
  ...SEQUENCE_BASES.flatMap((b) => [
    r('GET', b, 'automation.sequences.read', 'List sequences of a user'),
    r('GET', `${b}/:id`, 'automation.sequences.read', 'Read a sequence with its steps'),
    r('POST', `${b}/enrollments`, 'automation.sequences.enrollments.write', 'Enroll a contact in a sequence'),
    r('GET', `${b}/enrollments/contact/:contactId`, 'automation.sequences.read', "Read a contact's running enrollment"),
  ]),
  // Workflows (flows v4); HubSpot puts all of them behind `automation`.
  r('GET', '/automation/v4/flows', 'automation', 'List workflows'),
  r('POST', '/automation/v4/flows', 'automation', 'Create a workflow'),
  r('GET', '/automation/v4/flows/:id', 'automation', 'Read a workflow'),
  r('PUT', '/automation/v4/flows/:id', 'automation', 'Update a workflow'),
  r('DELETE', '/automation/v4/flows/:id', 'automation', 'Delete a workflow'),
  r('POST', '/automation/v4/flows/batch/read', 'automation', 'Read a batch of workflows'),
  r('GET', '/automation/2026-09-beta/action-types', 'automation', 'List workflow action types'),
  r('POST', '/automation/v2/workflows/:workflowId/enrollments/contacts/:email', 'automation', 'Enroll a contact in a workflow by hand (HubSpot Workflows v2)'),
  // Forms
  r('GET', '/forms/:guid', PUBLIC, 'The hosted form page'),
  r('POST', '/submissions/v3/integration/submit/:portalId/:guid', PUBLIC, 'Submit a form (rate-limited per client address)'),

  // ---- Seqflow extensions (/seqflow/v1)
  r('GET', '/seqflow/v1/health', PUBLIC, 'Health (ok or degraded, and why) and version; ?strict=true answers 503 while degraded'),
  r('GET', '/metrics', 'seqflow.metrics', 'Prometheus metrics of this process (text exposition format)'),
  r('GET', '/seqflow/v1/openapi.json', PUBLIC, 'This OpenAPI document'),
  r('GET', '/seqflow/v1/auth/status', PUBLIC, 'Whether the caller is signed in and whether the account needs setting up'),
  r('POST', '/seqflow/v1/auth/setup', PUBLIC, 'Create the first admin (new accounts only)'),
  r('POST', '/seqflow/v1/auth/login', PUBLIC, 'Sign in to the web app'),
  r('POST', '/seqflow/v1/auth/logout', PUBLIC, 'Sign out of the web app'),
  r('PUT', '/seqflow/v1/users/:id/password', AUTHENTICATED, "Set a user's password (an admin, or the user themselves)"),
  r('GET', '/seqflow/v1/unsubscribe/:token', PUBLIC, 'Unsubscribe confirmation page'),
  r('POST', '/seqflow/v1/unsubscribe/:token', PUBLIC, 'Unsubscribe (RFC 8058 one-click)'),
  r('GET', '/seqflow/v1/t/o/:token.gif', PUBLIC, 'Open-tracking pixel of an email (a 1×1 GIF, whatever the token)'),
  r('GET', '/seqflow/v1/t/c/:token', PUBLIC, 'Click-tracking redirect of an email link (302 to where the link pointed; 404 for a bad token)'),
  // Administration: seats, inboxes, tokens, clock, dev mail
  r('PUT', '/seqflow/v1/users/:id/seat', 'seqflow.admin', "Set a user's seat"),
  r('POST', '/seqflow/v1/users/:id/inboxes', 'seqflow.admin', 'Connect an inbox for a user'),
  r('GET', '/seqflow/v1/users/:id/inboxes', AUTHENTICATED, "List a user's inboxes (seqflow.admin, or the user themselves: a rep picks their own address when enrolling)"),
  r('POST', '/seqflow/v1/inboxes/:id/test', 'seqflow.admin', 'Test an inbox connection'),
  r('POST', '/seqflow/v1/inboxes/:id/disconnect', 'seqflow.admin', 'Disconnect an inbox'),
  r('GET', '/seqflow/v1/inboxes/:id/usage', AUTHENTICATED, "An inbox's limits and usage (seqflow.admin, or the inbox's owner)"),
  r('GET', '/seqflow/v1/inboxes/:id/quarantine', 'seqflow.admin', 'Inbound messages the inbox reader could not read and skipped, newest first'),
  r('GET', '/seqflow/v1/inboxes/:id/quarantine/:entryId/raw', 'seqflow.admin', 'The first bytes of a quarantined message (message/rfc822)'),
  r('POST', '/seqflow/v1/tokens', 'seqflow.admin', 'Create an API token (shown once)'),
  r('GET', '/seqflow/v1/tokens', 'seqflow.admin', 'List API tokens (no secrets)'),
  r('DELETE', '/seqflow/v1/tokens/:id', 'seqflow.admin', 'Revoke an API token'),
  r('GET', '/seqflow/v1/clock', 'seqflow.admin', 'The (fake) clock'),
  r('POST', '/seqflow/v1/clock/advance', 'seqflow.admin', 'Advance the fake clock'),
  r('GET', '/seqflow/v1/dev-mail/messages', 'seqflow.admin', 'Mail caught by the dev mail server'),
  r('GET', '/seqflow/v1/dev-mail/inboxes', 'seqflow.admin', 'Dev inboxes'),
  r('POST', '/seqflow/v1/dev-mail/reply', 'seqflow.admin', 'Simulate a reply in the dev inbox'),
  r('POST', '/seqflow/v1/dev-mail/bounce', 'seqflow.admin', "Simulate the recipient's server bouncing a message (a real DSN)"),
  // Sequence editing and views
  r('POST', '/seqflow/v1/sequences', 'seqflow.sequences.write', 'Create a sequence'),
  r('PUT', '/seqflow/v1/sequences/:id', 'seqflow.sequences.write', 'Update a sequence'),
  r('DELETE', '/seqflow/v1/sequences/:id', 'seqflow.sequences.write', 'Delete a sequence'),
  r('GET', '/seqflow/v1/sequences', 'automation.sequences.read', 'List sequences with their stats'),
  r('GET', '/seqflow/v1/sequences/:id/performance', 'automation.sequences.read', "A sequence's performance"),
  r('GET', '/seqflow/v1/sequences/:id/report', 'automation.sequences.read', "A sequence's per-step report over a date range"),
  r('GET', '/seqflow/v1/sequences/:id/report.csv', 'automation.sequences.read', "A sequence's per-step report as CSV"),
  r('POST', '/seqflow/v1/sequences/:id/preview', 'automation.sequences.read', 'Render a sequence for a contact'),
  // Enrollments and tasks
  r('GET', '/seqflow/v1/enrollments', 'automation.sequences.read', 'List enrollments of a contact or sequence'),
  r('POST', '/seqflow/v1/contacts/:contactId/unenroll', 'automation.sequences.enrollments.write', 'Unenroll a contact'),
  r('POST', '/seqflow/v1/enrollments/:id/pause', 'automation.sequences.enrollments.write', 'Pause an enrollment'),
  r('POST', '/seqflow/v1/enrollments/:id/resume', 'automation.sequences.enrollments.write', 'Resume an enrollment'),
  r('GET', '/seqflow/v1/tasks', 'automation.sequences.read', 'The task queue: sequence tasks by due time, by section (overdue, today, upcoming), sequence or status'),
  r('GET', '/seqflow/v1/holidays', 'automation.sequences.read', "Holidays of the account's calendar or of one sender (BUSINESS_DAYS skips them)"),
  r('POST', '/seqflow/v1/holidays', 'seqflow.sequences.write', 'Add days to a holiday calendar'),
  r('POST', '/seqflow/v1/holidays/import', 'seqflow.sequences.write', "Add a country's public holidays of a year to a calendar"),
  r('DELETE', '/seqflow/v1/holidays/:id', 'seqflow.sequences.write', 'Remove a day from a holiday calendar'),
  r('GET', '/seqflow/v1/holidays/countries', 'automation.sequences.read', 'Countries whose holidays can be imported'),
  // Templates and snippets (issue #14 item 1): private to their owner unless shared
  r('GET', '/seqflow/v1/templates', 'automation.sequences.read', 'List the email templates the caller sees (shared ones and their own), by text, folder or owner'),
  r('GET', '/seqflow/v1/templates/folders', 'automation.sequences.read', 'Folder names of the templates the caller sees'),
  r('POST', '/seqflow/v1/templates', 'seqflow.sequences.write', 'Create an email template'),
  r('GET', '/seqflow/v1/templates/:id', 'automation.sequences.read', 'Read an email template'),
  r('PATCH', '/seqflow/v1/templates/:id', 'seqflow.sequences.write', 'Update an email template (its owner or an admin); steps copied from it keep their text'),
  r('DELETE', '/seqflow/v1/templates/:id', 'seqflow.sequences.write', 'Remove an email template (its owner or an admin)'),
  r('GET', '/seqflow/v1/snippets', 'automation.sequences.read', 'List the snippets the caller sees (shared ones and their own), by text, folder or owner'),
  r('GET', '/seqflow/v1/snippets/folders', 'automation.sequences.read', 'Folder names of the snippets the caller sees'),
  r('POST', '/seqflow/v1/snippets', 'seqflow.sequences.write', 'Create a snippet'),
  r('GET', '/seqflow/v1/snippets/:id', 'automation.sequences.read', 'Read a snippet'),
  r('PATCH', '/seqflow/v1/snippets/:id', 'seqflow.sequences.write', 'Update a snippet (its owner or an admin)'),
  r('DELETE', '/seqflow/v1/snippets/:id', 'seqflow.sequences.write', 'Remove a snippet (its owner or an admin)'),
  // Named schedules (issue #14 item 4): send windows and follow-up days sequences share
  r('GET', '/seqflow/v1/schedules', 'automation.sequences.read', 'List the named schedules'),
  r('POST', '/seqflow/v1/schedules', 'seqflow.sequences.write', 'Create a named schedule'),
  r('GET', '/seqflow/v1/schedules/:id', 'automation.sequences.read', 'Read a named schedule'),
  r('PATCH', '/seqflow/v1/schedules/:id', 'seqflow.sequences.write', 'Update a named schedule; the waiting steps of every sequence on it move to its new rules'),
  r('DELETE', '/seqflow/v1/schedules/:id', 'seqflow.sequences.write', 'Remove a named schedule no sequence uses (409 naming those that do)'),
  r('GET', '/seqflow/v1/notifications', 'automation.sequences.read', "Notifications about no particular contact (an inbox whose replies cannot be read), newest first"),
  r('POST', '/seqflow/v1/tasks/:id/complete', 'automation.sequences.enrollments.write', 'Complete a task with a note (a call task with its outcome); a gating task step lets the sequence go on'),
  r('POST', '/seqflow/v1/tasks/:id/skip', 'automation.sequences.enrollments.write', 'Skip a task: the sequence goes on as if it were done'),
  r('POST', '/seqflow/v1/tasks/:id/snooze', 'automation.sequences.enrollments.write', 'Hide a task from the queue until a later time'),
  r('GET', '/seqflow/v1/tasks/:id/draft', 'automation.sequences.read', "A manual email task's email rendered for its contact, with the placeholders to fill"),
  r('POST', '/seqflow/v1/tasks/:id/send', 'automation.sequences.enrollments.write', "Send a manual email task's email as the step's email (queued for the worker; exactly once)"),
  r('POST', '/seqflow/v1/tasks/:id/placeholders', 'automation.sequences.enrollments.write', 'Fill in the placeholders an email paused for, and resume the enrollment'),
  // HubSpot's tasks object: HubSpot guards tasks with the contact scopes
  r('GET', '/crm/v3/objects/tasks', 'crm.objects.contacts.read', 'List tasks'),
  r('GET', '/crm/v3/objects/tasks/:id', 'crm.objects.contacts.read', 'Read a task'),
  r('PATCH', '/crm/v3/objects/tasks/:id', 'crm.objects.contacts.write', 'Update a task (hs_task_status COMPLETED completes it)'),
  // Contacts extensions
  r('POST', '/seqflow/v1/blocklist', 'crm.objects.contacts.write', 'Block an address or domain'),
  r('GET', '/seqflow/v1/contacts/:id/timeline', 'crm.objects.contacts.read', "A contact's events timeline"),
  // Workflows extensions
  r('GET', '/seqflow/v1/workflows/:id/log', 'automation', "A workflow's action log"),
  r('GET', '/seqflow/v1/workflows/:id/stats', 'automation', "A workflow's run counts"),
  r('POST', '/seqflow/v1/workflows/:id/check', 'automation', 'Guardrail check of a workflow'),
  r('POST', '/seqflow/v1/workflows/:id/enrollments', 'automation', 'Enroll a contact or the members of a list in a workflow by hand'),
  r('GET', '/seqflow/v1/contacts/:id/workflow-history', 'automation', 'Every action any workflow took on a contact'),
  r('POST', '/seqflow/v1/workflows/:id/forecast', 'automation', 'What turning a workflow on would do, and when each email would go (writes nothing)'),
  r('GET', '/seqflow/v1/workflow-catalog', 'automation', 'The workflow action types and triggers the editor offers'),
  // Forms extensions
  r('POST', '/seqflow/v1/forms', 'forms', 'Create a form'),
  r('GET', '/seqflow/v1/forms', 'forms', 'List forms'),
  // CRM companies v3 and associations v4 (issue #13)
  ...COMPANY_ROUTES,
  // CRM properties v3 (issue #13), one set per object type path
  ...PROPERTY_OBJECT_PATHS.flatMap(({ segment, objectType }) => {
    const b = propertiesBase(segment);
    const read: Scope = `crm.schemas.${objectType}.read`;
    const write: Scope = `crm.schemas.${objectType}.write`;
    return [
      r('GET', b, read, `List ${objectType} properties`),
      r('POST', b, write, `Create a ${objectType} property`),
      r('GET', `${b}/:propertyName`, read, `Read a ${objectType} property`),
      r('PATCH', `${b}/:propertyName`, write, `Update a ${objectType} property`),
      r('DELETE', `${b}/:propertyName`, write, `Archive a ${objectType} property`),
      r('GET', `${b}/groups`, read, `List ${objectType} property groups`),
      r('POST', `${b}/groups`, write, `Create a ${objectType} property group`),
      r('GET', `${b}/groups/:groupName`, read, `Read a ${objectType} property group`),
      r('PATCH', `${b}/groups/:groupName`, write, `Update a ${objectType} property group`),
      r('DELETE', `${b}/groups/:groupName`, write, `Archive a ${objectType} property group`),
      r('POST', `${b}/batch/create`, write, `Create a batch of ${objectType} properties`),
      r('POST', `${b}/batch/read`, read, `Read a batch of ${objectType} properties`),
      r('POST', `${b}/batch/archive`, write, `Archive a batch of ${objectType} properties`),
    ];
  }),
  // Lists v3 (issue #13)
  r('POST', '/crm/v3/lists', 'crm.lists.write', 'Create a list (MANUAL, DYNAMIC or SNAPSHOT) of contacts'),
  r('GET', '/crm/v3/lists', 'crm.lists.read', 'Read lists by id (all lists without listIds)'),
  r('POST', '/crm/v3/lists/search', 'crm.lists.read', 'Search lists by name and processing type'),
  r('GET', '/crm/v3/lists/:listId', 'crm.lists.read', 'Read a list'),
  r('GET', '/crm/v3/lists/object-type-id/:objectTypeId/name/:listName', 'crm.lists.read', 'Read a list by name'),
  r('PUT', '/crm/v3/lists/:listId/update-list-name', 'crm.lists.write', 'Rename a list'),
  r('PUT', '/crm/v3/lists/:listId/update-list-filters', 'crm.lists.write', 'Change the filters of a DYNAMIC or SNAPSHOT list'),
  r('DELETE', '/crm/v3/lists/:listId', 'crm.lists.write', 'Remove a list'),
  r('PUT', '/crm/v3/lists/:listId/restore', 'crm.lists.write', 'Restore a removed list'),
  r('GET', '/crm/v3/lists/:listId/memberships', 'crm.lists.read', "A page of a list's members"),
  r('PUT', '/crm/v3/lists/:listId/memberships/add', 'crm.lists.write', 'Add contacts to a MANUAL or SNAPSHOT list'),
  r('PUT', '/crm/v3/lists/:listId/memberships/remove', 'crm.lists.write', 'Remove contacts from a MANUAL or SNAPSHOT list'),
  r('PUT', '/crm/v3/lists/:listId/memberships/add-and-remove', 'crm.lists.write', 'Add and remove contacts in one call'),
  r('GET', '/crm/v3/lists/records/:objectTypeId/:recordId/memberships', 'crm.lists.read', 'The lists a contact is on'),
  r('POST', '/seqflow/v1/lists/:listId/enroll', 'automation.sequences.enrollments.write', "Enroll a list's members in a sequence, or preview who would be enrolled and who skipped"),
  // CSV imports (HubSpot's crm.import scope)
  r('POST', '/crm/v3/imports', 'crm.import', 'Start an import of a CSV file (multipart: files, importRequest)'),
  r('GET', '/crm/v3/imports', 'crm.import', 'List imports, newest first'),
  r('GET', '/crm/v3/imports/:importId', 'crm.import', "Read an import's state and counters"),
  r('POST', '/crm/v3/imports/:importId/cancel', 'crm.import', 'Cancel an import (what has committed stays)'),
  r('GET', '/crm/v3/imports/:importId/errors', 'crm.import', "An import's rejected rows with line numbers and reasons"),
  r('GET', '/seqflow/v1/imports/:importId/progress', 'crm.import', "An import's progress (bytes read of the file)"),
  r('POST', '/seqflow/v1/imports/suggest-mapping', 'crm.import', 'Suggest a column mapping for a CSV header row'),
  // OAuth mailboxes (issue #16)
  r('GET', '/seqflow/v1/oauth/providers', AUTHENTICATED, 'The providers inboxes can be connected with (Google, Microsoft, OpenID) and their redirect URIs'),
  r('POST', '/seqflow/v1/users/:id/inboxes/oauth/:provider/start', AUTHENTICATED, "Start connecting (or reconnecting) a user's mailbox with OAuth: answers the provider's sign-in URL (seqflow.admin, or the user themselves: the mailbox's owner signs in at the provider)"),
  r('GET', '/seqflow/v1/inboxes/:id/oauth', AUTHENTICATED, "An OAuth inbox's access: connected, reconnect needed, admin action needed or retrying (seqflow.admin, or the inbox's owner)"),
  r('GET', '/oauth/:provider/callback', PUBLIC, 'Where the provider sends the browser back after consent (redirects to the web app)'),
];

const byRoute = new Map(ROUTES.map((d) => [`${d.method} ${d.url}`, d]));

/** The table entry for a registered route (HEAD is GET's). */
export function routeDoc(method: string, url: string): RouteDoc | undefined {
  return byRoute.get(`${method === 'HEAD' ? 'GET' : method} ${url}`);
}

