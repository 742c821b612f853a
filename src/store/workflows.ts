import type { ExpressionBuilder, Selectable } from 'kysely';
import type { Db, DialectName } from './database.js';
import { memoCatalog } from './transaction-memo.js';
import type { FlowDefinition } from '../domain/workflow-graph.js';
import type { ActionLogTable, Schema, WorkflowRunsTable, WorkflowsTable } from './schema.js';
import { fromJson, toJson } from './json.js';
import { prepared } from './prepared.js';

export interface Workflow {
  id: number;
  uuid: string;
  name: string;
  definition: FlowDefinition;
  revision: number;
  isEnabled: boolean;
  needsReview: boolean;
  reviewReason: string | null;
  createdAt: number;
  updatedAt: number;
}

const toWorkflow = (r: Selectable<WorkflowsTable>): Workflow => ({
  id: r.id,
  uuid: r.uuid,
  name: r.name,
  definition: fromJson<FlowDefinition>(r.definition, {} as FlowDefinition),
  revision: r.revision,
  isEnabled: r.is_enabled === 1,
  needsReview: r.needs_review === 1,
  reviewReason: r.review_reason,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export async function insertWorkflow(db: Db, w: { uuid: string; definition: FlowDefinition }, now: number): Promise<Workflow> {
  const r = await db
    .insertInto('workflows')
    .values({
      uuid: w.uuid,
      name: w.definition.name,
      definition: toJson(w.definition),
      revision: 1,
      is_enabled: w.definition.isEnabled ? 1 : 0,
      needs_review: 0,
      created_at: now,
      updated_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toWorkflow(r);
}

/** Saving clears "needs review": the user has looked at the workflow again. */
export async function replaceWorkflow(db: Db, current: Workflow, definition: FlowDefinition, now: number): Promise<Workflow> {
  const r = await db
    .updateTable('workflows')
    .set({
      name: definition.name,
      definition: toJson(definition),
      revision: current.revision + 1,
      is_enabled: definition.isEnabled ? 1 : 0,
      needs_review: 0,
      review_reason: null,
      updated_at: now,
    })
    .where('id', '=', current.id)
    .where('revision', '=', current.revision)
    .returningAll()
    .executeTakeFirst();
  if (!r) throw new Error('The workflow changed while it was being saved.');
  return toWorkflow(r);
}

const workflowById = prepared((db, a: { id: number }) => db.selectFrom('workflows').selectAll().where('id', '=', a.id).where('deleted_at', 'is', null));
const lockedWorkflowById = prepared((db, a: { id: number }) => db.selectFrom('workflows').selectAll().where('id', '=', a.id).where('deleted_at', 'is', null).forUpdate());

/** Kept across transactions while no workflow changes (src/store/transaction-memo.ts), unless it is read to be changed. */
export function getWorkflow(db: Db, id: number, opts: { forUpdate?: DialectName } = {}): Promise<Workflow | null> {
  const read = async () => {
    const r = (await (opts.forUpdate === 'postgres' ? lockedWorkflowById : workflowById)(db, { id })).rows[0];
    return r ? toWorkflow(r) : null;
  };
  return opts.forUpdate ? read() : memoCatalog(db, 'workflows', `workflow:${id}`, read);
}

/**
 * The enabled workflows whose definition mentions `mentioning` (a trigger's id). Every event of
 * a contact asks, each for its own trigger, so all enabled workflows are read and parsed once and
 * kept while none changes (memoCatalog), and picked by their stored text, as the LIKE of
 * listWorkflows would.
 */
export async function listEnabledWorkflows(db: Db, mentioning: string): Promise<readonly Workflow[]> {
  const enabled = await memoCatalog(db, 'workflows', 'workflows:enabled', async () => {
    const rows = await db.selectFrom('workflows').selectAll().where('deleted_at', 'is', null).where('is_enabled', '=', 1).orderBy('id').execute();
    return rows.map((r) => ({ text: r.definition, workflow: toWorkflow(r) }));
  });
  // Picked once per trigger while the same workflows are kept: each scan reads every definition's text.
  let picked = pickedByTrigger.get(enabled);
  if (!picked) pickedByTrigger.set(enabled, (picked = new Map()));
  let found = picked.get(mentioning);
  if (!found) picked.set(mentioning, (found = Object.freeze(enabled.filter((e) => e.text.includes(mentioning)).map((e) => e.workflow))));
  return found;
}

const pickedByTrigger = new WeakMap<object, Map<string, readonly Workflow[]>>();

/**
 * `mentioning` keeps only workflows whose stored definition contains the string (a quoted event
 * type id, say): triggers run on every event, so most workflows are skipped without parsing.
 */
export async function listWorkflows(db: Db, opts: { after: number; limit: number; enabledOnly?: boolean; mentioning?: string }): Promise<Workflow[]> {
  let q = db.selectFrom('workflows').selectAll().where('deleted_at', 'is', null).where('id', '>', opts.after);
  if (opts.enabledOnly) q = q.where('is_enabled', '=', 1);
  // LIKE's `_` matches any character, so it only widens this pre-filter; the parsed check decides.
  if (opts.mentioning) q = q.where('definition', 'like', `%${opts.mentioning.replace(/%/g, '')}%`);
  const rows = await q.orderBy('id').limit(opts.limit).execute();
  return rows.map(toWorkflow);
}

export async function deleteWorkflow(db: Db, id: number, now: number): Promise<boolean> {
  const r = await db.updateTable('workflows').set({ deleted_at: now, is_enabled: 0, updated_at: now }).where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
  await db.updateTable('workflow_runs').set({ state: 'CANCELLED', finished_at: now, updated_at: now, next_due_at: null }).where('workflow_id', '=', id).where('state', '=', 'RUNNING').execute();
  return Number(r.numUpdatedRows) > 0;
}

export async function flagNeedsReview(db: Db, id: number, reason: string, now: number): Promise<void> {
  // Unchanged when already flagged for this reason: every write bumps the catalog's version (033), and a failing action flags on every run.
  await db
    .updateTable('workflows')
    .set({ needs_review: 1, review_reason: reason, updated_at: now })
    .where('id', '=', id)
    .where((eb) => eb.or([eb('needs_review', '=', 0), eb('review_reason', 'is', null), eb('review_reason', '!=', reason)]))
    .execute();
}

const firstMembership = prepared((db, a: { workflowId: number; contactId: number; now: number }) =>
  db
    .insertInto('workflow_memberships')
    .values({ workflow_id: a.workflowId, contact_id: a.contactId, times_enrolled: 1, first_enrolled_at: a.now, last_enrolled_at: a.now })
    .onConflict((oc) => oc.columns(['workflow_id', 'contact_id']).doNothing())
    .returning('workflow_id'),
);

/**
 * Records that a contact enters a workflow. Returns false when it may not: it was in it
 * before and re-enrollment is off. The primary key makes "once" hold under concurrency.
 */
export async function recordMembership(db: Db, workflowId: number, contactId: number, reEnroll: boolean, now: number): Promise<boolean> {
  if ((await firstMembership(db, { workflowId, contactId, now })).rows.length) return true;
  if (!reEnroll) return false;
  await db
    .updateTable('workflow_memberships')
    .set((eb) => ({ times_enrolled: eb('times_enrolled', '+', 1), last_enrolled_at: now }))
    .where('workflow_id', '=', workflowId)
    .where('contact_id', '=', contactId)
    .execute();
  return true;
}

/** Contacts that entered the workflow at least once. */
export async function listMemberContactIds(db: Db, workflowId: number): Promise<Set<number>> {
  const rows = await db.selectFrom('workflow_memberships').select('contact_id').where('workflow_id', '=', workflowId).execute();
  return new Set(rows.map((r) => r.contact_id));
}

export interface WorkflowRun {
  id: number;
  workflowId: number;
  contactId: number;
  state: 'RUNNING' | 'DONE' | 'CANCELLED';
  trigger: string;
  currentActionId: string | null;
  nextDueAt: number | null;
  startedAt: number;
}

const toRun = (r: Selectable<WorkflowRunsTable>): WorkflowRun => ({
  id: r.id,
  workflowId: r.workflow_id,
  contactId: r.contact_id,
  state: r.state as WorkflowRun['state'],
  trigger: r.trigger,
  currentActionId: r.current_action_id,
  nextDueAt: r.next_due_at,
  startedAt: r.started_at,
});

export async function hasRunningRun(db: Db, workflowId: number, contactId: number): Promise<boolean> {
  const r = await db.selectFrom('workflow_runs').select('id').where('workflow_id', '=', workflowId).where('contact_id', '=', contactId).where('state', '=', 'RUNNING').executeTakeFirst();
  return r !== undefined;
}

const newRun = prepared(
  (db, a: { workflowId: number; contactId: number; state: 'DONE' | 'RUNNING'; trigger: string; actionId: string | null; dueAt: number | null; now: number; finishedAt: number | null }) =>
    db
      .insertInto('workflow_runs')
      .values({
        workflow_id: a.workflowId,
        contact_id: a.contactId,
        state: a.state,
        trigger: a.trigger,
        current_action_id: a.actionId,
        next_due_at: a.dueAt,
        started_at: a.now,
        updated_at: a.now,
        finished_at: a.finishedAt,
      })
      .returningAll(),
);

export async function insertRun(db: Db, r: { workflowId: number; contactId: number; trigger: string; actionId: string | null }, now: number): Promise<WorkflowRun> {
  const done = r.actionId === null;
  const row = (await newRun(db, { ...r, state: done ? 'DONE' : 'RUNNING', dueAt: done ? null : now, now, finishedAt: done ? now : null })).rows[0]!;
  return toRun(row);
}

/**
 * The run's workflow is enabled, asked of each run. As `workflow_id IN (enabled workflows)` it
 * let SQLite — without statistics, which Seqflow never gathers — drive the claim from the index
 * of running runs (every running run of an enabled workflow, then sorted) instead of from the
 * due-time index (src/store/query-plans.test.ts).
 */
export const ofEnabledWorkflow = (eb: ExpressionBuilder<Schema, 'workflow_runs'>) =>
  eb.exists(eb.selectFrom('workflows').select('workflows.id').whereRef('workflows.id', '=', 'workflow_runs.workflow_id').where('workflows.is_enabled', '=', 1));

/** Claims due runs of enabled workflows; a turned-off workflow's runs wait until it is on again. */
export async function claimDueRuns(db: Db, dialect: DialectName, o: { worker: string; now: number; leaseMs: number; limit: number }): Promise<WorkflowRun[]> {
  let due = db
    .selectFrom('workflow_runs')
    .select('id')
    .where('state', '=', 'RUNNING')
    .where('next_due_at', '<=', o.now)
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', o.now)]))
    .where(ofEnabledWorkflow)
    // Ties in creation order, so a run is predictable (the workflow forecast replays it).
    .orderBy('next_due_at')
    .orderBy('id')
    .limit(o.limit);
  if (dialect === 'postgres') due = due.forUpdate().skipLocked();
  const rows = await db.updateTable('workflow_runs').set({ lease_owner: o.worker, lease_until: o.now + o.leaseMs }).where('id', 'in', due).returningAll().execute();
  return rows.map(toRun).sort((a, b) => (a.nextDueAt ?? 0) - (b.nextDueAt ?? 0) || a.id - b.id);
}

/** Extends this worker's leases on runs it is still working on (the heartbeat). */
export async function renewRunLeases(db: Db, ids: number[], worker: string, until: number): Promise<void> {
  if (ids.length === 0) return;
  await db.updateTable('workflow_runs').set({ lease_until: until }).where('id', 'in', ids).where('lease_owner', '=', worker).execute();
}

/** Gives back claims this worker has not started (a graceful stop): due again at once for any worker. */
export async function releaseRunLeases(db: Db, ids: number[], worker: string): Promise<void> {
  if (ids.length === 0) return;
  await db.updateTable('workflow_runs').set({ lease_owner: null, lease_until: null }).where('id', 'in', ids).where('lease_owner', '=', worker).execute();
}

export async function earliestRunDue(db: Db): Promise<number | null> {
  const r = await db
    .selectFrom('workflow_runs')
    .select((eb) => eb.fn.min<number>('next_due_at').as('at'))
    .where('state', '=', 'RUNNING')
    .where(ofEnabledWorkflow)
    .executeTakeFirst();
  return r?.at == null ? null : Number(r.at);
}

const moveLeasedRun = prepared((db, a: { runId: number; worker: string; actionId: string | null; dueAt: number | null; state: 'DONE' | 'RUNNING'; finishedAt: number | null; now: number }) =>
  db
    .updateTable('workflow_runs')
    .set({ current_action_id: a.actionId, next_due_at: a.dueAt, state: a.state, finished_at: a.finishedAt, lease_owner: null, lease_until: null, updated_at: a.now })
    .where('id', '=', a.runId)
    .where('lease_owner', '=', a.worker)
    .where('state', '=', 'RUNNING'),
);

/** Moves a run to its next action (or ends it), only while this worker holds it. */
export async function moveRun(db: Db, runId: number, worker: string, next: { actionId: string | null; dueAt: number }, now: number): Promise<boolean> {
  const done = next.actionId === null;
  const r = await moveLeasedRun(db, { runId, worker, actionId: next.actionId, dueAt: done ? null : next.dueAt, state: done ? 'DONE' : 'RUNNING', finishedAt: done ? now : null, now });
  return Number(r.numAffectedRows ?? 0) > 0;
}

export async function releaseRun(db: Db, runId: number, worker: string, retryAt: number): Promise<void> {
  await db.updateTable('workflow_runs').set({ lease_owner: null, lease_until: null, next_due_at: retryAt }).where('id', '=', runId).where('lease_owner', '=', worker).execute();
}

export async function countRuns(db: Db, workflowId: number): Promise<{ enrolled: number; running: number }> {
  const rows = await db
    .selectFrom('workflow_runs')
    .select(['state', (eb) => eb.fn.countAll<number>().as('n')])
    .where('workflow_id', '=', workflowId)
    .groupBy('state')
    .execute();
  const by = Object.fromEntries(rows.map((r) => [r.state, Number(r.n)]));
  return { enrolled: Object.values(by).reduce((a, b) => a + b, 0), running: by.RUNNING ?? 0 };
}

/** RETRYING: an attempt that failed and will be made again (a webhook); the action is not done. */
export type ActionStatus = 'EXECUTED' | 'SKIPPED' | 'FAILED' | 'RETRYING';

export interface ActionLogEntry {
  id: number;
  workflowId: number;
  runId: number;
  contactId: number;
  actionId: string;
  actionTypeId: string;
  status: ActionStatus;
  reasonCode: string | null;
  reasonText: string | null;
  at: number;
}

const toLog = (r: Selectable<ActionLogTable>): ActionLogEntry => ({
  id: r.id,
  workflowId: r.workflow_id,
  runId: r.run_id,
  contactId: r.contact_id,
  actionId: r.action_id,
  actionTypeId: r.action_type_id,
  status: r.status as ActionStatus,
  reasonCode: r.reason_code,
  reasonText: r.reason_text,
  at: r.at,
});

const insertActionLog = prepared((db, e: Omit<ActionLogEntry, 'id'>) =>
  db.insertInto('action_log').values({
    workflow_id: e.workflowId,
    run_id: e.runId,
    contact_id: e.contactId,
    action_id: e.actionId,
    action_type_id: e.actionTypeId,
    status: e.status,
    reason_code: e.reasonCode,
    reason_text: e.reasonText,
    at: e.at,
  }),
);

export async function appendActionLog(db: Db, e: Omit<ActionLogEntry, 'id'>): Promise<void> {
  await insertActionLog(db, e);
}

export async function listActionLog(db: Db, f: { workflowId?: number; contactId?: number; status?: ActionStatus; limit: number }): Promise<ActionLogEntry[]> {
  let q = db.selectFrom('action_log').selectAll();
  if (f.workflowId !== undefined) q = q.where('workflow_id', '=', f.workflowId);
  if (f.contactId !== undefined) q = q.where('contact_id', '=', f.contactId);
  if (f.status) q = q.where('status', '=', f.status);
  const rows = await q.orderBy('at').orderBy('id').limit(f.limit).execute();
  return rows.map(toLog);
}

/** A contact's action log across every workflow (deleted ones too), newest first, with each workflow's name. */
export async function listContactActionLog(db: Db, contactId: number, limit: number): Promise<(ActionLogEntry & { workflowName: string })[]> {
  const rows = await db
    .selectFrom('action_log')
    .innerJoin('workflows', 'workflows.id', 'action_log.workflow_id')
    .selectAll('action_log')
    .select('workflows.name as workflow_name')
    .where('action_log.contact_id', '=', contactId)
    .orderBy('action_log.at', 'desc')
    .orderBy('action_log.id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ ...toLog(r), workflowName: r.workflow_name }));
}

/** The retried attempts of one action in one run so far: how many, and when the first was made. */
export async function retriedAttempts(db: Db, runId: number, actionId: string): Promise<{ count: number; firstAt: number | null }> {
  const r = await db
    .selectFrom('action_log')
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.min<number>('at').as('first')])
    .where('run_id', '=', runId)
    .where('action_id', '=', actionId)
    .where('status', '=', 'RETRYING')
    .executeTakeFirst();
  return { count: Number(r?.n ?? 0), firstAt: r?.first == null ? null : Number(r.first) };
}

/** The latest log entry of a run: of one action, or of whichever action ran last. */
export async function lastActionOfRun(db: Db, runId: number, actionId?: string): Promise<ActionLogEntry | null> {
  let q = db.selectFrom('action_log').selectAll().where('run_id', '=', runId);
  if (actionId !== undefined) q = q.where('action_id', '=', actionId);
  const r = await q.orderBy('id', 'desc').limit(1).executeTakeFirst();
  return r ? toLog(r) : null;
}
