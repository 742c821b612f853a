/**
 * "Connect Google / Microsoft / <your provider>" and "Reconnect" (issue #16): the authorization
 * code flow with PKCE, state and nonce through openid-client. The callback checks the granted
 * scopes (a consent without the mail scopes is refused), takes the address from the ID token,
 * and signs in to IMAP and SMTP with the new token before the inbox shows "Connected", so an
 * SMTP AUTH or IMAP switched off at the provider shows now, in words an admin can act on.
 */
import * as client from 'openid-client';
import type { Inbox } from '../domain/glossary.js';
import { DEFAULT_PER_MINUTE_LIMIT, defaultDailyLimit } from '../domain/send-limits.js';
import { classifyAccessFailure, type AccessFailure } from '../domain/oauth-errors.js';
import { missingMailScopes, redirectUriOf, type OAuthProviderConfig } from '../domain/oauth-providers.js';
import { testImap, testSmtp, type ConnectionTest } from '../mail/connection-test.js';
import { getInboxOAuth, insertOAuthPending, saveConnectedOAuth, takeOAuthPending } from '../store/inbox-oauth.js';
import * as inboxes from '../store/inboxes.js';
import { isUniqueViolation } from '../store/json.js';
import type { Deps } from './deps.js';
import { errors } from './errors.js';
import { resolveIncident } from './oauth-incidents.js';
import { oauthProvider, oidcConfiguration, tokenFailure } from './oauth-tokens.js';
import { requireUser } from './users.js';

const PENDING_MS = 10 * 60_000;
const TEST_TIMEOUT_MS = 15_000;

function providerOrThrow(deps: Deps, id: string): OAuthProviderConfig {
  const p = oauthProvider(deps, id);
  if (!p) throw errors.oauthProviderNotConfigured({ provider: id });
  return p;
}

const failed = (code: string, message: string, field?: string) => errors.oauthConnectFailed({ code, message, field });

/** The providers reps can connect with here, for the inbox settings page. */
export function listOAuthProviders(deps: Deps) {
  return ['google', 'microsoft', 'oidc']
    .map((id) => oauthProvider(deps, id))
    .filter((p): p is OAuthProviderConfig => p !== null)
    .map((p) => ({ id: p.id, label: p.label, redirectUri: redirectUriOf(deps.config.publicUrl, p.id) }));
}

/** Where to send the rep's browser to consent; `inboxId` for a reconnect of that inbox. */
export async function startOAuthConnect(deps: Deps, userId: number, providerId: string, o: { inboxId?: number; aliases?: string[] } = {}): Promise<{ authorizationUrl: string }> {
  await requireUser(deps, userId);
  const provider = providerOrThrow(deps, providerId);
  let loginHint: string | undefined;
  if (o.inboxId !== undefined) {
    const inbox = await inboxes.getInbox(deps.db.kysely, o.inboxId);
    if (!inbox || inbox.userId !== userId) throw errors.inboxNotFound({ id: o.inboxId, field: 'inboxId' });
    const oauth = await getInboxOAuth(deps.db.kysely, o.inboxId);
    if (!oauth || oauth.provider !== provider.id) throw errors.oauthNotOauthInbox({ id: o.inboxId });
    loginHint = oauth.login;
  }
  let config: client.Configuration;
  try {
    config = await oidcConfiguration(provider);
  } catch (err) {
    const loss = classifyAccessFailure(provider.label, tokenFailure(err));
    deps.log.warn({ provider: provider.id, code: loss.code }, 'OAuth discovery failed');
    throw failed('PROVIDER_UNREACHABLE', `${provider.label} could not be reached to start the sign-in. Try again in a moment; if it keeps failing, an admin can run "seqflow oauth check".`, 'provider');
  }
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  await insertOAuthPending(deps.db.kysely, {
    state,
    userId,
    inboxId: o.inboxId ?? null,
    provider: provider.id,
    codeVerifier: deps.secrets.seal(verifier),
    nonce,
    aliases: o.aliases ?? [],
    expiresAt: Date.now() + PENDING_MS,
  });
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: redirectUriOf(deps.config.publicUrl, provider.id),
    scope: provider.scopes.join(' '),
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    nonce,
    ...provider.authorizationParams,
    ...(loginHint && { login_hint: loginHint }),
  });
  return { authorizationUrl: url.toString() };
}

function testFailure(protocol: 'smtp' | 'imap', t: Extract<ConnectionTest, { ok: false }>): AccessFailure {
  const e = (t.cause ?? {}) as { responseCode?: number; response?: string; authenticationFailed?: boolean; serverResponseCode?: string };
  return protocol === 'smtp'
    ? { kind: 'smtp', responseCode: e.responseCode, response: e.response }
    : { kind: 'imap', authenticationFailed: e.authenticationFailed, serverResponseCode: e.serverResponseCode, response: e.response };
}

/**
 * The provider sent the rep back to `callbackUrl`. Connects (or reconnects) the inbox and returns
 * it; any refusal is an OAUTH_CONNECT_FAILED whose message the rep or an admin can act on.
 */
export async function finishOAuthConnect(deps: Deps, providerId: string, callbackUrl: URL): Promise<{ inbox: Inbox; reconnected: boolean }> {
  const provider = providerOrThrow(deps, providerId);
  const state = callbackUrl.searchParams.get('state') ?? '';
  const pending = state ? await takeOAuthPending(deps.db.kysely, state, Date.now()) : null;
  if (!pending || pending.provider !== provider.id) {
    throw failed('STATE_INVALID', 'This sign-in is unknown, expired or was already used. Start again from your inbox settings.', 'state');
  }
  const denied = callbackUrl.searchParams.get('error');
  if (denied) {
    throw failed('CONSENT_DENIED', `${provider.label} did not grant access (${denied.replace(/[^a-z_]/gi, '').slice(0, 40)}). Press Connect again and allow every permission.`);
  }
  let tokens: client.TokenEndpointResponse & client.TokenEndpointResponseHelpers;
  try {
    tokens = await client.authorizationCodeGrant(await oidcConfiguration(provider), callbackUrl, {
      pkceCodeVerifier: deps.secrets.open(pending.codeVerifier),
      expectedState: state,
      expectedNonce: pending.nonce,
      idTokenExpected: true,
    });
  } catch (err) {
    const loss = classifyAccessFailure(provider.label, tokenFailure(err));
    deps.log.warn({ provider: provider.id, code: loss.code, state: loss.state }, 'OAuth code exchange failed');
    throw failed(loss.state === 'admin' ? 'APP_MISCONFIGURED' : 'CODE_EXCHANGE_FAILED', loss.message);
  }
  const missing = missingMailScopes(provider, tokens.scope);
  if (missing.length) throw failed('MISSING_SCOPE', classifyAccessFailure(provider.label, { kind: 'scope', missing }).message, 'scope');
  const claims = tokens.claims();
  const address = String(claims?.email ?? claims?.preferred_username ?? '').trim().toLowerCase();
  if (!claims || !address.includes('@')) throw failed('NO_ADDRESS', `${provider.label} did not say which mailbox was signed in to (no email in the ID token). Ask an admin to add the "email" scope to the app.`);
  if (!tokens.refresh_token) {
    throw failed('NO_REFRESH_TOKEN', `${provider.label} gave no refresh token, so the mailbox would disconnect within the hour. An admin must allow offline access for the app.`);
  }

  let existing: Inbox | null = null;
  if (pending.inboxId !== null) {
    existing = await inboxes.getInbox(deps.db.kysely, pending.inboxId);
    const oauth = existing ? await getInboxOAuth(deps.db.kysely, existing.id) : null;
    if (!existing || !oauth) throw failed('STATE_INVALID', 'The inbox to reconnect no longer exists.', 'inboxId');
    if (oauth.subject !== claims.sub) {
      throw failed('OTHER_ACCOUNT', `You signed in as ${address}, but this inbox is ${existing.address}. Press Reconnect and sign in to ${existing.address}.`, 'account');
    }
  } else {
    existing = (await inboxes.listInboxesOfUser(deps.db.kysely, pending.userId)).find((i) => i.address.toLowerCase() === address) ?? null;
    if (existing && !(await getInboxOAuth(deps.db.kysely, existing.id))) existing = null;
  }

  // The connection test, with the token just issued: only a mailbox that signs in to both shows "Connected".
  const xoauth2 = { user: address, accessToken: tokens.access_token };
  const policy = deps.config.mailHosts;
  const [smtp, imap] = await Promise.all([
    testSmtp({ ...provider.smtp, xoauth2 }, policy, TEST_TIMEOUT_MS),
    testImap({ ...provider.imap, xoauth2 }, policy, TEST_TIMEOUT_MS),
  ]);
  for (const [protocol, result] of [['smtp', smtp], ['imap', imap]] as const) {
    if (result.ok) continue;
    const loss = classifyAccessFailure(provider.label, testFailure(protocol, result));
    deps.log.warn({ provider: provider.id, protocol, code: loss.code, detail: result.detail }, 'OAuth inbox connection test failed');
    const what = protocol === 'smtp' ? 'send (SMTP)' : 'read replies (IMAP)';
    throw failed(
      loss.state === 'admin' ? 'ADMIN_ACTION_NEEDED' : 'CONNECTION_TEST_FAILED',
      loss.state === 'reconnect' ? `The sign-in worked, but ${provider.label} refused it to ${what} (${loss.code}). Check that the mailbox allows ${protocol.toUpperCase()} access.` : loss.message,
      protocol,
    );
  }

  const now = deps.clock.now();
  const sealed = {
    provider: provider.id,
    login: address,
    subject: claims.sub,
    scopes: tokens.scope ?? provider.scopes.join(' '),
    refreshToken: deps.secrets.seal(tokens.refresh_token),
    accessToken: deps.secrets.seal(tokens.access_token),
    accessExpiresAt: Date.now() + (tokens.expires_in ?? 3600) * 1000,
  };
  const servers = { smtp: { ...provider.smtp }, imap: { ...provider.imap } };
  if (existing) {
    const before = (await getInboxOAuth(deps.db.kysely, existing.id))!;
    const inboxId = existing.id;
    await deps.db.transaction(async (tx) => {
      // Wall clock: resuming waits for a watcher sync after this moment (src/services/oauth-incidents.ts).
      await saveConnectedOAuth(tx, { inboxId, ...sealed }, Date.now());
      await inboxes.updateInboxServers(tx, inboxId, servers);
      if (existing.status !== 'connected') await inboxes.setInboxStatus(tx, inboxId, 'connected', now);
      await resolveIncident(tx, deps, inboxId, before.stateSince, before.provider, before.state === 'admin' ? before.stateCode : null);
    });
    deps.log.info({ inboxId, provider: provider.id }, 'OAuth inbox reconnected');
    return { inbox: (await inboxes.getInbox(deps.db.kysely, inboxId))!, reconnected: true };
  }
  try {
    const inbox = await deps.db.transaction(async (tx) => {
      const created = await inboxes.insertInbox(
        tx,
        {
          userId: pending.userId,
          address,
          // Send-as addresses: the provider must allow them (Gmail "Send mail as", Exchange Send As).
          aliases: pending.aliases.filter((a) => a.toLowerCase() !== address),
          provider: provider.inboxProvider,
          ...servers,
          status: 'connected',
          dailyLimit: defaultDailyLimit(provider.inboxProvider),
          perMinuteLimit: DEFAULT_PER_MINUTE_LIMIT,
        },
        now,
      );
      await saveConnectedOAuth(tx, { inboxId: created.id, ...sealed }, Date.now());
      return created;
    });
    deps.log.info({ inboxId: inbox.id, provider: provider.id }, 'OAuth inbox connected');
    return { inbox, reconnected: false };
  } catch (err) {
    if (isUniqueViolation(err)) throw errors.inboxExists({ address });
    throw err;
  }
}

/** What the inbox card shows about an OAuth inbox; null for a password inbox. Never a token. */
export async function oauthStatusOf(deps: Deps, inboxId: number) {
  const row = await getInboxOAuth(deps.db.kysely, inboxId);
  if (!row) return null;
  const provider = oauthProvider(deps, row.provider);
  return {
    provider: row.provider,
    providerLabel: provider?.label ?? row.provider,
    login: row.login,
    state: row.state,
    message: row.stateMessage,
    code: row.stateCode,
    since: row.stateSince === null ? null : new Date(row.stateSince).toISOString(),
  };
}
