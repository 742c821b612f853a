/**
 * "Connect" for OAuth mailboxes through the real redirect flow against the local stack: the
 * authorization server signs the rep in, Seqflow checks the consent and signs in to IMAP and SMTP
 * with the new token before the inbox shows "Connected".
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { dialectCases } from '../support/databases.js';
import { dovecotAvailable } from '../support/dovecot.js';
import { startHarness, type Harness } from '../support/harness.js';
import { followLogin } from '../support/oauth-server.js';
import { CALLBACK, completeCallback, connectMailbox, startOAuthStack, type OAuthStack } from '../support/oauth-stack.js';

const ALICE = 'alice@example.test';

describe.each(dialectCases)('connecting an OAuth mailbox on $dialect', ({ create, skip }) => {
  let stack: OAuthStack;
  let h: Harness;
  let userId: string;

  beforeAll(async () => {
    if (skip || !dovecotAvailable) return;
    stack = await startOAuthStack();
  });
  afterAll(async () => {
    await stack?.stop();
  });
  beforeEach(async (ctx) => {
    if (skip || !dovecotAvailable) return ctx.skip();
    stack.as.withhold([]);
    stack.smtp.smtpAuthDisabled = false;
    h = await startHarness(await create(), { settings: stack.settings(), inboxWatch: null });
    const user = await h.api('POST', '/settings/v3/users/', { email: ALICE, firstName: 'Alice', lastName: 'Rep', seat: 'sales_professional' });
    userId = user.body.id;
  });
  afterEach(async () => {
    await h?.close();
  });

  const inboxesOf = async () => (await h.api('GET', `/seqflow/v1/users/${userId}/inboxes`)).body.results;

  it('should list the configured provider with the redirect URI to register when asked', async () => {
    const r = await h.api('GET', '/seqflow/v1/oauth/providers');
    expect(r.body.results).toEqual([{ id: 'oidc', label: 'Acme Mail', redirectUri: CALLBACK }]);
  });

  it('should connect the mailbox named by the ID token and show it connected when the rep consents', async () => {
    const landed = await connectMailbox(h, stack, userId, ALICE);
    expect(landed.searchParams.get('oauth')).toBe('connected');
    const [inbox] = await inboxesOf();
    expect(inbox).toMatchObject({ id: landed.searchParams.get('inbox'), address: ALICE, status: 'connected', provider: 'imap' });
    const status = await h.api('GET', `/seqflow/v1/inboxes/${inbox.id}/oauth`);
    expect(status.body).toMatchObject({ provider: 'oidc', login: ALICE, state: 'connected', waitingEnrollments: 0 });
    // Signed in to both servers with the new token before "Connected".
    expect(stack.smtp.logins.at(-1)).toEqual({ user: ALICE, ok: true });
    // Tokens are sealed at rest and never in an answer.
    const row = await h.sf.db.kysely.selectFrom('inbox_oauth').selectAll().executeTakeFirstOrThrow();
    expect(row.access_token).toMatch(/^sf1:/);
    expect(row.refresh_token).toMatch(/^sf1:/);
    const plain = h.sf.deps.secrets.open(row.access_token!);
    expect(JSON.stringify([inbox, status.body])).not.toContain(plain);
  });

  it('should refuse the consent with a clear message and create no inbox when the mail permission was unticked', async () => {
    stack.as.withhold(['mail']);
    const landed = await connectMailbox(h, stack, userId, ALICE);
    expect(landed.searchParams.get('oauth')).toBe('failed');
    expect(landed.searchParams.get('code')).toBe('MISSING_SCOPE');
    expect(landed.searchParams.get('message')).toMatch(/permission to read and send mail was not granted/);
    expect(await inboxesOf()).toEqual([]);
  });

  it('should refuse a callback whose state was already used when the browser replays it', async () => {
    const start = await h.api('POST', `/seqflow/v1/users/${userId}/inboxes/oauth/oidc/start`, {});
    const back = await followLogin(start.body.authorizationUrl, CALLBACK);
    expect((await completeCallback(h, back)).searchParams.get('oauth')).toBe('connected');
    const again = await completeCallback(h, back);
    expect(again.searchParams.get('code')).toBe('STATE_INVALID');
    const forged = new URL(back);
    forged.searchParams.set('state', 'made-up');
    expect((await completeCallback(h, forged.toString())).searchParams.get('code')).toBe('STATE_INVALID');
  });

  it('should tell the admin to turn SMTP AUTH on, and not connect, when the mail server refuses it with 535 5.7.139', async () => {
    stack.smtp.smtpAuthDisabled = true;
    const landed = await connectMailbox(h, stack, userId, ALICE);
    expect(landed.searchParams.get('code')).toBe('ADMIN_ACTION_NEEDED');
    expect(landed.searchParams.get('message')).toMatch(/SMTP AUTH is turned off/);
    expect(await inboxesOf()).toEqual([]);
  });

  it('should refuse a reconnect signed in to another account and keep the inbox as it was', async () => {
    await connectMailbox(h, stack, userId, ALICE);
    const [inbox] = await inboxesOf();
    const landed = await connectMailbox(h, stack, userId, 'mallory@example.test', { inboxId: inbox.id });
    expect(landed.searchParams.get('code')).toBe('OTHER_ACCOUNT');
    expect(landed.searchParams.get('message')).toMatch(/signed in as mallory@example.test, but this inbox is alice@example.test/);
    expect((await inboxesOf()).map((i: { address: string }) => i.address)).toEqual([ALICE]);
  });

  it('should answer the field in error when the provider is not configured', async () => {
    const r = await h.api('POST', `/seqflow/v1/users/${userId}/inboxes/oauth/google/start`, {});
    expect(r.status).toBe(400);
    expect(r.body.errors[0]).toMatchObject({ in: 'provider', code: 'OAUTH_PROVIDER_NOT_CONFIGURED' });
  });
});
