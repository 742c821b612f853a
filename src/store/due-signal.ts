import type SqliteDatabase from 'better-sqlite3';
import type pg from 'pg';
import { loadPg } from './pg-driver.js';

/**
 * Called when a row became runnable: an enrollment ACTIVE and unclaimed with a due time, a
 * workflow run RUNNING and unclaimed, a workflow turned on. `dueAt` is the row's due time where
 * known (SQLite, so the listener can judge "now" on its own clock), else 0 (due now).
 */
export type DueListener = (dueAt: number) => void;

/** Stops listening; resolves once the listening connection (if any) is closed. */
export type StopListening = () => Promise<void>;

/** The NOTIFY channel the PostgreSQL triggers of migration 018 signal on. */
export const DUE_CHANNEL = 'seqflow_due';

/**
 * SQLite has one process: temporary triggers (this connection's only, never stored in the file,
 * so other tools opening it need no function of ours) call back into this process. They fire
 * inside the writing statement, before commit; the listener only schedules a drain, whose claim
 * queues behind the write on the one connection, so it sees the committed row.
 */
export function listenSqlite(sqlite: SqliteDatabase.Database, listener: DueListener): StopListening {
  let active = true;
  sqlite.function('seqflow_due', { deterministic: false }, (dueAt: unknown) => {
    if (active) listener(Number(dueAt ?? 0));
    return null;
  });
  const runnableEnrollment = "new.state = 'ACTIVE' and new.next_due_at is not null and new.lease_owner is null";
  const runnableRun = "new.state = 'RUNNING' and new.next_due_at is not null and new.lease_owner is null";
  sqlite.exec(`
    create temp trigger if not exists seqflow_due_enrollment_insert after insert on main.enrollments
      when ${runnableEnrollment} begin select seqflow_due(new.next_due_at); end;
    create temp trigger if not exists seqflow_due_enrollment_update after update of next_due_at, state, lease_owner on main.enrollments
      when ${runnableEnrollment} begin select seqflow_due(new.next_due_at); end;
    create temp trigger if not exists seqflow_due_run_insert after insert on main.workflow_runs
      when ${runnableRun} begin select seqflow_due(new.next_due_at); end;
    create temp trigger if not exists seqflow_due_run_update after update of next_due_at, state, lease_owner on main.workflow_runs
      when ${runnableRun} begin select seqflow_due(new.next_due_at); end;
    create temp trigger if not exists seqflow_due_workflow_enabled after update of is_enabled on main.workflows
      when new.is_enabled = 1 begin select seqflow_due(0); end;
  `);
  return async () => {
    active = false;
  };
}

/**
 * PostgreSQL: a dedicated connection LISTENs for the triggers' NOTIFY (sent on commit, so a
 * wake-up never announces uncommitted work). A lost connection is reopened with backoff; after
 * every (re)connect the listener is called once, since notifications sent while deaf are gone.
 */
export function listenPostgres(url: string, listener: DueListener, onError: (err: unknown) => void): StopListening {
  let stopped = false;
  let client: pg.Client | null = null;
  let retry: NodeJS.Timeout | null = null;
  let backoffMs = 250;

  const reconnectLater = () => {
    if (stopped || retry) return;
    retry = setTimeout(() => {
      retry = null;
      void connect();
    }, backoffMs);
    backoffMs = Math.min(backoffMs * 2, 30_000);
  };

  const connect = async () => {
    const c = new (loadPg().Client)({ connectionString: url });
    let dead = false;
    const lost = (err?: unknown) => {
      if (dead) return;
      dead = true;
      if (client === c) client = null;
      if (err && !stopped) onError(err);
      void c.end().catch(() => undefined);
      reconnectLater();
    };
    c.on('error', lost);
    c.on('end', () => lost());
    c.on('notification', (n) => {
      if (n.channel === DUE_CHANNEL) listener(0);
    });
    try {
      await c.connect();
      await c.query(`listen ${DUE_CHANNEL}`);
    } catch (err) {
      lost(err);
      return;
    }
    if (stopped) {
      dead = true;
      await c.end().catch(() => undefined);
      return;
    }
    client = c;
    backoffMs = 250;
    listener(0);
  };

  void connect();
  return async () => {
    stopped = true;
    if (retry) clearTimeout(retry);
    const c = client;
    client = null;
    await c?.end().catch(() => undefined);
  };
}
