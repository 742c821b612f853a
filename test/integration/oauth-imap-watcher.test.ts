/**
 * The IMAP watcher of an OAuth inbox against Dovecot validating tokens at the local authorization
 * server: it signs in with a fresh token at every (re)connect and recycles its session before the
 * token runs out, still reading every reply.
 */
import * as client from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startImapWatcher } from '../../src/mail/imap-watcher.js';
import { dovecotAvailable, startDovecot, type Dovecot } from '../support/dovecot.js';
import { INTROSPECTION_CLIENT, MAIL_SCOPE, signInWithCode, startOAuthServer, type OAuthServer } from '../support/oauth-server.js';
import { eventually } from '../support/processes.js';

const ALICE = 'alice@example.test';
const REDIRECT = 'http://127.0.0.1:1/oauth/oidc/callback';

describe.skipIf(!dovecotAvailable)('the IMAP watcher of an OAuth inbox', () => {
  let as: OAuthServer;
  let dovecot: Dovecot;
  beforeAll(async () => {
    as = await startOAuthServer({ redirectUris: [REDIRECT] });
    dovecot = await startDovecot({ oauth2: { introspectionUrl: `${as.issuer}/token/introspection`, clientId: INTROSPECTION_CLIENT.id, clientSecret: INTROSPECTION_CLIENT.secret, scope: MAIL_SCOPE } });
    dovecot.addUser(ALICE, 'pw');
  });
  afterAll(async () => {
    await dovecot?.stop();
    await as?.close();
  });

  it('should reconnect with a freshly refreshed token when the old one is about to expire and keep reading replies', async () => {
    const signedIn = await signInWithCode(as, ALICE, REDIRECT);
    const config = signedIn.config;
    let tokens: { access_token: string; refresh_token?: string } = signedIn.tokens;
    const used: string[] = [];
    const subjects: string[] = [];
    const watcher = startImapWatcher({
      settings: { host: dovecot.host, port: dovecot.port },
      signIn: async () => {
        if (used.length) tokens = await client.refreshTokenGrant(config, tokens.refresh_token!);
        used.push(tokens.access_token);
        // As if each token had a second left: the watcher must recycle the session.
        return { settings: { host: dovecot.host, port: dovecot.port, xoauth2: { user: ALICE, accessToken: tokens.access_token } }, validUntil: Date.now() + 700 };
      },
      loadState: async () => ({ uidValidity: null, lastUid: 0 }),
      saveState: async () => {},
      onMessage: async (m) => void subjects.push(/Subject: (.*)/.exec(m.source.toString())?.[1]?.trim() ?? ''),
      onError: () => {},
      notBefore: new Date(0),
      pollMs: 200,
      autoIdleDelayMs: 100,
      backoff: { initialMs: 100, maxMs: 400 },
    });
    try {
      await dovecot.deliver(ALICE, 'pw', 'From: lena@example.com\r\nTo: alice@example.test\r\nSubject: first\r\n\r\nhi\r\n');
      await eventually(async () => subjects.includes('first'), 10_000, 100);
      await eventually(async () => used.length >= 3, 10_000, 100);
      await dovecot.deliver(ALICE, 'pw', 'From: lena@example.com\r\nTo: alice@example.test\r\nSubject: second\r\n\r\nhi\r\n');
      await eventually(async () => subjects.includes('second'), 10_000, 100);
    } finally {
      await watcher.stop();
    }
    expect(new Set(used).size).toBe(used.length);
    expect(as.refreshErrors).toEqual([]);
  });
});
