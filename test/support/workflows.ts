import type { Harness } from './harness.js';

export const FORM_SUBMITTED = '4-1639801';
export const MEETING_BOOKED = '4-1720599';
export const ENROLL = '0-46510720';
export const UNENROLL = '0-4702372';
export const DELAY = '0-1';
export const SET_PROPERTY = '0-5';
export const CREATE_TASK = '0-3';
export const CONTACT_CREATED = '4-1463224';
export const PROPERTY_CHANGED = '4-655002';
export const EMAIL_REPLIED = '4-665538';
export const SEQUENCE_ENROLLED = '4-675777';
export const SEQUENCE_UNENROLLED = '4-675776';
export const SEQUENCE_FINISHED = '4-675778';

export const onContactCreated = { type: 'EVENT_BASED', shouldReEnroll: false, listMembershipFilterBranches: [], eventFilterBranches: [{ eventTypeId: CONTACT_CREATED, operator: 'HAS_COMPLETED', filters: [] }] };

/** An event trigger whose filters refine on the event's properties (all must match). */
export const onEvent = (eventTypeId: string, filters: Record<string, string> = {}, shouldReEnroll = false) => ({
  type: 'EVENT_BASED',
  shouldReEnroll,
  listMembershipFilterBranches: [],
  eventFilterBranches: [
    {
      filterBranchType: 'UNIFIED_EVENTS',
      filterBranchOperator: 'AND',
      eventTypeId,
      operator: 'HAS_COMPLETED',
      filterBranches: [],
      filters: Object.entries(filters).map(([property, value]) => ({ filterType: 'PROPERTY', property, operation: { operationType: 'MULTISTRING', operator: 'IS_EQUAL_TO', value } })),
    },
  ],
});

/** A chain of SINGLE_CONNECTION actions with ids 1..n, as HubSpot's editor would save it. */
export function chain(actions: { actionTypeId: string; fields: Record<string, unknown> }[]) {
  return actions.map((a, i) => ({
    type: 'SINGLE_CONNECTION',
    actionId: String(i + 1),
    actionTypeId: a.actionTypeId,
    actionTypeVersion: 0,
    fields: a.fields,
    ...(i + 1 < actions.length && { connection: { edgeType: 'STANDARD', nextActionId: String(i + 2) } }),
  }));
}

export function flow(o: { name?: string; isEnabled?: boolean; criteria: unknown; actions: ReturnType<typeof chain> }) {
  return {
    type: 'CONTACT_FLOW',
    objectTypeId: '0-1',
    flowType: 'WORKFLOW',
    name: o.name ?? 'Form → sequence',
    isEnabled: o.isEnabled ?? true,
    startActionId: '1',
    nextAvailableActionId: String(o.actions.length + 1),
    canEnrollFromSalesforce: false,
    enrollmentCriteria: o.criteria,
    actions: o.actions,
    timeWindows: [],
    blockedDates: [],
    suppressionListIds: [],
    customProperties: {},
    dataSources: [],
  };
}

export const onFormSubmitted = (formGuid?: string, shouldReEnroll = false) => ({
  type: 'EVENT_BASED',
  shouldReEnroll,
  listMembershipFilterBranches: [],
  eventFilterBranches: [
    {
      filterBranchType: 'UNIFIED_EVENTS',
      filterBranchOperator: 'AND',
      eventTypeId: FORM_SUBMITTED,
      operator: 'HAS_COMPLETED',
      filterBranches: [],
      filters: formGuid ? [{ filterType: 'PROPERTY', property: 'hs_form_id', operation: { operationType: 'STRING', operator: 'IS_EQUAL_TO', value: formGuid } }] : [],
    },
  ],
});

export async function createForm(h: Harness, name = 'Book a meeting') {
  const r = await h.api('POST', '/seqflow/v1/forms', {
    name,
    fields: [
      { name: 'email', label: 'Email', required: true },
      { name: 'firstname', label: 'First name', required: false },
    ],
  });
  if (r.status !== 201) throw new Error(JSON.stringify(r.body));
  return r.body as { id: string; portalId: string };
}

export async function submit(h: Harness, form: { id: string; portalId: string }, fields: Record<string, string>) {
  return h.api('POST', `/submissions/v3/integration/submit/${form.portalId}/${form.id}`, {
    fields: Object.entries(fields).map(([name, value]) => ({ name, value })),
  }, { token: null });
}

export async function createFlow(h: Harness, body: unknown) {
  const r = await h.api('POST', '/automation/v4/flows', body);
  if (r.status !== 201) throw new Error(JSON.stringify(r.body));
  return r.body;
}

export const log = async (h: Harness, flowId: string, contactId?: string) =>
  (await h.api('GET', `/seqflow/v1/workflows/${flowId}/log${contactId ? `?contactId=${contactId}` : ''}`)).body.results as any[];
