import crypto from 'node:crypto';
import { claimDueEnrollments, earliestDue } from '../store/enrollments.js';
import type { Deps } from '../services/deps.js';
import { runSequenceStep, type StepResult } from '../services/run-sequence-step.js';
import { runWorkflowAction } from '../services/run-workflow-action.js';
import { claimDueRuns, earliestRunDue } from '../store/workflows.js';
import type { FakeClock } from './clock.js';

export interface WorkerOptions {
  /** Unique per process; leases carry it. */
  id?: string;
  /** How long a claim stays ours; must exceed the SMTP timeouts so a live worker never loses one. */
  leaseMs?: number;
  batchSize?: number;
  /** Steps run at once within a batch (SMTP round trips overlap). */
  concurrency?: number;
  pollMs?: number;
}

export interface Worker {
  id: string;
  /** Claims and runs one batch of due work; resolves to how many items ran. */
  tick(): Promise<number>;
  /** Ticks until nothing is due now. */
  drain(): Promise<number>;
  start(): void;
  stop(): Promise<void>;
  /** Runs fn while no tick runs in this process (the fake clock moves under it). */
  exclusive<T>(fn: () => Promise<T>): Promise<T>;
  onStep?: (result: StepResult) => void;
}

/**
 * The due-work loop. Nothing waits in memory: every future step is a row with a due time, so
 * a restart loses nothing; several workers share the rows through leases (and SKIP LOCKED on
 * PostgreSQL).
 */
export function createWorker(deps: Deps, opts: WorkerOptions = {}): Worker {
  const id = opts.id ?? `worker-${process.pid}-${crypto.randomUUID().slice(0, 8)}`;
  const leaseMs = opts.leaseMs ?? 5 * 60_000;
  const batchSize = opts.batchSize ?? 50;
  const concurrency = opts.concurrency ?? 8;
  const pollMs = opts.pollMs ?? 500;
  let running = false;
  let timer: NodeJS.Timeout | null = null;
  let chain: Promise<unknown> = Promise.resolve();

  // One tick at a time per process: ticks and fake-clock moves queue behind each other.
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const result = chain.then(fn);
    chain = result.catch(() => undefined);
    return result;
  };

  /** Runs items with bounded concurrency; a failing item is logged and retried when its lease ends. */
  const runAll = async <T extends { id: number }>(items: T[], run: (item: T) => Promise<unknown>, what: string) => {
    let next = 0;
    const lane = async () => {
      while (next < items.length) {
        const item = items[next++];
        try {
          await run(item);
        } catch (err) {
          deps.log.error({ err, id: item.id }, `${what} failed`);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, lane));
  };

  // Workflow actions first: an action due now may enroll a contact whose first email is due now.
  const runBatch = async (): Promise<number> => {
    const opts = { worker: id, now: deps.clock.now(), leaseMs, limit: batchSize };
    const runs = await deps.db.transaction((tx) => claimDueRuns(tx, deps.db.dialect, opts));
    await runAll(runs, (run) => runWorkflowAction(deps, run, id), 'workflow action');
    const enrollments = await deps.db.transaction((tx) => claimDueEnrollments(tx, deps.db.dialect, { ...opts, now: deps.clock.now() }));
    await runAll(
      enrollments,
      async (e) => {
        const result = await runSequenceStep(deps, e, id);
        worker.onStep?.(result);
      },
      'sequence step',
    );
    return runs.length + enrollments.length;
  };

  const worker: Worker = {
    id,
    tick: () => serial(runBatch),
    drain: () =>
      serial(async () => {
        let total = 0;
        for (;;) {
          const n = await runBatch();
          total += n;
          if (n === 0) return total;
        }
      }),
    exclusive: (fn) => serial(fn),
    start() {
      if (running) return;
      running = true;
      const loop = async () => {
        if (!running) return;
        try {
          await worker.drain();
        } catch (err) {
          deps.log.error({ err }, 'worker tick failed');
        }
        if (running) timer = setTimeout(loop, pollMs);
      };
      void loop();
    },
    async stop() {
      running = false;
      if (timer) clearTimeout(timer);
      await serial(async () => undefined);
    },
  };
  return worker;
}

/**
 * Moves the fake clock forward by `ms`, stopping at each due time on the way so that every
 * piece of work runs at the instant it was due (and schedules its successors from there).
 */
export async function advanceFakeClock(deps: Deps, clock: FakeClock, worker: Worker, ms: number): Promise<number> {
  const target = clock.now() + ms;
  await worker.drain();
  for (let guard = 0; guard < 100_000; guard++) {
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
