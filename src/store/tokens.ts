import crypto from 'node:crypto';
import type { Db } from './database.js';
import { prepared } from './prepared.js';
import { memoCatalog } from './transaction-memo.js';

export const hashToken = (token: string): string => crypto.createHash('sha256').update(token).digest('hex');

export async function insertToken(db: Db, t: { name: string; token: string; userId: number | null; scopes: string[] }, now: number): Promise<number> {
  const r = await db
    .insertInto('api_tokens')
    .values({ name: t.name, token_hash: hashToken(t.token), user_id: t.userId, scopes: JSON.stringify(t.scopes), created_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

export async function findToken(db: Db, token: string): Promise<{ id: number; userId: number | null; scopes: string[] } | null> {
  const r = await db
    .selectFrom('api_tokens')
    .selectAll()
    .where('token_hash', '=', hashToken(token))
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return r ? { id: r.id, userId: r.user_id, scopes: JSON.parse(r.scopes) as string[] } : null;
}

export interface TokenRow {
  id: number;
  name: string;
  userId: number | null;
  scopes: string[];
  createdAt: number;
  revokedAt: number | null;
}

/** Tokens as listed: never the secret, never its hash. */
export async function listTokens(db: Db, o: { includeRevoked?: boolean } = {}): Promise<TokenRow[]> {
  let q = db.selectFrom('api_tokens').select(['id', 'name', 'user_id', 'scopes', 'created_at', 'revoked_at']).orderBy('id');
  if (!o.includeRevoked) q = q.where('revoked_at', 'is', null);
  const rows = await q.execute();
  return rows.map((r) => ({ id: r.id, name: r.name, userId: r.user_id, scopes: JSON.parse(r.scopes) as string[], createdAt: Number(r.created_at), revokedAt: r.revoked_at == null ? null : Number(r.revoked_at) }));
}

/** Revokes a live token; false when there is none with this id (or it was revoked already). */
export async function revokeToken(db: Db, id: number, now: number): Promise<boolean> {
  const r = await db.updateTable('api_tokens').set({ revoked_at: now }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function countTokens(db: Db): Promise<number> {
  const r = await db.selectFrom('api_tokens').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}

const settingValue = prepared((db, a: { key: string }) => db.selectFrom('settings').select('value').where('key', '=', a.key));

/** Kept across transactions while no setting changes (src/store/transaction-memo.ts): every new contact reads one. */
export function getSetting(db: Db, key: string): Promise<string | null> {
  return memoCatalog(db, 'settings', `setting:${key}`, async () => (await settingValue(db, { key })).rows[0]?.value ?? null);
}

/** Sets a value only when the key is absent; returns the value that holds afterwards. */
export async function ensureSetting(db: Db, key: string, value: string): Promise<string> {
  await db.insertInto('settings').values({ key, value }).onConflict((oc) => oc.column('key').doNothing()).execute();
  return (await getSetting(db, key)) ?? value;
}

export async function putSetting(db: Db, key: string, value: string): Promise<void> {
  await db.insertInto('settings').values({ key, value }).onConflict((oc) => oc.column('key').doUpdateSet({ value })).execute();
}
