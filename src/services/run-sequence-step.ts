import crypto from 'node:crypto';
import type { Contact, Enrollment, Inbox, Send, SendConfirmation, Sequence, Step, User } from '../domain/glossary.js';
import { followUpDue, nextSendableAt } from '../domain/schedule.js';
import { DAY_MS, MINUTE_MS, roomAt, sequenceLimit } from '../domain/send-limits.js';
import { literalTemplate, TemplateRenderError, type RenderResult } from '../domain/templates.js';
import { signUnsubscribeToken } from '../domain/unsubscribe-token.js';
import type { EnrollmentEndReason } from '../domain/reasons.js';
import type { SendOutcome } from '../mail/smtp-sender.js';
import { getContact, markContact } from '../store/contacts.js';
import { updateEnrollment, type EnrollmentPatch } from '../store/enrollments.js';
import { appendEvent } from '../store/events.js';
import { getInbox, lockAndGetInbox } from '../store/inboxes.js';
import type { Tx } from '../store/database.js';
import { beginSend, confirmSend, countAttemptedInWindows, finishSend, getSendForStep, markSendUncertain, nthAttemptSince, sentMessageIds } from '../store/sends.js';
import { clearTaskSendRequest, completeOpenTasks, completeStepTask, getStepTask, insertTask, type ComposedEmail } from '../store/tasks.js';
import { getUser } from '../store/users.js';
import { recordEvent } from './events.js';
import { createStepReads, type StepReads } from './step-reads.js';
import { getSetting } from '../store/tokens.js';
import { fromJson } from '../store/json.js';
import { DEV_SMTP_SETTING } from './dev-mail.js';
import type { Deps } from './deps.js';
import { scheduleRules } from './schedule-rules.js';
import { confirmDelivery } from './confirm-delivery.js';
import { openMailServer } from './secrets-at-rest.js';
import { endEnrollment } from './unenroll-contact.js';
import { oauthSmtpFor, sendWithOAuth, waitForMailbox } from './oauth-send.js';
import { trackedHtml } from './tracking.js';

/** 4xx retries: 1, 2, 4 … minutes, capped at an hour; after this many attempts the step fails. */
export const MAX_SEND_ATTEMPTS = 10;
const retryDelay = (attempts: number): number => Math.min(60 * MINUTE_MS, MINUTE_MS * 2 ** (attempts - 1));

export type StepResult = 'sent' | 'deferred' | 'retrying' | 'paused' | 'failed' | 'bounced' | 'finished' | 'task' | 'lost';

/**
 * Runs the due step of an enrollment this worker has claimed (its lease is `worker`).
 *
 * The send protocol (ARCHITECTURE §3.1): a SENDING row with the Message-ID is committed before
 * the SMTP conversation; after the server's 250 the row becomes SENT in the same transaction
 * that schedules the next step. A claimed step that already has a SENDING row belonged to a
 * worker that died mid-conversation: it is marked UNCERTAIN and never resent.
 */
export async function runSequenceStep(deps: Deps, claimed: Enrollment, worker: string, reads: StepReads = createStepReads(deps.db.kysely)): Promise<StepResult> {
  const db = deps.db.kysely;
  const sequence = await reads.sequence(claimed.sequenceId);
  const steps = sequence ? await reads.steps(sequence.id, claimed.sequenceVersion) : [];
  const step = steps[claimed.currentStep];
  if (!sequence || !step) return finish(deps, claimed);

  // A manual email task step ends in an email of the step, so it shares the send protocol below.
  if (step.type === 'TASK' && step.taskType !== 'EMAIL') return runTaskStep(deps, claimed, sequence, steps, step, worker);

  const existing = await getSendForStep(db, claimed.id, step.stepOrder);
  if (existing?.status === 'SENDING') {
    return settleUncertain(deps, claimed, sequence, steps, step, existing, worker, {
      error: 'The worker sending this email stopped before the server confirmed it.',
      notes: 'Seqflow was interrupted while sending this email and did not resend it, so it is never sent twice. Check your Sent folder, then resume the enrollment.',
    });
  }
  if (existing?.status === 'SENT' || existing?.status === 'UNCERTAIN') {
    return advance(deps, claimed, sequence, steps, step, worker, existing.sentAt ?? deps.clock.now());
  }
  if (existing?.status === 'FAILED') return finish(deps, claimed);
  if (step.type === 'TASK') {
    const task = await getStepTask(db, claimed.id, step.stepOrder);
    if (!task) return runTaskStep(deps, claimed, sequence, steps, step, worker);
    // Due with nothing to send (a resume, say): it goes on waiting for the rep.
    if (!task.email || task.status !== 'OPEN') return waitForRep(deps, claimed, worker, step.stepOrder);
    return sendEmailStep(deps, reads, claimed, sequence, steps, step, existing, worker, task.email);
  }
  return sendEmailStep(deps, reads, claimed, sequence, steps, step, existing, worker);
}

/** The context templates of an enrollment's emails and tasks render with. */
export const templateContextFor = (deps: Deps, e: Enrollment, contact: Contact, sender: User) => ({
  contact: { ...contact.properties, email: e.toEmail },
  sender: { firstname: sender.firstName, lastname: sender.lastName, email: e.senderEmail, signature: sender.signature },
  unsubscribeLink: unsubscribeUrl(deps, e),
});

/** Renders a step's email for an enrollment as it would be sent: "Re:" subject when it threads. Throws TemplateRenderError. */
export async function renderStepEmail(
  deps: Deps,
  db: Tx,
  e: Enrollment,
  sequence: Sequence,
  step: Step,
  people: { contact: Contact; sender: User },
  placeholderValues: Record<string, string>,
): Promise<RenderResult> {
  const thread = await threadFor(db, e, sequence, step);
  return deps.renderer.render(
    { subject: thread ? `Re: ${literalTemplate(thread.subject.replace(/^re:\s*/i, ''))}` : step.subject, body: step.body },
    templateContextFor(deps, e, people.contact, people.sender),
    placeholderValues,
  );
}

async function waitForRep(deps: Deps, claimed: Enrollment, worker: string, stepOrder: number): Promise<StepResult> {
  return deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    const parked = await updateEnrollment(tx, claimed.id, { next_due_at: null, lease_owner: null, lease_until: null, updated_at: now }, { leaseOwner: worker });
    if (!parked) return 'lost';
    // The rep may have pressed Send since this claim: then the email must not wait for nothing.
    const task = await getStepTask(tx, claimed.id, stepOrder);
    if (task?.email && task.status === 'OPEN') await updateEnrollment(tx, claimed.id, { next_due_at: now }, { states: ['ACTIVE'] });
    return 'task';
  });
}

async function sendEmailStep(
  deps: Deps,
  reads: StepReads,
  claimed: Enrollment,
  sequence: Sequence,
  steps: Step[],
  step: Step,
  existing: Send | null,
  worker: string,
  composed?: ComposedEmail,
): Promise<StepResult> {
  const db = deps.db.kysely;
  const [contact, sender, inbox] = await Promise.all([
    getContact(db, claimed.contactId, { includeArchived: true }),
    reads.user(claimed.senderUserId),
    reads.inbox(claimed.inboxId),
  ]);
  if (!contact || !sender || !inbox) return finish(deps, claimed);

  const thread = await threadFor(db, claimed, sequence, step);
  let rendered: RenderResult;
  try {
    // A manual email was rendered and checked when the rep sent it (src/services/task-queue.ts).
    rendered = composed
      ? { ...composed, missingTokens: [], placeholders: [] }
      : await deps.renderer.render(
          { subject: thread ? `Re: ${literalTemplate(thread.subject.replace(/^re:\s*/i, ''))}` : step.subject, body: step.body },
          templateContextFor(deps, claimed, contact, sender),
          claimed.placeholderValues,
        );
  } catch (e) {
    if (!(e instanceof TemplateRenderError)) throw e;
    // Rendering again would fail the same way: pause once and tell the sender, never retry.
    return deps.db.transaction((tx) =>
      pause(tx, claimed, worker, 'TEMPLATE_RENDER_FAILED', deps.clock.now(), {
        subject: `Fix the ${e.part} of step ${step.stepOrder + 1} for ${claimed.toEmail}`,
        notes: `The email of step ${step.stepOrder + 1} of "${sequence.name}" could not be rendered for this contact, so it was not sent: ${e.message} Fix the template (or the contact's data) and resume the enrollment.`,
      }),
    );
  }
  // PRODUCT §3.8: never send a missing-token marker or placeholder text; the sender fixes it.
  if (rendered.missingTokens.length || rendered.placeholders.length) {
    const missing = rendered.missingTokens.length > 0;
    return deps.db.transaction((tx) =>
      pause(tx, claimed, worker, missing ? 'MISSING_TOKEN_VALUE' : 'UNFILLED_PLACEHOLDER', deps.clock.now(), {
        subject: missing
          ? `Fill in ${rendered.missingTokens.join(', ')} for ${claimed.toEmail}`
          : `Fill in the placeholders of step ${step.stepOrder + 1} for ${claimed.toEmail}`,
        notes: missing
          ? `The email of step ${step.stepOrder + 1} uses ${rendered.missingTokens.join(', ')}, which this contact has no value for. Set the property (or add a default) and resume the enrollment.`
          : `The email of step ${step.stepOrder + 1} contains placeholders that cannot be filled automatically: ${rendered.placeholders.map((p) => `"${p}"`).join(', ')}. Supply them and resume the enrollment.`,
      }),
    );
  }

  // An OAuth inbox needs a live token before anything is begun; without one the email waits.
  const oauth = inbox.provider !== 'dev' && inbox.smtp && (await reads.signsInWithOAuth(inbox.id)) ? await oauthSmtpFor(deps, inbox.id, inbox.smtp, worker) : null;
  if (oauth?.kind === 'wait') return waitForMailbox(deps, claimed, worker, oauth.loss);

  const messageId = existing?.messageId ?? `<${crypto.randomUUID()}@${domainOf(claimed.senderEmail)}>`;
  const begun = await deps.db.transaction(async (tx): Promise<Send | StepResult> => {
    const now = deps.clock.now();
    // Still ours and still running? An unenroll (a reply, say) may have landed since the claim.
    const held = await updateEnrollment(tx, claimed.id, { updated_at: now }, { leaseOwner: worker, states: ['ACTIVE'] });
    if (!held) return 'lost';
    const fresh = await lockAndGetInbox(tx, deps.db.dialect, inbox.id);
    if (!fresh || fresh.status !== 'connected') {
      return pause(tx, claimed, worker, 'SENDER_INBOX_DISCONNECTED', now, {
        subject: `Reconnect ${claimed.senderEmail} to continue sequences`,
        notes: 'The inbox this sequence sends from is disconnected. Reconnect it and resume the enrollment.',
      });
    }
    const at = await sendableAt(tx, fresh, now);
    if (at > now) {
      const rules = await scheduleRules(tx, sequence, claimed.timeZone, claimed.senderUserId);
      await updateEnrollment(
        tx,
        claimed.id,
        { next_due_at: nextSendableAt(at, rules, step.stepOrder > 0), lease_owner: null, lease_until: null, updated_at: now },
        { leaseOwner: worker },
      );
      return 'deferred';
    }
    return (await beginSend(
      tx,
      {
        enrollmentId: claimed.id,
        stepOrder: step.stepOrder,
        inboxId: fresh.id,
        messageId,
        fromEmail: claimed.senderEmail,
        toEmail: claimed.toEmail,
        subject: rendered.subject,
      },
      existing,
      now,
    )) ?? 'lost';
  });
  if (typeof begun === 'string') return begun;

  const email = {
    from: formatFrom(`${sender.firstName} ${sender.lastName}`.trim(), claimed.senderEmail),
    to: claimed.toEmail,
    subject: rendered.subject,
    html: await htmlToSend(deps, sequence, begun, rendered.html, unsubscribeUrl(deps, claimed)),
    text: rendered.text,
    messageId,
    date: new Date(deps.clock.now()),
    ...(thread && { inReplyTo: thread.ids[thread.ids.length - 1], references: thread.ids }),
    headers: {
      'List-Unsubscribe': `<${unsubscribeUrl(deps, claimed)}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    },
  };
  const outcome =
    oauth?.kind === 'ready'
      ? await sendWithOAuth(deps, inbox, oauth, email, worker)
      : await deps.smtp.send(
          inbox.provider === 'dev' ? 'dev' : `inbox:${inbox.id}`,
          inbox.provider === 'dev' || !inbox.smtp ? await devSmtpSettings(deps) : openMailServer(deps.secrets, inbox.smtp),
          email,
        );
  return recordOutcome(deps, claimed, sequence, steps, step, begun, outcome, worker);
}

async function recordOutcome(
  deps: Deps,
  claimed: Enrollment,
  sequence: Sequence,
  steps: Step[],
  step: Step,
  send: Send,
  outcome: SendOutcome,
  worker: string,
): Promise<StepResult> {
  const now = deps.clock.now();
  switch (outcome.kind) {
    case 'accepted':
      deps.metrics.sends.inc({ outcome: 'sent' });
      return advance(deps, claimed, sequence, steps, step, worker, now, { send, by: 'SMTP' });
    case 'retryable':
      return deps.db.transaction(async (tx) => {
        if (send.attempts >= MAX_SEND_ATTEMPTS) {
          deps.metrics.sends.inc({ outcome: 'gave_up' });
          await finishSend(tx, send.id, 'FAILED', { error: `Gave up after ${send.attempts} attempts: ${outcome.error}` });
          await releaseManualEmail(tx, claimed, step);
          return fail(tx, claimed, 'EMAIL_REJECTED', now);
        }
        deps.metrics.sends.inc({ outcome: 'retrying' });
        await finishSend(tx, send.id, 'RETRYING', { error: outcome.error });
        await updateEnrollment(
          tx,
          claimed.id,
          { next_due_at: now + retryDelay(send.attempts), lease_owner: null, lease_until: null, updated_at: now },
          { leaseOwner: worker },
        );
        return 'retrying';
      });
    case 'rejected':
      deps.metrics.sends.inc({ outcome: 'rejected' });
      return deps.db.transaction(async (tx) => {
        await finishSend(tx, send.id, 'FAILED', { error: outcome.error });
        await appendEvent(tx, claimed.contactId, 'EMAIL_FAILED', now, { enrollmentId: claimed.id, step: step.stepOrder, error: outcome.error });
        await releaseManualEmail(tx, claimed, step);
        return fail(tx, claimed, 'EMAIL_REJECTED', now);
      });
    case 'bounced':
      // The recipient's server refused the address itself: the same as a DSN, so later
      // enrollments of this contact are refused with BOUNCED.
      deps.metrics.sends.inc({ outcome: 'bounced' });
      return deps.db.transaction(async (tx) => {
        const at = { now, zone: deps.config.accountTimeZone };
        await finishSend(tx, send.id, 'FAILED', { error: outcome.error });
        await markContact(tx, claimed.contactId, 'bounced', now);
        await recordEvent(tx, at, claimed.contactId, 'EMAIL_BOUNCED', {
          enrollmentId: claimed.id,
          sequenceId: claimed.sequenceId,
          messageId: send.messageId,
          subject: send.subject,
          diagnostic: outcome.error,
          atSend: true,
        });
        await releaseManualEmail(tx, claimed, step);
        return (await endEnrollment(tx, claimed, 'BOUNCED', at)) ? 'bounced' : 'lost';
      });
    case 'uncertain':
      return settleUncertain(deps, claimed, sequence, steps, step, send, worker, {
        error: outcome.error,
        notes: `The connection to the mail server broke after the email was handed over (${outcome.error}). Seqflow did not resend it. Check your Sent folder, then resume the enrollment.`,
      });
  }
}

/**
 * A manual email that failed for good is no longer on its way: its task is open again, so the
 * rep sees it and learns why when they try (the enrollment has ended).
 */
async function releaseManualEmail(tx: Tx, claimed: Enrollment, step: Step): Promise<void> {
  if (step.type === 'TASK') await clearTaskSendRequest(tx, claimed.id, step.stepOrder);
}

/**
 * A send the server may or may not have accepted. Where Seqflow can look (the dev mail server,
 * the inbox's Sent folder) and finds it, the send is confirmed and the sequence goes on;
 * otherwise it is UNCERTAIN and the enrollment pauses with a task. It is never resent.
 */
async function settleUncertain(
  deps: Deps,
  claimed: Enrollment,
  sequence: Sequence,
  steps: Step[],
  step: Step,
  send: Send,
  worker: string,
  why: { error: string; notes: string },
): Promise<StepResult> {
  const inbox = await getInbox(deps.db.kysely, claimed.inboxId);
  const confirmed = inbox ? await confirmDelivery(deps, inbox, send) : null;
  deps.metrics.sends.inc({ outcome: confirmed ? 'confirmed_later' : 'uncertain' });
  if (confirmed) return advance(deps, claimed, sequence, steps, step, worker, confirmed.at, { send, by: confirmed.by });
  const settled = await deps.db.transaction(async (tx) => {
    // A worker that only lost its lease (not its life) may have had its 250 meanwhile.
    if (!(await markSendUncertain(tx, send.id, why.error))) return null;
    return pause(tx, claimed, worker, 'SEND_UNCERTAIN', deps.clock.now(), {
      subject: `Check whether "${send.subject}" reached ${send.toEmail}`,
      notes: why.notes,
    });
  });
  if (settled !== null) return settled;
  const latest = await getSendForStep(deps.db.kysely, claimed.id, step.stepOrder);
  return latest?.status === 'SENT' ? advance(deps, claimed, sequence, steps, step, worker, latest.sentAt ?? deps.clock.now()) : 'lost';
}

/** Marks the step done and schedules the next one, or finishes the enrollment — one transaction. */
async function advance(
  deps: Deps,
  claimed: Enrollment,
  sequence: Sequence,
  steps: Step[],
  step: Step,
  worker: string,
  completedAt: number,
  sent?: { send: Send; by: SendConfirmation },
): Promise<StepResult> {
  const send = sent?.send;
  return deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    // Only reached once the step's email is settled: its manual email task is done with it.
    if (step.type === 'TASK' && step.taskType === 'EMAIL') await completeStepTask(tx, claimed.id, step.stepOrder, now);
    if (send && (await confirmSend(tx, send.id, { sentAt: completedAt, confirmedBy: sent.by }))) {
      await appendEvent(tx, claimed.contactId, 'EMAIL_SENT', now, {
        enrollmentId: claimed.id,
        step: step.stepOrder,
        messageId: send.messageId,
        subject: send.subject,
      });
    }
    const next = steps[step.stepOrder + 1];
    if (!next) {
      if (await finishIn(tx, claimed, now, deps.config.accountTimeZone)) return 'finished';
      return send && (await unpauseSettled(tx, claimed, step, { state: 'FINISHED', ended_at: now, next_due_at: null, next_step_type: null }, now)) ? 'finished' : 'lost';
    }
    const due = followUpDue(completedAt, next.delayMillis, await scheduleRules(tx, sequence, claimed.timeZone, claimed.senderUserId), next.type === 'EMAIL');
    const position = { current_step: next.stepOrder, next_step_type: next.type, next_due_at: due, lease_owner: null, lease_until: null, updated_at: now };
    // Not guarded by state: the send happened, so the position must move on even if the
    // enrollment was unenrolled meanwhile (then it just stays unenrolled).
    const moved = await updateEnrollment(tx, claimed.id, position, { leaseOwner: worker });
    if (!moved && send) await unpauseSettled(tx, claimed, step, { state: 'ACTIVE', ...position }, now);
    return send ? 'sent' : 'finished';
  });
}

/**
 * This worker's lease ran out mid-send (a stall, not a death), another worker found the send
 * unconfirmed and paused the enrollment for a person to check; then the server's 250 arrived
 * here. Seqflow knows now: the enrollment goes on and the "check your Sent folder" task is closed.
 * Only that pause, at that step: a pause or resume by a person is left alone.
 */
async function unpauseSettled(tx: Tx, claimed: Enrollment, step: Step, patch: EnrollmentPatch, now: number): Promise<boolean> {
  const resumed = await updateEnrollment(
    tx,
    claimed.id,
    { ...patch, reason: null, paused_remaining_ms: null, updated_at: now },
    { states: ['PAUSED'], reason: 'SEND_UNCERTAIN', currentStep: step.stepOrder },
  );
  if (!resumed) return false;
  await completeOpenTasks(tx, { enrollmentId: claimed.id, reason: 'SEND_UNCERTAIN' }, now);
  await appendEvent(tx, claimed.contactId, 'SEQUENCE_RESUMED', now, { enrollmentId: claimed.id, reason: 'SEND_CONFIRMED' });
  return true;
}

async function runTaskStep(deps: Deps, claimed: Enrollment, sequence: Sequence, steps: Step[], step: Step, worker: string): Promise<StepResult> {
  // A manual email always waits for the rep: it is the step's email, so it goes out (or is
  // skipped) before anything after it, even as the last step.
  const gates = step.taskType === 'EMAIL' || (step.taskGatesNextStep && steps[step.stepOrder + 1] !== undefined);
  const text = await renderTaskText(deps, claimed, step);
  await deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    await insertTask(
      tx,
      {
        userId: claimed.enrolledByUserId,
        contactId: claimed.contactId,
        enrollmentId: claimed.id,
        stepOrder: step.stepOrder,
        type: step.taskType ?? 'TODO',
        subject: text.subject || `Step ${step.stepOrder + 1} of ${sequence.name}`,
        notes: text.notes,
        reason: null,
        dueAt: now,
        priority: step.taskPriority,
      },
      now,
    );
    if (gates) {
      // Waits for the task's completion, which schedules the next step.
      await updateEnrollment(tx, claimed.id, { next_due_at: null, lease_owner: null, lease_until: null, updated_at: now }, { leaseOwner: worker });
    }
  });
  if (gates) return 'task';
  return advance(deps, claimed, sequence, steps, step, worker, deps.clock.now());
}

/**
 * A task's title and notes with the contact's tokens filled in (a live task read literally
 * `Call {{ contact.firstname }}`). A token without a value shows its marker for the rep to see; a
 * template that cannot render leaves the text as written: a task is never held back by it.
 */
async function renderTaskText(deps: Deps, e: Enrollment, step: Step): Promise<{ subject: string; notes: string }> {
  const db = deps.db.kysely;
  const [contact, sender] = await Promise.all([getContact(db, e.contactId, { includeArchived: true }), getUser(db, e.senderUserId)]);
  if (!contact || !sender) return { subject: step.subject, notes: step.body };
  try {
    const r = await deps.renderer.render({ subject: step.subject, body: step.body }, templateContextFor(deps, e, contact, sender), e.placeholderValues);
    return { subject: r.subject, notes: r.html };
  } catch (err) {
    if (!(err instanceof TemplateRenderError)) throw err;
    return { subject: step.subject, notes: step.body };
  }
}

/** The first instant the inbox's daily sequence limit and per-minute limit both have room. */
async function sendableAt(tx: Tx, inbox: Inbox, now: number): Promise<number> {
  const daySince = now - DAY_MS;
  const minuteSince = now - MINUTE_MS;
  const dayLimit = sequenceLimit(inbox.dailyLimit);
  const { count: dayCount, recent: minuteCount } = await countAttemptedInWindows(tx, inbox.id, daySince, minuteSince);
  return roomAt(now, [
    {
      count: dayCount,
      limit: dayLimit,
      windowMs: DAY_MS,
      freeingAttemptAt: dayCount >= dayLimit ? await nthAttemptSince(tx, inbox.id, daySince, dayCount - dayLimit) : null,
    },
    {
      count: minuteCount,
      limit: inbox.perMinuteLimit,
      windowMs: MINUTE_MS,
      freeingAttemptAt:
        minuteCount >= inbox.perMinuteLimit ? await nthAttemptSince(tx, inbox.id, minuteSince, minuteCount - inbox.perMinuteLimit) : null,
    },
  ]);
}

async function threadFor(db: Tx, e: Enrollment, sequence: Sequence, step: Step) {
  if (step.stepOrder === 0) return null;
  if (step.threadToStepOrder === null && !sequence.settings.useThreadedFollowUps) return null;
  const sent = await sentMessageIds(db, e.id);
  if (sent.length === 0) return null;
  const root = step.threadToStepOrder === null ? sent[0] : sent.find((s) => s.stepOrder === step.threadToStepOrder);
  if (!root) return null;
  return { subject: root.subject, ids: sent.filter((s) => s.stepOrder >= root.stepOrder).map((s) => s.messageId) };
}

async function pause(
  tx: Tx,
  claimed: Enrollment,
  worker: string,
  reason: EnrollmentEndReason,
  now: number,
  task: { subject: string; notes: string },
): Promise<StepResult> {
  const paused = await updateEnrollment(
    tx,
    claimed.id,
    { state: 'PAUSED', reason, paused_remaining_ms: 0, lease_owner: null, lease_until: null, updated_at: now },
    { leaseOwner: worker, states: ['ACTIVE'] },
  );
  if (!paused) return 'lost';
  await insertTask(
    tx,
    { userId: claimed.senderUserId, contactId: claimed.contactId, enrollmentId: claimed.id, stepOrder: claimed.currentStep, type: 'TODO', reason, dueAt: now, ...task },
    now,
  );
  await appendEvent(tx, claimed.contactId, 'SEQUENCE_PAUSED', now, { enrollmentId: claimed.id, reason });
  return 'paused';
}

async function fail(tx: Tx, claimed: Enrollment, reason: EnrollmentEndReason, now: number): Promise<StepResult> {
  await updateEnrollment(
    tx,
    claimed.id,
    { state: 'FAILED', reason, ended_at: now, next_due_at: null, next_step_type: null, lease_owner: null, lease_until: null, updated_at: now },
    { states: ['ACTIVE'] },
  );
  return 'failed';
}

/** Finishes a running enrollment (its last step done); false when it was no longer ACTIVE. */
export async function finishIn(tx: Tx, claimed: Enrollment, now: number, zone: string): Promise<boolean> {
  const done = await updateEnrollment(
    tx,
    claimed.id,
    { state: 'FINISHED', ended_at: now, next_due_at: null, next_step_type: null, lease_owner: null, lease_until: null, updated_at: now },
    { states: ['ACTIVE'] },
  );
  if (done) {
    await recordEvent(tx, { now, zone }, claimed.contactId, 'SEQUENCE_FINISHED', { enrollmentId: claimed.id, sequenceId: claimed.sequenceId }, { hs_sequence_id: String(claimed.sequenceId) });
  }
  return done !== null;
}

const finish = (deps: Deps, claimed: Enrollment): Promise<StepResult> =>
  deps.db.transaction(async (tx) => ((await finishIn(tx, claimed, deps.clock.now(), deps.config.accountTimeZone)) ? 'finished' : 'lost'));

/** The HTML part with the pixel and redirect links when the sequence tracks opens or clicks; untracked rather than not sent if that fails. */
async function htmlToSend(deps: Deps, sequence: Sequence, send: Send, html: string, unsubscribe: string): Promise<string> {
  try {
    return await trackedHtml(deps, deps.db.kysely, sequence.settings, send.id, html, unsubscribe);
  } catch (e) {
    deps.log.warn({ err: e, sendId: send.id }, 'tracking not added to the email');
    return html;
  }
}

/** A worker-only process learns where the dev mail server listens from the database. */
async function devSmtpSettings(deps: Deps) {
  const address = deps.config.devSmtp ?? fromJson<{ host: string; port: number } | null>(await getSetting(deps.db.kysely, DEV_SMTP_SETTING), null);
  // Port 9 (discard) is refused on loopback, so the send is retried until a dev server runs.
  return { host: address?.host ?? '127.0.0.1', port: address?.port ?? 9, secure: false };
}

const unsubscribeUrl = (deps: Deps, e: Enrollment): string =>
  `${deps.config.publicUrl}/seqflow/v1/unsubscribe/${signUnsubscribeToken(deps.config.unsubscribeSecret, { contactId: e.contactId, enrollmentId: e.id })}`;

const domainOf = (address: string): string => address.split('@')[1]?.toLowerCase() || 'seqflow.local';

/** A display name quoted per RFC 5322, so commas or quotes in a name cannot split the header. */
const formatFrom = (name: string, address: string): string => (name ? `"${name.replace(/["\\]/g, '')}" <${address}>` : address);
