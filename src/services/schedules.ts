/**
 * Named schedules (issue #14 item 4): send windows, follow-up days and a holiday calendar that
 * sequences share by naming one (settings.scheduleId). A sequence's rules are read from its
 * schedule whenever a step is placed (src/services/schedule-rules.ts); editing a schedule also
 * places again the waiting steps of every sequence on it, so their next sends move at once.
 */
import { firstStepDue, followUpDue, nextSendableAt } from '../domain/schedule.js';
import type { Schedule } from '../domain/glossary.js';
import { sendWindowProblems } from '../domain/sequence-rules.js';
import type { Db } from '../store/database.js';
import * as store from '../store/schedules.js';
import type { ScheduleFields } from '../store/schedules.js';
import { getSequence, getSteps } from '../store/sequences.js';
import { moveWaitingStep, stepDoneAt, waitingEnrollments } from '../store/step-anchors.js';
import type { Deps } from './deps.js';
import { errors, validationError } from './errors.js';
import { scheduleRules } from './schedule-rules.js';

export type { ScheduleFields } from '../store/schedules.js';

function check(s: ScheduleFields): void {
  const problems = sendWindowProblems(s, '');
  if (problems.length) throw validationError(problems[0].message, problems);
}

export const listSchedules = (deps: Deps, q: { after: number; limit: number }): Promise<Schedule[]> => store.listSchedules(deps.db.kysely, q);

export async function getSchedule(deps: Deps, id: number): Promise<Schedule> {
  const s = await store.getSchedule(deps.db.kysely, id);
  if (!s) throw errors.scheduleNotFound({ id });
  return s;
}

export async function createSchedule(deps: Deps, input: ScheduleFields): Promise<Schedule> {
  check(input);
  return store.insertSchedule(deps.db.kysely, input, deps.clock.now());
}

export async function updateSchedule(deps: Deps, id: number, patch: Partial<ScheduleFields>): Promise<Schedule> {
  return deps.db.transaction(async (tx) => {
    const current = await store.getSchedule(tx, id);
    if (!current) throw errors.scheduleNotFound({ id });
    const next = { ...current, ...patch };
    check(next);
    const now = deps.clock.now();
    const saved = await store.updateSchedule(tx, id, next, now);
    await placeAgain(tx, (await store.sequencesOnSchedule(tx, id)).map((s) => s.id), now);
    return saved;
  });
}

/** Refused while a sequence names it (409, naming them): their steps would lose their rules. */
export async function deleteSchedule(deps: Deps, id: number): Promise<void> {
  await deps.db.transaction(async (tx) => {
    if (!(await store.getSchedule(tx, id))) throw errors.scheduleNotFound({ id });
    const users = await store.sequencesOnSchedule(tx, id);
    if (users.length) throw errors.scheduleInUse({ id, sequences: users });
    await store.deleteSchedule(tx, id);
  });
}

/**
 * Places each waiting step of these sequences again under their rules as they are now, from what
 * it counts from (the enrollment, or the step before it being done), as if the rules had always
 * been these; never in the past. A step whose start is not known only moves into the new windows.
 */
async function placeAgain(tx: Db, sequenceIds: number[], now: number): Promise<void> {
  for (const e of await waitingEnrollments(tx, sequenceIds)) {
    const sequence = await getSequence(tx, e.sequenceId, { includeDeleted: true });
    const step = (await getSteps(tx, e.sequenceId, e.sequenceVersion))[e.currentStep];
    if (!sequence || !step || e.nextDueAt === null) continue;
    const rules = await scheduleRules(tx, sequence, e.timeZone, e.senderUserId);
    const isEmail = step.type === 'EMAIL';
    const from = e.currentStep === 0 ? e.enrolledAt : await stepDoneAt(tx, e.id, e.currentStep - 1);
    let due = from === null ? e.nextDueAt : e.currentStep === 0 ? firstStepDue(from, step.delayMillis, rules, isEmail) : followUpDue(from, step.delayMillis, rules, isEmail);
    if (due < now) due = now;
    if (isEmail) due = nextSendableAt(due, rules, e.currentStep > 0);
    if (due !== e.nextDueAt) await moveWaitingStep(tx, e.id, e.currentStep, due, now);
  }
}
