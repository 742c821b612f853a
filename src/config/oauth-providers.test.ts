import { describe, expect, it } from 'vitest';
import { loadSettings } from './config.js';
import { oauthProvidersOf } from './oauth-providers.js';
import { redirectUriOf } from '../domain/oauth-providers.js';

const providers = (env: Record<string, string>) => oauthProvidersOf(loadSettings({ env }).values);

describe('OAuth provider settings', () => {
  it('should offer no provider when none is configured', () => {
    expect(providers({})).toEqual([]);
  });

  it('should offer Google with the mail scope, offline access and consent when its id and secret are set', () => {
    const [google] = providers({ SEQFLOW_GOOGLE_CLIENT_ID: 'id', SEQFLOW_GOOGLE_CLIENT_SECRET: 'secret' });
    expect(google).toMatchObject({ id: 'google', mailScopes: ['https://mail.google.com/'], authorizationParams: { access_type: 'offline', prompt: 'consent' } });
  });

  it('should use the configured tenant in the Microsoft issuer and ask for the Outlook IMAP and SMTP scopes', () => {
    const [ms] = providers({ SEQFLOW_MICROSOFT_CLIENT_ID: 'id', SEQFLOW_MICROSOFT_CLIENT_SECRET: 's', SEQFLOW_MICROSOFT_TENANT: 'contoso.onmicrosoft.com' });
    expect(ms.issuer).toBe('https://login.microsoftonline.com/contoso.onmicrosoft.com/v2.0');
    expect(ms.scopes).toEqual(expect.arrayContaining(['offline_access', 'https://outlook.office.com/IMAP.AccessAsUser.All', 'https://outlook.office.com/SMTP.Send']));
  });

  it('should name the missing secret when only a client id is set', () => {
    expect(() => providers({ SEQFLOW_MICROSOFT_CLIENT_ID: 'id' })).toThrow(/SEQFLOW_MICROSOFT_CLIENT_SECRET must be set when SEQFLOW_MICROSOFT_CLIENT_ID is/);
  });

  it('should name every missing part of a half-configured generic provider', () => {
    expect(() => providers({ SEQFLOW_OIDC_ISSUER: 'https://id.example.com', SEQFLOW_OIDC_CLIENT_ID: 'c' })).toThrow(/SEQFLOW_OIDC_SMTP must be set/);
  });

  it('should refuse a plain-http issuer unless it is loopback and allowed', () => {
    const env = {
      SEQFLOW_OIDC_ISSUER: 'http://127.0.0.1:9999',
      SEQFLOW_OIDC_CLIENT_ID: 'c',
      SEQFLOW_OIDC_CLIENT_SECRET: 's',
      SEQFLOW_OIDC_IMAP: 'imap://127.0.0.1:1143',
      SEQFLOW_OIDC_SMTP: 'smtp://127.0.0.1:1587',
    };
    expect(() => providers(env)).toThrow(/SEQFLOW_OIDC_ISSUER must be an https/);
    expect(() => providers({ ...env, SEQFLOW_OIDC_ISSUER: 'http://id.example.com', SEQFLOW_OAUTH_ALLOW_HTTP: 'true' })).toThrow(/SEQFLOW_OIDC_ISSUER/);
    const [oidc] = providers({ ...env, SEQFLOW_OAUTH_ALLOW_HTTP: 'true' });
    expect(oidc).toMatchObject({ id: 'oidc', imap: { host: '127.0.0.1', port: 1143, secure: false }, smtp: { port: 1587, secure: false } });
  });

  it('should refuse a mail server setting that is not an imap/smtp URL with a port', () => {
    expect(() => loadSettings({ env: { SEQFLOW_OIDC_IMAP: 'mail.example.com' } })).toThrow(/SEQFLOW_OIDC_IMAP must look like imaps:\/\/host:port/);
  });

  it('should derive the redirect URI from the public URL', () => {
    expect(redirectUriOf('https://seqflow.example.com/', 'microsoft')).toBe('https://seqflow.example.com/oauth/microsoft/callback');
  });
});
