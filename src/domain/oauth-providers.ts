/**
 * The mail providers a rep can connect with OAuth 2.0 (issue #16), as plain data: where to send
 * the rep to consent, which scopes IMAP/SMTP need, which extra parameters make the provider hand
 * out a refresh token, and which hosts to talk to afterwards. No I/O here: the connect service
 * (src/services/oauth-connect.ts) turns this into requests.
 */
import type { InboxProvider } from './glossary.js';

export const OAUTH_PROVIDERS = ['google', 'microsoft', 'oidc'] as const;
export type OAuthProviderId = (typeof OAUTH_PROVIDERS)[number];

export interface MailHost {
  host: string;
  port: number;
  /** TLS from the first byte (993/465); false = STARTTLS when offered. */
  secure: boolean;
}

export interface OAuthProviderConfig {
  id: OAuthProviderId;
  /** What the rep sees on the button and in messages: "Google", "Microsoft", or the configured name. */
  label: string;
  /** OIDC discovery is read from here (`/.well-known/openid-configuration`). */
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Scopes asked for: OIDC ones (the address comes from the ID token) plus the mail scopes. */
  scopes: string[];
  /** Scopes a consent must include for the inbox to work; a consent without them is refused. */
  mailScopes: string[];
  /** Extra authorization parameters (Google hands out a refresh token only with offline + consent). */
  authorizationParams: Record<string, string>;
  imap: MailHost;
  smtp: MailHost;
  /** The inbox's provider as HubSpot names it (limits follow from it). */
  inboxProvider: InboxProvider;
}

export const GOOGLE_MAIL_SCOPE = 'https://mail.google.com/';
export const MICROSOFT_MAIL_SCOPES = ['https://outlook.office.com/IMAP.AccessAsUser.All', 'https://outlook.office.com/SMTP.Send'];

export function googleProvider(o: { clientId: string; clientSecret: string }): OAuthProviderConfig {
  return {
    id: 'google',
    label: 'Google',
    issuer: 'https://accounts.google.com',
    clientId: o.clientId,
    clientSecret: o.clientSecret,
    scopes: ['openid', 'email', GOOGLE_MAIL_SCOPE],
    mailScopes: [GOOGLE_MAIL_SCOPE],
    authorizationParams: { access_type: 'offline', prompt: 'consent' },
    imap: { host: 'imap.gmail.com', port: 993, secure: true },
    smtp: { host: 'smtp.gmail.com', port: 465, secure: true },
    inboxProvider: 'google_workspace',
  };
}

/**
 * `tenant` is the tenant id or domain of a single-tenant app registration (never `common` then:
 * AADSTS50194), `organizations` (any work account) or `common` (work and personal accounts).
 */
export function microsoftProvider(o: { clientId: string; clientSecret: string; tenant: string }): OAuthProviderConfig {
  return {
    id: 'microsoft',
    label: 'Microsoft',
    issuer: `https://login.microsoftonline.com/${o.tenant}/v2.0`,
    clientId: o.clientId,
    clientSecret: o.clientSecret,
    scopes: ['openid', 'email', 'offline_access', ...MICROSOFT_MAIL_SCOPES],
    mailScopes: MICROSOFT_MAIL_SCOPES,
    authorizationParams: { prompt: 'select_account' },
    imap: { host: 'outlook.office365.com', port: 993, secure: true },
    smtp: { host: 'smtp.office365.com', port: 587, secure: false },
    inboxProvider: 'office365',
  };
}

/** A self-hosted identity provider in front of the organisation's own IMAP/SMTP servers (and the tests). */
export function genericProvider(o: {
  label: string;
  issuer: string;
  clientId: string;
  clientSecret: string;
  mailScopes: string[];
  imap: MailHost;
  smtp: MailHost;
}): OAuthProviderConfig {
  return {
    id: 'oidc',
    label: o.label,
    issuer: o.issuer,
    clientId: o.clientId,
    clientSecret: o.clientSecret,
    scopes: ['openid', 'email', 'offline_access', ...o.mailScopes],
    mailScopes: o.mailScopes,
    authorizationParams: { prompt: 'consent' },
    imap: o.imap,
    smtp: o.smtp,
    inboxProvider: 'imap',
  };
}

/** Where the provider sends the rep back: registered as-is at Google / in Entra. */
export const redirectUriOf = (publicUrl: string, provider: OAuthProviderId): string => `${publicUrl.replace(/\/+$/, '')}/oauth/${provider}/callback`;

/** Mail scopes the token response did not grant (granular consent lets a user untick them). */
export function missingMailScopes(p: Pick<OAuthProviderConfig, 'mailScopes'>, granted: string | undefined): string[] {
  const have = new Set((granted ?? '').split(/\s+/).filter(Boolean));
  return p.mailScopes.filter((s) => !have.has(s));
}

/** Refresh this long before the access token expires: a send or an IMAP login never races the expiry. */
export const REFRESH_MARGIN_MS = 5 * 60_000;
