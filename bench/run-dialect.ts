/**
 * One benchmark run on one database: Seqflow in-process on the real clock, an SMTP sink on
 * loopback, N contacts enrolled through the service layer, and the worker sending each first
 * email. Runs in its own process (see enroll-and-send.ts) so peak RSS is this run's alone.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import pino from 'pino';
import { sql } from 'kysely';
import { startSeqflow, type Seqflow } from '../src/server.js';
import { createUser } from '../src/services/users.js';
import { connectInbox } from '../src/services/inboxes.js';
import { createContact } from '../src/services/contacts.js';
import { createSequence } from '../src/services/sequences.js';
import { enrollContact } from '../src/services/enroll-contact.js';
import { sequenceLimit } from '../src/domain/send-limits.js';
import { startSmtpSink, type SmtpSink } from '../src/mail/smtp-sink.js';

export type Dialect = 'sqlite' | 'postgres';

export interface RunOptions {
  dialect: Dialect;
  n: number;
  /** Enrollments in flight at once (API clients calling in parallel). */
  concurrency: number;
  /** Give up waiting for the sink after this long (from the first enrollment). */
  timeoutMs: number;
  /** postgres:// URL of an empty database; required for postgres. */
  databaseUrl?: string;
  pollMs: number;
}

export interface RunResult {
  dialect: Dialect;
  n: number;
  inboxes: number;
  enrolled: number;
  enrollErrors: number;
  firstEnrollError: string | null;
  accepted: number;
  complete: boolean;
  contactsPerSec: number;
  enrollPerSec: number;
  /** N accepted / (last accepted − first enroll start). */
  emailsPerSec: number;
  p50Ms: number | null;
  p99Ms: number | null;
  maxMs: number | null;
  peakRssMiB: number;
  /** RSS when the run began (Node, tsx and the imported modules), for reading peakRssMiB. */
  startRssMiB: number;
  enrollPhaseMs: number;
  sendPhaseMs: number;
  /** Enrollment states and send statuses at the end, to explain an incomplete run. */
  enrollmentStates: Record<string, number>;
  sendStatuses: Record<string, number>;
  smtpConnections: number;
  /** Errors Seqflow logged during the run (a failing worker tick shows up here). */
  loggedErrors: number;
  firstLoggedError: string | null;
}

/** Emails per inbox: under the sequence limit (90 % of the 1000/day maximum = 900), with slack. */
export const EMAILS_PER_INBOX = 800;
const DAILY_LIMIT = 1000;
/** The per-minute limit never binds: an inbox may only send 900 a day anyway. */
const PER_MINUTE_LIMIT = 1000;

const contactEmail = (j: number) => `lead${j}@bench.seqflow.test`;

export function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  // Nearest rank.
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Seqflow's logger for the run: silent, but counting errors (and keeping the first), so a
 * worker that fails every tick is reported instead of merely making the run time out.
 * SEQFLOW_BENCH_LOG=<level> prints the log to stderr instead.
 */
function benchLogger() {
  const errors = { count: 0, first: null as string | null };
  const level = process.env.SEQFLOW_BENCH_LOG;
  if (level) return { log: pino({ level }, pino.destination(2)), errors };
  const sink = {
    write(line: string) {
      errors.count++;
      if (errors.first !== null) return;
      try {
        const o = JSON.parse(line) as { msg?: string; err?: { message?: string } };
        errors.first = [o.msg, o.err?.message].filter(Boolean).join(': ') || line.trim();
      } catch {
        errors.first = line.trim();
      }
    },
  };
  return { log: pino({ level: 'error' }, sink), errors };
}

export async function runDialect(opts: RunOptions): Promise<RunResult> {
  if (opts.dialect === 'postgres' && !opts.databaseUrl) throw new Error('postgres needs a databaseUrl');
  const startRssMiB = process.memoryUsage().rss / 2 ** 20;
  // The SQLite run must not pick up a DATABASE_URL from the environment.
  delete process.env.DATABASE_URL;
  delete process.env.SEQFLOW_PUBLIC_URL;

  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'seqflow-bench-'));
  let sink: SmtpSink | null = null;
  let sf: Seqflow | null = null;
  let drainer: NodeJS.Timeout | null = null;
  const { log, errors } = benchLogger();
  try {
    sink = await startSmtpSink();
    sf = await startSeqflow({
      role: 'all',
      port: 0,
      host: '127.0.0.1',
      dataDir,
      databaseUrl: opts.dialect === 'postgres' ? opts.databaseUrl : undefined,
      devSmtpPort: null,
      pollMs: opts.pollMs,
      adminToken: 'bench',
      accountTimeZone: 'UTC',
      logger: log,
    });
    const deps = sf.deps;

    // Senders: one user + inbox + one-step sequence per EMAILS_PER_INBOX contacts.
    const inboxCount = Math.max(1, Math.ceil(opts.n / EMAILS_PER_INBOX));
    if (EMAILS_PER_INBOX >= sequenceLimit(DAILY_LIMIT)) throw new Error('EMAILS_PER_INBOX must stay under the sequence limit');
    const senders: { userId: number; email: string; sequenceId: number }[] = [];
    for (let i = 0; i < inboxCount; i++) {
      const email = `rep${i}@bench.seqflow.test`;
      const user = await createUser(deps, { email, firstName: 'Bench', lastName: `Rep${i}`, seat: 'sales_professional', timezone: 'UTC', role: 'user' });
      await connectInbox(deps, user.id, {
        address: email,
        aliases: [],
        provider: 'imap',
        smtp: { host: '127.0.0.1', port: sink.port },
        imap: null,
        dailyLimit: DAILY_LIMIT,
        perMinuteLimit: PER_MINUTE_LIMIT,
      });
      const { sequence } = await createSequence(deps, {
        name: `Bench ${i}`,
        userId: user.id,
        settings: { sendWindowStartMinute: 0, sendWindowEndMinute: 1440, eligibleFollowUpDays: 'EVERYDAY' },
        steps: [
          {
            type: 'EMAIL',
            delayMillis: 0,
            subject: 'Hi {{ contact.firstname | default: "there" }}',
            body: '<p>Hello {{ contact.firstname | default: "there" }}, thanks for reaching out.</p><p>{{ sender.firstname }}</p>',
          },
        ],
      });
      senders.push({ userId: user.id, email, sequenceId: sequence.id });
    }

    // Contacts first (their own phase), so the enroll phase times enrollContact alone.
    const contactIds: number[] = [];
    const c0 = performance.now();
    for (let j = 0; j < opts.n; j++) {
      const c = await createContact(deps, { email: contactEmail(j), firstname: `Lead${j}`, lastname: 'Bench' });
      contactIds.push(c.id);
    }
    const contactsMs = performance.now() - c0;

    // Received mail, reduced to recipient → accept time, taken off the sink as it arrives so
    // the parsed messages do not pile up in memory (and in peak RSS).
    const acceptedAt = new Map<string, number>();
    let duplicates = 0;
    const takeMessages = () => {
      for (const m of sink!.messages.splice(0)) {
        for (const to of m.to) {
          if (acceptedAt.has(to)) duplicates++;
          else acceptedAt.set(to, m.receivedAt);
        }
      }
    };
    drainer = setInterval(takeMessages, 10);

    // Enroll: `concurrency` lanes over the contacts, round-robin over the senders.
    const startedAt = new Map<string, number>();
    let enrollErrors = 0;
    let firstEnrollError: string | null = null;
    let next = 0;
    const firstEnrollAt = Date.now();
    const e0 = performance.now();
    const lane = async () => {
      while (next < opts.n) {
        const j = next++;
        const s = senders[j % senders.length];
        const email = contactEmail(j);
        const t = Date.now();
        try {
          await enrollContact(deps, { contactId: contactIds[j], sequenceId: s.sequenceId, senderUserId: s.userId, senderEmail: s.email, source: 'API' });
          startedAt.set(email, t);
        } catch (err) {
          enrollErrors++;
          firstEnrollError ??= err instanceof Error ? err.message : String(err);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, opts.concurrency) }, lane));
    const enrollPhaseMs = performance.now() - e0;

    // Wait (bounded) for every enrolled contact's first email at the sink.
    const deadline = firstEnrollAt + opts.timeoutMs;
    for (;;) {
      takeMessages();
      if (acceptedAt.size >= startedAt.size || Date.now() >= deadline) break;
      await sleep(10);
    }
    clearInterval(drainer);
    drainer = null;
    takeMessages();

    const latencies: number[] = [];
    let lastAccepted = firstEnrollAt;
    for (const [email, t] of startedAt) {
      const at = acceptedAt.get(email);
      if (at === undefined) continue;
      latencies.push(at - t);
      if (at > lastAccepted) lastAccepted = at;
    }
    latencies.sort((a, b) => a - b);
    const accepted = latencies.length;
    const sendPhaseMs = lastAccepted - firstEnrollAt;

    // Let the worker finish the step it is in, so the counts below are settled.
    await sf.worker?.stop();
    const db = sf.db.kysely;
    const states = await db.selectFrom('enrollments').select(['state', sql<number>`count(*)`.as('n')]).groupBy('state').execute();
    const statuses = await db.selectFrom('sends').select(['status', sql<number>`count(*)`.as('n')]).groupBy('status').execute();
    if (duplicates > 0) process.stderr.write(`[bench ${opts.dialect}] ${duplicates} duplicate deliveries at the sink\n`);

    return {
      dialect: opts.dialect,
      n: opts.n,
      inboxes: inboxCount,
      enrolled: startedAt.size,
      enrollErrors,
      firstEnrollError,
      accepted,
      complete: startedAt.size === opts.n && accepted === opts.n,
      contactsPerSec: opts.n / (contactsMs / 1000),
      enrollPerSec: startedAt.size / (enrollPhaseMs / 1000),
      emailsPerSec: sendPhaseMs > 0 ? accepted / (sendPhaseMs / 1000) : 0,
      p50Ms: percentile(latencies, 50),
      p99Ms: percentile(latencies, 99),
      maxMs: latencies.length ? latencies[latencies.length - 1] : null,
      peakRssMiB: process.resourceUsage().maxRSS / 1024,
      startRssMiB,
      enrollPhaseMs,
      sendPhaseMs,
      enrollmentStates: Object.fromEntries(states.map((r) => [r.state, Number(r.n)])),
      sendStatuses: Object.fromEntries(statuses.map((r) => [r.status, Number(r.n)])),
      smtpConnections: sink.stats.connections,
      loggedErrors: errors.count,
      firstLoggedError: errors.first,
    };
  } finally {
    if (drainer) clearInterval(drainer);
    await sf?.close().catch((err) => process.stderr.write(`[bench] close failed: ${String(err)}\n`));
    await sink?.close().catch(() => undefined);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
