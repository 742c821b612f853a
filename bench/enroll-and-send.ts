/**
 * Benchmark: N form-less enrollments (contacts created, then enrolled through the service
 * layer) whose first emails are accepted by an SMTP sink on loopback, on SQLite and on
 * PostgreSQL. Prints a table (and writes it to bench/results/latest.md):
 * enrollments/s, emails/s, p50/p99 enroll→SMTP-accepted latency, peak RSS.
 *
 *   npm run bench                       # N = 2000, both databases
 *   BENCH_N=500 npm run bench
 *   npm run bench -- --n 500 --dialect sqlite --concurrency 4
 *
 * Options (env in brackets):
 *   --n            number of enrollments [BENCH_N], default 2000
 *   --dialect      sqlite | postgres | all [BENCH_DIALECT], default all
 *   --concurrency  enrollments in flight at once [BENCH_CONCURRENCY], default 1
 *   --timeout      seconds to wait for the sink, from the first enrollment [BENCH_TIMEOUT_S], default 120
 *   --poll-ms      worker poll interval [BENCH_POLL_MS], default 20
 * PostgreSQL: a fresh database is created on SEQFLOW_BENCH_DATABASE_URL, else
 * SEQFLOW_TEST_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres, and dropped
 * afterwards; an unreachable server skips the PostgreSQL row with a notice.
 *
 * Each database runs in a child process of its own, so its peak RSS is not the other's.
 * A benchmark, not a timed test: nothing here asserts a number.
 */
import { fork } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { adminUrl, createTempDatabase, unreachableReason } from './postgres.js';
import { EMAILS_PER_INBOX, runDialect, type Dialect, type RunOptions, type RunResult } from './run-dialect.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const self = fileURLToPath(import.meta.url);

const { values: args } = parseArgs({
  options: {
    n: { type: 'string' },
    dialect: { type: 'string' },
    concurrency: { type: 'string' },
    timeout: { type: 'string' },
    'poll-ms': { type: 'string' },
    // Internal: run one dialect (options in BENCH_CHILD_OPTIONS) and report to the parent over IPC.
    child: { type: 'boolean' },
  },
  strict: true,
});

function positiveInt(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw === '') return fallback;
  const v = Number(raw);
  if (!Number.isInteger(v) || v <= 0) {
    console.error(`bench: ${name} must be a positive integer, got "${raw}"`);
    process.exit(2);
  }
  return v;
}

const n = positiveInt('--n / BENCH_N', args.n ?? process.env.BENCH_N, 2000);
const concurrency = positiveInt('--concurrency / BENCH_CONCURRENCY', args.concurrency ?? process.env.BENCH_CONCURRENCY, 1);
const timeoutS = positiveInt('--timeout / BENCH_TIMEOUT_S', args.timeout ?? process.env.BENCH_TIMEOUT_S, 120);
const pollMs = positiveInt('--poll-ms / BENCH_POLL_MS', args['poll-ms'] ?? process.env.BENCH_POLL_MS, 20);

async function runChild(opts: RunOptions): Promise<void> {
  try {
    const result = await runDialect(opts);
    process.send!({ ok: true, result });
  } catch (err) {
    process.send!({ ok: false, error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  }
  // Whatever the run left open (it should be nothing), the child is done.
  process.disconnect();
  process.exit(0);
}

type Row = { dialect: Dialect; result?: RunResult; skipped?: string; error?: string };

function runInChild(opts: RunOptions): Promise<RunResult> {
  // Setup (users, contacts) plus the bounded wait, plus slack: past this the child is stuck.
  const hardLimitMs = opts.timeoutMs * 2 + 120_000;
  return new Promise((resolve, reject) => {
    // Options go through the environment, not argv, so a database URL is not shown by ps.
    const child = fork(self, ['--child'], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      env: { ...process.env, BENCH_CHILD_OPTIONS: JSON.stringify(opts) },
    });
    let settled = false;
    const timer = setTimeout(() => {
      if (settled) return;
      settled = true;
      child.kill('SIGKILL');
      reject(new Error(`run did not finish within ${Math.round(hardLimitMs / 1000)} s; killed`));
    }, hardLimitMs);
    child.on('message', (m: { ok: boolean; result?: RunResult; error?: string }) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (m.ok) resolve(m.result!);
      else reject(new Error(m.error));
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (settled) return;
      settled = true;
      reject(new Error(`child exited (${signal ?? code}) without a result`));
    });
  });
}

async function main(): Promise<void> {
  const which = (args.dialect ?? process.env.BENCH_DIALECT ?? 'all').toLowerCase();
  const dialects: Dialect[] =
    which === 'all' ? ['sqlite', 'postgres'] : which === 'sqlite' || which === 'postgres' ? [which] : (() => {
      console.error(`bench: --dialect must be sqlite, postgres or all, got "${which}"`);
      process.exit(2);
    })();

  const header = machineHeader();
  console.log(header.join('\n'));
  console.log('');

  const rows: Row[] = [];
  for (const dialect of dialects) {
    const base: RunOptions = { dialect, n, concurrency, timeoutMs: timeoutS * 1000, pollMs };
    if (dialect === 'sqlite') {
      process.stdout.write(`running SQLite (N=${n}) …\n`);
      rows.push(await attempt(dialect, () => runInChild(base)));
      continue;
    }
    const admin = adminUrl();
    const problem = await unreachableReason(admin);
    if (problem) {
      const notice = `PostgreSQL SKIPPED: ${redact(admin)} is unreachable (${problem}). Set SEQFLOW_BENCH_DATABASE_URL to run it.`;
      console.log(notice);
      rows.push({ dialect, skipped: notice });
      continue;
    }
    process.stdout.write(`running PostgreSQL (N=${n}) …\n`);
    const temp = await createTempDatabase(admin);
    const dropTemp = () => temp.drop().catch((err) => console.error(`bench: could not drop ${temp.name}: ${String(err)}`));
    // Ctrl-C reaches the child too; the parent still drops the database before leaving.
    const onSigint = () => void dropTemp().finally(() => process.exit(130));
    process.once('SIGINT', onSigint);
    try {
      rows.push(await attempt(dialect, () => runInChild({ ...base, databaseUrl: temp.url })));
    } finally {
      process.off('SIGINT', onSigint);
      await dropTemp();
    }
  }

  const report = [...header, '', ...table(rows), '', ...notes(rows)].join('\n');
  console.log('');
  console.log([...table(rows), '', ...notes(rows)].join('\n'));
  const out = path.join(here, 'results', 'latest.md');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, `# Seqflow benchmark: enroll and send\n\n${report}\n`);
  console.log(`\nwritten to ${path.relative(process.cwd(), out)}`);
  process.exitCode = rows.some((r) => r.error) ? 1 : 0;
}

async function attempt(dialect: Dialect, run: () => Promise<RunResult>): Promise<Row> {
  try {
    return { dialect, result: await run() };
  } catch (err) {
    const error = err instanceof Error ? err.message : String(err);
    console.error(`bench: ${dialect} run failed: ${error}`);
    return { dialect, error: error.split('\n')[0] };
  }
}

function machineHeader(): string[] {
  const cpus = os.cpus();
  return [
    `- N: ${n} enrollments (${Math.ceil(n / EMAILS_PER_INBOX)} sender inbox(es), ≤ ${EMAILS_PER_INBOX} each), enroll concurrency ${concurrency}, worker pollMs ${pollMs}, real clock`,
    `- Node ${process.version} on ${os.type()} ${os.release()} (${process.arch})`,
    `- CPU: ${cpus[0]?.model.trim() ?? 'unknown'} × ${cpus.length} cores; memory ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
    `- Date: ${new Date().toISOString()}; load average at start ${os.loadavg().map((l) => l.toFixed(2)).join(' / ')} (1/5/15 min)`,
  ];
}

const DIALECT_NAME: Record<Dialect, string> = { sqlite: 'SQLite', postgres: 'PostgreSQL' };

function table(rows: Row[]): string[] {
  const head = ['Database', 'N', 'enrollments/s', 'emails/s', 'p50 enroll→SMTP (ms)', 'p99 enroll→SMTP (ms)', 'peak RSS (MiB)', 'result'];
  const right = [false, true, true, true, true, true, true, false];
  const fmt = (v: number | null, digits = 0) => (v === null ? '—' : v.toFixed(digits));
  const body = rows.map((r) => {
    const name = DIALECT_NAME[r.dialect];
    if (r.skipped) return [name, String(n), '—', '—', '—', '—', '—', 'skipped (unreachable)'];
    if (r.error || !r.result) return [name, String(n), '—', '—', '—', '—', '—', 'error'];
    const x = r.result;
    return [
      name,
      String(x.n),
      fmt(x.enrollPerSec, 1),
      fmt(x.emailsPerSec, 1),
      fmt(x.p50Ms),
      fmt(x.p99Ms),
      fmt(x.peakRssMiB, 1),
      x.complete ? 'complete' : `INCOMPLETE ${x.accepted}/${x.n} accepted`,
    ];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => (right[i] ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (right[i] ? `${'-'.repeat(w + 1)}:` : `${'-'.repeat(w + 2)}`)).join('|')}|`;
  return [line(head), rule, ...body.map(line)];
}

function notes(rows: Row[]): string[] {
  const out = [
    'enrollments/s: successful enrollContact calls over the enroll phase (contacts created beforehand). ' +
      'emails/s: accepted emails / (last SMTP accept − first enroll start). ' +
      'Latency: SMTP sink accept time − that enrollment’s start (when enrollments/s exceeds emails/s it is mostly time queued behind the backlog). ' +
      'Peak RSS: the run’s own process (maxRSS), sink included.',
  ];
  for (const r of rows) {
    const name = DIALECT_NAME[r.dialect];
    if (r.error) out.push(`- ${name}: error: ${r.error}`);
    if (r.skipped) out.push(`- ${r.skipped}`);
    if (!r.result) continue;
    const x = r.result;
    out.push(
      `- ${name}: contacts created at ${x.contactsPerSec.toFixed(1)}/s; enroll phase ${(x.enrollPhaseMs / 1000).toFixed(2)} s; ` +
        `first enroll → last accept ${(x.sendPhaseMs / 1000).toFixed(2)} s; max latency ${x.maxMs ?? '—'} ms; ` +
        `peak RSS ${x.peakRssMiB.toFixed(0)} MiB of which ${x.startRssMiB.toFixed(0)} MiB at start; SMTP connections ${x.smtpConnections}; enrollments ${JSON.stringify(x.enrollmentStates)}; sends ${JSON.stringify(x.sendStatuses)}` +
        (x.enrollErrors ? `; ${x.enrollErrors} enroll errors (first: ${x.firstEnrollError})` : '') +
        (x.loggedErrors ? `; ${x.loggedErrors} errors logged (first: ${x.firstLoggedError})` : ''),
    );
  }
  return out;
}

function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url;
  }
}

// Last, so every module-level constant above is initialised before it runs.
if (args.child) {
  await runChild(JSON.parse(process.env.BENCH_CHILD_OPTIONS ?? '{}') as RunOptions);
} else {
  await main();
}
