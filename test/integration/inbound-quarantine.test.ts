import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createInboxWatchers, type InboxWatchers } from '../../src/engine/inbox-watchers.js';
import { dialectCases } from '../support/databases.js';
import { dovecotAvailable, startDovecot, type Dovecot } from '../support/dovecot.js';
import { DAY, seedContact, seedSequence, startHarness, type Harness } from '../support/harness.js';
import { binaryGarbage, deeplyNested, hugeHeader, manyParts } from '../support/hostile-mail.js';
import { eventually } from '../support/processes.js';

const REP = 'rep@acme.test';
const PASS = 'secret';
const WATCH = { leaseMs: 5_000, renewMs: 200, watcher: { pollMs: 300, autoIdleDelayMs: 100, backoff: { initialMs: 100, maxMs: 400 }, connectTimeoutMs: 2_000 } };

const compose = (o: ConstructorParameters<typeof MailComposer>[0]) => new MailComposer(o).compile().build();

/**
 * Issue #9: one message nobody can read must never stop reply detection. Hostile mail lands in a
 * real Dovecot inbox ahead of a genuine reply; the reply must still end the enrollment.
 */
describe.each(dialectCases)('malformed mail ahead of a reply over real IMAP on $dialect', ({ create, skip }) => {
  let h: Harness;
  let dovecot: Dovecot;
  let restarted: InboxWatchers | null = null;
  beforeEach(async (ctx) => {
    if (skip || !dovecotAvailable) return ctx.skip();
    dovecot = await startDovecot();
    dovecot.addUser(REP, PASS);
    h = await startHarness(await create(), { inboxWatch: WATCH });
  });
  afterEach(async () => {
    await restarted?.stop();
    restarted = null;
    await h?.close();
    await dovecot?.stop();
  });

  async function enrolled(email: string) {
    const user = await h.api('POST', '/settings/v3/users/', { email: REP, firstName: 'Rita', lastName: 'Rep', seat: 'sales_professional', timezone: 'UTC' });
    const inbox = await h.api('POST', `/seqflow/v1/users/${user.body.id}/inboxes`, {
      address: REP,
      provider: 'imap',
      smtp: { host: '127.0.0.1', port: h.sf.devMail!.port },
      imap: { host: dovecot.host, port: dovecot.port, auth: { user: REP, pass: PASS } },
    });
    expect(inbox.status).toBe(201);
    const sequenceId = await seedSequence(h, user.body.id);
    const contactId = await seedContact(h, { email, firstname: 'Lena' });
    expect((await h.api('POST', `/automation/v4/sequences/enrollments?userId=${user.body.id}`, { contactId, sequenceId, senderEmail: REP })).status).toBe(200);
    await h.sf.inboxWatchers!.reconcile();
    await h.advance(0);
    const [first] = (await h.api('GET', `/seqflow/v1/dev-mail/messages?to=${encodeURIComponent(email)}`)).body.results;
    await eventually(async () => (await h.api('GET', `/seqflow/v1/inboxes/${inbox.body.id}/usage`)).body.sync?.status === 'ok');
    return { inboxId: inbox.body.id as string, contactId, first };
  }
  const enrollment = async (contactId: string) => (await h.api('GET', `/seqflow/v1/enrollments?contactId=${contactId}`)).body.results[0];
  const quarantine = async (inboxId: string) => (await h.api('GET', `/seqflow/v1/inboxes/${inboxId}/quarantine`)).body.results as Array<Record<string, any>>;
  const processed = () => h.sf.db.kysely.selectFrom('inbound_messages').selectAll().execute();
  const watermark = async () => Number((await h.sf.db.kysely.selectFrom('inbox_watch').select('last_uid').executeTakeFirstOrThrow()).last_uid);

  it('should end the enrollment with REPLIED and quarantine each malformed message when a malformed-MIME corpus lands before a genuine reply', async () => {
    const { inboxId, contactId, first } = await enrolled('lena@example.com');
    const corpus = [
      { raw: manyParts('parts'), reason: 'TOO_MANY_PARTS' },
      { raw: hugeHeader('header'), reason: 'HEADER_TOO_LARGE' },
      { raw: binaryGarbage('garbage'), reason: 'NOT_A_MESSAGE' },
      { raw: deeplyNested('nested'), reason: 'TOO_MANY_PARTS' },
    ];
    for (const m of corpus) await dovecot.deliver(REP, PASS, m.raw);
    const reply = await compose({ from: 'lena@example.com', to: REP, subject: `Re: ${first.subject}`, text: 'Yes, let us talk.', inReplyTo: first.messageId, references: [first.messageId] });
    await dovecot.deliver(REP, PASS, reply);
    const lastUid = corpus.length + 1;

    await eventually(async () => (await enrollment(contactId)).state === 'UNENROLLED', 20_000);
    expect(await enrollment(contactId)).toMatchObject({ state: 'UNENROLLED', reason: 'REPLIED' });
    await eventually(async () => (await watermark()) >= lastUid);

    const listed = await quarantine(inboxId);
    expect(listed.map((q) => q.reason)).toEqual(corpus.map((m) => m.reason).reverse());
    expect(listed.every((q) => q.attempts === 1 && typeof q.detail === 'string' && q.detail.length > 0)).toBe(true);
    const usage = (await h.api('GET', `/seqflow/v1/inboxes/${inboxId}/usage`)).body;
    expect(usage.quarantine).toMatchObject({ count: corpus.length, latestReason: 'TOO_MANY_PARTS' });
    expect(usage.sync.status).toBe('ok');
    const health = (await h.api('GET', '/seqflow/v1/health', undefined, { token: null })).body;
    expect(health.inboxes).toEqual([expect.objectContaining({ id: inboxId, quarantine: expect.objectContaining({ count: corpus.length }) })]);

    // A restarted watcher starts from the watermark: nothing comes back, nothing is quarantined twice.
    const before = { processed: (await processed()).length, listed };
    await h.sf.inboxWatchers!.stop();
    restarted = createInboxWatchers(h.sf.deps, { worker: 'restarted', ...WATCH });
    await restarted.reconcile();
    await dovecot.deliver(REP, PASS, await compose({ from: 'someone@else.example', to: REP, subject: 'After the restart', text: 'Hello' }));
    await eventually(async () => (await processed()).length === before.processed + 1, 20_000);
    expect(await quarantine(inboxId)).toEqual(before.listed);
    expect(await h.sf.db.kysely.selectFrom('events').selectAll().where('type', '=', 'EMAIL_REPLIED').execute()).toHaveLength(1);
    await h.advance(10 * DAY);
    expect((await h.api('GET', `/seqflow/v1/dev-mail/messages?to=lena%40example.com`)).body.results).toHaveLength(1);
  });

  it('should end the enrollment from the headers and quarantine nothing when a genuine reply is too large to read whole', async () => {
    const { inboxId, contactId, first } = await enrolled('lena@example.com');
    const deck = Buffer.alloc(11 * 1024 * 1024, 'slide ');
    const reply = await compose({
      from: 'lena@example.com',
      to: REP,
      subject: `Re: ${first.subject}`,
      text: 'Our deck is attached.',
      inReplyTo: first.messageId,
      references: [first.messageId],
      attachments: [{ filename: 'deck.pdf', content: deck }],
    });
    await dovecot.deliver(REP, PASS, reply);
    await eventually(async () => (await enrollment(contactId)).state === 'UNENROLLED', 20_000);
    expect((await enrollment(contactId)).reason).toBe('REPLIED');
    expect(await quarantine(inboxId)).toEqual([]);
  });

  it('should end the enrollment from its thread headers and still list it when a reply has 2,000 MIME parts', async () => {
    const { inboxId, contactId, first } = await enrolled('lena@example.com');
    await dovecot.deliver(REP, PASS, manyParts('threaded', 2_000, { From: 'lena@example.com', 'In-Reply-To': first.messageId }));
    await eventually(async () => (await enrollment(contactId)).state === 'UNENROLLED', 20_000);
    expect((await enrollment(contactId)).reason).toBe('REPLIED');
    expect(await quarantine(inboxId)).toEqual([expect.objectContaining({ reason: 'TOO_MANY_PARTS', classifiedAs: 'reply', messageId: '<threaded@attacker.example>' })]);
  });

  it('should list quarantined messages newest first, a page at a time, and serve the kept bytes', async () => {
    const { inboxId } = await enrolled('lena@example.com');
    for (const id of ['q1', 'q2', 'q3']) await dovecot.deliver(REP, PASS, manyParts(id));
    await eventually(async () => (await quarantine(inboxId)).length === 3, 20_000);
    const page1 = (await h.api('GET', `/seqflow/v1/inboxes/${inboxId}/quarantine?limit=2`)).body;
    expect(page1.results.map((q: any) => q.messageId)).toEqual(['<q3@attacker.example>', '<q2@attacker.example>']);
    const page2 = (await h.api('GET', `/seqflow/v1/inboxes/${inboxId}/quarantine?limit=2&after=${page1.paging.next.after}`)).body;
    expect(page2.results.map((q: any) => q.messageId)).toEqual(['<q1@attacker.example>']);
    expect(page2.paging).toBeUndefined();
    const raw = await h.sf.app!.inject({ method: 'GET', url: `/seqflow/v1/inboxes/${inboxId}/quarantine/${page2.results[0].id}/raw`, headers: { authorization: 'Bearer test-admin-token' } });
    expect(raw.statusCode).toBe(200);
    expect(raw.headers['content-type']).toMatch(/^message\/rfc822/);
    expect(raw.body).toContain('Message-ID: <q1@attacker.example>');
    expect((await h.api('GET', `/seqflow/v1/inboxes/999/quarantine`)).body).toMatchObject({ status: 'error', category: 'OBJECT_NOT_FOUND' });
    expect((await h.api('GET', `/seqflow/v1/inboxes/${inboxId}/quarantine?limit=0`)).body).toMatchObject({ status: 'error', category: 'VALIDATION_ERROR' });
    expect((await h.api('GET', `/seqflow/v1/inboxes/${inboxId}/quarantine/999999/raw`)).status).toBe(404);
  });
});
