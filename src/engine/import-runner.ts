import crypto from 'node:crypto';
import type { Deps } from '../services/deps.js';
import { claimableImports, runImport } from '../services/imports.js';

export interface ImportRunner {
  /** Starts running an import in the background (nothing if this process runs it already). */
  start(id: number): void;
  /** Picks up unfinished API imports no live process holds (a restart, a crashed peer). */
  resume(): Promise<void>;
  /** Resolves when every import this process runs has stopped or finished. */
  idle(): Promise<void>;
  /** Stops between batches; what is left resumes at the next start. */
  stop(): Promise<void>;
}

/**
 * Runs API imports in the process that stored their upload (the file lies in its data dir). An
 * import runs under a lease renewed after every batch, so of several processes sharing one
 * PostgreSQL exactly one runs it; a process that dies mid-import leaves the lease to lapse, and
 * the next `resume` (at start, then every half lease) continues after the last committed batch.
 */
export function createImportRunner(deps: Deps, opts: { leaseMs?: number; batchSize?: number } = {}): ImportRunner {
  const owner = `imports-${crypto.randomUUID()}`;
  const leaseMs = opts.leaseMs ?? 60_000;
  const running = new Map<number, Promise<void>>();
  let stopping = false;
  let timer: NodeJS.Timeout | null = null;

  const start = (id: number) => {
    if (stopping || running.has(id)) return;
    const run = runImport(deps, id, { owner, leaseMs, batchSize: opts.batchSize, shouldStop: () => stopping })
      .then(() => undefined)
      .catch((err: unknown) => deps.log.error({ err, importId: id }, 'import run failed'))
      .finally(() => running.delete(id));
    running.set(id, run);
  };
  const resume = async () => {
    if (stopping) return;
    for (const id of await claimableImports(deps, 'API')) start(id);
  };
  timer = setInterval(() => void resume().catch((err: unknown) => deps.log.error({ err }, 'import resume failed')), Math.max(1_000, leaseMs / 2));
  timer.unref();
  const idle = async () => {
    while (running.size) await Promise.all(running.values());
  };
  return {
    start,
    resume,
    idle,
    async stop() {
      stopping = true;
      if (timer) clearInterval(timer);
      await idle();
    },
  };
}
