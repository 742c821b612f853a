import type { Compilable, CompiledQuery, Kysely, QueryResult } from 'kysely';
import type { Db } from './database.js';
import type { Schema } from './schema.js';
import { noteWrite } from './transaction-memo.js';

/**
 * A statement of fixed shape that the engine runs on every form → email pipeline, built and
 * compiled by Kysely once per database and then run with new values. Building and compiling a
 * query is most of Kysely's cost (issue #11: ~14 % of the main thread in the pipeline's profile,
 * against ~1 µs for better-sqlite3 to run a cached statement), and these statements never change
 * shape: only their values do.
 *
 * `build` receives stand-ins for the values: each one must reach the SQL as a parameter (a value
 * compared, inserted or set), never as a list or an identifier. A stand-in that does not, or a
 * value that is not one, is a mistake the first run reports.
 */
export function prepared<A extends Record<string, unknown>, R>(build: (db: Kysely<Schema>, args: A) => Compilable<R>): (db: Db, args: A) => Promise<QueryResult<R>> {
  // One compilation per dialect adapter: the SQL text differs between SQLite and PostgreSQL.
  const plans = new WeakMap<object, Plan<R>>();
  return async (db, args) => {
    const adapter = db.getExecutor().adapter;
    let plan = plans.get(adapter);
    if (!plan) plans.set(adapter, (plan = compile(db, build)));
    noteWrite(plan.query.query);
    return db.executeQuery<R>({ ...plan.query, parameters: plan.slots.map((s) => (typeof s === 'string' ? args[s] : s.value)) });
  };
}

interface Plan<R> {
  query: CompiledQuery<R>;
  /** Per parameter: the argument's name, or a constant the query was built with. */
  slots: (string | { value: unknown })[];
}

class StandIn {
  constructor(readonly name: string) {}
}

function compile<A extends Record<string, unknown>, R>(db: Db, build: (db: Kysely<Schema>, args: A) => Compilable<R>): Plan<R> {
  const standIns = new Proxy({} as Record<string, StandIn>, {
    get: (target, name) => (typeof name === 'string' ? (target[name] ??= new StandIn(name)) : undefined),
  });
  const query = build(db, standIns as unknown as A).compile();
  const used = new Set<string>();
  const slots = query.parameters.map((p) => {
    if (!(p instanceof StandIn)) return { value: p };
    used.add(p.name);
    return p.name;
  });
  const lost = Object.keys(standIns).filter((name) => !used.has(name));
  if (lost.length) throw new Error(`prepared query: ${lost.join(', ')} did not become a parameter of ${query.sql}`);
  return { query, slots };
}
