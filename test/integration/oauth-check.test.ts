/** `seqflow oauth check` run as an operator would, against the local authorization server. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/processes.js';
import { MAIL_SCOPE, startOAuthServer, TEST_CLIENT, type OAuthServer } from '../support/oauth-server.js';

describe('seqflow oauth check', () => {
  let as: OAuthServer;
  beforeAll(async () => {
    as = await startOAuthServer();
  });
  afterAll(async () => {
    await as?.close();
  });

  const env = (o: Record<string, string> = {}) => ({
    SEQFLOW_PUBLIC_URL: 'https://seqflow.example.com',
    SEQFLOW_OIDC_ISSUER: as.issuer,
    SEQFLOW_OIDC_CLIENT_ID: TEST_CLIENT.id,
    SEQFLOW_OIDC_CLIENT_SECRET: TEST_CLIENT.secret,
    SEQFLOW_OIDC_MAIL_SCOPES: MAIL_SCOPE,
    SEQFLOW_OIDC_IMAP: 'imaps://mail.example.com:993',
    SEQFLOW_OIDC_SMTP: 'smtps://mail.example.com:465',
    SEQFLOW_OAUTH_ALLOW_HTTP: 'true',
    ...o,
  });

  it('should print the redirect URI to register and pass every check when the setup is right', async () => {
    const p = runCli(['oauth', 'check'], env());
    const { code } = await p.exit;
    expect(p.output()).toMatch(/OK\s+oidc\s+redirect URI: Register exactly https:\/\/seqflow\.example\.com\/oauth\/oidc\/callback/);
    expect(p.output()).toMatch(/OK\s+oidc\s+client credentials/);
    expect(p.output()).toMatch(/OK\s+oidc\s+scopes/);
    expect(code).toBe(0);
  });

  it('should fail naming the client credentials when the secret is wrong, and a plain-http public URL', async () => {
    const p = runCli(['oauth', 'check'], env({ SEQFLOW_OIDC_CLIENT_SECRET: 'wrong', SEQFLOW_PUBLIC_URL: 'http://seqflow.example.com' }));
    const { code } = await p.exit;
    expect(p.output()).toMatch(/FAIL\s+oidc\s+client credentials: .*refused Seqflow's app credentials \(invalid_client\)/);
    expect(p.output()).toMatch(/FAIL\s+oidc\s+redirect URI/);
    expect(code).toBe(1);
  });

  it('should fail when the provider does not offer the mail scope', async () => {
    const p = runCli(['oauth', 'check'], env({ SEQFLOW_OIDC_MAIL_SCOPES: 'imap.full' }));
    expect((await p.exit).code).toBe(1);
    expect(p.output()).toMatch(/FAIL\s+oidc\s+scopes: The provider does not offer imap.full/);
  });
});
