import { sql, type Kysely } from 'kysely';
import type { Schema } from './schema.js';

type Body<T> = (tx: Kysely<Schema>) => Promise<T>;
/** What the database does around a group's one transaction. */
export interface GroupHooks {
  /** The group's transaction began, or a member's writes were just rolled back: what was read before no longer holds. */
  fresh(conn: Kysely<Schema>): void;
  /** The group is over, committed or not. */
  over(conn: Kysely<Schema>): void;
  /** The group's COMMIT succeeded. */
  committed(): void;
}
interface Member {
  fn: Body<unknown>;
  resolve(value: unknown): void;
  reject(err: unknown): void;
}

/** A group's most members: more would hold the write lock (other processes wait) for long. */
const MAX_GROUP = 32;
const SAVE = sql.raw('savepoint seqflow_group_member');
const ROLLBACK_TO = sql.raw('rollback to savepoint seqflow_group_member');
const RELEASE = sql.raw('release savepoint seqflow_group_member');

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
 *
 * The members share one transaction, so they share what `hooks.fresh` scopes to it (the database's
 * transaction memo, src/store/transaction-memo.ts): settings one member read, the next need not
 * read again. A member that throws calls `fresh` again, as its rolled-back writes may be in it.
 */
export function createGroupCommit(kysely: Kysely<Schema>, hooks: GroupHooks) {
  const queue: Member[] = [];
  let draining = false;

  // Settling a member twice is harmless: a promise keeps its first outcome.
  const failAll = (group: Member[], err: unknown) => group.forEach((member) => member.reject(err));

  async function runGroup(group: Member[]): Promise<void> {
    await kysely.connection().execute(async (conn) => {
      const done: Member[] = [];
      const results: unknown[] = [];
      // A member alone needs no savepoint: when it throws, the whole transaction is its to roll back.
      const lone = group.length === 1;
      try {
        await sql`begin immediate`.execute(conn);
        hooks.fresh(conn);
        for (const member of group) {
          if (!lone) await SAVE.execute(conn);
          let result: unknown;
          try {
            result = await member.fn(conn);
          } catch (err) {
            if (lone) throw err;
            await ROLLBACK_TO.execute(conn);
            await RELEASE.execute(conn);
            hooks.fresh(conn);
            member.reject(err);
            continue;
          }
          if (!lone) await RELEASE.execute(conn);
          done.push(member);
          results.push(result);
        }
        await sql`commit`.execute(conn);
      } catch (err) {
        await sql`rollback`.execute(conn).catch(() => undefined);
        failAll(group, err);
        return;
      } finally {
        hooks.over(conn);
      }
      hooks.committed();
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
