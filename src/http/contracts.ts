import type { z } from 'zod';
import { associations, common, companies, contacts, enrollments, flows, forms, holidays, imports, inboxes, lists, oauth, properties, reports, schedules, sequences, system, tasks, templates, users } from '../schemas/index.js';
import { PROPERTY_OBJECT_PATHS, propertiesBase } from './hubspot/properties.js';
import { SEQUENCE_BASES } from './hubspot/sequences.js';

/**
 * What each route takes and answers, by the same key as the scope table (src/http/scopes.ts):
 * its query, its request body (null: it takes none) and its responses by status (null: no body).
 * The OpenAPI document is generated from this table (src/http/openapi.ts); a test checks that
 * every route of the scope table is here, and the integration tests check every answer they get
 * against the schema documented here (test/support/documented-responses.ts).
 */

/** A body of another media type than JSON; `schema` null: any text. */
export interface Content {
  content: Record<string, z.ZodType | null>;
}
export type Body = z.ZodType | Content;

export interface RouteContract {
  /** Path parameters; by default each `:name` of the url is a string. */
  params?: z.ZodObject;
  query?: z.ZodObject;
  /** The request body; null when the route takes none. */
  body: Body | null;
  /** Success answers by status; null: no body (204). Errors are HubSpot's error body (common.errorBody). */
  responses: Record<number, Body | null>;
}

const HTML: Content = { content: { 'text/html': null } };
const C = '/crm/v3/objects/contacts';
const get = (responses: RouteContract['responses'], o: Omit<RouteContract, 'body' | 'responses'> = {}): RouteContract => ({ body: null, responses, ...o });
const send = (body: Body | null, responses: RouteContract['responses'], o: Omit<RouteContract, 'body' | 'responses'> = {}): RouteContract => ({ body, responses, ...o });
const ok = (schema: z.ZodType) => ({ 200: schema });
const created = (schema: z.ZodType) => ({ 201: schema });
const NO_CONTENT = { 204: null };

const CO = '/crm/v3/objects/companies';
const AO = '/crm/v4/objects/:objectType/:objectId/associations/:toObjectType';
const AB = '/crm/v4/associations/:fromObjectType/:toObjectType/batch';
const companyBatch = { 200: companies.companyBatch, 207: companies.companyBatch };

/** CRM companies v3 and associations v4 (issue #13). */
const COMPANY_CONTRACTS: Record<string, RouteContract> = {
  [`POST ${CO}`]: send(companies.propertiesBody, created(companies.company)),
  [`GET ${CO}`]: get(ok(companies.companyCollection), { query: companies.listQueryDoc }),
  [`GET ${CO}/:id`]: get(ok(companies.company), { params: common.idParam, query: companies.readQueryDoc }),
  [`PATCH ${CO}/:id`]: send(companies.propertiesBody, ok(companies.company), { params: common.idParam }),
  [`DELETE ${CO}/:id`]: get(NO_CONTENT, { params: common.idParam }),
  [`POST ${CO}/search`]: send(companies.searchBodyDoc, ok(companies.searchResponse)),
  [`POST ${CO}/batch/create`]: send(companies.batchInputs(companies.batchCreateInput), { 201: companies.companyBatch, 207: companies.companyBatch }),
  [`POST ${CO}/batch/read`]: send(companies.batchReadBody, companyBatch, { query: companies.idQuery }),
  [`POST ${CO}/batch/update`]: send(companies.batchInputs(companies.batchUpdateInput), companyBatch),
  [`POST ${CO}/batch/archive`]: send(companies.batchInputs(companies.batchArchiveInput), NO_CONTENT),
  [`GET ${AO}`]: get(ok(associations.associatedCollection), { params: associations.listParams, query: associations.listQuery }),
  [`PUT ${AO}/:toObjectId`]: send(associations.specList, created(associations.labelsBetweenObjectPair), { params: associations.pairParams }),
  [`DELETE ${AO}/:toObjectId`]: get(NO_CONTENT, { params: associations.pairParams }),
  ['PUT /crm/v4/objects/:fromObjectType/:fromObjectId/associations/default/:toObjectType/:toObjectId']: send(null, ok(associations.defaultAssociationBatch), {
    params: associations.defaultPairParams,
  }),
  [`POST ${AB}/create`]: send(associations.batchCreateBody, { 201: associations.labelsBatch, 207: associations.labelsBatch }, { params: associations.batchParams }),
  [`POST ${AB}/associate/default`]: send(associations.batchDefaultBody, ok(associations.defaultAssociationBatch), { params: associations.batchParams }),
  [`POST ${AB}/read`]: send(associations.batchReadBody, { 200: associations.multiWithLabelBatch, 207: associations.multiWithLabelBatch }, { params: associations.batchParams }),
  [`POST ${AB}/archive`]: send(associations.batchArchiveBody, NO_CONTENT, { params: associations.batchParams }),
  [`POST ${AB}/labels/archive`]: send(associations.batchLabelsArchiveBody, NO_CONTENT, { params: associations.batchParams }),
  ['GET /seqflow/v1/companies/settings']: get(ok(companies.companySettings)),
  ['PUT /seqflow/v1/companies/settings']: send(companies.companySettings, ok(companies.companySettings)),
};

export const CONTRACTS: Record<string, RouteContract> = {
  // ---- CRM contacts v3
  [`POST ${C}`]: send(contacts.propertiesBody, created(contacts.contact)),
  [`GET ${C}`]: get(ok(contacts.contactCollection), { query: contacts.listContactsQueryDoc }),
  [`GET ${C}/:id`]: get(ok(contacts.contact), { query: contacts.readQueryDoc }),
  [`PATCH ${C}/:id`]: send(contacts.propertiesBody, ok(contacts.contact), { query: contacts.idPropertyQuery.pick({ idProperty: true }) }),
  [`DELETE ${C}/:id`]: get(NO_CONTENT),
  [`POST ${C}/search`]: send(contacts.searchBodyDoc, ok(contacts.searchResponse)),
  [`POST ${C}/merge`]: send(contacts.mergeBody, ok(contacts.contact)),
  [`POST ${C}/gdpr-delete`]: send(contacts.gdprDeleteBody, NO_CONTENT),
  [`POST ${C}/batch/create`]: send(contacts.batchInputs(contacts.batchCreateInput), { 201: contacts.contactBatch, 207: contacts.contactBatch }),
  [`POST ${C}/batch/read`]: send(contacts.batchReadBody, { 200: contacts.contactBatch, 207: contacts.contactBatch }, { query: contacts.batchReadQuery }),
  [`POST ${C}/batch/update`]: send(contacts.batchInputs(contacts.batchUpdateInput), { 200: contacts.contactBatch, 207: contacts.contactBatch }),
  [`POST ${C}/batch/upsert`]: send(contacts.batchInputs(contacts.batchUpsertInput), { 200: contacts.contactUpsertBatch, 207: contacts.contactUpsertBatch }),
  [`POST ${C}/batch/archive`]: send(contacts.batchInputs(contacts.batchArchiveInput), NO_CONTENT),
  // ---- meetings
  ['POST /crm/v3/objects/meetings']: send(forms.meetingBody, created(forms.meeting)),
  ['GET /crm/v3/objects/meetings']: get(ok(forms.meetingCollection), { query: forms.meetingsQuery }),
  ['GET /crm/v3/objects/meetings/:id']: get(ok(forms.meeting), { params: common.idParam, query: forms.meetingsQuery.pick({ associations: true }) }),
  // ---- owners and users
  ['GET /crm/v3/owners']: get(ok(users.ownerCollection), { query: users.usersQuery.pick({ limit: true, after: true, email: true }) }),
  ['GET /crm/v3/owners/:id']: get(ok(users.publicOwner), { params: common.idParam }),
  ['GET /settings/v3/users']: get(ok(users.userCollection), { query: users.usersQuery.pick({ limit: true, after: true }) }),
  ['GET /settings/v3/users/:id']: get(ok(users.publicUser), { query: users.usersQuery.pick({ idProperty: true }) }),
  ['POST /settings/v3/users']: send(users.createUserBody, created(users.publicUser)),
  ['PUT /settings/v3/users/:id']: send(users.replaceUserBody, ok(users.publicUser), { params: common.idParam }),
  ['DELETE /settings/v3/users/:id']: get(NO_CONTENT, { params: common.idParam }),
  ['GET /settings/v3/users/teams']: get(ok(users.teamsOrRoles)),
  ['GET /settings/v3/users/roles']: get(ok(users.teamsOrRoles)),
  // ---- sequences v4 and the date-versioned paths
  ...Object.fromEntries(
    SEQUENCE_BASES.flatMap((b) => [
      [`GET ${b}`, get(ok(sequences.sequenceCollection), { query: sequences.sequencesQuery })],
      [`GET ${b}/:id`, get(ok(sequences.sequence), { params: common.idParam, query: sequences.sequencesQuery.pick({ userId: true }) })],
      [`POST ${b}/enrollments`, send(enrollments.enrollBody, ok(enrollments.enrollmentLite), { query: enrollments.enrollQuery })],
      [`GET ${b}/enrollments/contact/:contactId`, get(ok(enrollments.enrollmentStatus), { params: enrollments.contactIdParam })],
    ]),
  ),
  // ---- workflows (flows v4)
  ['GET /automation/v4/flows']: get(ok(flows.flowCollection), { query: flows.listFlowsQuery }),
  ['POST /automation/v4/flows']: send(flows.flowBody, created(flows.flow)),
  ['GET /automation/v4/flows/:id']: get(ok(flows.flow), { params: common.idParam }),
  ['PUT /automation/v4/flows/:id']: send(flows.flowBody, ok(flows.flow), { params: common.idParam, query: flows.updateFlowQuery }),
  ['DELETE /automation/v4/flows/:id']: get(NO_CONTENT, { params: common.idParam }),
  ['POST /automation/v4/flows/batch/read']: send(flows.batchReadFlowsBody, { 200: flows.flowBatch, 207: flows.flowBatch }),
  ['POST /automation/v2/workflows/:workflowId/enrollments/contacts/:email']: send(null, NO_CONTENT, { params: flows.v2EnrollParams }),
  ['GET /automation/2026-09-beta/action-types']: get(ok(flows.actionTypes), { query: flows.actionTypesQuery }),
  // ---- forms
  ['GET /forms/:guid']: get({ 200: HTML }, { params: forms.formParams }),
  ['POST /submissions/v3/integration/submit/:portalId/:guid']: send(forms.submissionBody, ok(forms.submitted), { params: forms.submissionParams }),

  // ---- Seqflow extensions
  ['GET /seqflow/v1/health']: get({ 200: system.health, 503: system.health }, { query: system.healthQuery }),
  ['GET /metrics']: get({ 200: { content: { 'text/plain': null } } }),
  ['GET /seqflow/v1/holidays']: get(ok(holidays.holidays), { query: holidays.listQuery }),
  ['POST /seqflow/v1/holidays']: send(holidays.addBody, ok(holidays.added)),
  ['POST /seqflow/v1/holidays/import']: send(holidays.importBody, ok(holidays.added)),
  ['DELETE /seqflow/v1/holidays/:id']: get(NO_CONTENT, { params: holidays.holidayParam }),
  ['GET /seqflow/v1/holidays/countries']: get(ok(holidays.countries)),
  ['GET /seqflow/v1/templates']: get(ok(templates.templates), { query: templates.listQuery }),
  ['GET /seqflow/v1/templates/folders']: get(ok(templates.folders)),
  ['POST /seqflow/v1/templates']: send(templates.templateBody, created(templates.template)),
  ['GET /seqflow/v1/templates/:id']: get(ok(templates.template), { params: templates.itemParam }),
  ['PATCH /seqflow/v1/templates/:id']: send(templates.templatePatch, ok(templates.template), { params: templates.itemParam }),
  ['DELETE /seqflow/v1/templates/:id']: get(NO_CONTENT, { params: templates.itemParam }),
  ['GET /seqflow/v1/snippets']: get(ok(templates.snippets), { query: templates.listQuery }),
  ['GET /seqflow/v1/snippets/folders']: get(ok(templates.folders)),
  ['POST /seqflow/v1/snippets']: send(templates.snippetBody, created(templates.snippet)),
  ['GET /seqflow/v1/snippets/:id']: get(ok(templates.snippet), { params: templates.itemParam }),
  ['PATCH /seqflow/v1/snippets/:id']: send(templates.snippetPatch, ok(templates.snippet), { params: templates.itemParam }),
  ['DELETE /seqflow/v1/snippets/:id']: get(NO_CONTENT, { params: templates.itemParam }),
  ['GET /seqflow/v1/schedules']: get(ok(schedules.schedules), { query: schedules.listQuery }),
  ['POST /seqflow/v1/schedules']: send(schedules.scheduleBody, created(schedules.schedule)),
  ['GET /seqflow/v1/schedules/:id']: get(ok(schedules.schedule), { params: schedules.scheduleParam }),
  ['PATCH /seqflow/v1/schedules/:id']: send(schedules.schedulePatch, ok(schedules.schedule), { params: schedules.scheduleParam }),
  ['DELETE /seqflow/v1/schedules/:id']: get(NO_CONTENT, { params: schedules.scheduleParam }),
  ['GET /seqflow/v1/notifications']: get(ok(system.notifications), { query: system.notificationsQuery }),
  ['GET /seqflow/v1/openapi.json']: get(ok(system.openApiDocument)),
  ['GET /seqflow/v1/auth/status']: get(ok(system.authStatus)),
  ['POST /seqflow/v1/auth/setup']: send(system.setupBody, created(system.signedIn)),
  ['POST /seqflow/v1/auth/login']: send(system.credentialsBody, ok(system.signedIn)),
  ['POST /seqflow/v1/auth/logout']: send(null, ok(system.signedOut)),
  ['PUT /seqflow/v1/users/:id/password']: send(system.passwordBody, ok(system.passwordSet), { params: common.idParam }),
  ['GET /seqflow/v1/unsubscribe/:token']: get({ 200: HTML }, { params: system.unsubscribeParams }),
  ['POST /seqflow/v1/unsubscribe/:token']: send(
    // RFC 8058's one-click POST carries only List-Unsubscribe=One-Click: the token is in the URL.
    { content: { 'application/x-www-form-urlencoded': null, 'multipart/form-data': null } },
    { 200: { content: { 'application/json': system.unsubscribed, 'text/html': null } } },
    { params: system.unsubscribeParams },
  ),
  ['GET /seqflow/v1/t/o/:token.gif']: get({ 200: { content: { 'image/gif': null } } }, { params: system.trackingParams }),
  ['GET /seqflow/v1/t/c/:token']: get({ 302: null }, { params: system.trackingParams }),
  ['PUT /seqflow/v1/users/:id/seat']: send(users.seatBody, ok(users.publicUser), { params: common.idParam }),
  ['POST /seqflow/v1/users/:id/inboxes']: send(inboxes.connectInboxBody, created(inboxes.inbox), { params: common.idParam }),
  ['GET /seqflow/v1/users/:id/inboxes']: get(ok(inboxes.inboxes), { params: common.idParam }),
  ['POST /seqflow/v1/inboxes/:id/test']: send(null, ok(inboxes.inboxTest), { params: common.idParam }),
  ['POST /seqflow/v1/inboxes/:id/disconnect']: send(null, ok(inboxes.inbox), { params: common.idParam }),
  ['GET /seqflow/v1/inboxes/:id/usage']: get(ok(inboxes.inboxUsage), { params: common.idParam }),
  ['GET /seqflow/v1/inboxes/:id/quarantine']: get(ok(inboxes.quarantine), { params: common.idParam, query: inboxes.quarantineQuery }),
  ['GET /seqflow/v1/inboxes/:id/quarantine/:entryId/raw']: get({ 200: { content: { 'message/rfc822': null } } }, { params: inboxes.quarantineRawParams }),
  ['POST /seqflow/v1/tokens']: send(system.createTokenBody, created(system.createdToken)),
  ['GET /seqflow/v1/tokens']: get(ok(system.tokens)),
  ['DELETE /seqflow/v1/tokens/:id']: get(NO_CONTENT, { params: common.idParam }),
  ['GET /seqflow/v1/clock']: get(ok(system.clock)),
  ['POST /seqflow/v1/clock/advance']: send(system.advanceClockBody, ok(system.clock)),
  ['GET /seqflow/v1/dev-mail/messages']: get(ok(system.devMessages), { query: system.devMessagesQuery }),
  ['GET /seqflow/v1/dev-mail/inboxes']: get(ok(system.devInboxes)),
  ['POST /seqflow/v1/dev-mail/reply']: send(system.replyBody, ok(system.inboundResult)),
  ['POST /seqflow/v1/dev-mail/bounce']: send(system.bounceBody, ok(system.inboundResult)),
  ['POST /seqflow/v1/sequences']: send(sequences.sequenceBody, created(sequences.sequence)),
  ['PUT /seqflow/v1/sequences/:id']: send(sequences.sequenceUpdateBody, ok(sequences.sequence), { params: common.idParam }),
  ['DELETE /seqflow/v1/sequences/:id']: get(NO_CONTENT, { params: common.idParam, query: sequences.deleteSequenceQuery }),
  ['GET /seqflow/v1/sequences']: get(ok(sequences.sequencesWithStats), { query: sequences.sequenceStatsQuery }),
  ['GET /seqflow/v1/sequences/:id/performance']: get(ok(sequences.sequencePerformance), { params: common.idParam }),
  ['GET /seqflow/v1/sequences/:id/report']: get(ok(reports.sequenceReport), { params: common.idParam, query: reports.sequenceReportQuery }),
  ['GET /seqflow/v1/sequences/:id/report.csv']: get({ 200: { content: { 'text/csv': null } } }, { params: common.idParam, query: reports.sequenceReportQuery }),
  ['POST /seqflow/v1/sequences/:id/preview']: send(sequences.previewBody, ok(sequences.preview), { params: common.idParam }),
  ['GET /seqflow/v1/enrollments']: get(ok(enrollments.enrollments), { query: enrollments.enrollmentsQuery }),
  ['POST /seqflow/v1/contacts/:contactId/unenroll']: send(null, ok(enrollments.enrollment), { params: enrollments.contactIdParam }),
  ['POST /seqflow/v1/enrollments/:id/pause']: send(null, ok(enrollments.enrollment), { params: common.idParam }),
  ['POST /seqflow/v1/enrollments/:id/resume']: send(null, ok(enrollments.enrollment), { params: common.idParam }),
  ['GET /seqflow/v1/tasks']: get(ok(tasks.tasks), { query: tasks.queueQuery }),
  ['POST /seqflow/v1/tasks/:id/complete']: send(tasks.completeBody, ok(tasks.task), { params: common.idParam }),
  ['POST /seqflow/v1/tasks/:id/skip']: send(tasks.skipBody, ok(tasks.task), { params: common.idParam }),
  ['POST /seqflow/v1/tasks/:id/snooze']: send(tasks.snoozeBody, ok(tasks.task), { params: common.idParam }),
  ['GET /seqflow/v1/tasks/:id/draft']: get(ok(tasks.draft), { params: common.idParam }),
  ['POST /seqflow/v1/tasks/:id/send']: send(tasks.sendBody, { 202: tasks.sendAnswer }, { params: common.idParam }),
  ['POST /seqflow/v1/tasks/:id/placeholders']: send(tasks.fillBody, ok(enrollments.enrollment), { params: common.idParam }),
  ['GET /crm/v3/objects/tasks']: get(ok(tasks.hubspotTasks), { query: tasks.hubspotListQuery }),
  ['GET /crm/v3/objects/tasks/:id']: get(ok(tasks.hubspotTask), { params: common.idParam, query: tasks.hubspotReadQuery }),
  ['PATCH /crm/v3/objects/tasks/:id']: send(tasks.hubspotPatchBody, ok(tasks.hubspotTask), { params: common.idParam }),
  ['POST /seqflow/v1/blocklist']: send(enrollments.blocklistBody, created(enrollments.blocked)),
  ['GET /seqflow/v1/contacts/:id/timeline']: get(ok(system.timeline), { params: common.idParam }),
  ['GET /seqflow/v1/workflows/:id/log']: get(ok(flows.actionLog), { params: common.idParam, query: flows.actionLogQuery }),
  ['GET /seqflow/v1/workflows/:id/stats']: get(ok(flows.flowStats), { params: common.idParam }),
  ['POST /seqflow/v1/workflows/:id/check']: send(null, ok(flows.flowCheck), { params: common.idParam }),
  ['POST /seqflow/v1/workflows/:id/enrollments']: send(flows.manualEnrollmentBody, ok(flows.manualEnrollmentResult), { params: common.idParam }),
  ['GET /seqflow/v1/contacts/:id/workflow-history']: get(ok(flows.contactWorkflowHistory), { params: common.idParam, query: flows.contactWorkflowHistoryQuery }),
  ['POST /seqflow/v1/workflows/:id/forecast']: send(flows.forecastBody, ok(flows.workflowForecast), { params: common.idParam }),
  ['GET /seqflow/v1/workflow-catalog']: get(ok(flows.workflowCatalog)),
  ['POST /seqflow/v1/forms']: send(forms.formBody, created(forms.form)),
  ['GET /seqflow/v1/forms']: get(ok(forms.forms)),
  ...COMPANY_CONTRACTS,
  // ---- CRM properties v3 (issue #13), per object type path
  ...Object.fromEntries(
    PROPERTY_OBJECT_PATHS.flatMap(({ segment }) => {
      const b = propertiesBase(segment);
      const name = properties.nameParam('propertyName');
      const group = properties.nameParam('groupName');
      return [
        [`GET ${b}`, get(ok(properties.propertyCollection), { query: properties.propertiesQuery })],
        [`POST ${b}`, send(properties.propertyCreate, created(properties.property))],
        [`GET ${b}/:propertyName`, get(ok(properties.property), { params: name, query: properties.propertiesQuery })],
        [`PATCH ${b}/:propertyName`, send(properties.propertyUpdate, ok(properties.property), { params: name })],
        [`DELETE ${b}/:propertyName`, get(NO_CONTENT, { params: name })],
        [`GET ${b}/groups`, get(ok(properties.groupCollection))],
        [`POST ${b}/groups`, send(properties.groupCreate, created(properties.group))],
        [`GET ${b}/groups/:groupName`, get(ok(properties.group), { params: group })],
        [`PATCH ${b}/groups/:groupName`, send(properties.groupUpdate, ok(properties.group), { params: group })],
        [`DELETE ${b}/groups/:groupName`, get(NO_CONTENT, { params: group })],
        [`POST ${b}/batch/create`, send(properties.batchCreate, { 201: properties.propertyBatch, 207: properties.propertyBatch })],
        [`POST ${b}/batch/read`, send(properties.batchRead, { 200: properties.propertyBatch, 207: properties.propertyBatch })],
        [`POST ${b}/batch/archive`, send(properties.batchArchive, NO_CONTENT)],
      ];
    }),
  ),
  // ---- lists v3 and bulk enroll from a list
  ['POST /crm/v3/lists']: send(lists.createListBody, ok(lists.listResponse)),
  ['GET /crm/v3/lists']: get(ok(lists.listsById), { query: lists.getAllQuery }),
  ['POST /crm/v3/lists/search']: send(lists.searchListsBody, ok(lists.listSearchResponse)),
  ['GET /crm/v3/lists/:listId']: get(ok(lists.listResponse), { params: lists.listIdParam, query: lists.includeFiltersQuery }),
  ['GET /crm/v3/lists/object-type-id/:objectTypeId/name/:listName']: get(ok(lists.listResponse), { params: lists.listByNameParams, query: lists.includeFiltersQuery }),
  ['PUT /crm/v3/lists/:listId/update-list-name']: send(null, ok(lists.listUpdated), { params: lists.listIdParam, query: lists.updateNameQuery }),
  ['PUT /crm/v3/lists/:listId/update-list-filters']: send(lists.updateFiltersBody, ok(lists.listUpdated), { params: lists.listIdParam, query: lists.updateFiltersQuery }),
  ['DELETE /crm/v3/lists/:listId']: get(NO_CONTENT, { params: lists.listIdParam }),
  ['PUT /crm/v3/lists/:listId/restore']: send(null, NO_CONTENT, { params: lists.listIdParam }),
  ['GET /crm/v3/lists/:listId/memberships']: get(ok(lists.membershipsPage), { params: lists.listIdParam, query: lists.membershipsQuery }),
  ['PUT /crm/v3/lists/:listId/memberships/add']: send(lists.recordIdsBody, ok(lists.membershipsUpdated), { params: lists.listIdParam }),
  ['PUT /crm/v3/lists/:listId/memberships/remove']: send(lists.recordIdsBody, ok(lists.membershipsUpdated), { params: lists.listIdParam }),
  ['PUT /crm/v3/lists/:listId/memberships/add-and-remove']: send(lists.addAndRemoveBody, ok(lists.membershipsUpdated), { params: lists.listIdParam }),
  ['GET /crm/v3/lists/records/:objectTypeId/:recordId/memberships']: get(ok(lists.recordMemberships), { params: lists.recordMembershipsParams }),
  ['POST /seqflow/v1/lists/:listId/enroll']: send(lists.bulkEnrollBody, ok(lists.bulkEnrollResponse), { params: lists.listIdParam }),
  // ---- CSV imports
  ['POST /crm/v3/imports']: send({ content: { 'multipart/form-data': imports.importUploadDoc } }, ok(imports.importView)),
  ['GET /crm/v3/imports']: get(ok(imports.importCollection), { query: imports.listImportsQuery }),
  ['GET /crm/v3/imports/:importId']: get(ok(imports.importView), { params: imports.importIdParam }),
  ['POST /crm/v3/imports/:importId/cancel']: send(null, ok(imports.actionResponse), { params: imports.importIdParam }),
  ['GET /crm/v3/imports/:importId/errors']: get(ok(imports.importErrorCollection), { params: imports.importIdParam, query: imports.importErrorsQuery }),
  ['GET /seqflow/v1/imports/:importId/progress']: get(ok(imports.importProgress), { params: imports.importIdParam }),
  ['POST /seqflow/v1/imports/suggest-mapping']: send(imports.suggestMappingBody, ok(imports.suggestedMapping)),
  ['GET /seqflow/v1/oauth/providers']: get(ok(oauth.providers)),
  ['POST /seqflow/v1/users/:id/inboxes/oauth/:provider/start']: send(oauth.startBody, ok(oauth.started), { params: oauth.providerParams }),
  ['GET /seqflow/v1/inboxes/:id/oauth']: get(ok(oauth.oauthStatus), { params: common.idParam }),
  ['GET /oauth/:provider/callback']: get({ 302: null }, { params: oauth.callbackParams, query: oauth.callbackQuery }),
};

/** The contract of a route as registered with Fastify (HEAD is GET's). */
export const contractOf = (method: string, url: string): RouteContract | undefined => CONTRACTS[`${method === 'HEAD' ? 'GET' : method} ${url}`];
