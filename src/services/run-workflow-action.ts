import { actionTypeOf, chooseBranch, findAction, isOutcomeBranch, nextAction, outcomeValue, type SingleConnectionAction } from '../domain/workflow-graph.js';
import { nextAllowedInstant } from '../domain/workflow-windows.js';
import { comparisonTypes } from './properties.js';
import { getContact } from '../store/contacts.js';
import type { Tx } from '../store/database.js';
import { appendActionLog, flagNeedsReview, getWorkflow, lastActionOfRun, moveRun, releaseRun, type ActionStatus, type WorkflowRun } from '../store/workflows.js';
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
    return await deps.db.transaction(async (tx) => {
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
      if (outcome.status === 'FAILED') await flagNeedsReview(tx, wf.id, outcome.reasonText, at.now);
      await appendActionLog(tx, {
        workflowId: wf.id,
        runId: run.id,
        contactId: run.contactId,
        actionId: action.actionId,
        actionTypeId: actionTypeOf(action),
        status: outcome.status,
        reasonCode: outcome.reasonCode ?? null,
        reasonText: outcome.reasonText,
        at: at.now,
      });
      const moved = await moveRun(tx, run.id, worker, { actionId: next, dueAt: at.now + (outcome.waitMs ?? 0) }, at.now);
      if (!moved) throw new LostRun();
      deps.metrics.workflowActions.inc({ status: outcome.status, action_type: actionTypeOf(action) });
      return outcome.status;
    });
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

async function execute(tx: Tx, deps: Deps, at: At, run: WorkflowRun, action: SingleConnectionAction, type: WorkflowActionType | undefined): Promise<ActionOutcome> {
  if (!type) return { status: 'FAILED', reasonCode: 'UNKNOWN_ACTION', reasonText: `Seqflow cannot run action type ${action.actionTypeId}.` };
  return type.run({ tx, deps, at, run, fields: action.fields ?? {} });
}
