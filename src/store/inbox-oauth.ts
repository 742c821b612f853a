import type { Db } from './database.js';
import { prepared } from './prepared.js';

export type OAuthState = 'connected' | 'reconnect' | 'admin' | 'retrying';

export interface InboxOAuth {
  inboxId: number;
  provider: string;
  login: string;
  subject: string;
  scopes: string;
  /** Sealed. */
  refreshToken: string | null;
  /** Sealed. */
  accessToken: string | null;
  accessExpiresAt: number | null;
  state: OAuthState;
  stateCode: string | null;
  stateMessage: string | null;
  stateSince: number | null;
  version: number;
}

type Row = Awaited<ReturnType<typeof selectRow>>;
const rowOf = prepared((db, a: { inboxId: number }) => db.selectFrom('inbox_oauth').selectAll().where('inbox_id', '=', a.inboxId));
const selectRow = async (db: Db, inboxId: number) => (await rowOf(db, { inboxId })).rows[0];

const toInboxOAuth = (r: NonNullable<Row>): InboxOAuth => ({
  inboxId: r.inbox_id,
  provider: r.provider,
  login: r.login,
  subject: r.subject,
  scopes: r.scopes,
  refreshToken: r.refresh_token,
  accessToken: r.access_token,
  accessExpiresAt: r.access_expires_at === null ? null : Number(r.access_expires_at),
  state: r.state as OAuthState,
  stateCode: r.state_code,
  stateMessage: r.state_message,
  stateSince: r.state_since === null ? null : Number(r.state_since),
  version: Number(r.version),
});

export async function getInboxOAuth(db: Db, inboxId: number): Promise<InboxOAuth | null> {
  const r = await selectRow(db, inboxId);
  return r ? toInboxOAuth(r) : null;
}

export async function listInboxOAuth(db: Db, inboxIds: number[]): Promise<InboxOAuth[]> {
  if (!inboxIds.length) return [];
  return (await db.selectFrom('inbox_oauth').selectAll().where('inbox_id', 'in', inboxIds).execute()).map(toInboxOAuth);
}

export async function listInboxOAuthOfProvider(db: Db, provider: string): Promise<InboxOAuth[]> {
  return (await db.selectFrom('inbox_oauth').selectAll().where('provider', '=', provider).execute()).map(toInboxOAuth);
}

/** A (re)connect: fresh tokens, state connected, any refresh lease dropped. */
export async function saveConnectedOAuth(
  db: Db,
  v: { inboxId: number; provider: string; login: string; subject: string; scopes: string; refreshToken: string | null; accessToken: string; accessExpiresAt: number },
  now: number,
): Promise<void> {
  const values = {
    provider: v.provider,
    login: v.login,
    subject: v.subject,
    scopes: v.scopes,
    refresh_token: v.refreshToken,
    access_token: v.accessToken,
    access_expires_at: v.accessExpiresAt,
    state: 'connected',
    state_code: null,
    state_message: null,
    state_since: null,
    lease_owner: null,
    lease_until: null,
    updated_at: now,
  };
  await db
    .insertInto('inbox_oauth')
    .values({ inbox_id: v.inboxId, ...values })
    .onConflict((oc) => oc.column('inbox_id').doUpdateSet((eb) => ({ ...values, version: eb('inbox_oauth.version', '+', 1) })))
    .execute();
}

/** Takes the right to refresh this inbox's token; only one worker holds it until it expires. */
export async function claimRefreshLease(db: Db, inboxId: number, owner: string, now: number, leaseMs: number): Promise<boolean> {
  const r = await db
    .updateTable('inbox_oauth')
    .set({ lease_owner: owner, lease_until: now + leaseMs })
    .where('inbox_id', '=', inboxId)
    .where((eb) => eb.or([eb('lease_owner', 'is', null), eb('lease_owner', '=', owner), eb('lease_until', '<', now)]))
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function releaseRefreshLease(db: Db, inboxId: number, owner: string): Promise<void> {
  await db.updateTable('inbox_oauth').set({ lease_owner: null, lease_until: null }).where('inbox_id', '=', inboxId).where('lease_owner', '=', owner).execute();
}

/**
 * Saves a refresh's result under the lease that made it, in one statement: a rotated refresh
 * token is stored before the new access token is handed to anyone. False when the lease was lost.
 */
export async function saveRefreshed(
  db: Db,
  inboxId: number,
  owner: string,
  v: { accessToken: string; accessExpiresAt: number; refreshToken?: string; scopes?: string },
  now: number,
): Promise<boolean> {
  const r = await db
    .updateTable('inbox_oauth')
    .set((eb) => ({
      access_token: v.accessToken,
      access_expires_at: v.accessExpiresAt,
      ...(v.refreshToken !== undefined && { refresh_token: v.refreshToken }),
      ...(v.scopes !== undefined && { scopes: v.scopes }),
      lease_owner: null,
      lease_until: null,
      version: eb('version', '+', 1),
      updated_at: now,
    }))
    .where('inbox_id', '=', inboxId)
    .where('lease_owner', '=', owner)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/**
 * Records lost (or regained) access. `now` (business time) dates the incident; updated_at is wall
 * clock, compared with the watcher's sync times to resume only after replies were read. Returns true when this call began an incident — the inbox
 * was connected — so that exactly one caller, of any number of workers, tells people about it.
 */
export async function setOAuthState(
  db: Db,
  inboxId: number,
  v: { state: OAuthState; code: string | null; message: string | null },
  now: number,
): Promise<boolean> {
  if (v.state === 'connected') {
    const r = await db
      .updateTable('inbox_oauth')
      .set({ state: 'connected', state_code: null, state_message: null, state_since: null, updated_at: Date.now() })
      .where('inbox_id', '=', inboxId)
      .where('state', '<>', 'connected')
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }
  const began = await db
    .updateTable('inbox_oauth')
    .set({ state: v.state, state_code: v.code, state_message: v.message, state_since: now, updated_at: Date.now() })
    .where('inbox_id', '=', inboxId)
    .where('state', '=', 'connected')
    .executeTakeFirst();
  if (Number(began.numUpdatedRows) > 0) return true;
  // Already in an incident: it may change kind (retrying → reconnect), but it is the same incident.
  await db.updateTable('inbox_oauth').set({ state: v.state, state_code: v.code, state_message: v.message, updated_at: Date.now() }).where('inbox_id', '=', inboxId).execute();
  return false;
}

export async function insertOAuthPending(
  db: Db,
  v: { state: string; userId: number; inboxId: number | null; provider: string; codeVerifier: string; nonce: string; aliases: string[]; expiresAt: number },
): Promise<void> {
  await db
    .insertInto('oauth_pending')
    .values({ state: v.state, user_id: v.userId, inbox_id: v.inboxId, provider: v.provider, code_verifier: v.codeVerifier, nonce: v.nonce, aliases: JSON.stringify(v.aliases), expires_at: v.expiresAt })
    .execute();
}

/** The pending authorization for `state`, removed so that it is used at most once; null if unknown or expired. */
export async function takeOAuthPending(db: Db, state: string, now: number) {
  const r = await db.selectFrom('oauth_pending').selectAll().where('state', '=', state).executeTakeFirst();
  if (!r) return null;
  const gone = await db.deleteFrom('oauth_pending').where('state', '=', state).executeTakeFirst();
  await db.deleteFrom('oauth_pending').where('expires_at', '<', now).execute();
  if (Number(gone.numDeletedRows) === 0 || Number(r.expires_at) < now) return null;
  return { userId: r.user_id, inboxId: r.inbox_id, provider: r.provider, codeVerifier: r.code_verifier, nonce: r.nonce, aliases: JSON.parse(r.aliases) as string[] };
}

/** Connected OAuth inboxes that still hold enrollments waiting for them (INBOX_DISCONNECTED), with when they were reconnected. */
export async function listReconnectedWithWaiting(db: Db, reason: string): Promise<{ inboxId: number; reconnectedAt: number }[]> {
  const rows = await db
    .selectFrom('inbox_oauth')
    .select(['inbox_oauth.inbox_id', 'inbox_oauth.updated_at'])
    .where('inbox_oauth.state', '=', 'connected')
    .where((eb) => eb.exists(eb.selectFrom('enrollments').select('enrollments.id').whereRef('enrollments.inbox_id', '=', 'inbox_oauth.inbox_id').where('enrollments.state', '=', 'PAUSED').where('enrollments.reason', '=', reason)))
    .execute();
  return rows.map((r) => ({ inboxId: r.inbox_id, reconnectedAt: Number(r.updated_at) }));
}

/** Connected OAuth inboxes whose tokens were last saved before `before` (wall clock): idle credentials. */
export async function listIdleOAuth(db: Db, before: number): Promise<InboxOAuth[]> {
  return (await db.selectFrom('inbox_oauth').selectAll().where('state', '=', 'connected').where('updated_at', '<', before).execute()).map(toInboxOAuth);
}
