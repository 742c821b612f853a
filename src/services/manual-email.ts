import type { Enrollment, Sequence, Step, Task } from '../domain/glossary.js';
import { literalTemplate, templateErrorCode, TemplateRenderError, type RenderResult } from '../domain/templates.js';
import { getContact } from '../store/contacts.js';
import { getEnrollment, updateEnrollment } from '../store/enrollments.js';
import { appendEvent } from '../store/events.js';
import { toJson } from '../store/json.js';
import { getSequence, getSteps } from '../store/sequences.js';
import { closeTask, getTask, requestTaskSend } from '../store/tasks.js';
import { getUser } from '../store/users.js';
import type { Deps } from './deps.js';
import { errors, fieldError, validationError } from './errors.js';
import { resumeIn } from './pause-resume.js';
import { renderStepEmail } from './run-sequence-step.js';

/**
 * Manual email tasks (issue #14 item 2). The rep gets the step's email rendered for the contact
 * (tokens filled, placeholders left to fill), edits it and presses Send. Send does not talk SMTP:
 * it keeps the composed email on the task and makes the enrollment due, and the worker sends it
 * as the step's email with the exactly-once protocol every email has (a `sends` row committed
 * before the SMTP conversation, settled from the dev mail store or the Sent folder if the worker
 * dies, never resent). Paused-for-placeholders tasks take the values here too, then resume.
 */

export interface TaskDraft {
  subject: string;
  html: string;
  to: string;
  from: string;
  /** `[[placeholder: …]]` texts left in the draft for the rep to fill. */
  placeholders: string[];
  missingTokens: string[];
  /** Which task the email answers: the step's manual email, or a pause for unfilled placeholders. */
  kind: 'MANUAL_EMAIL' | 'PLACEHOLDERS';
}

/** The step's email as the rep would send it. */
export async function draftTaskEmail(deps: Deps, id: number): Promise<TaskDraft> {
  const task = await getTask(deps.db.kysely, id);
  if (!task) throw errors.taskNotFound({ id });
  const kind = draftKind(task);
  const ctx = await stepOf(deps, task);
  const r = await render(deps, ctx, ctx.e.placeholderValues);
  return { subject: r.subject, html: r.html, to: ctx.e.toEmail, from: ctx.e.senderEmail, placeholders: r.placeholders, missingTokens: r.missingTokens, kind };
}

export interface SendRequest {
  subject: string;
  html: string;
  placeholderValues?: Record<string, string>;
}

export interface SendAnswer {
  task: Task;
  /** False when an earlier request had already queued this task's email (a double click): nothing more was queued. */
  queued: boolean;
}

/**
 * Queues the rep's email of a manual email task for the worker. Idempotent: a second request
 * for the same task (a double click, a retried request) queues nothing and answers the first.
 */
export async function sendTaskEmail(deps: Deps, id: number, req: SendRequest): Promise<SendAnswer> {
  const first = await getTask(deps.db.kysely, id);
  if (!first) throw errors.taskNotFound({ id });
  if (first.type !== 'EMAIL' || first.reason !== null || first.enrollmentId === null || first.stepOrder === null) throw errors.notAnEmailTask({ type: first.type });
  if (first.sendRequestedAt !== null) return { task: first, queued: false };
  if (!req.subject.trim()) throw fieldError('subject', 'An email needs a subject.');
  const composed = await renderComposed(deps, req);
  return deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    const task = await getTask(tx, id);
    if (!task) throw errors.taskNotFound({ id });
    if (task.sendRequestedAt !== null) return { task, queued: false };
    const notOpen = () => (task.status === 'COMPLETED' ? errors.taskCompleted() : errors.taskNotOpen({ status: task.status }));
    // A task closed because its enrollment ended answers with why it ended (REPLIED, …), below.
    if (task.status !== 'OPEN' && task.closedReason === null) throw notOpen();
    const e = await getEnrollment(tx, task.enrollmentId!);
    if (!e) throw errors.enrollmentNotFound({ id: task.enrollmentId! });
    checkWaiting(e, task);
    if (task.status !== 'OPEN') throw notOpen();
    if (!(await requestTaskSend(tx, id, composed, now))) {
      const latest = (await getTask(tx, id))!;
      return { task: latest, queued: false };
    }
    // Due now: the rep sends it now, so the send window does not hold it back; send limits do (the worker defers).
    const due = await updateEnrollment(tx, e.id, { next_due_at: now, next_step_type: 'EMAIL', updated_at: now }, { states: ['ACTIVE'], currentStep: task.stepOrder! });
    if (!due) throw errors.taskEnrollmentNotWaiting({ state: e.state, reason: e.reason });
    return { task: { ...task, sendRequestedAt: now }, queued: true };
  });
}

/**
 * The rep fills in the placeholders an email paused for: the values are kept on the enrollment,
 * the task is completed and the enrollment resumes, in one transaction. Every placeholder of the
 * step must get a value, or nothing changes.
 */
export async function fillPlaceholders(deps: Deps, id: number, values: Record<string, string>): Promise<Enrollment> {
  const task = await getTask(deps.db.kysely, id);
  if (!task) throw errors.taskNotFound({ id });
  if (task.reason !== 'UNFILLED_PLACEHOLDER') throw errors.notAPlaceholderTask();
  const ctx = await stepOf(deps, task);
  const merged = { ...ctx.e.placeholderValues, ...Object.fromEntries(Object.entries(values).map(([k, v]) => [k.trim(), v])) };
  const r = await render(deps, ctx, merged);
  if (r.placeholders.length) {
    throw validationError(
      `Fill in every placeholder: ${r.placeholders.map((p) => `"${p}"`).join(', ')} has no value.`,
      r.placeholders.map((p) => ({ message: `"${p}" needs a value.`, in: `placeholderValues.${p}` })),
    );
  }
  return deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    const e = await getEnrollment(tx, ctx.e.id);
    if (!e || e.state !== 'PAUSED' || e.reason !== 'UNFILLED_PLACEHOLDER') throw errors.taskEnrollmentNotWaiting({ state: e?.state ?? 'gone', reason: e?.reason ?? null });
    await updateEnrollment(tx, e.id, { placeholder_values: toJson(merged) }, {});
    if (!(await closeTask(tx, id, { status: 'COMPLETED', note: 'Placeholders filled in' }, now))) throw errors.taskNotOpen({ status: 'changed meanwhile' });
    const resumed = await resumeIn(tx, { ...e, placeholderValues: merged }, now, { reason: 'UNFILLED_PLACEHOLDER' });
    if (!resumed) throw errors.enrollmentChanged({ action: 'resume' });
    await appendEvent(tx, e.contactId, 'SEQUENCE_RESUMED', now, { enrollmentId: e.id, reason: 'PLACEHOLDERS_FILLED' });
    return resumed;
  });
}

function draftKind(task: Task): TaskDraft['kind'] {
  if (task.reason === 'UNFILLED_PLACEHOLDER') return 'PLACEHOLDERS';
  if (task.type === 'EMAIL' && task.reason === null) return 'MANUAL_EMAIL';
  throw errors.notAnEmailTask({ type: task.type });
}

/** Only an enrollment waiting at this very step can send its email; an ended one never does. */
function checkWaiting(e: Enrollment, task: Task): void {
  if (e.state !== 'ACTIVE') throw errors.taskEnrollmentNotWaiting({ state: e.state, reason: e.reason });
  if (e.currentStep !== task.stepOrder) throw errors.taskEnrollmentNotWaiting({ state: 'past this step', reason: 'MOVED_ON' });
}

interface StepContext {
  e: Enrollment;
  sequence: Sequence;
  step: Step;
  people: NonNullable<Awaited<ReturnType<typeof peopleOf>>>;
}

async function stepOf(deps: Deps, task: Task): Promise<StepContext> {
  const db = deps.db.kysely;
  const e = task.enrollmentId === null ? null : await getEnrollment(db, task.enrollmentId);
  const sequence = e && (await getSequence(db, e.sequenceId, { includeDeleted: true }));
  const step = sequence && task.stepOrder !== null ? (await getSteps(db, sequence.id, e.sequenceVersion))[task.stepOrder] : undefined;
  const people = e && (await peopleOf(deps, e));
  if (!e || !sequence || !step || !people) throw errors.notAnEmailTask({ type: task.type });
  return { e, sequence, step, people };
}

async function peopleOf(deps: Deps, e: Enrollment) {
  const db = deps.db.kysely;
  const [contact, sender] = await Promise.all([getContact(db, e.contactId, { includeArchived: true }), getUser(db, e.senderUserId)]);
  return contact && sender ? { contact, sender } : null;
}

async function render(deps: Deps, c: StepContext, values: Record<string, string>): Promise<RenderResult> {
  try {
    return await renderStepEmail(deps, deps.db.kysely, c.e, c.sequence, c.step, c.people, values);
  } catch (err) {
    if (!(err instanceof TemplateRenderError)) throw err;
    const field = `steps[${c.step.stepOrder}].${err.part}`;
    throw validationError(err.message, [{ message: err.message, in: field, code: templateErrorCode(err) }], 'TEMPLATE_RENDER_FAILED');
  }
}

/**
 * What the rep wrote, as it will be sent: their text literally (a `{{` they typed, or contact data
 * in the draft, never runs as a template), the placeholders filled, held to the template limits.
 */
async function renderComposed(deps: Deps, req: SendRequest) {
  let r: RenderResult;
  try {
    r = await deps.renderer.render({ subject: literalTemplate(req.subject), body: literalTemplate(req.html) }, { contact: {}, sender: {} }, req.placeholderValues ?? {});
  } catch (err) {
    if (!(err instanceof TemplateRenderError)) throw err;
    const field = err.part === 'subject' ? 'subject' : 'html';
    throw validationError(err.message, [{ message: err.message, in: field, code: templateErrorCode(err) }]);
  }
  if (r.placeholders.length) {
    throw validationError(
      `Fill in every placeholder before sending: ${r.placeholders.map((p) => `"${p}"`).join(', ')}.`,
      r.placeholders.map((p) => ({ message: `"${p}" needs a value.`, in: `placeholderValues.${p}` })),
    );
  }
  // A token the contact had no value for shows its marker in the draft: never send it (PRODUCT §3.8).
  for (const [field, text] of [['subject', r.subject], ['html', r.html]] as const) {
    if (/\[\[MISSING TOKEN - /.test(text)) throw fieldError(field, 'The email still shows a missing-token marker; replace it with the value before sending.');
  }
  return { subject: r.subject, html: r.html, text: r.text };
}
