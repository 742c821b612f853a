/**
 * `seqflow oauth check` (issue #16): checks an installation's OAuth mail setup before reps meet
 * it — the redirect URI each provider must have registered, the provider's discovery and token
 * endpoint, the app's client credentials (a refresh with a made-up token is answered
 * `invalid_grant` when the credentials are right, `invalid_client` when they are not) and the
 * scopes the provider says it supports.
 */
import * as client from 'openid-client';
import { oauthProvidersOf } from '../config/oauth-providers.js';
import type { Settings } from '../config/settings.js';
import { classifyAccessFailure } from '../domain/oauth-errors.js';
import { redirectUriOf, type OAuthProviderConfig } from '../domain/oauth-providers.js';
import { tokenFailure } from './oauth-tokens.js';

export interface OAuthCheck {
  provider: string;
  check: string;
  /** `warn`: worth a look, not necessarily wrong. */
  result: 'ok' | 'warn' | 'fail';
  detail: string;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

export async function checkOAuthSetup(settings: Settings, publicUrl: string): Promise<OAuthCheck[]> {
  const providers = oauthProvidersOf(settings);
  if (!providers.length) {
    return [{ provider: '-', check: 'providers', result: 'warn', detail: 'No OAuth provider is configured (SEQFLOW_GOOGLE_CLIENT_ID, SEQFLOW_MICROSOFT_CLIENT_ID or SEQFLOW_OIDC_ISSUER).' }];
  }
  const out: OAuthCheck[] = [];
  for (const p of providers) out.push(...(await checkProvider(p, publicUrl)));
  return out;
}

async function checkProvider(p: OAuthProviderConfig, publicUrl: string): Promise<OAuthCheck[]> {
  const checks: OAuthCheck[] = [];
  const add = (check: string, result: OAuthCheck['result'], detail: string) => checks.push({ provider: p.id, check, result, detail });
  const redirect = new URL(redirectUriOf(publicUrl, p.id));
  if (redirect.protocol === 'https:' || LOOPBACK.has(redirect.hostname)) {
    add('redirect URI', 'ok', `Register exactly ${redirect} at ${p.label}.`);
  } else {
    add('redirect URI', 'fail', `${redirect} is plain http on a public host: ${p.label} accepts only https redirect URIs there. Set SEQFLOW_PUBLIC_URL to the https address reps use.`);
  }
  let config: client.Configuration;
  try {
    config = await client.discovery(new URL(p.issuer), p.clientId, p.clientSecret, client.ClientSecretPost(p.clientSecret), {
      execute: new URL(p.issuer).protocol === 'http:' ? [client.allowInsecureRequests] : [],
      timeout: 15,
    });
  } catch (err) {
    add('discovery', 'fail', `${p.issuer}/.well-known/openid-configuration could not be read (${err instanceof Error ? err.message : String(err)}).`);
    return checks;
  }
  const meta = config.serverMetadata();
  add('discovery', 'ok', `Token endpoint ${meta.token_endpoint ?? '(none)'}.`);
  try {
    await client.refreshTokenGrant(config, 'seqflow-oauth-check-not-a-real-token');
    add('client credentials', 'warn', 'The token endpoint accepted a made-up refresh token; check that the issuer is the real provider.');
  } catch (err) {
    const failure = tokenFailure(err);
    const loss = classifyAccessFailure(p.label, failure);
    if (failure.kind === 'token' && (failure.body as { error?: string })?.error === 'invalid_grant') add('client credentials', 'ok', 'The token endpoint is reachable and accepts the client id and secret.');
    else if (loss.state === 'admin') add('client credentials', 'fail', `${loss.message} (${loss.code})`);
    else add('client credentials', 'fail', `The token endpoint did not answer as expected (${loss.code}): ${loss.message}`);
  }
  const supported = meta.scopes_supported;
  const missing = supported ? p.mailScopes.filter((s) => !supported.includes(s)) : [];
  if (!supported) add('scopes', 'ok', `Asks for ${p.scopes.join(' ')} (the provider does not list its scopes).`);
  else if (missing.length && p.id === 'oidc') add('scopes', 'fail', `The provider does not offer ${missing.join(', ')}; set SEQFLOW_OIDC_MAIL_SCOPES to the scopes its mail servers require.`);
  else add('scopes', missing.length ? 'warn' : 'ok', missing.length ? `${missing.join(', ')} not listed by the provider (normal for ${p.label}); asks for ${p.scopes.join(' ')}.` : `Asks for ${p.scopes.join(' ')}.`);
  return checks;
}
