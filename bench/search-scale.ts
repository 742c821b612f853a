/**
 * CRM contact search at scale (issue #11): N contacts with varied properties, then searches
 * through the HTTP API (Fastify inject, as a client would call it) filtering on email,
 * lifecyclestage and a custom number property, with sorts, `query` and paging. Prints p50/p99
 * per kind of search and overall, and peak RSS.
 *
 *   npx tsx bench/search-scale.ts --contacts 1000000 --dialect sqlite|postgres|all [--searches 200] [--compare] [--keep]
 *
 * --keep seeds into a fixed place (a directory under the OS temp dir; a database named for N on
 * PostgreSQL), leaves it there and reuses it when it already holds N contacts: seeding 1,000,000
 * takes minutes, so comparing search changes is quicker against the same seeded data.
 * --compare also times the evaluator path (every live contact read and filtered in JS) on the
 * same data, for a few searches; it takes seconds a search at 1,000,000, so use it at 100,000.
 * Contacts are written straight into the store in multi-row batches (the rows the contacts API
 * writes, minus property history, which search never reads), not through the API one by one.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import pino from 'pino';
import { sql } from 'kysely';
import { startSeqflow, type Seqflow } from '../src/server.js';
import { indexContacts } from '../src/store/contact-search-index.js';
import { listContacts } from '../src/store/contacts.js';
import { searchRecords } from '../src/services/contact-search.js';
import { comparisonTypes } from '../src/services/properties.js';
import { contactProperties } from '../src/domain/properties.js';
import type { Contact } from '../src/domain/glossary.js';
import { adminUrl, createTempDatabase, keptDatabase, unreachableReason } from './postgres.js';

type Dialect = 'sqlite' | 'postgres';

function args() {
  const a = process.argv.slice(2);
  const get = (name: string) => {
    const i = a.indexOf(`--${name}`);
    return i >= 0 ? a[i + 1] : undefined;
  };
  const dialect = get('dialect') ?? 'sqlite';
  if (!['sqlite', 'postgres', 'all'].includes(dialect)) throw new Error('--dialect must be sqlite, postgres or all');
  return {
    n: Number(get('contacts') ?? 100_000),
    searches: Number(get('searches') ?? 200),
    dialects: (dialect === 'all' ? ['sqlite', 'postgres'] : [dialect]) as Dialect[],
    compare: a.includes('--compare'),
    keep: a.includes('--keep'),
  };
}

const STAGES = ['subscriber', 'lead', 'marketingqualifiedlead', 'salesqualifiedlead', 'opportunity', 'customer', 'evangelist', 'other'];
const FIRST = ['Jane', 'John', 'Maria', 'Ahmed', 'Wei', 'Olga', 'Pierre', 'Zoë', 'Sam', 'Priya', 'Lars', 'Ana'];
const LAST = ['Doe', 'Smith', 'Nowak', 'Garcia', 'Chen', 'Müller', 'Kowalski', 'Rossi', 'Khan', 'Silva'];
const DOMAINS = 1000;

// Deterministic, so runs compare.
function lcg(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

const emailOf = (i: number) => `lead${i}@company${i % DOMAINS}.example`;

function contactProps(i: number, r: () => number): Record<string, string> {
  const p: Record<string, string> = {
    email: emailOf(i),
    firstname: FIRST[Math.floor(r() * FIRST.length)]!,
    lastname: LAST[Math.floor(r() * LAST.length)]!,
    company: `Company ${i % DOMAINS}`,
    lifecyclestage: STAGES[Math.floor(r() * STAGES.length)]!,
  };
  // The custom number property is set on 90 %; the custom text one on half.
  if (r() < 0.9) p.deal_score = String(Math.floor(r() * 10_000));
  if (r() < 0.5) p.region = ['north', 'south', 'east', 'west'][Math.floor(r() * 4)]!;
  return p;
}

async function seed(sf: Seqflow, n: number): Promise<number> {
  const db = sf.db;
  const r = lcg(42);
  const t0 = Date.UTC(2024, 0, 1);
  const started = performance.now();
  const BATCH = 5000;
  for (let start = 0; start < n; start += BATCH) {
    const props = Array.from({ length: Math.min(BATCH, n - start) }, (_, j) => contactProps(start + j, r));
    await db.transaction(async (tx) => {
      const created: { id: number; properties: Record<string, string> }[] = [];
      for (let i = 0; i < props.length; i += 1000) {
        const rows = props.slice(i, i + 1000).map((p, j) => {
          const at = t0 + (start + i + j) * 60_000;
          return { email: p.email, email_key: p.email.toLowerCase(), properties: JSON.stringify(p), created_at: at, updated_at: at };
        });
        const ids = await tx.insertInto('contacts').values(rows).returning('id').execute();
        ids.forEach((row, j) => created.push({ id: row.id, properties: props[i + j]! }));
      }
      await indexContacts(tx, created);
    });
    if ((start / BATCH) % 20 === 0) process.stderr.write(`  seeded ${start + props.length} (${((performance.now() - started) / 1000).toFixed(0)} s)\n`);
  }
  return performance.now() - started;
}

interface Search {
  kind: string;
  body: Record<string, unknown>;
}

function searches(n: number, count: number): Search[] {
  const r = lcg(7);
  const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)]!;
  const out: Search[] = [];
  const kinds: (() => Search)[] = [
    () => ({ kind: 'email EQ', body: { filterGroups: [{ filters: [{ propertyName: 'email', operator: 'EQ', value: emailOf(Math.floor(r() * n)).toUpperCase() }] }] } }),
    () => ({
      kind: 'stage EQ, sort createdate desc',
      body: { filterGroups: [{ filters: [{ propertyName: 'lifecyclestage', operator: 'EQ', value: pick(STAGES) }] }], sorts: [{ propertyName: 'createdate', direction: 'DESCENDING' }], limit: 100 },
    }),
    () => ({
      kind: 'custom GTE + stage IN, sort custom, page',
      body: {
        filterGroups: [
          {
            filters: [
              { propertyName: 'deal_score', operator: 'GTE', value: String(Math.floor(r() * 10_000)) },
              { propertyName: 'lifecyclestage', operator: 'IN', values: [pick(STAGES), pick(STAGES)] },
            ],
          },
        ],
        sorts: ['deal_score'],
        limit: 50,
        after: String(50 * Math.floor(r() * 20)),
      },
    }),
    () => ({
      kind: 'email domain token, sort lastname',
      body: { filterGroups: [{ filters: [{ propertyName: 'email', operator: 'CONTAINS_TOKEN', value: `*@company${Math.floor(r() * DOMAINS)}.example` }] }], sorts: ['lastname'], limit: 20 },
    }),
    () => ({
      kind: 'custom BETWEEN or region, stage NEQ',
      body: {
        filterGroups: [
          { filters: [{ propertyName: 'deal_score', operator: 'BETWEEN', value: '100', highValue: String(100 + Math.floor(r() * 50)) }] },
          { filters: [{ propertyName: 'region', operator: 'EQ', value: 'north' }, { propertyName: 'lifecyclestage', operator: 'NEQ', value: 'customer' }] },
        ],
        limit: 100,
      },
    }),
    () => ({ kind: 'query prefix', body: { query: `lead${Math.floor(r() * n)}`, limit: 10 } }),
  ];
  for (let i = 0; i < count; i++) out.push(kinds[i % kinds.length]!());
  return out;
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length))) - 1] ?? NaN;
const fmt = (ms: number) => `${ms.toFixed(1)} ms`;

async function runDialect(dialect: Dialect, o: ReturnType<typeof args>) {
  const dataDir = o.keep ? path.join(os.tmpdir(), `seqflow-search-bench-${o.n}`) : fs.mkdtempSync(path.join(os.tmpdir(), 'seqflow-search-bench-'));
  fs.mkdirSync(dataDir, { recursive: true });
  const temp = dialect === 'postgres' ? await (o.keep ? keptDatabase(adminUrl(), `seqflow_search_bench_${o.n}`) : createTempDatabase(adminUrl())) : null;
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  const sf = await startSeqflow({ role: 'api', port: 0, host: '127.0.0.1', dataDir, databaseUrl: temp?.url, devSmtpPort: null, adminToken: 'bench', accountTimeZone: 'UTC', logger: pino({ level: 'error' }) });
  try {
    const api = async (method: string, url: string, body?: unknown) => {
      const res = await sf.app!.inject({ method: method as 'POST', url, payload: body as object, headers: { authorization: 'Bearer bench', 'content-type': 'application/json' } });
      return { status: res.statusCode, body: res.json() as Record<string, unknown> };
    };
    const { n: seeded } = await sf.db.kysely.selectFrom('contacts').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const reuse = o.keep && Number(seeded) === o.n;
    for (const def of reuse ? [] : [
      { name: 'deal_score', label: 'Deal score', type: 'number', fieldType: 'number', groupName: 'contactinformation' },
      { name: 'region', label: 'Region', type: 'string', fieldType: 'text', groupName: 'contactinformation' },
    ]) {
      const r = await api('POST', '/crm/v3/properties/contacts', def);
      if (r.status !== 201) throw new Error(`property ${def.name}: ${r.status} ${JSON.stringify(r.body)}`);
    }
    if (reuse) console.log(`\n[${dialect}] reusing ${o.n.toLocaleString()} contacts seeded before (--keep)`);
    else {
      if (Number(seeded) !== 0) throw new Error(`${dataDir}: holds ${seeded} contacts, not ${o.n}; remove it or its database`);
      console.log(`\n[${dialect}] seeding ${o.n.toLocaleString()} contacts…`);
      const seedMs = await seed(sf, o.n);
      console.log(`[${dialect}] seeded in ${(seedMs / 1000).toFixed(1)} s (${Math.round(o.n / (seedMs / 1000)).toLocaleString()} contacts/s)`);
    }
    // Fresh statistics, and on PostgreSQL the visibility map index-only scans need, as autovacuum
    // would have them on a database that grew over time.
    await sql.raw(dialect === 'postgres' ? 'vacuum analyze' : 'analyze').execute(sf.db.kysely);

    const plan = searches(o.n, o.searches);
    // One warm-up of each kind: first-use planning and page cache, not what a running server sees.
    for (const s of plan.slice(0, 6)) await api('POST', '/crm/v3/objects/contacts/search', s.body);
    const byKind = new Map<string, number[]>();
    const all: number[] = [];
    for (const s of plan) {
      const t = performance.now();
      const r = await api('POST', '/crm/v3/objects/contacts/search', s.body);
      const ms = performance.now() - t;
      if (r.status !== 200) throw new Error(`${s.kind}: ${r.status} ${JSON.stringify(r.body)}`);
      all.push(ms);
      byKind.set(s.kind, [...(byKind.get(s.kind) ?? []), ms]);
    }
    all.sort((a, b) => a - b);
    console.log(`[${dialect}] ${plan.length} searches over ${o.n.toLocaleString()} contacts through HTTP: p50 ${fmt(pct(all, 50))}, p99 ${fmt(pct(all, 99))}, max ${fmt(all[all.length - 1]!)}`);
    for (const [kind, xs] of byKind) {
      xs.sort((a, b) => a - b);
      console.log(`    ${kind.padEnd(42)} n=${String(xs.length).padStart(3)}  p50 ${fmt(pct(xs, 50)).padStart(9)}  p99 ${fmt(pct(xs, 99)).padStart(9)}`);
    }

    if (o.compare) {
      // The evaluator path as it was: every live contact read in 2,000-row batches and filtered in JS.
      const types = await comparisonTypes(sf.db.kysely, 'contacts');
      const times: number[] = [];
      for (const s of plan.slice(0, 12)) {
        const t = performance.now();
        const rows: Contact[] = [];
        for (let after = 0; ; ) {
          const batch = await listContacts(sf.db.kysely, { after, limit: 2000 });
          if (!batch.length) break;
          rows.push(...batch);
          after = batch[batch.length - 1]!.id;
        }
        const b = s.body as { filterGroups?: unknown[]; sorts?: unknown[]; query?: string; limit?: number; after?: string };
        searchRecords(rows, contactProperties, { filterGroups: b.filterGroups ?? [], sorts: b.sorts ?? [], query: b.query, limit: b.limit ?? 10, after: b.after }, types);
        times.push(performance.now() - t);
      }
      times.sort((a, b) => a - b);
      console.log(`[${dialect}] evaluator path (before), ${times.length} searches: p50 ${fmt(pct(times, 50))}, max ${fmt(times[times.length - 1]!)}`);
    }
    peak = Math.max(peak, process.memoryUsage().rss);
    console.log(`[${dialect}] peak RSS ${(peak / 2 ** 20).toFixed(0)} MiB`);
  } finally {
    clearInterval(sampler);
    await sf.close();
    if (!o.keep) {
      await temp?.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }
}

const o = args();
for (const d of o.dialects) {
  if (d === 'postgres') {
    const why = await unreachableReason(adminUrl());
    if (why) {
      console.log(`[postgres] skipped: ${adminUrl()} unreachable (${why})`);
      continue;
    }
  }
  await runDialect(d, o);
}
