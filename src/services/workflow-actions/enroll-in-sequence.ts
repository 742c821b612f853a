import { inboxForAddress } from '../../domain/enrollment-checks.js';
import type { EnrollActionFacts } from '../../domain/guardrails.js';
import { rejectionText, type EnrollmentRejection } from '../../domain/reasons.js';
import { hasPlaceholders } from '../../domain/templates.js';
import { getContact } from '../../store/contacts.js';
import type { Tx } from '../../store/database.js';
import { listInboxesOfUser } from '../../store/inboxes.js';
import { getSequence, getSteps } from '../../store/sequences.js';
import { getUser } from '../../store/users.js';
import type { Deps } from '../deps.js';
import { enrollContactIn } from '../enroll-contact.js';
import { SeqflowError, type ErrorDetail } from '../errors.js';
import type { ActionOutcome, ActionRun, WorkflowActionType } from './action.js';

export const ENROLL_IN_SEQUENCE = '0-46510720';

/** Sequence or sender problems fail the action and flag the workflow; contact-level ones skip (PRODUCT §4.2). */
const FAILS: EnrollmentRejection[] = ['SEQUENCE_NOT_FOUND', 'SENDER_NOT_FOUND', 'SENDER_NO_SEAT', 'SENDER_INBOX_DISCONNECTED', 'SENDER_ADDRESS_NOT_ALLOWED'];

/** Enrolls the contact in a sequence, sent by a given user or the contact owner. */
export const enrollInSequence: WorkflowActionType = {
  id: ENROLL_IN_SEQUENCE,
  name: 'Enroll in a sequence',
  groupId: 'sales',
  inputFields: [
    { name: 'sequenceId', type: 'string', required: true },
    { name: 'senderType', type: 'enumeration', required: true, options: ['SPECIFIC_USER', 'CONTACT_OWNER'] },
    { name: 'userId', type: 'string', required: false },
    { name: 'senderEmail', type: 'string', required: false },
    { name: 'shouldUseContactTimeZone', type: 'bool', required: false },
  ],
  keepsTimeWindows: true,
  run: enroll,
};

async function enroll({ tx, deps, run, fields: f }: ActionRun): Promise<ActionOutcome> {
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

/** What a save learns about one Enroll action: refusals, and facts for the guardrails. */
export interface EnrollActionCheck {
  facts: EnrollActionFacts;
  errors: ErrorDetail[];
}

/**
 * The save-time check of an Enroll action (PRODUCT §4.2: such actions "cannot be saved"): its
 * sequence and sender as the database has them now. `where` is the action's path in the body.
 */
export async function checkEnrollAction(tx: Tx, deps: Deps, actionId: string, f: Record<string, unknown>, where: string): Promise<EnrollActionCheck> {
  const at = (field: string) => `${where}.fields.${field}`;
  const errors: ErrorDetail[] = [];
  const facts: EnrollActionFacts = { actionId, sequenceName: null, sequenceDeleted: false, hasPlaceholders: false, senderIssue: null };

  const sequenceId = Number(f.sequenceId);
  const sequence = Number.isInteger(sequenceId) ? await getSequence(tx, sequenceId, { includeDeleted: true }) : null;
  if (!sequence || sequence.deletedAt !== null) {
    facts.sequenceDeleted = sequence !== null;
    errors.push({ in: at('sequenceId'), code: 'SEQUENCE_NOT_FOUND', message: sequence ? `Sequence ${sequenceId} was deleted.` : `Sequence ${String(f.sequenceId)} does not exist.` });
  } else {
    facts.sequenceName = sequence.name;
    const steps = await getSteps(tx, sequence.id, sequence.version);
    facts.hasPlaceholders = steps.some((s) => s.type === 'EMAIL' && (hasPlaceholders(s.subject) || hasPlaceholders(s.body)));
  }

  const senderType = f.senderType ?? 'SPECIFIC_USER';
  if (senderType !== 'SPECIFIC_USER' && senderType !== 'CONTACT_OWNER') {
    errors.push({ in: at('senderType'), code: 'INVALID_SENDER_TYPE', message: 'senderType must be SPECIFIC_USER or CONTACT_OWNER.' });
  } else if (senderType === 'SPECIFIC_USER') {
    const userId = Number(f.userId);
    const user = Number.isInteger(userId) ? await getUser(tx, userId) : null;
    const inboxes = user ? await listInboxesOfUser(tx, user.id) : [];
    const sender = (code: string, message: string, issue: EnrollActionFacts['senderIssue'], field = 'userId') => {
      errors.push({ in: at(field), code, message });
      facts.senderIssue = issue;
      facts.senderText = message;
    };
    if (!user) sender('SENDER_NOT_FOUND', `User ${String(f.userId)} does not exist.`, 'SENDER_INELIGIBLE');
    else if (!deps.config.seatPolicy.workflowSender.includes(user.seat)) {
      sender('SENDER_NO_SEAT', `${user.email} cannot be a sequence sender: a paid Sales Hub seat (Professional or Enterprise) or a Service Hub Enterprise seat is needed; they have "${user.seat}".`, 'SENDER_INELIGIBLE');
    } else if (!inboxes.some((i) => i.status === 'connected')) {
      sender('SENDER_INBOX_DISCONNECTED', `${user.email} has no connected inbox.`, 'SENDER_INELIGIBLE');
    } else if (typeof f.senderEmail === 'string' && f.senderEmail && !inboxForAddress(inboxes, f.senderEmail)) {
      sender('SENDER_ADDRESS_NOT_ALLOWED', `${f.senderEmail} is not an address or alias of ${user.email}'s connected inbox.`, 'ADDRESS_NOT_ALLOWED', 'senderEmail');
    }
  }
  return { facts, errors };
}
