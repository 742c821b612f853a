import { ACTION_TYPES, actionTypeOf, chooseBranch, delayMillis, findAction, nextAction, type SingleConnectionAction } from '../domain/workflow-graph.js';
import { comparisonTypes } from './properties.js';
import { rejectionText, type EnrollmentRejection } from '../domain/reasons.js';
import { getContact, updateContactProperties } from '../store/contacts.js';
import { getRunningEnrollment } from '../store/enrollments.js';
import { listInboxesOfUser } from '../store/inboxes.js';
import type { Tx } from '../store/database.js';
import { insertTask } from '../store/tasks.js';
import { appendActionLog, flagNeedsReview, getWorkflow, moveRun, releaseRun, type ActionStatus, type WorkflowRun } from '../store/workflows.js';
import { contactPropertiesOf } from './contacts.js';
import type { Deps } from './deps.js';
import { enrollContactIn } from './enroll-contact.js';
import { SeqflowError } from './errors.js';
import { fireListTriggers, recordEvent, type At } from './events.js';
import { endEnrollment } from './unenroll-contact.js';

/** Sequence or sender problems fail the action and flag the workflow; contact-level ones skip (PRODUCT §4.2). */
const FAILS: EnrollmentRejection[] = ['SEQUENCE_NOT_FOUND', 'SENDER_NOT_FOUND', 'SENDER_NO_SEAT', 'SENDER_INBOX_DISCONNECTED', 'SENDER_ADDRESS_NOT_ALLOWED'];

interface Outcome {
  status: ActionStatus;
  reasonCode?: string;
  reasonText: string;
  /** Delay before the next action runs. */
  waitMs?: number;
}

/**
 * Runs the current action of a claimed workflow run: the action, its log entry and the move
 * to the next action commit in one transaction, so an action is never done twice nor logged
 * without having happened. Whatever an action's outcome, the run goes on to the next action.
 */
export async function runWorkflowAction(deps: Deps, run: WorkflowRun, worker: string): Promise<ActionStatus | 'lost'> {
  try {
    return await deps.db.transaction(async (tx) => {
      const at: At = { now: deps.clock.now(), zone: deps.config.accountTimeZone };
      const wf = await getWorkflow(tx, run.workflowId);
      const action = wf ? findAction(wf.definition, run.currentActionId) : null;
      if (!wf || !action) {
        await moveRun(tx, run.id, worker, { actionId: null, dueAt: at.now }, at.now);
        return 'lost';
      }
      let next = nextAction(wf.definition, action.actionId);
      let outcome: Outcome;
      if (action.type === 'SINGLE_CONNECTION') {
        outcome = await execute(tx, deps, at, run, action);
      } else {
        const contact = await getContact(tx, run.contactId);
        const branch = chooseBranch(action, contact ? contactPropertiesOf(contact) : {}, { ...at, types: await comparisonTypes(tx, 'contacts') });
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

async function execute(tx: Tx, deps: Deps, at: At, run: WorkflowRun, action: SingleConnectionAction): Promise<Outcome> {
  const f = action.fields ?? {};
  switch (action.actionTypeId) {
    case ACTION_TYPES.DELAY: {
      const ms = delayMillis(f);
      if (typeof ms === 'string') return { status: 'FAILED', reasonCode: 'INVALID_ACTION', reasonText: `The delay is misconfigured: ${ms}.` };
      return { status: 'EXECUTED', reasonText: `Waiting ${f.delta} ${String(f.time_unit).toLowerCase()} before the next action.`, waitMs: ms };
    }
    case ACTION_TYPES.ENROLL_IN_SEQUENCE:
      return enrollAction(tx, deps, run, f);
    case ACTION_TYPES.UNENROLL_FROM_SEQUENCE: {
      const running = await getRunningEnrollment(tx, run.contactId);
      const wanted = f.sequenceId === undefined || f.sequenceId === null || f.sequenceId === '' ? null : Number(f.sequenceId);
      if (!running || (wanted !== null && running.sequenceId !== wanted)) {
        return {
          status: 'SKIPPED',
          reasonCode: 'NOT_ENROLLED',
          reasonText: wanted === null ? 'Skipped: the contact is not enrolled in any sequence.' : `Skipped: the contact is not enrolled in sequence ${wanted}.`,
        };
      }
      await endEnrollment(tx, running, 'WORKFLOW', at);
      return { status: 'EXECUTED', reasonText: `Unenrolled the contact from sequence ${running.sequenceId}.` };
    }
    case ACTION_TYPES.SET_PROPERTY: {
      const contact = await getContact(tx, run.contactId);
      if (!contact) return { status: 'SKIPPED', reasonCode: 'CONTACT_NOT_FOUND', reasonText: 'Skipped: the contact was deleted.' };
      const name = String(f.property_name ?? '');
      const raw = f.value as { staticValue?: unknown } | string | undefined;
      const value = typeof raw === 'object' && raw !== null ? String(raw.staticValue ?? '') : String(raw ?? '');
      const updated = await updateContactProperties(tx, contact, { [name]: value }, at.now, 'WORKFLOW');
      await recordEvent(tx, at, contact.id, 'PROPERTY_CHANGED', { property: name, value }, { hs_name: name, hs_value: value });
      await fireListTriggers(tx, at, contact.id, contactPropertiesOf(contact), contactPropertiesOf(updated));
      return { status: 'EXECUTED', reasonText: `Set ${name} to "${value}".` };
    }
    case ACTION_TYPES.CREATE_TASK: {
      const contact = await getContact(tx, run.contactId);
      const owner = Number(f.userId ?? contact?.properties.hubspot_owner_id);
      if (!contact || !Number.isInteger(owner)) return { status: 'SKIPPED', reasonCode: 'CONTACT_OWNER_NOT_SET', reasonText: 'Skipped: no user to assign the task to.' };
      const type = ['CALL', 'EMAIL', 'TODO'].includes(String(f.task_type)) ? (String(f.task_type) as 'TODO') : 'TODO';
      await insertTask(tx, { userId: owner, contactId: contact.id, enrollmentId: null, stepOrder: null, type, subject: String(f.subject ?? 'Follow up'), notes: String(f.body ?? ''), reason: null, dueAt: at.now }, at.now);
      return { status: 'EXECUTED', reasonText: `Created a task for user ${owner}.` };
    }
    default:
      return { status: 'FAILED', reasonCode: 'UNKNOWN_ACTION', reasonText: `Seqflow cannot run action type ${action.actionTypeId}.` };
  }
}

async function enrollAction(tx: Tx, deps: Deps, run: WorkflowRun, f: Record<string, unknown>): Promise<Outcome> {
  let senderId: number;
  if (f.senderType === 'CONTACT_OWNER') {
    const contact = await getContact(tx, run.contactId);
    const owner = contact?.properties[String(f.contactOwnerProperty ?? 'hubspot_owner_id')];
    if (!owner || !/^\d+$/.test(owner)) {
      return { status: 'SKIPPED', reasonCode: 'CONTACT_OWNER_NOT_SET', reasonText: 'Skipped: the sender is the contact owner, and this contact has none.' };
    }
    senderId = Number(owner);
  } else {
    senderId = Number(f.userId);
  }
  const inboxes = Number.isInteger(senderId) ? await listInboxesOfUser(tx, senderId) : [];
  const senderEmail = typeof f.senderEmail === 'string' && f.senderEmail ? f.senderEmail : (inboxes.find((i) => i.status === 'connected')?.address ?? '');
  // The address may be an alias: enroll with its inbox's primary address and the alias.
  const inbox = inboxes.find((i) => i.status === 'connected' && [i.address, ...i.aliases].some((a) => a.toLowerCase() === senderEmail.toLowerCase()));
  try {
    const e = await enrollContactIn(tx, deps, {
      contactId: run.contactId,
      sequenceId: Number(f.sequenceId),
      senderUserId: senderId,
      senderEmail: inbox?.address ?? senderEmail,
      senderAliasAddress: inbox && inbox.address.toLowerCase() !== senderEmail.toLowerCase() ? senderEmail : undefined,
      source: 'WORKFLOW',
      useContactTimeZone: f.shouldUseContactTimeZone === true || f.shouldUseContactTimeZone === 'true',
      seatRule: 'workflowSender',
    });
    return { status: 'EXECUTED', reasonText: `Enrolled the contact in sequence ${e.sequenceId}, sent from ${e.senderEmail}.` };
  } catch (err) {
    if (!(err instanceof SeqflowError) || !err.subCategory) throw err;
    const code = err.subCategory as EnrollmentRejection;
    const failed = FAILS.includes(code);
    return {
      status: failed ? 'FAILED' : 'SKIPPED',
      reasonCode: code,
      reasonText: `${failed ? 'Failed' : 'Skipped'}: ${rejectionText(code)}${code === 'SEND_LIMIT_REACHED' ? ' The contact was not enrolled; the workflow continues.' : ''}`,
    };
  }
}
