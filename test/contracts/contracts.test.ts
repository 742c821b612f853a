import { describe, expect, it } from 'vitest';
import { checkExchange, contractFor, CONTRACTS, SCHEMA_NAMES, validate, type Exchange } from './contracts.js';

/**
 * The schemas themselves: each accepts the documented example shape (hubspot-api.md §3.3–3.6,
 * §4.2) and rejects the mistakes the generated client or HubSpot's shape would not tolerate,
 * naming the JSON path at fault.
 */

const AT = '2026-03-02T14:00:00.000Z';
const CID = 'a43683b0-5717-4ceb-80b4-104d02915d8c';
const contact = { id: '151', properties: { email: 'a@b.com', firstname: 'A', hs_object_id: '151', lastname: null }, createdAt: AT, updatedAt: AT, archived: false };
const owner = { id: '7', userId: 7, email: 'rep@acme.com', type: 'PERSON', teams: [], archived: false, createdAt: AT, updatedAt: AT };
const user = { id: '7', email: 'rep@acme.com', firstName: 'R', superAdmin: false, roleIds: [] };
const lite = { id: '123456789', name: 'Simple call sequence', userId: '8698664', createdAt: AT, updatedAt: AT };
const stamp = { createdAt: AT, updatedAt: AT };
const sequence = {
  ...lite,
  settings: { id: '1', ...stamp, eligibleFollowUpDays: 'BUSINESS_DAYS', sendWindowStartMinute: 480, sendWindowEndMinute: 1080, taskReminderMinute: 480, individualTaskRemindersEnabled: false, sellingStrategy: 'LEAD_BASED' },
  steps: [
    { id: '1', stepOrder: 0, delayMillis: 0, actionType: 'TASK', ...stamp, taskPattern: { id: '1', taskType: 'CALL', taskPriority: 'NONE', ...stamp } },
    { id: '2', stepOrder: 1, delayMillis: 86400000, actionType: 'EMAIL', ...stamp, emailPattern: { id: '2', templateId: '9', threadEmailToStepOrder: 0, ...stamp } },
  ],
  dependencies: [{ id: 'd', dependencyType: 'TASK_COMPLETION', reliesOnStepOrder: 0, requiredByStepOrder: 1, reliesOnSequenceStepId: '1', requiredBySequenceStepId: '2', ...stamp }],
};
const flowDoc = {
  id: '5', revisionId: '1', type: 'CONTACT_FLOW', objectTypeId: '0-1', flowType: 'WORKFLOW', isEnabled: false, name: 'x', startActionId: '1', nextAvailableActionId: '2',
  actions: [{ type: 'SINGLE_CONNECTION', actionId: '1', actionTypeId: '0-1', actionTypeVersion: 0, fields: { delta: '3', time_unit: 'DAYS' } }],
  enrollmentCriteria: { type: 'MANUAL', shouldReEnroll: false },
  blockedDates: [], timeWindows: [], suppressionListIds: [], customProperties: {}, dataSources: [], canEnrollFromSalesforce: false, crmObjectCreationStatus: 'COMPLETE', ...stamp,
};
const anImport = {
  id: '4', state: 'DONE', ...stamp, importName: 'Q1 leads', importSource: 'API', optOutImport: false, mappedObjectTypeIds: ['0-1'],
  metadata: { counters: { TOTAL_ROWS: 250, CREATED_OBJECTS: 150, UPDATED_OBJECTS: 100 }, fileIds: ['4'], objectLists: [] },
};
const importError = { id: '9', createdAt: 1772460000000, errorType: 'INVALID_EMAIL', objectTypeId: '0-1', sourceData: { rowData: ['x', 'not-an-email'], lineNumber: 7, fileId: 4, containsEncryptedProperties: false } };
const standardError = { status: 'error', category: 'OBJECT_NOT_FOUND', message: 'nope', errors: [], context: { ids: ['9'] }, links: {} };

const labels = { fromObjectTypeId: '0-1', fromObjectId: 151, toObjectTypeId: '0-2', toObjectId: 9, labels: ['Primary'] };
const associated = { toObjectId: 9, associationTypes: [{ category: 'HUBSPOT_DEFINED', typeId: 1, label: 'Primary' }, { category: 'HUBSPOT_DEFINED', typeId: 279, label: null }] };
const defaultAssociation = { from: { id: '151' }, to: { id: '9' }, associationSpec: { associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 279 } };
const multi = { from: { id: '151' }, to: [associated] };
/** Associations v4 (issue #13), as HubSpot's associations guide shows them. */
const ASSOCIATION_EXAMPLES: Record<string, unknown> = {
  LabelsBetweenObjectPair: labels,
  AssociationSpecWithLabel: associated.associationTypes[0],
  MultiAssociatedObjectWithLabel: associated,
  CollectionResponseMultiAssociatedObjectWithLabelForwardPaging: { results: [associated], paging: { next: { after: '9' } } },
  PublicDefaultAssociation: defaultAssociation,
  BatchResponsePublicDefaultAssociation: { status: 'COMPLETE', results: [defaultAssociation], startedAt: AT, completedAt: AT },
  BatchResponseLabelsBetweenObjectPair: { status: 'COMPLETE', results: [labels], startedAt: AT, completedAt: AT },
  BatchResponseLabelsBetweenObjectPairWithErrors: { status: 'COMPLETE', results: [], numErrors: 1, errors: [standardError], startedAt: AT, completedAt: AT },
  PublicAssociationMultiWithLabel: multi,
  BatchResponsePublicAssociationMultiWithLabel: { status: 'COMPLETE', results: [multi], startedAt: AT, completedAt: AT },
  BatchResponsePublicAssociationMultiWithLabelWithErrors: { status: 'COMPLETE', results: [], numErrors: 1, errors: [standardError], startedAt: AT, completedAt: AT },
};
const property = {
  name: 'favorite_color', label: 'Favorite color', type: 'enumeration', fieldType: 'select', description: '', groupName: 'contactinformation',
  options: [{ label: 'Red', value: 'red', displayOrder: 0, hidden: false }], displayOrder: -1, calculated: false, externalOptions: false, hasUniqueValue: false,
  hidden: false, formField: true, modificationMetadata: { archivable: true, readOnlyDefinition: false, readOnlyValue: false, readOnlyOptions: false }, ...stamp, archived: false,
};
const group = { name: 'contactinformation', label: 'Contact information', displayOrder: 0, archived: false };

const EXAMPLES: Record<string, unknown> = {
  Error: { status: 'error', message: 'Property values were not valid', errors: [{ message: 'bad', in: 'email' }], category: 'VALIDATION_ERROR', correlationId: CID },
  ErrorDetail: { message: 'bad', in: 'email', code: 'INVALID_EMAIL' },
  Paging: { next: { after: 'NTI1Cg%3D%3D', link: '?after=NTI1Cg%3D%3D' } },
  SimplePublicObject: contact,
  SimplePublicObjectWithAssociations: { ...contact, associations: { companies: { results: [{ id: '1', type: 'contact_to_company' }] } } },
  SimplePublicUpsertObject: { ...contact, new: true },
  CollectionResponseSimplePublicObjectWithAssociations: { results: [contact], paging: { next: { after: '151' } } },
  CollectionResponseWithTotalSimplePublicObject: { total: 1, results: [contact] },
  StandardError: standardError,
  BatchResponseSimplePublicObject: { status: 'COMPLETE', results: [contact], startedAt: AT, completedAt: AT },
  BatchResponseSimplePublicObjectWithErrors: { status: 'COMPLETE', results: [contact], numErrors: 1, errors: [standardError], startedAt: AT, completedAt: AT },
  BatchResponseSimplePublicUpsertObject: { status: 'COMPLETE', results: [{ ...contact, new: false }], startedAt: AT, completedAt: AT },
  BatchResponseSimplePublicUpsertObjectWithErrors: { status: 'COMPLETE', results: [], numErrors: 1, errors: [standardError], startedAt: AT, completedAt: AT },
  PublicOwner: owner,
  CollectionResponsePublicOwner: { results: [owner] },
  PublicUser: user,
  CollectionResponsePublicUser: { results: [user], paging: { next: { after: '7' } } },
  CollectionResponsePublicTeamOrRole: { results: [{ id: '12', name: 'Sales' }] },
  PublicSequenceLiteResponse: lite,
  CollectionResponseWithTotalPublicSequenceLiteResponse: { total: 1, results: [lite], paging: { next: { after: 'x' } } },
  PublicSequenceResponse: sequence,
  PublicSequenceEnrollmentLiteResponse: { id: '987654321', toEmail: 'lead@example.com', enrolledAt: AT, updatedAt: AT },
  PublicSequenceEnrollmentResponse: { id: '98765', sequenceId: '555', sequenceName: 'Inbound', enrolledBy: '123456', enrolledByEmail: 'rep@acme.com', toEmail: 'lead@example.com', enrolledAt: AT, updatedAt: AT },
  ApiFlow: flowDoc,
  ApiFlowListing: { id: '5', name: 'x', isEnabled: true, flowType: 'WORKFLOW', objectTypeId: '0-1', revisionId: '3', ...stamp },
  CollectionResponseApiFlowListing: { results: [] },
  BatchResponseApiFlow: { status: 'COMPLETE', results: [flowDoc], startedAt: AT, completedAt: AT },
  BatchResponseApiFlowWithErrors: { status: 'COMPLETE', results: [], numErrors: 1, errors: [standardError], startedAt: AT, completedAt: AT },
  ...ASSOCIATION_EXAMPLES,
  Property: property,
  CollectionResponsePropertyNoPaging: { results: [property, { ...property, name: 'email', type: 'string', fieldType: 'text', options: [], hubspotDefined: true }] },
  BatchResponseProperty: { status: 'COMPLETE', results: [property], startedAt: AT, completedAt: AT },
  BatchResponsePropertyWithErrors: { status: 'COMPLETE', results: [], numErrors: 1, errors: [standardError], startedAt: AT, completedAt: AT },
  PropertyGroup: group,
  CollectionResponsePropertyGroupNoPaging: { results: [group] },
  ...listExamples(),
  PublicImportResponse: anImport,
  CollectionResponsePublicImportResponse: { results: [anImport], paging: { next: { after: '3' } } },
  PublicImportError: importError,
  CollectionResponsePublicImportErrorForwardPaging: { results: [importError] },
  ActionResponse: { status: 'COMPLETE', startedAt: AT, completedAt: AT },
};

/** Lists v3 (issue #13): the shapes of HubSpot's lists documentation. */
function listExamples(): Record<string, unknown> {
  const branch = {
    filterBranchType: 'OR',
    filterBranchOperator: 'OR',
    filters: [],
    filterBranches: [{ filterBranchType: 'AND', filters: [{ filterType: 'PROPERTY', property: 'firstname', operation: { operationType: 'MULTISTRING', operator: 'IS_EQUAL_TO', values: ['Ada'] } }], filterBranches: [] }],
  };
  const list = { listId: '12', listVersion: 1, name: 'Leads', objectTypeId: '0-1', processingType: 'DYNAMIC', processingStatus: 'COMPLETE', size: 3, ...stamp, filtersUpdatedAt: AT, filterBranch: branch };
  return {
    ListFilterBranch: branch,
    PublicObjectList: list,
    ListCreateResponse: { list },
    ListsByIdResponse: { lists: [list] },
    ListUpdateResponse: { updatedList: list },
    ListSearchResponse: { lists: [{ ...list, additionalProperties: { hs_list_size: '3' } }], total: 1, offset: 1, hasMore: false },
    MembershipsUpdateResponse: { recordsIdsAdded: ['151'], recordIdsRemoved: [], recordIdsMissing: ['9'] },
    ApiCollectionResponseJoinTimeAndRecordId: { results: [{ recordId: '151', membershipTimestamp: AT }], total: 1, paging: { next: { after: '151' } } },
    ApiCollectionResponseRecordListMembershipNoPaging: { results: [{ listId: '12', listVersion: 1, firstAddedTimestamp: AT, lastAddedTimestamp: AT }], total: 1 },
  };
}

const omit = <T extends Record<string, unknown>>(o: T, k: string) => Object.fromEntries(Object.entries(o).filter(([key]) => key !== k));

describe('contract schemas', () => {
  it('should have a documented example for every schema when the schemas are loaded', () => {
    expect(Object.keys(EXAMPLES).sort()).toEqual([...SCHEMA_NAMES].sort());
  });

  it.each(Object.entries(EXAMPLES))('should accept the documented shape when validating %s', (name, example) => {
    expect(validate(name, example)).toEqual([]);
  });

  it('should report the missing field when the Error body lacks correlationId', () => {
    expect(validate('Error', { message: 'x', category: 'CONFLICT' })).toEqual(["/: missing required property 'correlationId'"]);
  });

  it('should report the path when a correlationId is not a UUID', () => {
    expect(validate('Error', { message: 'x', category: 'CONFLICT', correlationId: '42' })).toEqual(['/correlationId: must match format "uuid"']);
  });

  it('should report the nested path when a property value is a number instead of a string', () => {
    expect(validate('SimplePublicObject', { ...contact, properties: { age: 42 } })).toEqual(['/properties/age: must be string,null']);
  });

  it('should reject dates without milliseconds and Z when the client parses them with new Date()', () => {
    expect(validate('SimplePublicObject', { ...contact, createdAt: '2026-03-02T14:00:00+00:00' })).toEqual(['/createdAt: must match format "date-time"']);
  });

  it('should report the results path when a sequence in a list lacks userId', () => {
    expect(validate('CollectionResponseWithTotalPublicSequenceLiteResponse', { total: 1, results: [omit(lite, 'userId')] })).toEqual(["/results/0: missing required property 'userId'"]);
  });

  it('should require total when a sequence collection is returned', () => {
    expect(validate('CollectionResponseWithTotalPublicSequenceLiteResponse', { results: [] })).toEqual(["/: missing required property 'total'"]);
  });

  it('should require steps and dependencies when a full sequence is returned', () => {
    expect(validate('PublicSequenceResponse', lite)).toEqual(["/: missing required property 'steps'", "/: missing required property 'dependencies'"]);
  });

  it('should require every settings field when a sequence carries settings', () => {
    expect(validate('PublicSequenceResponse', { ...sequence, settings: omit(sequence.settings, 'taskReminderMinute') })).toEqual(["/settings: missing required property 'taskReminderMinute'"]);
  });

  it('should require all eight fields when an enrollment status is returned', () => {
    expect(validate('PublicSequenceEnrollmentResponse', omit(EXAMPLES.PublicSequenceEnrollmentResponse as Record<string, unknown>, 'enrolledByEmail'))).toEqual([
      "/: missing required property 'enrolledByEmail'",
    ]);
  });

  it('should require numErrors and errors when a batch answers 207', () => {
    expect(validate('BatchResponseSimplePublicObjectWithErrors', EXAMPLES.BatchResponseSimplePublicObject)).toEqual([
      "/: missing required property 'numErrors'",
      "/: missing required property 'errors'",
    ]);
  });

  it('should require new on every result when a batch upsert answers', () => {
    expect(validate('BatchResponseSimplePublicUpsertObject', EXAMPLES.BatchResponseSimplePublicObject)).toEqual(["/results/0: missing required property 'new'"]);
  });

  it('should require actionTypeId and fields when a flow action is SINGLE_CONNECTION', () => {
    const bad = { ...flowDoc, actions: [{ type: 'SINGLE_CONNECTION', actionId: '1' }] };
    expect(validate('ApiFlow', bad)).toEqual([
      "/actions/0: missing required property 'actionTypeId'",
      "/actions/0: missing required property 'actionTypeVersion'",
      "/actions/0: missing required property 'fields'",
    ]);
  });

  it('should reject a property type when HubSpot has no such type', () => {
    expect(validate('Property', { ...property, type: 'text' })).toEqual(['/type: must be equal to one of the allowed values ["string","number","date","datetime","enumeration","bool"]']);
  });

  it('should require hidden on every option when a property lists options', () => {
    expect(validate('Property', { ...property, options: [{ label: 'Red', value: 'red' }] })).toEqual(["/options/0: missing required property 'hidden'"]);
  });

  it('should reject an owner type when it is neither PERSON nor QUEUE', () => {
    expect(validate('PublicOwner', { ...owner, type: 'USER' })).toEqual(['/type: must be equal to one of the allowed values ["PERSON","QUEUE"]']);
  });
});

describe('contract table', () => {
  const x = (o: Partial<Exchange>): Exchange => ({ method: 'GET', path: '/', query: '', status: 200, contentType: 'application/json;charset=utf-8', text: '{}', ...o });

  it('should name a contract when any HubSpot endpoint the suite calls is looked up', () => {
    for (const [m, p] of [
      ['POST', '/crm/v3/objects/contacts/search'],
      ['GET', '/crm/v3/objects/contacts/a%40b.com'],
      ['GET', '/crm/v3/owners/'],
      ['POST', '/settings/v3/users/'],
      ['GET', '/automation/sequences/2026-03/12'],
      ['GET', '/automation/v4/sequences/enrollments/contact/3'],
      ['POST', '/automation/v4/flows/batch/read'],
    ]) expect(contractFor(m, p), `${m} ${p}`).toBeDefined();
    expect(CONTRACTS.length).toBeGreaterThan(25);
  });

  it('should flag a 200 when the generated client only accepts 201', () => {
    const problems = checkExchange(x({ method: 'POST', path: '/crm/v3/objects/contacts', status: 200, text: JSON.stringify(contact) }));
    expect(problems).toEqual(['POST /crm/v3/objects/contacts → 200: HubSpot answers 201 here; the generated client rejects 200']);
  });

  it('should flag a missing Content-Type when a body is sent', () => {
    const problems = checkExchange(x({ path: '/crm/v3/owners/7', contentType: undefined, text: JSON.stringify(owner) }));
    expect(problems).toEqual(['GET /crm/v3/owners/7 → 200: Content-Type is (none), not application/json']);
  });

  it('should validate error bodies against Error when the status is 4xx', () => {
    const problems = checkExchange(x({ path: '/crm/v3/owners/7', status: 404, text: JSON.stringify({ message: 'no' }) }));
    expect(problems).toEqual([
      "GET /crm/v3/owners/7 → 404 [Error] /: missing required property 'category'",
      "GET /crm/v3/owners/7 → 404 [Error] /: missing required property 'correlationId'",
    ]);
  });

  it('should flag a body when the status is 204', () => {
    expect(checkExchange(x({ method: 'DELETE', path: '/automation/v4/flows/3', status: 204, text: '{}' }))).toHaveLength(1);
  });

  it('should skip success bodies when the endpoint is a Seqflow extension', () => {
    expect(checkExchange(x({ method: 'POST', path: '/seqflow/v1/sequences', status: 201, text: '{"anything":1}' }))).toEqual([]);
  });
});
