/**
 * The local OAuth mail stack the OAuth-mailbox tests stand on, proven on its own: the loopback
 * authorization server issues tokens through a real code + PKCE flow, the test SMTP server accepts
 * XOAUTH2 with them, Dovecot accepts OAUTHBEARER and XOAUTH2 with them, and a revoked grant's
 * tokens are refused by both.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as client from 'openid-client';
import nodemailer from 'nodemailer';
import { ImapFlow } from 'imapflow';
import { INTROSPECTION_CLIENT, MAIL_SCOPE, signInWithCode, startOAuthServer, TEST_CLIENT, type OAuthServer } from '../support/oauth-server.js';
import { startOAuthSmtp, type OAuthSmtp } from '../support/oauth-smtp.js';
import { dovecotAvailable, startDovecot, type Dovecot } from '../support/dovecot.js';

const REDIRECT = 'http://127.0.0.1:1/oauth/oidc/callback';
const ALICE = 'alice@example.test';

const signIn = (as: OAuthServer, account: string) => signInWithCode(as, account, REDIRECT);

describe('the local OAuth mail stack', () => {
  let as: OAuthServer;
  let smtp: OAuthSmtp;

  beforeAll(async () => {
    as = await startOAuthServer({ redirectUris: [REDIRECT] });
    smtp = await startOAuthSmtp(as.issuer);
  });
  afterAll(async () => {
    await smtp?.close();
    await as?.close();
  });

  it('should issue an access token, a refresh token and an ID token naming the address when a user consents', async () => {
    const { tokens } = await signIn(as, ALICE);
    expect(tokens.access_token).toBeTruthy();
    expect(tokens.refresh_token).toBeTruthy();
    expect(tokens.claims()?.email).toBe(ALICE);
    expect(tokens.scope?.split(' ')).toContain(MAIL_SCOPE);
  });

  it('should refuse a rotated refresh token used twice when rotation is on', async () => {
    const { config, tokens } = await signIn(as, ALICE);
    const first = await client.refreshTokenGrant(config, tokens.refresh_token!);
    expect(first.refresh_token).not.toBe(tokens.refresh_token);
    await expect(client.refreshTokenGrant(config, tokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
  });

  it('should accept a message over SMTP XOAUTH2 only with a live token of the sender', async () => {
    const { tokens } = await signIn(as, ALICE);
    const send = (user: string, accessToken: string) =>
      nodemailer
        .createTransport({ host: '127.0.0.1', port: smtp.port, secure: false, ignoreTLS: true, auth: { type: 'OAuth2', user, accessToken } })
        .sendMail({ from: user, to: 'carol@example.com', subject: 'hello', text: 'hi' });
    await send(ALICE, tokens.access_token);
    expect(smtp.messages.at(-1)).toMatchObject({ subject: 'hello', authUser: ALICE });
    await expect(send('bob@example.test', tokens.access_token)).rejects.toMatchObject({ code: 'EAUTH', responseCode: 535 });
    await as.revokeAll(ALICE);
    await expect(send(ALICE, tokens.access_token)).rejects.toMatchObject({ code: 'EAUTH', responseCode: 535 });
  });

  describe.skipIf(!dovecotAvailable).each([
    { mechanisms: ['xoauth2', 'oauthbearer'] as const, expected: 'OAUTHBEARER' },
    { mechanisms: ['xoauth2'] as const, expected: 'XOAUTH2' },
  ])('Dovecot offering $mechanisms', ({ mechanisms }) => {
    let dovecot: Dovecot;
    beforeAll(async () => {
      dovecot = await startDovecot({
        oauth2: {
          introspectionUrl: `${as.issuer}/token/introspection`,
          clientId: INTROSPECTION_CLIENT.id,
          clientSecret: INTROSPECTION_CLIENT.secret,
          scope: MAIL_SCOPE,
          mechanisms: [...mechanisms],
        },
      });
      dovecot.addUser(ALICE, 'pw');
    });
    afterAll(async () => {
      await dovecot?.stop();
    });

    const login = async (user: string, accessToken: string) => {
      const c = new ImapFlow({ host: dovecot.host, port: dovecot.port, secure: false, auth: { user, accessToken }, logger: false });
      c.on('error', () => {});
      await c.connect();
      const status = await c.status('INBOX', { messages: true });
      await c.logout();
      return status ? status.messages : null;
    };

    it('should let the owner of a live token read the mailbox and refuse another user and a revoked token', async () => {
      await dovecot.deliver(ALICE, 'pw', 'From: carol@example.com\r\nTo: alice@example.test\r\nSubject: re\r\n\r\nreply\r\n');
      const { tokens } = await signIn(as, ALICE);
      expect(await login(ALICE, tokens.access_token)).toBe(1);
      await expect(login('bob@example.test', tokens.access_token)).rejects.toMatchObject({ authenticationFailed: true });
      await as.revokeAll(ALICE);
      await expect(login(ALICE, tokens.access_token)).rejects.toMatchObject({ authenticationFailed: true });
    });
  });
});
