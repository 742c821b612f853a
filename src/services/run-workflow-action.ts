import { actionTypeOf, chooseBranch, findAction, isOutcomeBranch, nextAction, outcomeValue, type FlowAction, type SingleConnectionAction } from '../domain/workflow-graph.js';
import { nextAllowedInstant } from '../domain/workflow-windows.js';
import { comparisonTypes } from './properties.js';
import { getContact } from '../store/contacts.js';
import type { Tx } from '../store/database.js';
import { appendActionLog, flagNeedsReview, getWorkflow, lastActionOfRun, moveRun, releaseRun, retriedAttempts, type ActionStatus, type WorkflowRun } from '../store/workflows.js';
import { contactPropertiesOf } from './contacts.js';
import type { Deps } from './deps.js';
import type { At } from './events.js';
import { actionTypeById, type ActionOutcome, type WorkflowActionType } from './workflow-actions/index.js';

/**
 * Runs the current action of a claimed workflow run: the action, its log entry and the move
 * to the next action commit in one transaction, so an action is never done twice nor logged
 * without having happened. Whatever an action's outcome, the run goes on to the next action.
 */
export async function runWorkflowAction(deps: Deps, run: WorkflowRun, worker: string): Promise<ActionStatus | 'lost' | 'waiting'> {
  try {
    const done = await deps.db.transaction(async (tx): Promise<ActionStatus | 'lost' | 'waiting' | CallOut> => {
      const at: At = { now: deps.clock.now(), zone: deps.config.accountTimeZone };
      const wf = await getWorkflow(tx, run.workflowId);
      const action = wf ? findAction(wf.definition, run.currentActionId) : null;
      if (!wf || !action) {
        await moveRun(tx, run.id, worker, { actionId: null, dueAt: at.now }, at.now);
        return 'lost';
      }
      const type = action.type === 'SINGLE_CONNECTION' ? actionTypeById(action.actionTypeId) : undefined;
      // Outside the workflow's time windows or on a blocked date, the action waits for the next
      // allowed minute, unlogged (HubSpot: delays and branches run at once; what follows waits).
      if (type?.keepsTimeWindows) {
        const allowedAt = nextAllowedInstant(at.now, wf.definition, at.zone);
        if (allowedAt > at.now) {
          if (!(await moveRun(tx, run.id, worker, { actionId: action.actionId, dueAt: allowedAt }, at.now))) throw new LostRun();
          return 'waiting';
        }
      }
      if (action.type === 'SINGLE_CONNECTION' && type?.callOut) return { callOut: type.callOut, action };
      let next = nextAction(wf.definition, action.actionId);
      let outcome: ActionOutcome;
      if (action.type === 'SINGLE_CONNECTION') {
        outcome = await execute(tx, deps, at, run, action, type);
      } else {
        const contact = await getContact(tx, run.contactId);
        // An outcome branch reads this run's log: the named action's latest entry, else the previous action's.
        const earlier =
          action.type === 'STATIC_BRANCH' && isOutcomeBranch(action)
            ? outcomeValue(action, await lastActionOfRun(tx, run.id, action.inputValue.actionId === undefined ? undefined : String(action.inputValue.actionId)))
            : '';
        const branch = chooseBranch(action, contact ? contactPropertiesOf(contact) : {}, { ...at, types: await comparisonTypes(tx, 'contacts') }, earlier);
        next = branch.next;
        outcome = { status: 'EXECUTED', reasonText: `Took the branch "${branch.name}".` };
      }
      return record(tx, deps, at, run, worker, wf.id, action, next, outcome);
    });
    if (typeof done === 'string') return done;
    return await callOut(deps, run, worker, done);
  } catch (err) {
    if (err instanceof LostRun) return 'lost';
    // E.g. a concurrent enrollment won the unique index: release so a later tick re-runs the
    // action from scratch (then it sees the contact enrolled). A second later, so a persistent
    // fault cannot spin the loop.
    await releaseRun(deps.db.kysely, run.id, worker, deps.clock.now() + 1000);
    throw err;
  }
}

class LostRun extends Error {}

interface CallOut {
  callOut: NonNullable<WorkflowActionType['callOut']>;
  action: SingleConnectionAction;
}

/** The outcome's log entry and the run's move (to the next action, or back to this one to retry). */
async function record(tx: Tx, deps: Deps, at: At, run: WorkflowRun, worker: string, workflowId: number, action: FlowAction, next: string | null, outcome: ActionOutcome): Promise<ActionStatus> {
  if (outcome.status === 'FAILED') await flagNeedsReview(tx, workflowId, outcome.reasonText, at.now);
  await appendActionLog(tx, {
    workflowId,
    runId: run.id,
    contactId: run.contactId,
    actionId: action.actionId,
    actionTypeId: actionTypeOf(action),
    status: outcome.status,
    reasonCode: outcome.reasonCode ?? null,
    reasonText: outcome.reasonText,
    at: at.now,
  });
  const to = outcome.status === 'RETRYING' ? { actionId: action.actionId, dueAt: outcome.retryAt ?? at.now } : { actionId: next, dueAt: at.now + (outcome.waitMs ?? 0) };
  const moved = await moveRun(tx, run.id, worker, to, at.now);
  if (!moved) throw new LostRun();
  deps.metrics.workflowActions.inc({ status: outcome.status, action_type: actionTypeOf(action) });
  return outcome.status;
}

/**
 * An action that waits on the network: the call is made with no transaction open (the run's
 * lease keeps other workers off it), then its outcome is recorded as any action's is. A crash
 * between the call and the record makes the call again once the lease runs out: at least once.
 */
async function callOut(deps: Deps, run: WorkflowRun, worker: string, c: CallOut): Promise<ActionStatus | 'lost'> {
  const at: At = { now: deps.clock.now(), zone: deps.config.accountTimeZone };
  const tried = await retriedAttempts(deps.db.kysely, run.id, c.action.actionId);
  const outcome = await c.callOut({ deps, at, run, fields: c.action.fields ?? {}, attempt: tried.count + 1, firstAttemptAt: tried.firstAt ?? at.now });
  return deps.db.transaction(async (tx) => {
    const wf = await getWorkflow(tx, run.workflowId);
    if (!wf || !findAction(wf.definition, c.action.actionId)) {
      await moveRun(tx, run.id, worker, { actionId: null, dueAt: at.now }, at.now);
      return 'lost';
    }
    return record(tx, deps, at, run, worker, wf.id, c.action, nextAction(wf.definition, c.action.actionId), outcome);
  });
}

async function execute(tx: Tx, deps: Deps, at: At, run: WorkflowRun, action: SingleConnectionAction, type: WorkflowActionType | undefined): Promise<ActionOutcome> {
  if (!type) return { status: 'FAILED', reasonCode: 'UNKNOWN_ACTION', reasonText: `Seqflow cannot run action type ${action.actionTypeId}.` };
  return type.run({ tx, deps, at, run, fields: action.fields ?? {} });
}
