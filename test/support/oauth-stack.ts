/**
 * The whole local OAuth mail stack for a suite: the authorization server, the XOAUTH2 SMTP server
 * and Dovecot checking tokens by introspection, plus the settings that point Seqflow's generic
 * OpenID provider at them, and the rep's side of "Connect" (start → sign-in → callback).
 */
import { loadSettings } from '../../src/config/config.js';
import type { Settings } from '../../src/config/settings.js';
import { startDovecot, type Dovecot } from './dovecot.js';
import type { Harness } from './harness.js';
import { followLogin, INTROSPECTION_CLIENT, MAIL_SCOPE, startOAuthServer, TEST_CLIENT, type OAuthServer } from './oauth-server.js';
import { startOAuthSmtp, type OAuthSmtp } from './oauth-smtp.js';

/** Seqflow's public URL in these tests: only the callback's path matters, the test carries it over. */
export const PUBLIC_URL = 'http://127.0.0.1:4999';
export const CALLBACK = `${PUBLIC_URL}/oauth/oidc/callback`;

export interface OAuthStack {
  as: OAuthServer;
  smtp: OAuthSmtp;
  dovecot: Dovecot;
  /** The environment that points Seqflow at this stack, for a `seqflow` process. */
  env(extra?: Record<string, string>): Record<string, string>;
  settings(extra?: Record<string, string>): Settings;
  stop(): Promise<void>;
}

/** `publicUrl`: where a real browser reaches Seqflow (the callback is registered under it). */
export async function startOAuthStack(o: { rotateRefreshToken?: boolean; publicUrl?: string } = {}): Promise<OAuthStack> {
  const publicUrl = o.publicUrl ?? PUBLIC_URL;
  const as = await startOAuthServer({ redirectUris: [`${publicUrl}/oauth/oidc/callback`], rotateRefreshToken: o.rotateRefreshToken });
  const smtp = await startOAuthSmtp(as.issuer);
  const dovecot = await startDovecot({
    oauth2: { introspectionUrl: `${as.issuer}/token/introspection`, clientId: INTROSPECTION_CLIENT.id, clientSecret: INTROSPECTION_CLIENT.secret, scope: MAIL_SCOPE },
  });
  const env = (extra: Record<string, string> = {}): Record<string, string> => ({
    SEQFLOW_PUBLIC_URL: publicUrl,
    SEQFLOW_OIDC_ISSUER: as.issuer,
    SEQFLOW_OIDC_NAME: 'Acme Mail',
    SEQFLOW_OIDC_CLIENT_ID: TEST_CLIENT.id,
    SEQFLOW_OIDC_CLIENT_SECRET: TEST_CLIENT.secret,
    SEQFLOW_OIDC_MAIL_SCOPES: MAIL_SCOPE,
    SEQFLOW_OIDC_IMAP: `imap://${dovecot.host}:${dovecot.port}`,
    SEQFLOW_OIDC_SMTP: `smtp://127.0.0.1:${smtp.port}`,
    SEQFLOW_OAUTH_ALLOW_HTTP: 'true',
    ...extra,
  });
  return {
    as,
    smtp,
    dovecot,
    env,
    settings: (extra = {}) => loadSettings({ env: env(extra) }).values,
    async stop() {
      await dovecot.stop();
      await smtp.close();
      await as.close();
    },
  };
}

/** The rep presses Connect (or Reconnect), signs in as `account` and comes back: the web app URL they land on. */
export async function connectMailbox(h: Harness, stack: OAuthStack, userId: string, account: string, o: { inboxId?: string; aliases?: string[] } = {}): Promise<URL> {
  stack.as.signInAs(account);
  const start = await h.api('POST', `/seqflow/v1/users/${userId}/inboxes/oauth/oidc/start`, { ...(o.inboxId && { inboxId: o.inboxId }), ...(o.aliases && { aliases: o.aliases }) });
  if (start.status !== 200) throw new Error(JSON.stringify(start.body));
  return completeCallback(h, await followLogin(start.body.authorizationUrl, CALLBACK));
}

export async function completeCallback(h: Harness, callbackUrl: string): Promise<URL> {
  const u = new URL(callbackUrl);
  const r = await h.api('GET', `${u.pathname}${u.search}`, undefined, { token: null });
  if (r.status !== 302) throw new Error(`callback answered ${r.status}: ${JSON.stringify(r.body)}`);
  return new URL(String(r.headers.location));
}
