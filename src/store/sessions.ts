import type { Db } from './database.js';
import { hashToken } from './tokens.js';

export async function setPasswordHash(db: Db, userId: number, hash: string): Promise<void> {
  await db.updateTable('users').set({ password_hash: hash }).where('id', '=', userId).execute();
}

export async function getPasswordHash(db: Db, userId: number): Promise<string | null> {
  const r = await db.selectFrom('users').select('password_hash').where('id', '=', userId).executeTakeFirst();
  return r?.password_hash ?? null;
}

export async function countAdmins(db: Db): Promise<number> {
  const r = await db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).where('role', '=', 'admin').where('deleted_at', 'is', null).executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function insertSession(db: Db, token: string, userId: number, now: number, ttlMs: number): Promise<void> {
  await db.insertInto('sessions').values({ token_hash: hashToken(token), user_id: userId, created_at: now, expires_at: now + ttlMs }).execute();
}

export async function findSession(db: Db, token: string, now: number): Promise<{ userId: number } | null> {
  const r = await db.selectFrom('sessions').select('user_id').where('token_hash', '=', hashToken(token)).where('expires_at', '>', now).executeTakeFirst();
  return r ? { userId: r.user_id } : null;
}

export async function deleteSession(db: Db, token: string): Promise<void> {
  await db.deleteFrom('sessions').where('token_hash', '=', hashToken(token)).execute();
}
