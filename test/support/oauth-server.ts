/**
 * A real OAuth 2.0 / OpenID Connect authorization server on loopback for tests (oidc-provider 8,
 * the last line that supports Node 20): authorization code with PKCE, opaque access tokens,
 * refresh tokens with rotation and reuse detection, introspection (what Dovecot and the test SMTP
 * server ask), revocation. Sign-in and consent are answered by the server itself: it signs in as
 * the `login_hint` (or the account set with `signInAs`) and grants what was asked, minus any
 * scope a test told it to withhold (a user unticking a box on Google's consent screen).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import * as client from 'openid-client';

export const TEST_CLIENT = { id: 'seqflow', secret: 'seqflow-test-secret' };
/** Resource servers (Dovecot, the test SMTP server) authenticate to the introspection endpoint. */
export const INTROSPECTION_CLIENT = { id: 'mailserver', secret: 'mailserver-test-secret' };
/** Plays the part of https://mail.google.com/ or Outlook's IMAP/SMTP scopes. */
export const MAIL_SCOPE = 'mail';

export interface OAuthServer {
  issuer: string;
  provider: Provider;
  /** Refresh-token grants answered (successful), to count refreshes. */
  refreshes: number;
  /** Refresh-token grants refused, with the error the server answered. */
  refreshErrors: string[];
  signInAs(account: string): void;
  /** Scopes the next consents leave out, as a user unticking them would. */
  withhold(scopes: string[]): void;
  /** What "remove app access" at Google / "revoke sessions" at Microsoft does: every grant of the account dies. */
  revokeAll(account: string): Promise<void>;
  /** Answers 503 to everything while down (provider outage); `up()` serves again. */
  down(): void;
  up(): void;
  /** Shortens the access-token lifetime of tokens issued from now on. */
  setAccessTokenTtl(seconds: number): void;
  /** Token requests wait until `release()`: a slow provider, with a refresh visibly in flight. */
  holdTokenRequests(): { waiting(): number; release(): void };
  close(): Promise<void>;
}

export async function startOAuthServer(o: { redirectUris?: string[]; rotateRefreshToken?: boolean; accessTokenTtl?: number } = {}): Promise<OAuthServer> {
  let handle: http.RequestListener = (_q, s) => {
    s.statusCode = 503;
    s.end();
  };
  let isDown = false;
  let held: (() => void)[] | null = null;
  const server = http.createServer((q, s) => {
    if (isDown) {
      s.statusCode = 503;
      s.end('{"error":"temporarily_unavailable"}');
      return;
    }
    if (held && q.url?.startsWith('/token') && !q.url.startsWith('/token/introspection')) held.push(() => handle(q, s));
    else handle(q, s);
  });
  // The issuer (with its port) must be known before the provider is built.
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const login = 'alice@example.test';
  let forced: string | undefined;
  let withheld = new Set<string>();
  let accessTtl = o.accessTokenTtl ?? 3600;
  const grantsOf = new Map<string, string[]>();

  const config: Configuration = {
    clients: [
      {
        client_id: TEST_CLIENT.id,
        client_secret: TEST_CLIENT.secret,
        redirect_uris: o.redirectUris ?? ['http://127.0.0.1/oauth/oidc/callback'],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_post',
      },
      {
        client_id: INTROSPECTION_CLIENT.id,
        client_secret: INTROSPECTION_CLIENT.secret,
        grant_types: [],
        response_types: [],
        redirect_uris: [],
        token_endpoint_auth_method: 'client_secret_post',
      },
    ],
    scopes: ['openid', 'offline_access', 'email', MAIL_SCOPE],
    claims: { email: ['email', 'email_verified'] },
    conformIdTokenClaims: false,
    cookies: { keys: ['seqflow-test-cookie-key'] },
    features: { devInteractions: { enabled: false }, introspection: { enabled: true }, revocation: { enabled: true } },
    pkce: { required: () => true, methods: ['S256'] },
    rotateRefreshToken: o.rotateRefreshToken ?? true,
    ttl: { AccessToken: () => accessTtl, RefreshToken: 14 * 24 * 3600, Interaction: 600, Session: 600, Grant: 14 * 24 * 3600 },
    async findAccount(_ctx, id) {
      return { accountId: id, claims: async () => ({ sub: id, email: id, email_verified: true }) };
    },
    // Introspection names the mailbox owner as `email`: Dovecot's default username_attribute.
    async extraTokenClaims(_ctx, token) {
      return token.kind === 'AccessToken' ? { email: (token as unknown as { accountId: string }).accountId } : undefined;
    },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
  };
  const provider = new Provider(issuer, config);
  const server_ = {
    refreshes: 0,
    refreshErrors: [] as string[],
  };
  provider.on('grant.success', (ctx: KoaContextWithOIDC) => {
    if (ctx.oidc.params?.grant_type === 'refresh_token') server_.refreshes++;
  });
  provider.on('grant.error', (ctx: KoaContextWithOIDC, err: Error & { error?: string; error_description?: string }) => {
    if (ctx.oidc.params?.grant_type === 'refresh_token') server_.refreshErrors.push(`${err.error ?? err.message}: ${err.error_description ?? ''}`);
  });
  // Quiet: the provider reports every refused request as a server error event otherwise.
  provider.on('server_error', () => {});

  const callback = provider.callback();
  handle = (req, res) => {
    if (!req.url?.startsWith('/interaction/')) {
      callback(req, res);
      return;
    }
    void (async () => {
      const d = await provider.interactionDetails(req, res);
      if (d.prompt.name === 'login') {
        // The account the test signs in as wins over login_hint: a person may pick another account.
        const account = forced ?? (typeof d.params.login_hint === 'string' && d.params.login_hint ? d.params.login_hint : login);
        await provider.interactionFinished(req, res, { login: { accountId: account } }, { mergeWithLastSubmission: false });
        return;
      }
      const accountId = d.session!.accountId;
      const grant = d.grantId ? await provider.Grant.find(d.grantId) : new provider.Grant({ accountId, clientId: String(d.params.client_id) });
      const asked = String(d.params.scope ?? '').split(' ').filter(Boolean);
      grant!.addOIDCScope(asked.filter((s) => !withheld.has(s)).join(' '));
      // Unticked, not forgotten: the provider answers with what was granted instead of asking again.
      const unticked = asked.filter((s) => withheld.has(s));
      if (unticked.length) grant!.rejectOIDCScope(unticked.join(' '));
      const grantId = await grant!.save();
      grantsOf.set(accountId, [...(grantsOf.get(accountId) ?? []), grantId]);
      await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
    })().catch((err: unknown) => {
      res.statusCode = 500;
      res.end(String(err));
    });
  };

  return Object.assign(server_, {
    issuer,
    provider,
    signInAs: (account: string) => void (forced = account),
    withhold: (scopes: string[]) => void (withheld = new Set(scopes)),
    async revokeAll(account: string) {
      for (const id of grantsOf.get(account) ?? []) await (await provider.Grant.find(id))?.destroy();
      grantsOf.delete(account);
    },
    down: () => void (isDown = true),
    up: () => void (isDown = false),
    setAccessTokenTtl: (s: number) => void (accessTtl = s),
    holdTokenRequests() {
      const queue: (() => void)[] = (held = []);
      return {
        waiting: () => queue.length,
        release() {
          held = null;
          for (const go of queue.splice(0)) go();
        },
      };
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  });
}

/**
 * The user's browser without a browser: follows redirects from `url`, keeping the server's cookies,
 * until one leads to `stopAt` (the app's callback), and returns that URL.
 */
export async function followLogin(url: string, stopAt: string): Promise<string> {
  const jar = new Map<string, string>();
  let next = url;
  for (let i = 0; i < 20; i++) {
    if (next.startsWith(stopAt)) return next;
    const res = await fetch(next, { redirect: 'manual', headers: { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') } });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const eq = pair.indexOf('=');
      jar.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
    const location = res.headers.get('location');
    if (!location) throw new Error(`The sign-in stopped at ${next} (${res.status}): ${(await res.text()).slice(0, 300)}`);
    next = new URL(location, next).toString();
  }
  throw new Error('Too many redirects during sign-in');
}

/** A user's sign-in, the authorization code with PKCE, as the app does it: the config and the tokens it ends with. */
export async function signInWithCode(as: OAuthServer, account: string, redirectUri: string) {
  const config = await client.discovery(new URL(as.issuer), TEST_CLIENT.id, TEST_CLIENT.secret, client.ClientSecretPost(TEST_CLIENT.secret), {
    execute: [client.allowInsecureRequests],
  });
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope: `openid email offline_access ${MAIL_SCOPE}`,
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    prompt: 'consent',
    login_hint: account,
  });
  const back = await followLogin(url.toString(), redirectUri);
  const tokens = await client.authorizationCodeGrant(config, new URL(back), { pkceCodeVerifier: verifier, expectedState: state });
  return { config, tokens };
}
