/**
 * The workflow forecast's simulation (issue #12 item 5): the worker's due-work loop replayed in
 * memory on a simulated clock, so a forecast predicts the instants a real run reaches. Pure: the
 * only thing it does not decide itself (what a workflow action does) is asked of `act`, and every
 * send-limit count starts from the numbers the caller read.
 *
 * It mirrors, rule for rule:
 * - advanceFakeClock (src/engine/worker.ts): the clock jumps to the earliest due item; at each
 *   instant batches run, workflow actions first, then sequence steps, each in due order (ties in
 *   creation order), until nothing is due;
 * - runSequenceStep: an email goes at once when the inbox's daily sequence limit and per-minute
 *   limit have room (roomAt), else waits for the next sendable instant after the slot frees; the
 *   step after it is due followUpDue(sent, delay); a task that waits for the rep ends the forecast
 *   of that enrollment.
 */
import { followUpDue, nextSendableAt, type ScheduleRules } from './schedule.js';
import { DAY_MS, MINUTE_MS, roomAt, sequenceLimit } from './send-limits.js';
import type { Millis } from './glossary.js';

/** The worker's claim size (createWorker's batchSize). */
export const FORECAST_BATCH = 50;

export interface ForecastStep {
  stepOrder: number;
  type: 'EMAIL' | 'TASK';
  delayMillis: Millis;
  /** A task the rep must do before anything after it (a manual email, or a gating task). */
  waitsForRep: boolean;
}

export interface PredictedStep {
  stepOrder: number;
  type: 'EMAIL' | 'TASK';
  at: Millis;
  /** The inbox's send limit moved it past its due time. */
  heldByLimit: boolean;
}

/** An inbox as the forecast counts it: its limits and the attempts it already made. */
export interface ForecastInbox {
  dailyLimit: number;
  perMinuteLimit: number;
  /** Attempt times of counted sends of the last 24 h, oldest first (the simulation appends its own). */
  attempts: Millis[];
  /** Emails due in the next 24 h from enrollments the forecast does not replay (paused ones; counted at its start). */
  scheduledElsewhere: number;
}

export interface SimEnrollment {
  /** Claim order among enrollments due at the same instant: the enrollment's id (new ones come after all existing). */
  order: number;
  inboxKey: string;
  rules: ScheduleRules;
  steps: ForecastStep[];
  current: number;
  due: Millis | null;
  /** Set when the last send was deferred by the limit, so the step it lands on is marked. */
  held: boolean;
  predicted: PredictedStep[];
  /** The rep's task that the forecast cannot see done. */
  waitingForRep: boolean;
}

export interface SimRun {
  actionId: string | null;
  due: Millis | null;
}

/** What the forecast's world looks like to an action: the clock and the inboxes' room. */
export interface ForecastWorld {
  now: Millis;
  /** Whether the inbox's sends of the last 24 h and emails due in the next 24 h leave room for one more enrollment. */
  hasRoomForEnrollment(inboxKey: string): boolean;
  /** Starts a simulated enrollment whose first step is due at `firstDue`. */
  enroll(e: Omit<SimEnrollment, 'order' | 'current' | 'held' | 'predicted' | 'waitingForRep' | 'due'> & { firstDue: Millis | null }): SimEnrollment;
  /** Replays enrollments already running from an inbox, so their sends take its room too. */
  adopt(existing: SimEnrollment[]): void;
}

/** Ids of enrollments the forecast starts come after every existing id. */
const NEW_ORDER = 2 ** 40;

/** What one action did to the run: where it goes next and when (null: the run ends). */
export interface ActResult {
  next: string | null;
  /** When the next action (or, with `retry`, this one) is due. */
  dueAt: Millis;
  /** The action waits (time windows) and runs again at dueAt, unlogged. */
  retry?: boolean;
}

export type Act = (runIndex: number, actionId: string, world: ForecastWorld) => Promise<ActResult>;

export interface Simulation {
  runs: SimRun[];
  enrollments: SimEnrollment[];
}

/**
 * Replays the worker from `start` to `end` (inclusive). `runs` start due at `start` in the order
 * a turn-on inserts them; `inboxes` by key, with what the database holds now.
 */
export async function simulate(o: { start: Millis; end: Millis; runs: SimRun[]; inboxes: Map<string, ForecastInbox>; act: Act }): Promise<Simulation> {
  const { runs, inboxes } = o;
  const enrollments: SimEnrollment[] = [];
  let now = o.start;

  const world: ForecastWorld = {
    get now() {
      return now;
    },
    hasRoomForEnrollment(inboxKey) {
      const inbox = inboxes.get(inboxKey);
      if (!inbox) return true;
      const sent = inbox.attempts.filter((t) => t > now - DAY_MS).length;
      const scheduled = enrollments.filter((e) => e.inboxKey === inboxKey && e.due !== null && e.due >= now && e.due < now + DAY_MS && e.steps[e.current]?.type === 'EMAIL').length;
      return sent + scheduled + inbox.scheduledElsewhere < sequenceLimit(inbox.dailyLimit);
    },
    enroll(e) {
      const sim: SimEnrollment = { ...e, order: NEW_ORDER + enrollments.length, current: 0, due: e.steps.length ? e.firstDue : null, held: false, predicted: [], waitingForRep: false };
      enrollments.push(sim);
      return sim;
    },
    adopt(existing) {
      enrollments.push(...existing);
    },
  };

  const dueNow = <T extends { due: Millis | null }>(items: T[], order: (item: T, i: number) => number): T[] =>
    items
      .map((item, i) => ({ item, o: order(item, i) }))
      .filter((x) => x.item.due !== null && x.item.due <= now)
      .sort((a, b) => a.item.due! - b.item.due! || a.o - b.o)
      .slice(0, FORECAST_BATCH)
      .map((x) => x.item);

  for (;;) {
    // One drain at `now`: batches until nothing is due.
    for (;;) {
      const runBatch = dueNow(runs, (_r, i) => i);
      for (const run of runBatch) {
        const r = await o.act(runs.indexOf(run), run.actionId!, world);
        if (r.retry) run.due = r.dueAt;
        else {
          run.actionId = r.next;
          run.due = r.next === null ? null : r.dueAt;
        }
      }
      const stepBatch = dueNow(enrollments, (e) => e.order);
      for (const e of stepBatch) runStep(e, now, inboxes.get(e.inboxKey));
      if (runBatch.length === 0 && stepBatch.length === 0) break;
    }
    const next = Math.min(...[...runs, ...enrollments].map((x) => x.due ?? Infinity));
    if (!Number.isFinite(next) || next > o.end) break;
    now = next <= now ? now + 1 : next;
  }
  return { runs, enrollments };
}

function runStep(e: SimEnrollment, now: Millis, inbox: ForecastInbox | undefined): void {
  const step = e.steps[e.current];
  if (!step) {
    e.due = null;
    return;
  }
  if (step.waitsForRep) {
    e.predicted.push({ stepOrder: step.stepOrder, type: step.type, at: now, heldByLimit: false });
    e.waitingForRep = true;
    e.due = null;
    return;
  }
  if (step.type === 'EMAIL' && inbox) {
    const at = sendableAt(inbox, now);
    if (at > now) {
      e.due = nextSendableAt(at, e.rules, step.stepOrder > 0);
      e.held = true;
      return;
    }
    inbox.attempts.push(now);
  }
  e.predicted.push({ stepOrder: step.stepOrder, type: step.type, at: now, heldByLimit: e.held });
  e.held = false;
  const next = e.steps[e.current + 1];
  if (!next) {
    e.due = null;
    e.current++;
    return;
  }
  e.current++;
  e.due = followUpDue(now, next.delayMillis, e.rules, next.type === 'EMAIL');
}

/** run-sequence-step's sendableAt over the simulated attempts: when both limits have room. */
export function sendableAt(inbox: ForecastInbox, now: Millis): Millis {
  const dayLimit = sequenceLimit(inbox.dailyLimit);
  const day = inbox.attempts.filter((t) => t > now - DAY_MS);
  const minute = day.filter((t) => t > now - MINUTE_MS);
  return roomAt(now, [
    { count: day.length, limit: dayLimit, windowMs: DAY_MS, freeingAttemptAt: day.length >= dayLimit ? day[day.length - dayLimit] : null },
    { count: minute.length, limit: inbox.perMinuteLimit, windowMs: MINUTE_MS, freeingAttemptAt: minute.length >= inbox.perMinuteLimit ? minute[minute.length - inbox.perMinuteLimit] : null },
  ]);
}
