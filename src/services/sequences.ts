import { WEEKDAYS, type Sequence, type SequenceSettings, type Step } from '../domain/glossary.js';
import { DEFAULT_SEQUENCE_SETTINGS, SEQUENCE_LIMITS, sendWindowProblems } from '../domain/sequence-rules.js';
import { getSchedule } from '../store/schedules.js';
import * as sequences from '../store/sequences.js';
import { templateEverExisted } from '../store/templates.js';
import type { NewStep } from '../store/sequences.js';
import { countEnrollmentsBySequence } from '../store/enrollments.js';
import { flagNeedsReview, listWorkflows } from '../store/workflows.js';
import { isActionOfType } from '../domain/workflow-graph.js';
import { ENROLL_IN_SEQUENCE } from './workflow-actions/enroll-in-sequence.js';
import { errors, validationError, type ErrorDetail } from './errors.js';
import type { Deps } from './deps.js';
import type { Db } from '../store/database.js';
import { checkTemplateRendering, checkTemplateSyntax, type TemplateField } from './template-check.js';
import { requireUser } from './users.js';
import { atNow, endRunningEnrollments } from './unenroll-contact.js';

export interface StepInput {
  type: 'EMAIL' | 'TASK';
  delayMillis: number;
  subject?: string;
  body?: string;
  threadToStepOrder?: number | null;
  /** EMAIL: the library template the subject and body were copied from (kept for reference only). */
  templateId?: number | null;
  taskType?: Step['taskType'];
  taskPriority?: Step['taskPriority'];
  taskGatesNextStep?: boolean;
}

export interface SequenceInput {
  name: string;
  userId: number;
  settings?: Partial<SequenceSettings>;
  steps: StepInput[];
}

/** Checks that need more than a schema: step count, delays, template syntax, thread targets. */
function checkSteps(steps: StepInput[]): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  if (steps.length === 0) problems.push({ in: 'steps', message: 'A sequence needs at least one step.' });
  if (steps.length > SEQUENCE_LIMITS.maxSteps) problems.push({ in: 'steps', message: `A sequence may have at most ${SEQUENCE_LIMITS.maxSteps} steps.` });
  steps.forEach((s, i) => {
    if (s.delayMillis < 0 || s.delayMillis > SEQUENCE_LIMITS.maxDelayMillis) {
      problems.push({ in: `steps[${i}].delayMillis`, message: 'A delay must be between 0 and 90 days.' });
    }
    if (s.type === 'EMAIL') {
      problems.push(...checkTemplateSyntax(emailFields(s, i)));
      if (!s.body?.trim()) problems.push({ in: `steps[${i}].body`, message: 'An email step needs a body.' });
      const t = s.threadToStepOrder;
      if (t != null && (t >= i || steps[t]?.type !== 'EMAIL')) {
        problems.push({ in: `steps[${i}].threadToStepOrder`, message: 'An email can only thread to an earlier email step.' });
      }
    }
  });
  return problems;
}

const emailFields = (s: StepInput, i: number): TemplateField[] =>
  (['subject', 'body'] as const).map((part) => ({ in: `steps[${i}].${part}`, part, source: s[part] ?? '' }));

/** Trial renderings of every email step's fields that passed the checks above (src/services/template-check.ts). */
async function checkTemplates(deps: Deps, steps: StepInput[], known: ErrorDetail[]): Promise<ErrorDetail[]> {
  const trials = steps.map((s, i) => (s.type === 'EMAIL' ? checkTemplateRendering(deps, emailFields(s, i), known) : Promise.resolve([])));
  return (await Promise.all(trials)).flat();
}

/** A step names a library template it was copied from; one that was removed since still counts. */
async function checkTemplateIds(deps: Deps, steps: StepInput[]): Promise<ErrorDetail[]> {
  const named = steps.flatMap((s, i) => (s.type === 'EMAIL' && s.templateId != null ? [{ i, id: s.templateId }] : []));
  const found = await Promise.all(named.map((n) => templateEverExisted(deps.db.kysely, n.id)));
  return named.filter((_n, k) => !found[k]).map((n) => ({ in: `steps[${n.i}].templateId`, message: `Template ${n.id} does not exist.` }));
}

async function checkStepsAndTemplates(deps: Deps, steps: StepInput[]): Promise<ErrorDetail[]> {
  const problems = checkSteps(steps);
  return [...problems, ...(await checkTemplates(deps, steps, problems)), ...(await checkTemplateIds(deps, steps))];
}

const toNewSteps = (steps: StepInput[]): NewStep[] =>
  steps.map((s) => ({
    type: s.type,
    delayMillis: s.delayMillis,
    subject: s.subject ?? '',
    body: s.body ?? '',
    threadToStepOrder: s.threadToStepOrder ?? null,
    templateId: s.type === 'EMAIL' ? (s.templateId ?? null) : null,
    taskType: s.type === 'TASK' ? (s.taskType ?? 'TODO') : null,
    taskPriority: s.type === 'TASK' ? (s.taskPriority ?? 'NONE') : null,
    taskGatesNextStep: s.taskGatesNextStep ?? true,
  }));

/** The send windows, and a named schedule that exists when one is named. */
async function checkSettings(db: Db, settings: SequenceSettings): Promise<ErrorDetail[]> {
  const problems: ErrorDetail[] = sendWindowProblems(settings, 'settings.');
  const scheduleId = settings.scheduleId;
  if (scheduleId != null && !(await getSchedule(db, scheduleId))) problems.push({ in: 'settings.scheduleId', message: `Schedule ${scheduleId} does not exist.` });
  return problems;
}

export async function createSequence(deps: Deps, input: SequenceInput): Promise<{ sequence: Sequence; steps: Step[] }> {
  await requireUser(deps, input.userId);
  const settings = { ...DEFAULT_SEQUENCE_SETTINGS, ...input.settings };
  const problems = [...(await checkSettings(deps.db.kysely, settings)), ...(await checkStepsAndTemplates(deps, input.steps))];
  if (problems.length) throw validationError(problems[0].message, problems);
  return deps.db.transaction(async (tx) => {
    const sequence = await sequences.insertSequence(tx, { userId: input.userId, name: input.name, settings }, toNewSteps(input.steps), deps.clock.now());
    return { sequence, steps: await sequences.getSteps(tx, sequence.id, sequence.version) };
  });
}

/** A new version; running enrollments keep the steps they started with (PRODUCT §3.1). */
export async function updateSequence(deps: Deps, id: number, input: Omit<SequenceInput, 'userId'>): Promise<{ sequence: Sequence; steps: Step[] }> {
  // Trial renderings take up to the render limits: never inside the transaction (SQLite's write lock).
  const stepProblems = await checkStepsAndTemplates(deps, input.steps);
  return deps.db.transaction(async (tx) => {
    const current = await sequences.getSequence(tx, id);
    if (!current) throw errors.sequenceNotFound({ id });
    const settings = { ...current.settings, ...input.settings };
    const problems = [...(await checkSettings(tx, settings)), ...stepProblems];
    if (problems.length) throw validationError(problems[0].message, problems);
    const sequence = await sequences.updateSequence(tx, current, { name: input.name, settings }, toNewSteps(input.steps), deps.clock.now());
    return { sequence, steps: await sequences.getSteps(tx, id, sequence.version) };
  });
}

export async function getSequenceWithSteps(deps: Deps, id: number): Promise<{ sequence: Sequence; steps: Step[] }> {
  const sequence = await sequences.getSequence(deps.db.kysely, id);
  if (!sequence) throw errors.sequenceNotFound({ id });
  return { sequence, steps: await sequences.getSteps(deps.db.kysely, id, sequence.version) };
}

/** PRODUCT §3.7: refused while enrollments run, unless overridden (they end with SEQUENCE_DELETED). */
export async function deleteSequence(deps: Deps, id: number, overrideActiveEnrollment: boolean): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    const sequence = await sequences.getSequence(tx, id);
    if (!sequence) throw errors.sequenceNotFound({ id });
    const counts = await countEnrollmentsBySequence(tx, id);
    const running = (counts.ACTIVE ?? 0) + (counts.PAUSED ?? 0);
    if (running > 0 && !overrideActiveEnrollment) {
      throw errors.sequenceHasEnrollments({ running });
    }
    await endRunningEnrollments(tx, { sequenceId: id }, 'SEQUENCE_DELETED', { ...atNow(deps), now });
    await sequences.markSequenceDeleted(tx, id, now);
    // The brief: a workflow whose sequence is deleted no longer enrolls — say so at once.
    for (const wf of await listWorkflows(tx, { after: 0, limit: 100_000, mentioning: `"${ENROLL_IN_SEQUENCE}"` })) {
      const uses = wf.definition.actions.some((a) => isActionOfType(a, ENROLL_IN_SEQUENCE) && Number(a.fields?.sequenceId) === id);
      if (uses) await flagNeedsReview(tx, wf.id, `Sequence "${sequence.name}" was deleted; its Enroll in a sequence action no longer enrolls anyone.`, now);
    }
  });
}

/** A page of live sequences in id order after a cursor, with the count of all that match. */
export const listSequencesPage = (deps: Deps, opts: { userId?: number; name?: string; after: number; limit: number }): Promise<{ total: number; results: Sequence[] }> =>
  sequences.listSequences(deps.db.kysely, opts);
