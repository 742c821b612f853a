import type { Db } from './database.js';

/** Until when `key` may not try to sign in (0 when it may now). */
export async function blockedUntil(db: Db, key: string): Promise<number> {
  const r = await db.selectFrom('sign_in_attempts').select('blocked_until').where('key', '=', key).executeTakeFirst();
  return r ? Number(r.blocked_until) : 0;
}

/**
 * Counts one failure for `key` atomically (several API processes share the row) and returns the
 * new count; a count untouched since `forgetBefore` starts over.
 */
export async function countFailure(db: Db, key: string, now: number, forgetBefore: number): Promise<number> {
  const r = await db
    .insertInto('sign_in_attempts')
    .values({ key, failures: 1, blocked_until: 0, updated_at: now })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet((eb) => ({
        failures: eb
          .case()
          .when('sign_in_attempts.updated_at', '<', forgetBefore)
          .then(1)
          .else(eb('sign_in_attempts.failures', '+', 1))
          .end(),
        updated_at: now,
      })),
    )
    .returning('failures')
    .executeTakeFirstOrThrow();
  return Number(r.failures);
}

/** Extends the block to `until`; never shortens one a concurrent failure set further out. */
export async function blockUntil(db: Db, key: string, until: number): Promise<void> {
  await db.updateTable('sign_in_attempts').set({ blocked_until: until }).where('key', '=', key).where('blocked_until', '<', until).execute();
}

export async function clearAttempts(db: Db, keys: string[]): Promise<void> {
  if (keys.length) await db.deleteFrom('sign_in_attempts').where('key', 'in', keys).execute();
}

/** Drops counts nobody touched since `before`, so guesses at made-up addresses do not pile up. */
export async function forgetAttempts(db: Db, before: number): Promise<void> {
  await db.deleteFrom('sign_in_attempts').where('updated_at', '<', before).execute();
}
