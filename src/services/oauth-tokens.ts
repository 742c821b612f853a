/**
 * Access tokens of OAuth inboxes (issue #16): handed out fresh, refreshed before they expire,
 * once per inbox across every worker on the database.
 *
 * A refresh runs under a row lease (inbox_oauth.lease_owner/lease_until): the holder re-reads
 * the row, refreshes, and saves the new access token and any rotated refresh token in one
 * statement before anyone uses them. Others wait for the lease and take the saved token. With
 * rotating refresh tokens (Microsoft, most self-hosted providers) a second refresh with the old
 * token would be refused — and with reuse detection would revoke the whole grant — so this is
 * what keeps a mailbox connected when several workers send from it at once.
 *
 * Token expiry is the provider's wall-clock fact, not business time: it is measured on Date.now().
 */
import crypto from 'node:crypto';
import * as client from 'openid-client';
import { classifyAccessFailure, isAppRegistrationCode, type AccessLoss } from '../domain/oauth-errors.js';
import { REFRESH_MARGIN_MS, type OAuthProviderConfig, type OAuthProviderId } from '../domain/oauth-providers.js';
import { oauthProvidersOf } from '../config/oauth-providers.js';
import { claimRefreshLease, getInboxOAuth, listIdleOAuth, releaseRefreshLease, saveRefreshed, type InboxOAuth } from '../store/inbox-oauth.js';
import type { Deps } from './deps.js';
import { recordAccessLoss, recordAccessWorks } from './oauth-incidents.js';

/** Thrown when an inbox cannot get a token: the loss says whether to wait, ask the rep or an admin. */
export class OAuthAccessError extends Error {
  constructor(readonly loss: AccessLoss) {
    super(`${loss.state}: ${loss.code}`);
    this.name = 'OAuthAccessError';
  }
}

const REFRESH_LEASE_MS = 30_000;
const LEASE_WAIT_MS = 100;
const DISCOVERY_TTL_MS = 10 * 60_000;
const MIN_LEFT_MS = 30_000;

export function oauthProvider(deps: Deps, id: string): OAuthProviderConfig | null {
  return oauthProvidersOf(deps.settings).find((p) => p.id === id) ?? null;
}

const discovered = new Map<string, { at: number; config: Promise<client.Configuration> }>();

/** The provider's OIDC configuration (discovery, cached for a while; a failed discovery is not cached). */
export function oidcConfiguration(p: OAuthProviderConfig): Promise<client.Configuration> {
  const key = `${p.issuer}|${p.clientId}|${crypto.createHash('sha256').update(p.clientSecret).digest('base64url')}`;
  const hit = discovered.get(key);
  if (hit && Date.now() - hit.at < DISCOVERY_TTL_MS) return hit.config;
  const config = client.discovery(new URL(p.issuer), p.clientId, p.clientSecret, client.ClientSecretPost(p.clientSecret), {
    // Settings allow http only for a loopback issuer (src/config/oauth-providers.ts).
    execute: new URL(p.issuer).protocol === 'http:' ? [client.allowInsecureRequests] : [],
    timeout: 15,
  });
  discovered.set(key, { at: Date.now(), config });
  config.catch(() => discovered.delete(key));
  return config;
}

/** What a failed token request was, in the classifier's terms (no token text travels further). */
export function tokenFailure(err: unknown): Parameters<typeof classifyAccessFailure>[1] {
  if (err instanceof client.ResponseBodyError) return { kind: 'token', status: err.status, body: err.cause };
  if (err instanceof client.ClientError && typeof (err.cause as { status?: unknown })?.status === 'number') {
    const res = err.cause as { status: number };
    return { kind: 'token', status: res.status, body: {} };
  }
  return { kind: 'network', detail: err instanceof Error ? err.name : 'error' };
}

const fresh = (row: InboxOAuth, wallNow: number) => row.accessToken !== null && (row.accessExpiresAt ?? 0) - wallNow > REFRESH_MARGIN_MS;

/**
 * A usable access token of the inbox. `force` refreshes even a token that looks fresh (the mail
 * server refused it), unless another worker refreshed since `seenVersion`.
 */
export async function accessTokenFor(deps: Deps, inboxId: number, o: { owner: string; force?: boolean; seenVersion?: number } = { owner: 'api' }): Promise<{ login: string; accessToken: string; version: number; expiresAt: number }> {
  const db = deps.db.kysely;
  let row = await getInboxOAuth(db, inboxId);
  if (!row) throw new Error(`Inbox ${inboxId} is not an OAuth inbox`);
  const provider = oauthProvider(deps, row.provider);
  if (!provider) {
    throw new OAuthAccessError({
      state: 'admin',
      scope: 'app',
      code: 'provider_not_configured',
      message: `This mailbox was connected with ${row.provider}, which this server is no longer configured for. An admin must set its client id and secret again.`,
    });
  }
  // An app-registration fault is fixed by an admin's setting: keep trying (the watcher backs off),
  // so every mailbox comes back by itself; a mailbox's own problem waits for a reconnect.
  if (row.state === 'reconnect' || (row.state === 'admin' && !isAppRegistrationCode(row.stateCode))) {
    throw new OAuthAccessError({ state: row.state, scope: 'mailbox', code: row.stateCode ?? row.state, message: row.stateMessage ?? '' });
  }
  const startVersion = o.seenVersion ?? row.version;
  // A token another worker refreshed since we looked is taken as long as it is not about to
  // expire, even inside the refresh margin (short-lived tokens would otherwise refresh per use).
  const renewedMeanwhile = (r: InboxOAuth) => r.version !== startVersion && r.accessToken !== null && (r.accessExpiresAt ?? 0) - Date.now() > MIN_LEFT_MS;
  const usable = (r: InboxOAuth) => renewedMeanwhile(r) || (!o.force && fresh(r, Date.now()));
  const give = (r: InboxOAuth) => ({ login: r.login, accessToken: deps.secrets.open(r.accessToken!), version: r.version, expiresAt: r.accessExpiresAt ?? 0 });
  if (usable(row)) return give(row);

  // One lease per call, not per worker: a worker's concurrent sends and its watcher each ask for
  // a token, and only one of them may refresh.
  const leaseOwner = `${o.owner}/${crypto.randomUUID().slice(0, 8)}`;
  const deadline = Date.now() + REFRESH_LEASE_MS;
  while (!(await claimRefreshLease(db, inboxId, leaseOwner, Date.now(), REFRESH_LEASE_MS))) {
    if (Date.now() > deadline) throw new OAuthAccessError(classifyAccessFailure(provider.label, { kind: 'network', detail: 'refresh lease' }));
    await new Promise((r) => setTimeout(r, LEASE_WAIT_MS));
    row = (await getInboxOAuth(db, inboxId))!;
    if (usable(row)) return give(row);
  }
  try {
    // Under the lease: what another worker saved meanwhile wins.
    row = (await getInboxOAuth(db, inboxId))!;
    if (usable(row)) return give(row);
    if (!row.refreshToken) throw new OAuthAccessError(classifyAccessFailure(provider.label, { kind: 'token', status: 400, body: { error: 'invalid_grant' } }));
    let tokens: client.TokenEndpointResponse;
    try {
      tokens = await client.refreshTokenGrant(await oidcConfiguration(provider), deps.secrets.open(row.refreshToken));
    } catch (err) {
      const loss = classifyAccessFailure(provider.label, tokenFailure(err));
      deps.log.warn({ inboxId, provider: provider.id, state: loss.state, code: loss.code }, 'OAuth token refresh failed');
      await recordAccessLoss(deps, inboxId, loss);
      throw new OAuthAccessError(loss);
    }
    const expiresAt = Date.now() + (tokens.expires_in ?? 3600) * 1000;
    const saved = await saveRefreshed(
      db,
      inboxId,
      leaseOwner,
      {
        accessToken: deps.secrets.seal(tokens.access_token),
        accessExpiresAt: expiresAt,
        refreshToken: tokens.refresh_token ? deps.secrets.seal(tokens.refresh_token) : undefined,
        scopes: tokens.scope,
      },
      Date.now(),
    );
    if (!saved) throw new OAuthAccessError(classifyAccessFailure(provider.label, { kind: 'network', detail: 'refresh lease lost' }));
    deps.log.info({ inboxId, provider: provider.id, rotated: Boolean(tokens.refresh_token) }, 'OAuth access token refreshed');
    if (row.state !== 'connected') await recordAccessWorks(deps, inboxId);
    return { login: row.login, accessToken: tokens.access_token, version: row.version + 1, expiresAt };
  } finally {
    await releaseRefreshLease(db, inboxId, leaseOwner);
  }
}

export const isOAuthAccessError = (err: unknown): err is OAuthAccessError => err instanceof OAuthAccessError;

export type { OAuthProviderId };

/** Refresh credentials idle this long: Microsoft's refresh tokens die after 90 idle days, Google's after six months. */
export const KEEP_ALIVE_AFTER_MS = 7 * 24 * 3_600_000;

/** One keep-alive round: refreshes the tokens of connected inboxes nobody used for a week. */
export async function keepOAuthAlive(deps: Deps, owner: string): Promise<number> {
  let refreshed = 0;
  for (const row of await listIdleOAuth(deps.db.kysely, Date.now() - KEEP_ALIVE_AFTER_MS)) {
    try {
      await accessTokenFor(deps, row.inboxId, { owner, force: true, seenVersion: row.version });
      refreshed++;
    } catch (err) {
      // Recorded as an access loss by accessTokenFor; the next round tries again.
      if (!isOAuthAccessError(err)) throw err;
    }
  }
  return refreshed;
}
