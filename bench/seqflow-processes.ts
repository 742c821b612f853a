/**
 * The real server, as an operator runs it: the compiled CLI (`bin/seqflow.js start` and
 * `worker`) in processes of its own, so the bench's clients and sink do not share its event
 * loop and its RSS is its own. `npm run bench` builds dist/ first.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cpuMs, peakRssMiB } from './process-stats.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN = path.join(root, 'bin', 'seqflow.js');

export interface SeqflowProcess {
  child: ChildProcess;
  /** Error-level log lines (pino level ≥ 50) after start, and the first one's message. */
  errors: { count: number; first: string | null };
  /** VmHWM of the process so far (Linux), MiB; null elsewhere. */
  peakRssMiB(): number | null;
  /** CPU time the process has used so far (Linux), ms; null elsewhere. */
  cpuMs(): number | null;
  stop(): Promise<void>;
}

export interface Cluster {
  url: string;
  token: string;
  dataDir: string;
  processes: SeqflowProcess[];
  errors(): { count: number; first: string | null };
  /** Largest peak RSS among the processes, MiB. */
  peakRssMiB(): number | null;
  /** CPU time of all the processes so far, ms. */
  cpuMs(): number | null;
  stop(): Promise<void>;
}

// Servers must not outlive the bench when it is interrupted (they would hold the database).
const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const c of live) c.kill('SIGKILL');
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));

function launch(args: string[], env: NodeJS.ProcessEnv, ready: RegExp, label: string): Promise<{ proc: SeqflowProcess; match: RegExpExecArray }> {
  // SEQFLOW_BENCH_PROFILE=<dir>: each server process writes a V8 CPU profile there on exit.
  const profile = process.env.SEQFLOW_BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.SEQFLOW_BENCH_PROFILE}`] : [];
  const child = spawn(process.execPath, [...profile, BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(child);
  child.once('exit', () => live.delete(child));
  let out = '';
  let err = '';
  // Seqflow logs warnings to stdout as JSON; kept (bounded) for the error message only.
  child.stderr!.on('data', (d: Buffer) => void (err = (err + d.toString()).slice(-4000)));
  const errors = { count: 0, first: null as string | null };
  const proc: SeqflowProcess = {
    child,
    errors,
    peakRssMiB: () => peakRssMiB(child.pid),
    cpuMs: () => cpuMs(child.pid),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const kill = setTimeout(() => child.kill('SIGKILL'), 15_000);
        child.once('exit', () => {
          clearTimeout(kill);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`${label} did not start within 60 s`)), 60_000);
    const fail = (e: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${e.message}\n${out.slice(-2000)}${err}`));
    };
    const onData = (d: Buffer) => {
      out = (out + d.toString()).slice(-8000);
      const m = ready.exec(out);
      if (!m) return;
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      // A worker failing every tick would otherwise show only as a slow or incomplete run.
      child.stdout!.on('data', (chunk: Buffer) => {
        for (const line of chunk.toString().split('\n')) {
          const level = /"level":(\d+)/.exec(line);
          if (!level || Number(level[1]) < 50) continue;
          errors.count++;
          errors.first ??= (/"msg":"([^"]*)"/.exec(line)?.[1] ?? line).slice(0, 300);
        }
      });
      resolve({ proc, match: m });
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code, signal) => fail(new Error(`${label} exited (${signal ?? code}) before it was ready`)));
  });
}

/**
 * Starts `start` (role all, or api when workers > 0) plus `workers` worker processes on one
 * database: postgres:// URL, or SQLite in a fresh data directory when databaseUrl is null.
 */
export async function startCluster(o: { databaseUrl: string | null; workers: number; extraEnv?: NodeJS.ProcessEnv }): Promise<Cluster> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'seqflow-bench-'));
  const token = crypto.randomBytes(24).toString('hex');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    SEQFLOW_DATA_DIR: dataDir,
    SEQFLOW_HOST: '127.0.0.1',
    SEQFLOW_PORT: '0',
    SEQFLOW_ADMIN_TOKEN: token,
    // Every process sharing the database must open the inbox credentials sealed with it.
    SEQFLOW_SECRET_KEY: crypto.randomBytes(32).toString('hex'),
    SEQFLOW_TIMEZONE: 'UTC',
    SEQFLOW_LOG_LEVEL: process.env.SEQFLOW_BENCH_LOG ?? 'warn',
    // The 16 clients share one address: HubSpot's per-address form limit would measure itself.
    SEQFLOW_FORM_RATE_LIMIT: '100000000',
    SEQFLOW_RATE_LIMIT_10S: '0',
    SEQFLOW_ALLOW_PRIVATE_MAIL_HOSTS: 'true',
    ...o.extraEnv,
  };
  delete env.DATABASE_URL;
  delete env.SEQFLOW_PUBLIC_URL;
  delete env.SEQFLOW_METRICS_PORT;
  if (o.databaseUrl) env.DATABASE_URL = o.databaseUrl;
  const processes: SeqflowProcess[] = [];
  const stop = async () => {
    await Promise.all(processes.map((p) => p.stop()));
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const role = o.workers > 0 ? 'api' : 'all';
    const api = await launch(['start', '--role', role, '--no-dev-smtp'], env, /API\s+(http:\/\/\S+)/, `seqflow start --role ${role}`);
    processes.push(api.proc);
    // Workers after the API: it has migrated the schema by the time it prints its address.
    for (let i = 0; i < o.workers; i++) {
      const w = await launch(['worker'], env, /Seqflow worker \S+ on/, `seqflow worker ${i + 1}`);
      processes.push(w.proc);
    }
    return {
      url: api.match[1].replace(/\/$/, ''),
      token,
      dataDir,
      processes,
      errors: () => ({ count: processes.reduce((n, p) => n + p.errors.count, 0), first: processes.find((p) => p.errors.first)?.errors.first ?? null }),
      peakRssMiB: () => {
        const v = processes.map((p) => p.peakRssMiB()).filter((x): x is number => x !== null);
        return v.length ? Math.max(...v) : null;
      },
      cpuMs: () => {
        const v = processes.map((p) => p.cpuMs());
        return v.every((x): x is number => x !== null) ? v.reduce((a, b) => a + b, 0) : null;
      },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
