/**
 * An OAuth inbox at work on the local stack: it sends with XOAUTH2 and reads replies over IMAP
 * with tokens, refreshes before expiry, waits (never fails, never sends twice) while access is
 * lost, and tells the right people once.
 */
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { dialectCases } from '../support/databases.js';
import { dovecotAvailable } from '../support/dovecot.js';
import { MINUTE, seedContact, seedSequence, startHarness, type Harness } from '../support/harness.js';
import { eventually } from '../support/processes.js';
import { connectMailbox, startOAuthStack, type OAuthStack } from '../support/oauth-stack.js';
import { TEST_CLIENT } from '../support/oauth-server.js';

const ALICE = 'alice@example.test';
const compose = (o: ConstructorParameters<typeof MailComposer>[0]) => new MailComposer(o).compile().build();

describe.each(dialectCases)('an OAuth inbox on $dialect', ({ create, skip }) => {
  let stack: OAuthStack;
  let h: Harness;
  let userId: string;
  let inboxId: string;

  beforeAll(async () => {
    if (skip || !dovecotAvailable) return;
    stack = await startOAuthStack();
    stack.dovecot.addUser(ALICE, 'pw');
  });
  afterAll(async () => {
    await stack?.stop();
  });
  beforeEach(async (ctx) => {
    if (skip || !dovecotAvailable) return ctx.skip();
    stack.as.up();
    stack.as.setAccessTokenTtl(3600);
    stack.smtp.messages.length = 0;
    h = await startHarness(await create(), {
      settings: stack.settings(),
      inboxWatch: { leaseMs: 5_000, renewMs: 200, watcher: { pollMs: 300, autoIdleDelayMs: 100, backoff: { initialMs: 100, maxMs: 400 }, connectTimeoutMs: 2_000 } },
      replyDetectionAlarmMs: 3_600_000,
      replyDetectionCheckMs: 0,
    });
    userId = (await h.api('POST', '/settings/v3/users/', { email: ALICE, firstName: 'Alice', lastName: 'Rep', seat: 'sales_professional', timezone: 'UTC' })).body.id;
  });
  afterEach(async () => {
    await h?.close();
  });

  const connect = async () => {
    const landed = await connectMailbox(h, stack, userId, ALICE);
    expect(landed.searchParams.get('oauth')).toBe('connected');
    inboxId = landed.searchParams.get('inbox')!;
  };
  const enroll = async (sequenceId: string, email: string) => {
    const contactId = await seedContact(h, { email, firstname: email.split('@')[0] });
    const r = await h.api('POST', `/automation/v4/sequences/enrollments?userId=${userId}`, { contactId, sequenceId, senderEmail: ALICE });
    expect(r.status).toBe(200);
    return contactId;
  };
  const enrollment = async (contactId: string) => (await h.api('GET', `/seqflow/v1/enrollments?contactId=${contactId}`)).body.results[0];
  const inboxStatus = async () => (await h.api('GET', `/seqflow/v1/users/${userId}/inboxes`)).body.results.find((i: { id: string }) => i.id === inboxId).status;
  const oauthStatus = async () => (await h.api('GET', `/seqflow/v1/inboxes/${inboxId}/oauth`)).body;
  const delivered = (to: string) => stack.smtp.messages.filter((m) => m.to && JSON.stringify(m.to).includes(to));

  it('should send with XOAUTH2 and end the enrollment when the reply is read over IMAP with a token', async () => {
    await connect();
    const sequenceId = await seedSequence(h, userId);
    const lena = await enroll(sequenceId, 'lena@example.com');
    await h.advance(0);
    const [first] = delivered('lena@example.com');
    expect(first).toMatchObject({ authUser: ALICE });
    await stack.dovecot.deliver(
      ALICE,
      'pw',
      await compose({ from: 'lena@example.com', to: ALICE, subject: `Re: ${first.subject}`, text: 'Yes, call me.', inReplyTo: first.messageId!, references: [first.messageId!] }),
    );
    await h.sf.inboxWatchers!.reconcile();
    await eventually(async () => (await enrollment(lena)).state !== 'ACTIVE', 20_000, 250);
    expect(await enrollment(lena)).toMatchObject({ reason: 'REPLIED' });
  });

  it('should send from a send-as alias, signed in as the mailbox, when the inbox was connected with it', async () => {
    const landed = await connectMailbox(h, stack, userId, ALICE, { aliases: ['sales@example.test'] });
    inboxId = landed.searchParams.get('inbox')!;
    const [inbox] = (await h.api('GET', `/seqflow/v1/users/${userId}/inboxes`)).body.results;
    expect(inbox.aliases).toEqual(['sales@example.test']);
    const sequenceId = await seedSequence(h, userId);
    const contactId = await seedContact(h, { email: 'ola@example.com', firstname: 'Ola' });
    const r = await h.api('POST', `/automation/v4/sequences/enrollments?userId=${userId}`, { contactId, sequenceId, senderEmail: 'sales@example.test' });
    expect(r.status).toBe(200);
    await h.advance(0);
    const [sent] = delivered('ola@example.com');
    expect(sent).toMatchObject({ authUser: ALICE });
    expect(sent.from?.value[0].address).toBe('sales@example.test');
  });

  it('should refresh the access token before it expires and send with the new one', async () => {
    // Tokens that live less than the refresh margin are refreshed before each use.
    stack.as.setAccessTokenTtl(120);
    await connect();
    const before = stack.as.refreshes;
    const sequenceId = await seedSequence(h, userId);
    await enroll(sequenceId, 'max@example.com');
    await h.advance(0);
    // Refreshed while the old token was still valid, and the send signed in with the new one.
    expect(stack.as.refreshes).toBeGreaterThan(before);
    expect(stack.as.refreshErrors).toEqual([]);
    expect(delivered('max@example.com')).toHaveLength(1);
    expect(stack.smtp.logins.at(-1)).toEqual({ user: ALICE, ok: true });
  });

  it('should make emails wait when the grant is revoked, tell the rep once, and send each exactly once after the reconnect', async () => {
    await connect();
    const sequenceId = await seedSequence(h, userId);
    const contacts = [await enroll(sequenceId, 'ann@example.com'), await enroll(sequenceId, 'bob@example.com')];
    await stack.as.revokeAll(ALICE);
    await h.advance(0);
    await h.advance(0);
    expect(stack.smtp.messages).toHaveLength(0);
    for (const c of contacts) expect(await enrollment(c)).toMatchObject({ state: 'PAUSED', reason: 'INBOX_DISCONNECTED' });
    expect(await oauthStatus()).toMatchObject({ state: 'reconnect', waitingEnrollments: 2 });
    expect(await inboxStatus()).toBe('error');
    const notes = (await h.api('GET', `/seqflow/v1/notifications?userId=${userId}&open=true`)).body.results;
    expect(notes).toHaveLength(1);
    expect(notes[0].subject).toMatch(/Reconnect your mailbox/);

    const landed = await connectMailbox(h, stack, userId, ALICE, { inboxId });
    expect(landed.searchParams.get('oauth')).toBe('reconnected');
    await h.sf.inboxWatchers!.reconcile();
    // Resumed only after the watcher has read the mailbox since the reconnect.
    await eventually(
      async () => {
        await h.advance(0);
        return (await enrollment(contacts[0])).state === 'ACTIVE' || delivered('ann@example.com').length > 0;
      },
      20_000,
      250,
    );
    await h.advance(0);
    await h.advance(MINUTE);
    const ids = stack.smtp.messages.map((m) => m.messageId);
    expect(delivered('ann@example.com')).toHaveLength(1);
    expect(delivered('bob@example.com')).toHaveLength(1);
    expect(new Set(ids).size).toBe(ids.length);
    expect(await oauthStatus()).toMatchObject({ state: 'connected', waitingEnrollments: 0 });
    expect(await inboxStatus()).toBe('connected');
    expect((await h.api('GET', `/seqflow/v1/notifications?userId=${userId}&open=true`)).body.results).toHaveLength(0);
  });

  it('should leave emails that waited past the horizon paused and tell the rep, instead of sending them in a burst, after a late reconnect', async () => {
    await connect();
    const sequenceId = await seedSequence(h, userId);
    const ann = await enroll(sequenceId, 'ann@example.com');
    await stack.as.revokeAll(ALICE);
    await h.advance(0);
    expect(await enrollment(ann)).toMatchObject({ state: 'PAUSED', reason: 'INBOX_DISCONNECTED' });
    await h.advance(73 * 60 * MINUTE);
    await connectMailbox(h, stack, userId, ALICE, { inboxId });
    await h.sf.inboxWatchers!.reconcile();
    await eventually(
      async () => {
        await h.advance(0);
        return (await h.api('GET', `/seqflow/v1/notifications?userId=${userId}&open=true`)).body.results.some((n: { subject: string }) => /were not sent after the reconnect/.test(n.subject));
      },
      20_000,
      250,
    );
    expect(await enrollment(ann)).toMatchObject({ state: 'PAUSED', reason: 'INBOX_DISCONNECTED' });
    expect(stack.smtp.messages).toHaveLength(0);
  });

  it('should show "retrying", not ask for a reconnect, and send later when the provider is down', async () => {
    stack.as.setAccessTokenTtl(120);
    await connect();
    const sequenceId = await seedSequence(h, userId);
    const zoe = await enroll(sequenceId, 'zoe@example.com');
    stack.as.down();
    await h.advance(0);
    expect(await oauthStatus()).toMatchObject({ state: 'retrying', waitingEnrollments: 0 });
    expect(await inboxStatus()).toBe('connected');
    expect(await enrollment(zoe)).toMatchObject({ state: 'ACTIVE' });
    expect((await h.api('GET', `/seqflow/v1/notifications?userId=${userId}`)).body.results).toHaveLength(0);
    stack.as.up();
    await h.advance(6 * MINUTE);
    expect(delivered('zoe@example.com')).toHaveLength(1);
    expect((await oauthStatus()).state).toBe('connected');
  });

  it('should raise one admin alert and no rep prompt when the client secret is wrong, and resume by itself once it is fixed', async () => {
    const admin = await h.api('POST', '/settings/v3/users/', { email: 'boss@acme.test', firstName: 'Bea', lastName: 'Boss', role: 'admin' });
    stack.as.setAccessTokenTtl(120);
    await connect();
    const sequenceId = await seedSequence(h, userId);
    await enroll(sequenceId, 'ann@example.com');
    // The admin rotated the secret at the provider but configured a wrong one here.
    h.sf.deps.settings.oidcClientSecret = 'not-the-secret';
    await h.advance(0);
    await h.advance(0);
    expect(await oauthStatus()).toMatchObject({ state: 'admin', code: 'invalid_client' });
    const adminNotes = (await h.api('GET', `/seqflow/v1/notifications?userId=${admin.body.id}&open=true`)).body.results;
    expect(adminNotes).toHaveLength(1);
    expect(adminNotes[0].body).toMatch(/reps need not reconnect/);
    expect((await h.api('GET', `/seqflow/v1/notifications?userId=${userId}&open=true`)).body.results).toHaveLength(0);

    // The admin sets the right secret: the mailbox comes back by itself and the email goes out once.
    h.sf.deps.settings.oidcClientSecret = TEST_CLIENT.secret;
    // The watcher's next sign-in (here: after the server closed its session) refreshes with the fixed secret.
    await stack.dovecot.restart();
    await h.sf.inboxWatchers!.reconcile();
    await eventually(
      async () => {
        await h.advance(0);
        return delivered('ann@example.com').length > 0;
      },
      20_000,
      250,
    );
    expect(await oauthStatus()).toMatchObject({ state: 'connected', waitingEnrollments: 0 });
    expect((await h.api('GET', `/seqflow/v1/notifications?userId=${admin.body.id}&open=true`)).body.results).toHaveLength(0);
    await h.advance(MINUTE);
    expect(delivered('ann@example.com')).toHaveLength(1);

    // The same fault again later is a new incident: the admins hear of it again.
    h.sf.deps.settings.oidcClientSecret = 'not-the-secret';
    await enroll(sequenceId, 'bob@example.com');
    await h.advance(0);
    await h.advance(0);
    expect(await oauthStatus()).toMatchObject({ state: 'admin', code: 'invalid_client' });
    const again = (await h.api('GET', `/seqflow/v1/notifications?userId=${admin.body.id}`)).body.results;
    expect(again.map((n: { resolvedAt: string | null }) => n.resolvedAt === null)).toEqual([true, false]);
  });
});
