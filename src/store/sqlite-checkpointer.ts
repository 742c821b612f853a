/**
 * Checkpoints the SQLite write-ahead log on a thread of its own.
 *
 * SQLite's automatic checkpoint runs inside the COMMIT that takes the log past 1,000 pages, on
 * the event loop: it copies those pages into the database file and fsyncs it. In the form →
 * email drain those commits took up to 15 ms each and more than half of all the time spent
 * committing, during which no request was answered and no email sent (docs/decisions.md,
 * "Checkpoints off the event loop"). Here a second connection, on a worker thread, runs PASSIVE
 * checkpoints (which never wait for, nor block, the writer or readers) every `every` commits;
 * the connection's own automatic checkpoint stays on, raised to a backstop, so the log stays
 * bounded even if this thread falls behind or fails.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

export interface Checkpointer {
  /** Called after each COMMIT; every `every`-th one asks the thread for a checkpoint. */
  committed(): void;
  /** Lets a running checkpoint finish, closes the thread's connection and ends the thread. */
  close(): Promise<void>;
}

/** Pages the connection's own checkpoint waits for: ten times SQLite's default, 40 MB of log. */
export const BACKSTOP_PAGES = 10_000;

// CommonJS in an eval'd worker: no file to resolve, so it runs the same from source and from dist.
const THREAD = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('busy_timeout = 5000');
parentPort.on('message', (m) => {
  if (m === 'close') { db.close(); parentPort.close(); return; }
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch (e) { parentPort.postMessage(String(e && e.message || e)); }
});
`;

export function createCheckpointer(file: string, opts: { every?: number; onError?: (message: string) => void } = {}): Checkpointer {
  const every = opts.every ?? 32;
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  let thread: Worker | null = null;
  let exited: Promise<void> = Promise.resolve();
  let commits = 0;
  let closed = false;
  let failed = false;

  const start = (): Worker => {
    const w = new Worker(THREAD, { eval: true, workerData: { file, driver } });
    // Never the reason a process stays up; close() ends it when the database closes.
    w.unref();
    w.on('message', (message: string) => opts.onError?.(message));
    // A thread that cannot open the file is not retried: the backstop keeps checkpointing.
    w.on('error', (err) => {
      opts.onError?.(err.message);
      failed = true;
      thread = null;
    });
    exited = new Promise((resolve) => w.once('exit', () => resolve()));
    return w;
  };

  return {
    committed() {
      if (closed || failed || ++commits % every !== 0) return;
      thread ??= start();
      thread.postMessage('checkpoint');
    },
    async close() {
      closed = true;
      thread?.postMessage('close');
      thread = null;
      await exited;
    },
  };
}
