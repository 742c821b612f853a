import crypto from 'node:crypto';
import { claimDueEnrollments, earliestDue, releaseEnrollmentLeases, renewEnrollmentLeases } from '../store/enrollments.js';
import type { Deps } from '../services/deps.js';
import { runSequenceStep, type StepResult } from '../services/run-sequence-step.js';
import { createStepReads } from '../services/step-reads.js';
import { runWorkflowAction } from '../services/run-workflow-action.js';
import { claimDueRuns, earliestRunDue, releaseRunLeases, renewRunLeases } from '../store/workflows.js';
import type { FakeClock } from './clock.js';
import { createReplyDetectionJob } from './reply-detection-job.js';
import { createWakeLoop } from './wake-loop.js';

export interface WorkerOptions {
  /** Unique per process; leases carry it. */
  id?: string;
  /**
   * How long a claim stays ours without a heartbeat: a killed worker's claimed batch is taken
   * over by another worker this long after its last heartbeat.
   */
  leaseMs?: number;
  /** How often leases on claimed work are renewed while it runs (default leaseMs / 4). */
  heartbeatMs?: number;
  batchSize?: number;
  /** Items run at once (SMTP round trips overlap); a claim is made as soon as one of them is free. */
  concurrency?: number;
  pollMs?: number;
}

export interface Worker {
  id: string;
  /** Claims one batch of due work and runs it to the end; resolves to how many items ran. */
  tick(): Promise<number>;
  /** Runs due work until a claim made after the last item ended finds nothing due now. */
  drain(): Promise<number>;
  start(): void;
  /**
   * Work became due now (a NOTIFY, an in-process signal): drains at once instead of at the next
   * poll. Wake-ups while a drain runs coalesce into one more drain; none runs inside `exclusive`.
   */
  wake(): void;
  /**
   * Stops for good: claims nothing more, gives back at once the claimed items it has not started,
   * and waits up to `graceMs` (default: wait) for the items under way (a send mid-conversation)
   * to finish. Items still running after that keep their lease, which lapses without the
   * heartbeat: another worker settles them as it would a killed worker's.
   */
  stop(opts?: { graceMs?: number }): Promise<WorkerStopReport>;
  /** True once stop() was called: the fake clock's advance gives up rather than spin. */
  readonly stopping: boolean;
  /** Runs fn while no tick runs in this process (the fake clock moves under it). */
  exclusive<T>(fn: () => Promise<T>): Promise<T>;
  onStep?: (result: StepResult) => void;
}

export interface WorkerStopReport {
  /** Claimed items handed back unstarted (their lease cleared: due again at once for any worker). */
  released: number;
  /** Items under way when the grace period ended, left to lapse. */
  abandoned: number;
}

/** A claimed item: a workflow action or a sequence step, run on one of the worker's lanes. */
interface Task {
  kind: 'runs' | 'enrollments';
  id: number;
  run: () => Promise<unknown>;
}
const TASK_NAMES: Record<Task['kind'], string> = { runs: 'workflow action', enrollments: 'sequence step' };

/** Short, because a heartbeat renews it: another worker takes over a dead one's claims this soon. */
export const DEFAULT_LEASE_MS = 20_000;
const FAILURE_BACKOFF_MS = 5 * 60_000;

/**
 * The due-work loop. Nothing waits in memory: every future step is a row with a due time, so
 * a restart loses nothing; several workers share the rows through leases (and SKIP LOCKED on
 * PostgreSQL).
 */
export function createWorker(deps: Deps, opts: WorkerOptions = {}): Worker {
  const id = opts.id ?? `worker-${process.pid}-${crypto.randomUUID().slice(0, 8)}`;
  const leaseMs = opts.leaseMs ?? DEFAULT_LEASE_MS;
  const heartbeatMs = opts.heartbeatMs ?? Math.max(50, Math.floor(leaseMs / 4));
  const batchSize = opts.batchSize ?? 50;
  const concurrency = opts.concurrency ?? 8;
  const pollMs = opts.pollMs ?? 500;
  let stopping = false;
  let chain: Promise<unknown> = Promise.resolve();
  const replyDetection = createReplyDetectionJob(deps);

  // One tick at a time per process: ticks and fake-clock moves queue behind each other.
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const result = chain.then(fn);
    chain = result.catch(() => undefined);
    return result;
  };

  // Claimed work still to finish; the heartbeat keeps its leases alive, so a live worker never
  // loses a claim mid-send however slow the SMTP server is, and a dead one loses it in leaseMs.
  const held = { enrollments: new Set<number>(), runs: new Set<number>() };
  let heartbeat: NodeJS.Timeout | null = null;
  const renewLeases = async () => {
    const until = deps.clock.now() + leaseMs;
    try {
      await renewEnrollmentLeases(deps.db.kysely, [...held.enrollments], id, until);
      await renewRunLeases(deps.db.kysely, [...held.runs], id, until);
    } catch (err) {
      deps.log.warn({ err }, 'lease heartbeat failed');
    }
  };
  const holding = (kind: keyof typeof held, ids: number[]) => {
    if (ids.length === 0) return;
    for (const i of ids) held[kind].add(i);
    heartbeat ??= setInterval(() => void renewLeases(), heartbeatMs);
  };
  const released = (kind: keyof typeof held, i: number) => {
    held[kind].delete(i);
    if (heartbeat && held.enrollments.size === 0 && held.runs.size === 0) {
      clearInterval(heartbeat);
      heartbeat = null;
    }
  };
  // Claimed but not started yet, workflow actions ahead of sequence steps: what stop() hands back.
  const queue: Task[] = [];
  // Started and not finished: at most `concurrency` at once.
  const running = new Set<Promise<void>>();
  // Counts finished items, so a drain knows whether an empty claim began after the last of them.
  let finished = 0;
  // A wake-up or poll while a drain waits on running items: claim for the free lanes now.
  let nudge: (() => void) | null = null;
  let givenBack = 0;
  const giveBack = async (kind: keyof typeof held, ids: number[]): Promise<void> => {
    for (const i of ids) released(kind, i);
    if (ids.length === 0) return;
    const release = kind === 'runs' ? releaseRunLeases : releaseEnrollmentLeases;
    try {
      await release(deps.db.kysely, ids, id);
      givenBack += ids.length;
    } catch (err) {
      // The lease then lapses by itself within leaseMs.
      deps.log.warn({ err, kind, ids }, 'could not release claims on stop');
    }
  };
  const giveBackAll = async (tasks: Task[]) => {
    await giveBack('runs', tasks.filter((t) => t.kind === 'runs').map((t) => t.id));
    await giveBack('enrollments', tasks.filter((t) => t.kind === 'enrollments').map((t) => t.id));
  };

  /**
   * One claim of each kind, queued workflow actions first: an action due now may enroll a contact
   * whose first email is due now, which the next claim then finds.
   */
  const claim = async (): Promise<number> => {
    // Before claiming: an inbox whose replies cannot be read stops sending first.
    await replyDetection.runIfDue();
    const opts = { worker: id, now: deps.clock.now(), leaseMs, limit: batchSize };
    // A claim is one UPDATE, atomic on its own: no BEGIN/COMMIT round trips around it.
    const runs = await claimDueRuns(deps.db.kysely, deps.db.dialect, opts);
    deps.metrics.observeClaims('workflow_action', runs.map((r) => r.nextDueAt), opts.now);
    holding('runs', runs.map((r) => r.id));
    const claimedAt = deps.clock.now();
    const enrollments = stopping ? [] : await claimDueEnrollments(deps.db.kysely, deps.db.dialect, { ...opts, now: claimedAt });
    deps.metrics.observeClaims('sequence_step', enrollments.map((e) => e.nextDueAt), claimedAt);
    holding('enrollments', enrollments.map((e) => e.id));
    const reads = createStepReads(deps.db.kysely);
    const tasks: Task[] = [
      ...runs.map((run): Task => ({ kind: 'runs', id: run.id, run: () => runWorkflowAction(deps, run, id) })),
      ...enrollments.map(
        (e): Task => ({
          kind: 'enrollments',
          id: e.id,
          run: async () => {
            // Not `onStep?.(await …)`: with no onStep that would skip the step itself.
            const result = await runSequenceStep(deps, e, id, reads);
            worker.onStep?.(result);
          },
        }),
      ),
    ];
    // Claimed while stop() was under way: straight back.
    if (stopping) await giveBackAll(tasks);
    else queue.push(...tasks);
    return tasks.length;
  };

  /**
   * A failing item is logged and left claimed for FAILURE_BACKOFF_MS, so a bug that throws every
   * time costs a retry every few minutes, not a hot loop.
   */
  const perform = async (task: Task): Promise<void> => {
    try {
      await task.run();
    } catch (err) {
      deps.log.error({ err, id: task.id }, `${TASK_NAMES[task.kind]} failed`);
      const renew = task.kind === 'runs' ? renewRunLeases : renewEnrollmentLeases;
      await renew(deps.db.kysely, [task.id], id, deps.clock.now() + FAILURE_BACKOFF_MS).catch(() => undefined);
    } finally {
      released(task.kind, task.id);
      finished++;
    }
  };
  // Taking an item and marking it started happen in one synchronous step, so stop() sees every
  // item either started (it waits) or queued (it hands it back), never both.
  const startQueued = () => {
    while (queue.length > 0 && running.size < concurrency && !stopping) {
      const started: Promise<void> = perform(queue.shift()!).finally(() => running.delete(started));
      running.add(started);
    }
  };
  // Resolves when a running item ends, or on a wake-up or poll while a lane is free.
  const lanesChange = () => {
    const waits: Promise<unknown>[] = [...running];
    let timer: NodeJS.Timeout | undefined;
    if (running.size < concurrency) {
      waits.push(new Promise<void>((resolve) => (nudge = resolve)));
      waits.push(new Promise((resolve) => (timer = setTimeout(resolve, pollMs))));
    }
    return Promise.race(waits).finally(() => {
      nudge = null;
      clearTimeout(timer);
    });
  };

  /**
   * Runs due work without a barrier between claims: a lane that frees up is given the next queued
   * item, and an empty queue is claimed into at once, so one slow item (an SMTP server taking its
   * time to greet) holds its own lane, not every later send. Ends when a claim begun after the
   * last item finished finds nothing. `once`: a single claim, its items run to the end.
   */
  const pump = async (once: boolean): Promise<number> => {
    let total = 0;
    for (let claims = 0; !stopping; ) {
      if (queue.length === 0 && running.size < concurrency && !(once && claims > 0)) {
        const finishedBefore = finished;
        const claimed = await claim();
        claims++;
        total += claimed;
        if (claimed === 0 && running.size === 0 && finished === finishedBefore) break;
      }
      startQueued();
      if (queue.length === 0 && running.size === 0) {
        if (once) break;
        continue;
      }
      await lanesChange();
    }
    await Promise.all(running);
    return total;
  };

  const worker: Worker = {
    id,
    tick: () => serial(() => pump(true)),
    drain: () => serial(() => pump(false)),
    exclusive: (fn) => serial(fn),
    start: () => loop.start(),
    wake: () => {
      nudge?.();
      loop.wake();
    },
    get stopping() {
      return stopping;
    },
    async stop({ graceMs }: { graceMs?: number } = {}) {
      loop.stop();
      stopping = true;
      let deadline: NodeJS.Timeout | undefined;
      const graceOver = graceMs === undefined ? null : new Promise<false>((resolve) => (deadline = setTimeout(resolve, graceMs, false)));
      nudge?.();
      await giveBackAll(queue.splice(0));
      // The batch under way ends when its started items end (lanes take nothing new).
      const idle = serial(async () => true as const);
      const inTime = await (graceOver ? Promise.race([idle, graceOver]) : idle);
      clearTimeout(deadline);
      const abandoned = inTime ? 0 : held.enrollments.size + held.runs.size;
      if (!inTime) {
        // Stop renewing: the leases lapse and another worker takes these items over.
        if (heartbeat) clearInterval(heartbeat);
        heartbeat = null;
        deps.log.warn({ abandoned, graceMs }, 'worker stopped with items still under way');
      }
      return { released: givenBack, abandoned };
    },
  };
  // Polling stays as the fallback: for work no signal announces (a lapsed lease, a delay ending).
  const loop = createWakeLoop(
    async () => {
      await worker.drain();
    },
    { pollMs, onError: (err) => deps.log.error({ err }, 'worker tick failed') },
  );
  return worker;
}

/**
 * Moves the fake clock forward by `ms`, stopping at each due time on the way so that every
 * piece of work runs at the instant it was due (and schedules its successors from there).
 */
export async function advanceFakeClock(deps: Deps, clock: FakeClock, worker: Worker, ms: number): Promise<number> {
  const target = clock.now() + ms;
  await worker.drain();
  for (let guard = 0; guard < 100_000 && !worker.stopping; guard++) {
    const due = minDue(await earliestDue(deps.db.kysely), await earliestRunDue(deps.db.kysely));
    if (due === null || due > target) break;
    await worker.exclusive(async () => clock.set(Math.max(clock.now(), due <= clock.now() ? clock.now() + 1 : due)));
    await worker.drain();
  }
  await worker.exclusive(async () => clock.set(Math.max(clock.now(), target)));
  await worker.drain();
  return clock.now();
}

const minDue = (a: number | null, b: number | null): number | null => (a === null ? b : b === null ? a : Math.min(a, b));
