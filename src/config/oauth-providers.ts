/**
 * The OAuth mail providers this installation offers, from the settings (issue #16). A half-set
 * provider (an id without its secret, an issuer without its servers) stops the start with the
 * missing setting named, rather than failing when the first rep presses "Connect".
 */
import { genericProvider, googleProvider, microsoftProvider, type OAuthProviderConfig } from '../domain/oauth-providers.js';
import { ConfigError } from './config.js';
import type { Settings } from './settings.js';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Throws ConfigError naming each missing or contradicting setting. */
export function oauthProvidersOf(s: Settings): OAuthProviderConfig[] {
  const problems: string[] = [];
  const providers: OAuthProviderConfig[] = [];
  const pair = (idName: string, id: string | undefined, secretName: string, secret: string | undefined) => {
    if (id && !secret) problems.push(`${secretName} must be set when ${idName} is`);
    if (secret && !id) problems.push(`${idName} must be set when ${secretName} is`);
    return Boolean(id && secret);
  };
  if (pair('SEQFLOW_GOOGLE_CLIENT_ID', s.googleClientId, 'SEQFLOW_GOOGLE_CLIENT_SECRET', s.googleClientSecret)) {
    providers.push(googleProvider({ clientId: s.googleClientId!, clientSecret: s.googleClientSecret! }));
  }
  if (pair('SEQFLOW_MICROSOFT_CLIENT_ID', s.microsoftClientId, 'SEQFLOW_MICROSOFT_CLIENT_SECRET', s.microsoftClientSecret)) {
    providers.push(microsoftProvider({ clientId: s.microsoftClientId!, clientSecret: s.microsoftClientSecret!, tenant: s.microsoftTenant }));
  }
  const oidcParts = { SEQFLOW_OIDC_ISSUER: s.oidcIssuer, SEQFLOW_OIDC_CLIENT_ID: s.oidcClientId, SEQFLOW_OIDC_CLIENT_SECRET: s.oidcClientSecret, SEQFLOW_OIDC_IMAP: s.oidcImap, SEQFLOW_OIDC_SMTP: s.oidcSmtp };
  const given = Object.entries(oidcParts).filter(([, v]) => v !== undefined);
  if (given.length && given.length < Object.keys(oidcParts).length) {
    for (const [name, v] of Object.entries(oidcParts)) if (v === undefined) problems.push(`${name} must be set when ${given[0][0]} is (the generic OpenID provider needs all five)`);
  } else if (given.length) {
    const url = new URL(s.oidcIssuer!);
    if (url.protocol === 'http:' && !(s.oauthAllowHttp && LOOPBACK.has(url.hostname))) {
      problems.push('SEQFLOW_OIDC_ISSUER must be an https:// URL (plain http only for a loopback address with SEQFLOW_OAUTH_ALLOW_HTTP=true)');
    } else {
      providers.push(
        genericProvider({
          label: s.oidcName,
          issuer: s.oidcIssuer!,
          clientId: s.oidcClientId!,
          clientSecret: s.oidcClientSecret!,
          mailScopes: s.oidcMailScopes,
          imap: s.oidcImap!,
          smtp: s.oidcSmtp!,
        }),
      );
    }
  }
  if (problems.length) throw new ConfigError(problems);
  return providers;
}
