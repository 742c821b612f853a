/**
 * One Seqflow measurement: a fresh database, the server in its own processes, the senders seeded
 * through the API, then form submissions through the public endpoint, drained or paced, each
 * timed from the start of its POST to the sink's 250 for its contact.
 */
import path from 'node:path';
import { awaitSink, drain, measure, paced, type Measured, type Offered } from './load.js';
import { createTempDatabase } from './postgres.js';
import { startCluster } from './seqflow-processes.js';
import { apiClient, seedSender, seedSenders, submitForm } from './seqflow-seed.js';
import { seedPortal, type PortalSize } from './portal.js';
import { insertFutureWork } from './scale-rows.js';
import { startTimingSink } from './smtp-sink.js';
import { cpuPerItem, machineCpuMs, machineUse } from './process-stats.js';

export type Dialect = 'sqlite' | 'postgres';

export interface SeqflowRun {
  dialect: Dialect;
  /** postgres only: where to create the fresh database. */
  adminUrl?: string;
  load: { kind: 'drain'; n: number; clients: number } | { kind: 'paced'; ratePerS: number; seconds: number };
  /** Separate worker processes beside an API-only process; 0 = one process doing both. */
  workers: number;
  /** Future-dated enrollments (and their contacts) bulk-inserted before the load. */
  futureRows: number;
  /** Custom properties, other workflows and lists seeded before the load (bench/portal.ts). */
  portal?: PortalSize;
  /** SEQFLOW_LEAN_HEAP: the server collects garbage sooner. */
  leanHeap?: boolean;
  stallMs: number;
}

export interface RunResult extends Measured {
  /** Largest VmHWM among the Seqflow processes (MiB). */
  serverPeakRssMiB: number | null;
  /** CPU time the server's processes used from the first submission to the last 250, per pipeline accepted (ms; not a PostgreSQL server's). */
  serverCpuMsPerPipeline: number | null;
  /** Share of the machine's cores busy during the run, and busy CPU ms per pipeline over everything on it (bench/process-stats.ts machineUse). */
  machineBusyPct: number | null;
  machineCpuMsPerPipeline: number | null;
  duplicates: number;
  /** Connections the SMTP sink accepted: each new one waits for the sink's greeting (~100 ms, as smtp-server delays it). */
  smtpConnections: number;
  /** Error-level lines the server logged during the run (none for the baseline). */
  loggedErrors: number;
  firstLoggedError: string | null;
}

export async function runSeqflow(o: SeqflowRun): Promise<RunResult> {
  const temp = o.dialect === 'postgres' ? await createTempDatabase(o.adminUrl!) : null;
  const sink = await startTimingSink();
  const cluster = await startCluster({ databaseUrl: temp?.url ?? null, workers: o.workers, extraEnv: { SEQFLOW_LEAN_HEAP: String(o.leanHeap ?? false) } }).catch(async (err: unknown) => {
    await sink.close();
    await temp?.drop();
    throw err;
  });
  try {
    const api = apiClient(cluster.url, cluster.token);
    const total = o.load.kind === 'drain' ? o.load.n : Math.round(o.load.ratePerS * o.load.seconds);
    const tag = Date.now().toString(36);
    if (o.portal) await seedPortal(api, o.portal);
    const senders = await seedSenders(api, total, sink.port, tag);
    if (o.futureRows > 0) {
      const parked = await seedSender(api, senders.length, sink.port, `${tag}-future`);
      await insertFutureWork({ databaseUrl: temp?.url ?? null, sqliteFile: path.join(cluster.dataDir, 'seqflow.db') }, o.futureRows, parked);
    }
    const to = (i: number) => `lead${i}.${tag}@bench.seqflow.test`;
    const fire = (i: number) => submitForm(cluster.url, senders[i % senders.length], to(i), `Lead${i}`);
    const cpuBefore = cluster.cpuMs();
    const machineBefore = machineCpuMs();
    const offered: Offered = o.load.kind === 'drain' ? await drain(o.load.n, o.load.clients, to, fire) : await paced(o.load.ratePerS, o.load.seconds, to, fire);
    await awaitSink(sink, offered, o.stallMs);
    const measured = measure(sink, offered, { perSecond: o.load.kind === 'paced' });
    const cpu = cpuPerItem(cpuBefore, cluster.cpuMs(), measured.accepted);
    const machine = machineUse(machineBefore, machineCpuMs(), measured.accepted);
    const logged = cluster.errors();
    return { ...measured, serverPeakRssMiB: cluster.peakRssMiB(), serverCpuMsPerPipeline: cpu, machineBusyPct: machine.busyPct, machineCpuMsPerPipeline: machine.msPerItem, duplicates: sink.duplicates, smtpConnections: sink.connections, loggedErrors: logged.count, firstLoggedError: logged.first };
  } finally {
    await cluster.stop();
    await sink.close();
    await temp?.drop().catch((err: unknown) => console.error(`bench: could not drop ${temp.name}: ${String(err)}`));
  }
}
