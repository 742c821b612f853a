import crypto from 'node:crypto';
import type pg from 'pg';
import type { PostgresPool, PostgresPoolClient } from 'kysely';

/**
 * PostgreSQL parses and plans every unnamed statement again; a named one is parsed once per
 * connection and then only bound and run, which made a typical pipeline statement about a
 * quarter cheaper on loopback (docs/decisions.md "Prepared statements on PostgreSQL"). Every
 * statement the pipeline repeats gets a name derived from its text.
 *
 * A name lives on its connection for the connection's life, so only statements seen `minUses`
 * times get one, and at most `maxNames` per process: a text built once (an IN list of some
 * length, a bulk insert) stays unnamed. Statements without parameters (BEGIN, SAVEPOINT) gain
 * nothing and stay unnamed.
 */
export function withPreparedStatements(pool: pg.Pool, opts: { maxNames?: number; minUses?: number } = {}): PostgresPool {
  const maxNames = opts.maxNames ?? 300;
  const minUses = opts.minUses ?? 3;
  const names = new Map<string, string>();
  const uses = new Map<string, number>();
  let renamed = 0;

  const nameFor = (text: string): string | null => {
    const known = names.get(text);
    if (known) return known;
    if (names.size >= maxNames) return null;
    const n = (uses.get(text) ?? 0) + 1;
    if (n < minUses) {
      // Counts of texts that never come back are dropped wholesale rather than kept forever.
      if (uses.size >= 10 * maxNames) uses.clear();
      uses.set(text, n);
      return null;
    }
    uses.delete(text);
    const name = `sf_${crypto.createHash('sha1').update(text).digest('base64url').slice(0, 16)}`;
    names.set(text, name);
    return name;
  };

  const wrap = (client: pg.PoolClient): PostgresPoolClient => {
    const run = async (text: string, values: unknown[]) => {
      const name = values.length > 0 ? nameFor(text) : null;
      if (!name) return client.query(text, values);
      try {
        return await client.query({ name, text, values });
      } catch (err) {
        // A table altered since this connection prepared `select *` on it: PostgreSQL refuses the
        // old plan ("cached plan must not change result type"). The text gets a new name; the retry
        // fails inside a transaction (already aborted), and then the original error is the one to see.
        if ((err as { code?: string }).code !== '0A000') throw err;
        const fresh = `${name}_${++renamed}`;
        names.set(text, fresh);
        return client.query({ name: fresh, text, values }).catch(() => Promise.reject(err));
      }
    };
    return {
      query: ((textOrCursor: unknown, values?: readonly unknown[]) =>
        typeof textOrCursor === 'string' ? run(textOrCursor, [...(values ?? [])]) : client.query(textOrCursor as pg.Submittable)) as unknown as PostgresPoolClient['query'],
      release: (destroy?: boolean) => client.release(destroy),
    };
  };

  return {
    connect: async () => wrap(await pool.connect()),
    end: () => pool.end(),
  };
}
