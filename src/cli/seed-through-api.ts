/**
 * The set-up an operator would click together, made through the public API as any client would:
 * a user with a seat, an inbox, a sequence, a form and a turned-on workflow "form submitted →
 * enroll in the sequence, sent by that user". `seqflow demo` and the benchmark (bench/) both start
 * from it.
 */

/** One authenticated API call answering the parsed JSON body; it throws on a non-2xx answer. */
export type ApiCall = (method: 'POST', path: string, body: unknown) => Promise<unknown>;

export interface FormToSequence {
  user: { email: string; firstName: string; lastName: string; timezone: string };
  /** The inbox body besides its address (the user's email): provider, SMTP, limits. */
  inbox: Record<string, unknown>;
  sequence: { name: string; settings: Record<string, unknown>; steps: unknown[] };
  form: { name: string; fields: { name: string; label: string; required?: boolean }[] };
  flowName: string;
}

export interface Seeded {
  userId: string;
  inboxId: string;
  sequenceId: string;
  form: { id: string; portalId: string };
  flowId: string;
}

/** HubSpot's event type and action type ids (hubspot-api.md). */
export const FORM_SUBMITTED = '4-1639801';
const ENROLL_IN_SEQUENCE = '0-46510720';

/** A turned-on contact flow v4 body: one event, refined by equal-to filters on its properties, starts one action. */
export function eventFlow(o: { name: string; eventTypeId: string; filters: { property: string; value: string }[]; action: { actionTypeId: string; fields: Record<string, unknown> } }) {
  return {
    type: 'CONTACT_FLOW',
    objectTypeId: '0-1',
    flowType: 'WORKFLOW',
    name: o.name,
    isEnabled: true,
    startActionId: '1',
    nextAvailableActionId: '2',
    enrollmentCriteria: {
      type: 'EVENT_BASED',
      shouldReEnroll: false,
      listMembershipFilterBranches: [],
      eventFilterBranches: [
        {
          filterBranchType: 'UNIFIED_EVENTS',
          filterBranchOperator: 'AND',
          eventTypeId: o.eventTypeId,
          operator: 'HAS_COMPLETED',
          filterBranches: [],
          filters: o.filters.map((f) => ({ filterType: 'PROPERTY', property: f.property, operation: { operationType: 'STRING', operator: 'IS_EQUAL_TO', value: f.value } })),
        },
      ],
    },
    actions: [{ type: 'SINGLE_CONNECTION', actionId: '1', actionTypeVersion: 0, ...o.action }],
    timeWindows: [],
    blockedDates: [],
    suppressionListIds: [],
    customProperties: {},
    dataSources: [],
  };
}

/** A flow v4 body: when someone submits the form, enroll them in the sequence, sent by the user from their address. */
export const formToSequenceFlow = (o: { name: string; formId: string; sequenceId: string; userId: string; senderEmail: string }) =>
  eventFlow({
    name: o.name,
    eventTypeId: FORM_SUBMITTED,
    filters: [{ property: 'hs_form_id', value: o.formId }],
    action: { actionTypeId: ENROLL_IN_SEQUENCE, fields: { sequenceId: o.sequenceId, senderType: 'SPECIFIC_USER', userId: o.userId, senderEmail: o.senderEmail } },
  });

/** Makes the user (Sales Professional seat), inbox, sequence, form and workflow of `s`, in that order. */
export async function seedFormToSequence(api: ApiCall, s: FormToSequence): Promise<Seeded> {
  const user = (await api('POST', '/settings/v3/users', { ...s.user, seat: 'sales_professional' })) as { id: string };
  const inbox = (await api('POST', `/seqflow/v1/users/${user.id}/inboxes`, { address: s.user.email, ...s.inbox })) as { id: string };
  const sequence = (await api('POST', '/seqflow/v1/sequences', { ...s.sequence, userId: user.id })) as { id: string };
  const form = (await api('POST', '/seqflow/v1/forms', s.form)) as { id: string; portalId: string };
  const flow = (await api('POST', '/automation/v4/flows', formToSequenceFlow({ name: s.flowName, formId: form.id, sequenceId: sequence.id, userId: user.id, senderEmail: s.user.email }))) as { id: string };
  return { userId: user.id, inboxId: inbox.id, sequenceId: sequence.id, form: { id: form.id, portalId: form.portalId }, flowId: flow.id };
}
