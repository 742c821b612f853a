/** The results as markdown: a header naming the machine, then one table per section. */
import os from 'node:os';
import { median, ratio } from './stats.js';
import { WARM_UP_MS } from './load.js';
import type { RunResult } from './seqflow-run.js';

export function machineHeader(o: { n: number; runs: number; startedAt: Date; loadAtStart: number[]; loadAtEnd?: number[] }): string[] {
  const cpus = os.cpus();
  const load = (l: number[]) => l.map((x) => x.toFixed(2)).join(' / ');
  return [
    `- Date: ${o.startedAt.toISOString()}; N = ${o.n} per drain; medians of ${o.runs} run(s), interleaved`,
    `- CPU: ${cpus[0]?.model.trim() ?? 'unknown'} × ${cpus.length} cores; memory ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB; ${os.type()} ${os.release()} (${process.arch})`,
    `- Node ${process.version}; load average (1/5/15 min) at start ${load(o.loadAtStart)}${o.loadAtEnd ? `, at end ${load(o.loadAtEnd)}` : ''}`,
  ];
}

export interface Row {
  key: string;
  label: string;
  results: RunResult[];
  errors: string[];
  /** Key of the row the ratio is taken against, and what is compared. */
  base?: string;
}

export type Metric = 'perSec' | 'p99Ms';

const fmt = (v: number | null, digits = 0) => (v === null ? '—' : v.toFixed(digits));

function table(head: string[], body: string[][]): string[] {
  const right = head.map((_, i) => i > 0);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => (right[i] ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (right[i] ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`;
  return [line(head), rule, ...body.map(line)];
}

const med = (r: Row, f: (x: RunResult) => number | null) => median(r.results.map(f));
const complete = (r: Row, runs: number) => `${r.results.filter((x) => x.accepted === x.offered && x.errors === 0).length}/${runs}`;

/** Throughput sections (drain, workers, scale): the ratio is pipeline/s over the base row's. */
export function throughputTable(rows: Row[], all: Map<string, Row>, runs: number, baseName: (r: Row) => string): string[] {
  const head = ['Configuration', 'pipeline/s', 'ratio', 'vs', 'offered/s', 'p50 ms', 'p99 ms', 'peak RSS MiB', 'CPU ms/pipeline', 'machine busy %', 'machine CPU ms/pipeline', 'complete runs'];
  return table(
    head,
    rows.map((r) => {
      const base = r.base ? all.get(r.base) : undefined;
      const v = med(r, (x) => x.perSec);
      return [
        r.label,
        fmt(v, 1),
        base ? fmt(ratio(v, med(base, (x) => x.perSec)), 2) + '×' : '—',
        base ? baseName(base) : 'baseline',
        fmt(med(r, (x) => x.offeredPerSec), 0),
        fmt(med(r, (x) => x.p50Ms)),
        fmt(med(r, (x) => x.p99Ms)),
        fmt(med(r, (x) => x.serverPeakRssMiB)),
        fmt(med(r, (x) => x.serverCpuMsPerPipeline), 2),
        fmt(med(r, (x) => x.machineBusyPct)),
        fmt(med(r, (x) => x.machineCpuMsPerPipeline), 2),
        complete(r, runs),
      ];
    }),
  );
}

/** The paced section: latencies, and p99 over the baseline's p99 (lower is better). */
export function latencyTable(rows: Row[], all: Map<string, Row>, runs: number): string[] {
  const head = ['Configuration', 'achieved/s', 'p50 ms', 'p99 ms', 'max ms', `after ${WARM_UP_MS / 1000} s: p50 / p99 ms`, 'p99 ratio', 'vs', 'complete runs'];
  return table(
    head,
    rows.map((r) => {
      const base = r.base ? all.get(r.base) : undefined;
      const p99 = med(r, (x) => x.p99Ms);
      return [
        r.label,
        fmt(med(r, (x) => x.perSec), 1),
        fmt(med(r, (x) => x.p50Ms)),
        fmt(p99),
        fmt(med(r, (x) => x.maxMs)),
        `${fmt(med(r, (x) => x.warmP50Ms))} / ${fmt(med(r, (x) => x.warmP99Ms))}`,
        base ? fmt(ratio(p99, med(base, (x) => x.p99Ms)), 2) + '×' : '—',
        base ? base.label : 'baseline',
        complete(r, runs),
      ];
    }),
  );
}

/** Per-run figures, so a median can be checked against its spread. */
export function runDetails(rows: Row[]): string[] {
  return rows.map((r) => {
    const runs = r.results.map(
      (x) =>
        `${x.perSec.toFixed(1)}/s${x.serverCpuMsPerPipeline === null ? '' : ` (CPU ${x.serverCpuMsPerPipeline.toFixed(2)} ms each)`} p50 ${x.p50Ms ?? '—'} p99 ${x.p99Ms ?? '—'} max ${x.maxMs ?? '—'} ms, offered ${x.offeredPerSec.toFixed(0)}/s (call p50 ${x.callP50Ms ?? '—'} ms), ` +
        `${x.machineBusyPct === null ? '' : `machine ${x.machineBusyPct.toFixed(0)} % busy (${x.machineCpuMsPerPipeline?.toFixed(2) ?? '—'} ms CPU each, all processes), `}${x.accepted}/${x.offered} accepted over ${x.smtpConnections} SMTP connections${x.errors ? `, ${x.errors} calls failed (first: ${x.firstError})` : ''}${x.duplicates ? `, ${x.duplicates} duplicates` : ''}${x.slowestSeconds ? `; slowest seconds: ${x.slowestSeconds.map((w) => `${w.second} s p99 ${w.p99Ms} ms`).join(', ')}` : ''}${x.loggedErrors ? `, ${x.loggedErrors} errors logged (first: ${x.firstLoggedError})` : ''}`,
    );
    return `- ${r.label}: ${runs.join(' · ') || 'no run finished'}${r.errors.length ? `; errors: ${r.errors.join(' | ')}` : ''}`;
  });
}
