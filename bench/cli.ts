/**
 * `npm run bench`: the full pipeline (form submitted → workflow → enrolled → first email
 * accepted by SMTP) through the public API of the real server, against graphile-worker sending
 * one email per job, on SQLite and PostgreSQL. Sections and what each row means: docs/benchmarks.md.
 * A benchmark, not a timed test: nothing here asserts a number.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, InvalidArgumentError, Option } from 'commander';
import { runGraphile, type GraphileRun } from './graphile-run.js';
import { adminUrl, unreachableReason } from './postgres.js';
import { latencyTable, machineHeader, runDetails, throughputTable, type Row } from './report.js';
import { TEAM_PORTAL } from './portal.js';
import { runSeqflow, type RunResult, type SeqflowRun } from './seqflow-run.js';

const SECTIONS = ['drain', 'paced', 'workers', 'scale'] as const;
type Section = (typeof SECTIONS)[number];

const positive = (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('must be a positive whole number');
  return n;
};

const opts = new Command()
  .name('npm run bench --')
  .description('Seqflow against graphile-worker: drain, paced latency, worker processes, scale')
  .option('--n <n>', 'form submissions (and baseline jobs) per drain run', positive, 4000)
  .option('--runs <n>', 'runs of each row; the table shows medians', positive, 3)
  .addOption(new Option('--dialect <d>', 'Seqflow database').choices(['sqlite', 'postgres', 'all']).default('all'))
  .addOption(new Option('--only <section>', 'run one section (and the rows its ratios need)').choices(SECTIONS))
  .option('--scale', 'add the scale section: 1 M future-dated steps and 1 M contacts (minutes)')
  .option('--clients <n>', 'concurrent HTTP clients (and addJob callers) in a drain', positive, 16)
  .option('--rate <n>', 'paced submissions per second', positive, 100)
  .option('--seconds <n>', 'paced duration', positive, 30)
  .option('--future-rows <n>', 'future-dated enrollments (each with its contact) in the scale section', positive, 1_000_000)
  .option('--gw-concurrency <n>', 'graphile-worker jobs at once (Seqflow runs 8 steps at once)', positive, 8)
  .option('--stall <s>', 'give up on a run when nothing reached the sink for this long', positive, 60)
  .option('--rows <keys>', 'run only these rows, comma-separated keys (sf-sqlite, sf-sqlite-portal, gw-batched …), without their bases', (v: string) => v.split(',').map((k) => k.trim()))
  .parse()
  .opts<{
    n: number;
    runs: number;
    dialect: 'sqlite' | 'postgres' | 'all';
    only?: Section;
    scale?: boolean;
    clients: number;
    rate: number;
    seconds: number;
    futureRows: number;
    gwConcurrency: number;
    stall: number;
    rows?: string[];
  }>();

const admin = adminUrl();
const stallMs = opts.stall * 1000;

interface Planned extends Row {
  section: Section;
  needsPostgres: boolean;
  run: () => Promise<RunResult>;
}

const sf = (o: Omit<SeqflowRun, 'adminUrl' | 'stallMs'>) => () => runSeqflow({ ...o, adminUrl: admin, stallMs });
const gw = (load: GraphileRun['load']) => () => runGraphile({ adminUrl: admin, load, concurrency: opts.gwConcurrency, stallMs });
const drainLoad = { kind: 'drain' as const, n: opts.n, clients: opts.clients };
const pacedLoad = { kind: 'paced' as const, ratePerS: opts.rate, seconds: opts.seconds };
const DB = { sqlite: 'SQLite', postgres: 'PostgreSQL' } as const;
const k = (thousands: number) => (thousands >= 1e6 ? `${thousands / 1e6} M` : `${thousands / 1e3} k`);

function catalog(): Omit<Planned, 'results' | 'errors'>[] {
  const rows: Omit<Planned, 'results' | 'errors'>[] = [
    { section: 'drain', key: 'gw-batched', label: 'graphile-worker 0.17.3, addJobs batched (PostgreSQL)', needsPostgres: true, run: gw({ kind: 'batched', n: opts.n }) },
    { section: 'drain', key: 'gw-unbatched', label: `graphile-worker 0.17.3, addJob × ${opts.clients} callers (PostgreSQL)`, needsPostgres: true, base: 'gw-batched', run: gw({ kind: 'unbatched', n: opts.n, clients: opts.clients }) },
    { section: 'paced', key: 'gw-paced', label: `graphile-worker 0.17.3, addJob at ${opts.rate}/s (PostgreSQL)`, needsPostgres: true, run: gw(pacedLoad) },
  ];
  for (const d of ['sqlite', 'postgres'] as const) {
    if (opts.dialect !== 'all' && opts.dialect !== d) continue;
    const pg = d === 'postgres';
    rows.push(
      { section: 'drain', key: `sf-${d}`, label: `Seqflow ${DB[d]}, one process`, needsPostgres: pg, base: 'gw-batched', run: sf({ dialect: d, load: drainLoad, workers: 0, futureRows: 0 }) },
      { section: 'paced', key: `sf-${d}-paced`, label: `Seqflow ${DB[d]}, one process, ${opts.rate}/s`, needsPostgres: pg, base: 'gw-paced', run: sf({ dialect: d, load: pacedLoad, workers: 0, futureRows: 0 }) },
      {
        section: 'drain',
        key: `sf-${d}-portal`,
        label: `Seqflow ${DB[d]}, one process, a team's portal (${TEAM_PORTAL.properties} properties, ${TEAM_PORTAL.workflows} workflows, ${TEAM_PORTAL.lists} lists)`,
        needsPostgres: pg,
        base: `sf-${d}`,
        run: sf({ dialect: d, load: drainLoad, workers: 0, futureRows: 0, portal: TEAM_PORTAL }),
      },
      {
        section: 'scale',
        key: `sf-${d}-future`,
        label: `Seqflow ${DB[d]}, one process, ${k(opts.futureRows)} future steps + contacts`,
        needsPostgres: pg,
        base: `sf-${d}`,
        run: sf({ dialect: d, load: drainLoad, workers: 0, futureRows: opts.futureRows }),
      },
    );
    if (pg) {
      for (const w of [1, 2, 4]) {
        rows.push({ section: 'workers', key: `sf-pg-w${w}`, label: `Seqflow PostgreSQL, API + ${w} worker process${w > 1 ? 'es' : ''}`, needsPostgres: true, base: 'sf-postgres', run: sf({ dialect: d, load: drainLoad, workers: w, futureRows: 0 }) });
      }
    } else {
      // Memory against speed: the same drain with the heap kept small (README, "Memory").
      rows.push({ section: 'drain', key: 'sf-sqlite-lean', label: 'Seqflow SQLite, one process, SEQFLOW_LEAN_HEAP', needsPostgres: false, base: 'sf-sqlite', run: sf({ dialect: d, load: drainLoad, workers: 0, futureRows: 0, leanHeap: true }) });
    }
  }
  return rows;
}

async function main(): Promise<void> {
  const loadAtStart = os.loadavg();
  const startedAt = new Date();
  const wanted = new Set<Section>(opts.only ? [opts.only] : ['drain', 'paced', 'workers', ...(opts.scale ? (['scale'] as const) : [])]);
  const problem = await unreachableReason(admin);
  const notes: string[] = [];
  if (problem) notes.push(`PostgreSQL rows SKIPPED (graphile-worker baseline included): ${redact(admin)} is unreachable (${problem}); set SEQFLOW_BENCH_DATABASE_URL.`);
  const all = catalog().filter((r) => !(r.needsPostgres && problem) && (!opts.rows || opts.rows.includes(r.key)));
  const byKey = new Map(all.map((r) => [r.key, r]));
  const planned: Planned[] = [];
  const add = (r: (typeof all)[number], section: Section) => {
    if (planned.some((p) => p.key === r.key)) return;
    // A ratio's base row runs in the same invocation even when its own section was not asked for.
    if (r.base && byKey.has(r.base)) add(byKey.get(r.base)!, section);
    planned.push({ ...r, section, results: [], errors: [] });
  };
  for (const s of SECTIONS) if (wanted.has(s)) for (const r of all.filter((x) => x.section === s)) add(r, s);

  console.log(machineHeader({ n: opts.n, runs: opts.runs, startedAt, loadAtStart }).join('\n'));
  // Interleaved (run 1 of every row, then run 2 …) so a noisy minute on the shared machine
  // lands on every row rather than on all runs of one.
  for (let run = 1; run <= opts.runs; run++) {
    for (const r of planned) {
      process.stderr.write(`[run ${run}/${opts.runs}] ${r.label} … `);
      try {
        const x = await r.run();
        r.results.push(x);
        process.stderr.write(`${x.perSec.toFixed(1)}/s, p50 ${x.p50Ms} ms, p99 ${x.p99Ms} ms, ${x.accepted}/${x.offered} accepted\n`);
      } catch (err) {
        const msg = err instanceof Error ? err.message : String(err);
        r.errors.push(msg.split('\n')[0]);
        process.stderr.write(`FAILED: ${msg}\n`);
      }
    }
  }

  const rows = new Map<string, Row>(planned.map((r) => [r.key, r]));
  const body: string[] = [];
  const section = (s: Section, title: string, lines: string[]) => {
    if (lines.length > 2) body.push('', `### ${title}`, '', ...lines);
  };
  const of = (s: Section) => planned.filter((r) => r.section === s);
  section('drain', `1. drain: ${opts.n} submissions (jobs) from ${opts.clients} clients`, throughputTable(of('drain'), rows, opts.runs, (b) => b.label.replace(/ \(PostgreSQL\)$/, '')));
  section('paced', `2. paced: ${opts.rate}/s for ${opts.seconds} s, submission (addJob) → SMTP 250`, latencyTable(of('paced'), rows, opts.runs));
  section('workers', `3. workers: PostgreSQL, separate processes, drain of ${opts.n}`, throughputTable(of('workers'), rows, opts.runs, (b) => b.label));
  section('scale', `4. scale: drain of ${opts.n} with ${k(opts.futureRows)} future-dated steps (and as many contacts) in the tables`, throughputTable(of('scale'), rows, opts.runs, (b) => b.label));
  body.push('', '### Runs', '', ...runDetails(planned), ...notes.map((n) => `- ${n}`));

  const header = machineHeader({ n: opts.n, runs: opts.runs, startedAt, loadAtStart, loadAtEnd: os.loadavg() });
  console.log(['', ...header, ...body].join('\n'));
  const out = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results', 'latest.md');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, ['# Seqflow benchmark: form → workflow → enrolled → SMTP 250', '', ...header, ...body, ''].join('\n'));
  console.log(`\nwritten to ${path.relative(process.cwd(), out)}`);
  process.exitCode = planned.some((r) => r.errors.length) ? 1 : 0;
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

await main();
