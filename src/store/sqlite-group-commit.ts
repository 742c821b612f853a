import { sql, type Kysely } from 'kysely';
import type { Schema } from './schema.js';

type Body<T> = (tx: Kysely<Schema>) => Promise<T>;
interface Member {
  fn: Body<unknown>;
  resolve(value: unknown): void;
  reject(err: unknown): void;
}

/** A group's most members: more would hold the write lock (other processes wait) for long. */
const MAX_GROUP = 32;
const SAVEPOINT = 'seqflow_group_member';

/**
 * Group commit for SQLite's one connection. A COMMIT writes every page the transaction dirtied to
 * the log, and the four transactions of a form → email pipeline touch the same table and index
 * pages, so one commit for several of them writes each page once (docs/decisions.md "Group commit
 * on SQLite, kept"). A group starts on the next setImmediate, once this turn's HTTP and SMTP
 * callbacks have asked for their transactions too; those asked for while it runs form the next.
 *
 * What each caller sees is unchanged: its body runs alone (one after another on the connection),
 * its promise settles only after the group's COMMIT, and a body that throws has its writes rolled
 * back to its savepoint while the others go on. When the transaction as a whole fails (BEGIN,
 * COMMIT, or a rollback to a savepoint), nothing of the group is written and every member that had
 * not already failed is told so.
 */
export function createGroupCommit(kysely: Kysely<Schema>, runBody: <T>(conn: Kysely<Schema>, fn: Body<T>) => Promise<T>, committed: () => void) {
  const queue: Member[] = [];
  let draining = false;

  // Settling a member twice is harmless: a promise keeps its first outcome.
  const failAll = (group: Member[], err: unknown) => group.forEach((member) => member.reject(err));

  async function runGroup(group: Member[]): Promise<void> {
    await kysely.connection().execute(async (conn) => {
      const done: Member[] = [];
      const results: unknown[] = [];
      try {
        await sql`begin immediate`.execute(conn);
        for (const member of group) {
          await sql.raw(`savepoint ${SAVEPOINT}`).execute(conn);
          let result: unknown;
          try {
            result = await runBody(conn, member.fn);
          } catch (err) {
            await sql.raw(`rollback to savepoint ${SAVEPOINT}`).execute(conn);
            await sql.raw(`release savepoint ${SAVEPOINT}`).execute(conn);
            member.reject(err);
            continue;
          }
          await sql.raw(`release savepoint ${SAVEPOINT}`).execute(conn);
          done.push(member);
          results.push(result);
        }
        await sql`commit`.execute(conn);
      } catch (err) {
        await sql`rollback`.execute(conn).catch(() => undefined);
        failAll(group, err);
        return;
      }
      committed();
      done.forEach((member, i) => member.resolve(results[i]));
    });
  }

  async function drain(): Promise<void> {
    try {
      while (queue.length > 0) {
        const group = queue.splice(0, MAX_GROUP);
        await runGroup(group).catch((err) => failAll(group, err));
      }
    } finally {
      draining = false;
    }
  }

  return <T>(fn: Body<T>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      queue.push({ fn: fn as Body<unknown>, resolve: resolve as (value: unknown) => void, reject });
      if (!draining) {
        draining = true;
        setImmediate(() => void drain());
      }
    });
}
