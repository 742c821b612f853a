import crypto from 'node:crypto';
import { comparisonTypes } from './properties.js';
import { DAY_MS } from '../domain/send-limits.js';
import { guardrailIssues, ENROLLS_MANY_THRESHOLD, type GuardrailIssue } from '../domain/guardrails.js';
import { isActionOfType, listCriteriaMatch, listIdsOfCriteria, validateFlowStructure, type FlowDefinition } from '../domain/workflow-graph.js';
import { getList, listIdsOfContacts } from '../store/lists.js';
import { matchesFlowBranch } from '../domain/filters.js';
import { getContact, listArchivedContactIds, listContacts, listContactsCreatedSince } from '../store/contacts.js';
import type { Tx } from '../store/database.js';
import { contactIdsWithEventOfTypes } from '../store/events.js';
import * as workflows from '../store/workflows.js';
import type { Workflow } from '../store/workflows.js';
import { contactPropertiesOf } from './contacts.js';
import type { Deps } from './deps.js';
import { errors, fieldError, validationError } from './errors.js';
import { enrollInWorkflow, type At } from './events.js';
import { atNow } from './unenroll-contact.js';
import { actionTypeById } from './workflow-actions/index.js';
import { checkEnrollAction, ENROLL_IN_SEQUENCE, type EnrollActionCheck } from './workflow-actions/enroll-in-sequence.js';
import { KNOWN_EVENT_TYPE_IDS, triggerById, WORKFLOW_TRIGGERS } from './workflow-triggers/index.js';

/** Looks at each Enroll action's sequence and sender as the database has them now. */
async function checkEnrollActions(tx: Tx, deps: Deps, def: FlowDefinition): Promise<EnrollActionCheck[]> {
  const checks: EnrollActionCheck[] = [];
  for (const [i, action] of def.actions.entries()) {
    if (isActionOfType(action, ENROLL_IN_SEQUENCE)) checks.push(await checkEnrollAction(tx, deps, action.actionId, action.fields ?? {}, `actions[${i}]`));
  }
  return checks;
}

export interface SavedWorkflow {
  workflow: Workflow;
  warnings: GuardrailIssue[];
}

function structureErrors(def: FlowDefinition): void {
  const problems = validateFlowStructure(def, { actionType: actionTypeById, eventTypeIds: KNOWN_EVENT_TYPE_IDS });
  if (problems.length) throw validationError(problems[0].message, problems.map((p) => ({ ...p, code: 'INVALID_FLOW' })), 'INVALID_FLOW');
}

/** Action checks that wait on the network (a webhook host's DNS): before the save's transaction opens. */
async function checksWithIo(deps: Deps, def: FlowDefinition): Promise<void> {
  for (const [i, a] of def.actions.entries()) {
    if (a.type !== 'SINGLE_CONNECTION') continue;
    const check = actionTypeById(a.actionTypeId)?.checkAtSave;
    const problem = check ? await check(deps, a.fields ?? {}) : null;
    if (problem) throw validationError(problem.message, [{ in: `actions[${i}].fields.${problem.field}`, message: problem.message, code: 'INVALID_FLOW' }], 'INVALID_FLOW');
  }
}

/** A list-membership trigger must name a list that exists, or it could never fire. */
async function checkTriggerLists(tx: Tx, def: FlowDefinition): Promise<void> {
  for (const listId of listIdsOfCriteria(def.enrollmentCriteria)) {
    if (!(await getList(tx, Number(listId)))) {
      throw fieldError('enrollmentCriteria.listFilterBranch', `The trigger names list ${listId}, which does not exist.`, 'LIST_NOT_FOUND');
    }
  }
}

/**
 * Refuses a save whose Enroll actions name a deleted sequence or an ineligible sender — except
 * actions the save leaves untouched on a flow that stays off, so a flow that broke after it
 * was saved can still be turned off.
 */
async function checkOrThrow(tx: Tx, deps: Deps, def: FlowDefinition, current?: FlowDefinition): Promise<GuardrailIssue[]> {
  await checkTriggerLists(tx, def);
  const checks = await checkEnrollActions(tx, deps, def);
  const unchanged = (actionId: string) => {
    const before = current?.actions.find((a) => a.actionId === actionId);
    const after = def.actions.find((a) => a.actionId === actionId);
    return before !== undefined && JSON.stringify(before) === JSON.stringify(after);
  };
  const errors = checks.filter((c) => def.isEnabled || !unchanged(c.facts.actionId)).flatMap((c) => c.errors);
  if (errors.length) throw validationError(errors[0].message, errors, errors[0].code);
  return guardrailIssues({
    criteria: def.enrollmentCriteria,
    enrollActions: checks.map((c) => c.facts),
    existingCount: 0,
    coldImportCount: await coldImports(tx, atNow(deps), def),
  });
}

export async function createWorkflow(deps: Deps, def: FlowDefinition): Promise<SavedWorkflow> {
  structureErrors(def);
  await checksWithIo(deps, def);
  return deps.db.transaction(async (tx) => {
    const warnings = await checkOrThrow(tx, deps, def);
    const workflow = await workflows.insertWorkflow(tx, { uuid: def.uuid ?? crypto.randomUUID(), definition: { ...def, isEnabled: false } }, deps.clock.now());
    // Turning on goes through the same path as an update, so its checks apply.
    if (!def.isEnabled) return { workflow, warnings };
    return turnOn(tx, deps, workflow, def, { enrollExisting: false, acknowledged: [] }, warnings);
  });
}

export interface UpdateOptions {
  expectedRevision?: number;
  enrollExisting: boolean;
  acknowledged: string[];
}

export async function updateWorkflow(deps: Deps, id: number, def: FlowDefinition, opts: UpdateOptions): Promise<SavedWorkflow> {
  structureErrors(def);
  await checksWithIo(deps, def);
  return deps.db.transaction(async (tx) => {
    const current = await workflows.getWorkflow(tx, id, { forUpdate: deps.db.dialect });
    if (!current) throw errors.flowNotFound({ id });
    if (opts.expectedRevision !== undefined && opts.expectedRevision !== current.revision) {
      throw errors.staleRevision({ expected: opts.expectedRevision, current: current.revision });
    }
    const warnings = await checkOrThrow(tx, deps, def, current.definition);
    const turningOn = def.isEnabled && !current.isEnabled;
    let saved = await workflows.replaceWorkflow(tx, current, { ...def, isEnabled: current.isEnabled && def.isEnabled, uuid: current.uuid }, deps.clock.now());
    const broken = warnings.find((w) => w.level === 'error');
    if (broken) {
      // Saved while off, but still broken: it keeps needing review.
      await workflows.flagNeedsReview(tx, saved.id, broken.message, deps.clock.now());
      saved = (await workflows.getWorkflow(tx, saved.id))!;
    }
    if (!turningOn) return { workflow: saved, warnings };
    return turnOn(tx, deps, saved, def, opts, warnings);
  });
}

/**
 * Turns a workflow on. With "enroll existing contacts", the contacts that match now are
 * enrolled; more than 100 into a sequence needs the ENROLLS_MANY acknowledgement (PRODUCT §4.3).
 */
async function turnOn(tx: Tx, deps: Deps, wf: Workflow, def: FlowDefinition, opts: Pick<UpdateOptions, 'enrollExisting' | 'acknowledged'>, warnings: GuardrailIssue[]): Promise<SavedWorkflow> {
  const at = atNow(deps);
  const existing = opts.enrollExisting ? await existingContacts(tx, at, wf, def) : [];
  const enrollsInSequence = def.actions.some((a) => isActionOfType(a, ENROLL_IN_SEQUENCE));
  if (enrollsInSequence && existing.length > ENROLLS_MANY_THRESHOLD && !opts.acknowledged.includes('ENROLLS_MANY')) {
    throw errors.enrollsMany({ count: existing.length, threshold: ENROLLS_MANY_THRESHOLD });
  }
  const on = await workflows.replaceWorkflow(tx, wf, { ...def, isEnabled: true, uuid: wf.uuid }, at.now);
  for (const contactId of existing) await enrollInWorkflow(tx, at, on, contactId, 'EXISTING');
  return { workflow: on, warnings };
}

/** Contacts that match the trigger now (list-based), or did the trigger's event before (event-based). */
export async function existingContacts(tx: Tx, at: At, wf: Workflow, def: FlowDefinition): Promise<number[]> {
  const c = def.enrollmentCriteria;
  const ids = new Set<number>();
  if (c?.type === 'LIST_BASED') {
    const ctx = { ...at, types: await comparisonTypes(tx, 'contacts') };
    for (let after = 0; ; ) {
      const batch = await listContacts(tx, { after, limit: 1000 });
      if (batch.length === 0) break;
      const lists = await listIdsOfContacts(tx, batch.map((b) => b.id));
      for (const contact of batch) if (listCriteriaMatch(c, contactPropertiesOf(contact), { ...ctx, listIds: lists.get(contact.id) })) ids.add(contact.id);
      after = batch[batch.length - 1].id;
    }
  } else if (c?.type === 'EVENT_BASED') {
    // Each trigger finds its own past events; its filters refine on the same properties as live.
    for (const b of c.eventFilterBranches) {
      const trigger = triggerById(b.eventTypeId);
      if (!trigger) continue;
      for (const e of await trigger.findPast(tx)) {
        if (!b.filters?.length || matchesFlowBranch(e.properties, { filterBranchType: 'AND', filters: b.filters }, at)) ids.add(e.contactId);
      }
    }
  }
  const reEnroll = c?.shouldReEnroll ?? false;
  const members = await workflows.listMemberContactIds(tx, wf.id);
  const archived = new Set(await listArchivedContactIds(tx));
  return [...ids].filter((id) => !archived.has(id) && (reEnroll || !members.has(id)));
}

export async function deleteWorkflow(deps: Deps, id: number): Promise<void> {
  await deps.db.transaction(async (tx) => {
    if (!(await workflows.deleteWorkflow(tx, id, deps.clock.now()))) throw errors.flowNotFound({ id });
  });
}

export async function requireWorkflow(deps: Deps, id: number): Promise<Workflow> {
  const wf = await workflows.getWorkflow(deps.db.kysely, id);
  if (!wf) throw errors.flowNotFound({ id });
  return wf;
}

/** The guardrail check of PRODUCT §4.3, with counts, without saving anything. */
export async function checkWorkflow(deps: Deps, id: number): Promise<GuardrailIssue[]> {
  const wf = await requireWorkflow(deps, id);
  const def = wf.definition;
  const db = deps.db.kysely;
  const at = atNow(deps);
  const checks = await checkEnrollActions(db, deps, def);
  const existing = await existingContacts(db, at, wf, def);
  return guardrailIssues({
    criteria: def.enrollmentCriteria,
    enrollActions: checks.map((c) => c.facts),
    existingCount: existing.length,
    coldImportCount: await coldImports(db, at, def),
  });
}

const ENGAGEMENT = ['FORM_SUBMITTED', 'MEETING_BOOKED', 'EMAIL_REPLIED'];
const PASSIVE_TRIGGERS = WORKFLOW_TRIGGERS.filter((t) => t.passive).map((t) => t.eventTypeId);

/**
 * Contacts created by an import (hs_object_source = IMPORT, as HubSpot marks them) in the last
 * 30 days that never engaged, and that this trigger could enroll: list-based criteria they
 * match, or a contact-created / property-changed trigger (engagement triggers cannot fire for them).
 */
async function coldImports(db: Tx, at: At, def: FlowDefinition): Promise<number> {
  const c = def.enrollmentCriteria;
  const passive = c?.type === 'EVENT_BASED' && c.eventFilterBranches.some((b) => PASSIVE_TRIGGERS.includes(b.eventTypeId));
  if (c?.type !== 'LIST_BASED' && !passive) return 0;
  const since = at.now - 30 * DAY_MS;
  const recent = await listContactsCreatedSince(db, since);
  const engaged = await contactIdsWithEventOfTypes(db, ENGAGEMENT);
  return recent.filter((r) => {
    const props = r.properties;
    if (String(props.hs_object_source ?? '').toUpperCase() !== 'IMPORT' || engaged.has(r.id)) return false;
    return c?.type !== 'LIST_BASED' || listCriteriaMatch(c, { ...props, createdate: new Date(r.createdAt).toISOString() }, at);
  }).length;
}

export type { ActionLogEntry, ActionStatus, Workflow } from '../store/workflows.js';

/** A page of workflows in id order after a cursor. */
export const listWorkflowsPage = (deps: Deps, opts: { after: number; limit: number }): Promise<Workflow[]> => workflows.listWorkflows(deps.db.kysely, opts);

/** A workflow's action log, oldest first (a 404 for an unknown workflow). */
export async function workflowActionLog(deps: Deps, id: number, f: { contactId?: number; status?: workflows.ActionStatus; limit: number }): Promise<workflows.ActionLogEntry[]> {
  await requireWorkflow(deps, id);
  return workflows.listActionLog(deps.db.kysely, { workflowId: id, ...f });
}

/** How many runs a workflow started, and how many are still running (a 404 for an unknown workflow). */
export async function workflowRunCounts(deps: Deps, id: number): Promise<{ enrolled: number; running: number }> {
  await requireWorkflow(deps, id);
  return workflows.countRuns(deps.db.kysely, id);
}

const BRANCH_NAMES: Record<string, string> = { LIST_BRANCH: 'If/then branch', STATIC_BRANCH: 'Value branch' };

/**
 * Every action any workflow took on a contact, newest first, with the workflow's and the action's
 * names (a 404 for an unknown contact): the contact record's workflow history.
 */
export async function contactWorkflowHistory(deps: Deps, contactId: number, limit: number): Promise<(workflows.ActionLogEntry & { workflowName: string; actionName: string })[]> {
  const db = deps.db.kysely;
  if (!(await getContact(db, contactId, { includeArchived: true }))) throw errors.contactNotFound({ id: contactId });
  const entries = await workflows.listContactActionLog(db, contactId, limit);
  return entries.map((e) => ({ ...e, actionName: actionTypeById(e.actionTypeId)?.name ?? BRANCH_NAMES[e.actionTypeId] ?? e.actionTypeId }));
}
