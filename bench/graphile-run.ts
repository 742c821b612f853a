/**
 * One baseline measurement: graphile-worker on a fresh PostgreSQL database, one runner process
 * (graphile-runner.ts), jobs added from this process — batched (addJobs, 500 a call) or one
 * addJob per email from `clients` concurrent callers — or at a fixed pace; each email timed
 * from the start of the call that added its job to the sink's 250.
 */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Logger, makeWorkerUtils, runMigrations, type WorkerUtils } from 'graphile-worker';
import { awaitSink, drain, measure, paced, type Offered } from './load.js';
import { createTempDatabase } from './postgres.js';
import { cpuMs, cpuPerItem, machineCpuMs, machineUse, peakRssMiB } from './process-stats.js';
import type { RunResult } from './seqflow-run.js';
import { startTimingSink } from './smtp-sink.js';

const RUNNER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'graphile-runner.ts');
const BATCH = 500;
const quiet = new Logger(() => () => {});

export interface GraphileRun {
  adminUrl: string;
  load: { kind: 'batched'; n: number } | { kind: 'unbatched'; n: number; clients: number } | { kind: 'paced'; ratePerS: number; seconds: number };
  concurrency: number;
  stallMs: number;
}

export async function runGraphile(o: GraphileRun): Promise<RunResult> {
  const temp = await createTempDatabase(o.adminUrl);
  const sink = await startTimingSink();
  let child: ChildProcess | null = null;
  let utils: WorkerUtils | null = null;
  try {
    // The schema first, so the runner's start and the first addJob do not race to install it.
    await runMigrations({ connectionString: temp.url, logger: quiet });
    const runner = fork(RUNNER, [], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      env: { ...process.env, BENCH_GW_DATABASE_URL: temp.url, BENCH_GW_SMTP_PORT: String(sink.port), BENCH_GW_CONCURRENCY: String(o.concurrency) },
    });
    child = runner;
    await new Promise<void>((resolve, reject) => {
      runner.once('message', () => resolve());
      runner.once('exit', (code) => reject(new Error(`graphile runner exited (${code}) before it was ready`)));
    });
    const u = (utils = await makeWorkerUtils({ connectionString: temp.url, logger: quiet }));
    const tag = Date.now().toString(36);
    const to = (i: number) => `lead${i}.${tag}@bench.seqflow.test`;
    const payload = (i: number) => ({ to: to(i), firstname: `Lead${i}`, from: 'rep0@bench.seqflow.test' });
    const addOne = async (i: number) => void (await u.addJob('send_email', payload(i)));
    const cpuBefore = cpuMs(runner.pid);
    const machineBefore = machineCpuMs();
    let offered: Offered;
    if (o.load.kind === 'batched') {
      const n = o.load.n;
      offered = { startedAt: new Map(), callMs: [], offerPhaseMs: 0, errors: 0, firstError: null };
      const t0 = Date.now();
      for (let b = 0; b < n; b += BATCH) {
        const t = Date.now();
        const ids = Array.from({ length: Math.min(BATCH, n - b) }, (_, k) => b + k);
        await u.addJobs(ids.map((i) => ({ identifier: 'send_email', payload: payload(i) })));
        for (const i of ids) offered.startedAt.set(to(i), t);
        offered.callMs.push(Date.now() - t);
      }
      offered.offerPhaseMs = Date.now() - t0;
    } else if (o.load.kind === 'unbatched') {
      offered = await drain(o.load.n, o.load.clients, to, addOne);
    } else {
      offered = await paced(o.load.ratePerS, o.load.seconds, to, addOne);
    }
    await awaitSink(sink, offered, o.stallMs);
    const measured = measure(sink, offered, { perSecond: o.load.kind === 'paced' });
    const cpu = cpuPerItem(cpuBefore, cpuMs(runner.pid), measured.accepted);
    const machine = machineUse(machineBefore, machineCpuMs(), measured.accepted);
    return { ...measured, serverPeakRssMiB: peakRssMiB(runner.pid), serverCpuMsPerPipeline: cpu, machineBusyPct: machine.busyPct, machineCpuMsPerPipeline: machine.msPerItem, duplicates: sink.duplicates, smtpConnections: sink.connections, loggedErrors: 0, firstLoggedError: null };
  } finally {
    await Promise.resolve(utils?.release()).catch(() => undefined);
    await stopRunner(child);
    await sink.close();
    await temp.drop().catch((err: unknown) => console.error(`bench: could not drop ${temp.name}: ${String(err)}`));
  }
}

function stopRunner(child: ChildProcess | null): Promise<void> {
  return new Promise<void>((resolve) => {
    if (!child || child.exitCode !== null || child.signalCode !== null) return resolve();
    const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.send('stop');
  });
}
