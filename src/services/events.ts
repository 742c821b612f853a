import { eventTriggerFires, listTriggerFires, startAction, type ListsBeforeAfter, type TriggerEvent } from '../domain/workflow-graph.js';
import type { Properties, PropertyTypes } from '../domain/filters.js';
import { comparisonTypes } from './properties.js';
import { contactProperties, maintainedChanges } from '../domain/properties.js';
import { getContact, updateContactProperties } from '../store/contacts.js';
import { lockEnrollmentRow } from '../store/enrollments.js';
import { appendEvent } from '../store/events.js';
import type { Tx } from '../store/database.js';
import { hasRunningRun, insertRun, listEnabledWorkflows, recordMembership, type Workflow } from '../store/workflows.js';
import { refreshDynamicMemberships } from './list-membership.js';
import { listDynamicLists } from '../store/lists.js';
import { CONTACT_CREATED } from './workflow-triggers/contact-created.js';
import { triggerOfEvent } from './workflow-triggers/index.js';

/** When something happens, and in which account time zone (for date filters of triggers). */
export interface At {
  now: number;
  zone: string;
}

/**
 * Appends an event to the contact's timeline and, in the same transaction, enrolls the contact
 * in every enabled workflow whose event trigger fires: the event and the runs it starts commit
 * together or not at all. Trigger filters refine on the trigger's properties of the event
 * (src/services/workflow-triggers), plus any `properties` the caller adds.
 */
export async function recordEvent(
  tx: Tx,
  at: At,
  contactId: number,
  type: string,
  data: Record<string, unknown> = {},
  properties: Properties = {},
): Promise<void> {
  await appendEvent(tx, contactId, type, at.now, data);
  await maintainProperties(tx, at, contactId, type, data);
  const trigger = triggerOfEvent(type);
  if (!trigger) return;
  const event: TriggerEvent = { eventTypeId: trigger.eventTypeId, properties: { ...trigger.propertiesOf(data), ...properties } };
  for (const wf of await listEnabledWorkflows(tx, `"${trigger.eventTypeId}"`)) {
    if (eventTriggerFires(wf.definition.enrollmentCriteria, event, at)) await enrollInWorkflow(tx, at, wf, contactId, type);
  }
}

/**
 * A contact changed: it joins and leaves DYNAMIC lists (in this transaction), then list-based
 * triggers fire for workflows it starts to match, by its properties or its lists.
 */
export async function fireListTriggers(tx: Tx, at: At, contactId: number, before: Properties | null, after: Properties): Promise<void> {
  // Every change of every contact comes here (each enrollment, each send): with no DYNAMIC list
  // and no list-based workflow there is nothing to evaluate, so nothing more is read.
  const dynamicLists = await listDynamicLists(tx);
  const listBased = await listEnabledWorkflows(tx, '"LIST_BASED"');
  if (dynamicLists.length === 0 && listBased.length === 0) return;
  // Typed properties compare as their type (numbers, dates, options) in lists and triggers as in search.
  const ctx = { ...at, types: await comparisonTypes(tx, 'contacts') };
  const lists = await refreshDynamicMemberships(tx, ctx, contactId, after, { dynamicLists });
  await fireListBasedTriggers(tx, ctx, contactId, before, after, lists, listBased);
}

/** List-based triggers for a contact whose properties or list memberships changed. */
export async function fireListBasedTriggers(
  tx: Tx,
  at: At & { types?: PropertyTypes },
  contactId: number,
  before: Properties | null,
  after: Properties,
  lists: ListsBeforeAfter,
  enabledListBased?: readonly Workflow[],
): Promise<void> {
  const listBased = enabledListBased ?? (await listEnabledWorkflows(tx, '"LIST_BASED"'));
  if (listBased.length === 0) return;
  const ctx = { ...at, types: at.types ?? (await comparisonTypes(tx, 'contacts')) };
  for (const wf of listBased) {
    if (listTriggerFires(wf.definition.enrollmentCriteria, before, after, ctx, lists)) await enrollInWorkflow(tx, at, wf, contactId, 'LIST_MEMBERSHIP');
  }
}


/**
 * Starts a run of the workflow for the contact: once per contact unless re-enrollment is on,
 * and never while a run of that workflow is in progress. Returns whether a run started.
 */
export async function enrollInWorkflow(tx: Tx, at: At, wf: Workflow, contactId: number, trigger: string): Promise<boolean> {
  const reEnroll = wf.definition.enrollmentCriteria?.shouldReEnroll ?? false;
  if (reEnroll && (await hasRunningRun(tx, wf.id, contactId))) return false;
  if (!(await recordMembership(tx, wf.id, contactId, reEnroll, at.now))) return false;
  await insertRun(tx, { workflowId: wf.id, contactId, trigger, actionId: startAction(wf.definition) }, at.now);
  return true;
}

/**
 * Keeps the properties a HubSpot integration reads (hs_sequences_is_enrolled, hs_email_optout,
 * …) in step with the event, in its transaction. They change with history (sourceType SALES) and
 * may start list triggers, as any property change; API writers cannot set them (READ_ONLY_VALUE).
 */
const MAINTAINING = new Set(['SEQUENCE_ENROLLED', 'SEQUENCE_UNENROLLED', 'SEQUENCE_FINISHED', 'EMAIL_REPLIED', 'EMAIL_BOUNCED', 'UNSUBSCRIBED']);

async function maintainProperties(tx: Tx, at: At, contactId: number, type: string, data: Record<string, unknown>): Promise<void> {
  if (!MAINTAINING.has(type)) return;
  // A reply goes on to end its enrollment: lock that first, in the order a step's send takes them.
  // (Enrollment events come with the enrollment written already; a bounce has marked the contact.)
  if (type === 'EMAIL_REPLIED' && typeof data.enrollmentId === 'number') await lockEnrollmentRow(tx, data.enrollmentId);
  const contact = await getContact(tx, contactId, { includeArchived: true });
  if (!contact) return;
  const patch = maintainedChanges(type, data, contact.properties, at.now);
  if (Object.keys(patch).every((k) => contact.properties[k] === patch[k])) return;
  const updated = await updateContactProperties(tx, contact, patch, at.now, 'SALES');
  if (contact.archivedAt === null) await fireListTriggers(tx, at, contactId, contactProperties(contact), contactProperties(updated));
}

/**
 * The triggers of many new contacts at once (an import's batch): CONTACT_CREATED event triggers
 * and list-based triggers, as createContactIn fires them one by one, with the enabled workflows
 * read once per batch instead of once per contact. The CONTACT_CREATED events themselves are
 * the caller's to append (in bulk).
 */
export async function fireCreatedTriggers(tx: Tx, at: At, created: { contactId: number; properties: Properties }[]): Promise<void> {
  if (!created.length) return;
  const onCreate = await listEnabledWorkflows(tx, `"${CONTACT_CREATED}"`);
  const listBased = await listEnabledWorkflows(tx, '"LIST_BASED"');
  const dynamicLists = await listDynamicLists(tx);
  const ctx = { ...at, types: await comparisonTypes(tx, 'contacts') };
  const event: TriggerEvent = { eventTypeId: CONTACT_CREATED, properties: {} };
  for (const c of created) {
    const lists = dynamicLists.length ? await refreshDynamicMemberships(tx, ctx, c.contactId, c.properties, { dynamicLists, isNew: true }) : undefined;
    for (const wf of onCreate) {
      if (eventTriggerFires(wf.definition.enrollmentCriteria, event, at)) await enrollInWorkflow(tx, at, wf, c.contactId, 'CONTACT_CREATED');
    }
    for (const wf of listBased) {
      if (listTriggerFires(wf.definition.enrollmentCriteria, null, c.properties, ctx, lists)) await enrollInWorkflow(tx, at, wf, c.contactId, 'LIST_MEMBERSHIP');
    }
  }
}
