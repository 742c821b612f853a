import type { Deps } from '../services/deps.js';
import type { FakeClock } from '../engine/clock.js';
import type { Worker } from '../engine/worker.js';
import type { ImportRunner } from '../engine/import-runner.js';

/** What the HTTP face is built over. */
export interface AppContext {
  deps: Deps;
  worker: Worker | null;
  fakeClock: FakeClock | null;
  devSmtp: { host: string; port: number } | null;
  version: string;
  /** Accepted as an admin token (env SEQFLOW_ADMIN_TOKEN). */
  adminToken: string | null;
  /** Runs CSV imports in the background; absent where no import may start (a worker's metrics server). */
  imports?: ImportRunner | null;
}
