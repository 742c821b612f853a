import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import nodemailer from 'nodemailer';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dialectCases } from '../support/databases.js';
import { DAY, seedContact, seedSender, seedSequence, startHarness, type Harness } from '../support/harness.js';
import { binaryGarbage, hugeHeader, manyParts } from '../support/hostile-mail.js';

describe.each(dialectCases)('the dev inbox on $dialect', ({ create, skip }) => {
  let h: Harness;
  beforeEach(async (ctx) => {
    if (skip) return ctx.skip();
    h = await startHarness(await create());
  });
  afterEach(async () => h?.close());

  async function started() {
    const rep = await seedSender(h);
    const sequenceId = await seedSequence(h, rep.userId);
    const contactId = await seedContact(h, { email: 'lena@example.com', firstname: 'Lena' });
    await h.api('POST', `/automation/v4/sequences/enrollments?userId=${rep.userId}`, { contactId, sequenceId, senderEmail: rep.email });
    await h.advance(0);
    const [sent] = (await h.api('GET', '/seqflow/v1/dev-mail/messages?to=lena@example.com')).body.results;
    return { rep, contactId, sent };
  }
  const state = async (contactId: string) => (await h.api('GET', `/seqflow/v1/enrollments?contactId=${contactId}`)).body.results[0];

  it('should unenroll with REPLIED and show the reply in the rep’s dev inbox when replying as the contact', async () => {
    const { contactId, sent } = await started();
    const r = await h.api('POST', '/seqflow/v1/dev-mail/reply', { messageId: sent.messageId, text: 'Let’s talk Tuesday.' });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ classification: 'reply', contactId });
    expect(await state(contactId)).toMatchObject({ state: 'UNENROLLED', reason: 'REPLIED' });
    const inbox = (await h.api('GET', '/seqflow/v1/dev-mail/messages?to=rep@acme.test')).body.results;
    expect(inbox[0]).toMatchObject({ subject: 'Re: Hi Lena', text: expect.stringContaining('Tuesday') });
    const addresses = (await h.api('GET', '/seqflow/v1/dev-mail/inboxes')).body.results.map((a: any) => a.address);
    expect(addresses).toEqual(['lena@example.com', 'rep@acme.test']);
    await h.advance(10 * DAY);
    expect((await h.api('GET', '/seqflow/v1/dev-mail/messages?to=lena@example.com')).body.results).toHaveLength(1);
  });

  it('should keep the enrollment when the contact answers with an automatic reply', async () => {
    const { contactId, sent } = await started();
    const r = await h.api('POST', '/seqflow/v1/dev-mail/reply', { messageId: sent.messageId, text: 'I am away.', auto: true });
    expect(r.body.classification).toBe('auto_reply');
    expect((await state(contactId)).state).toBe('ACTIVE');
    const timeline = await h.sf.db.kysely.selectFrom('events').select('type').where('contact_id', '=', Number(contactId)).execute();
    expect(timeline.map((e) => e.type)).toContain('EMAIL_REPLIED_AUTO');
  });

  it('should mark the contact bounced, end the enrollment with BOUNCED and refuse it later when the dev mail server bounces a sequence email', async () => {
    const { rep, contactId, sent } = await started();
    const r = await h.api('POST', '/seqflow/v1/dev-mail/bounce', { messageId: sent.messageId });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ classification: 'bounce', contactId });
    expect(await state(contactId)).toMatchObject({ state: 'UNENROLLED', reason: 'BOUNCED' });
    const [dsn] = (await h.api('GET', '/seqflow/v1/dev-mail/messages?to=rep@acme.test')).body.results;
    expect(dsn).toMatchObject({ subject: 'Undelivered Mail Returned to Sender', headers: { 'content-type': expect.stringContaining('multipart/report') } });
    const sequenceId = await seedSequence(h, rep.userId);
    const again = await h.api('POST', `/automation/v4/sequences/enrollments?userId=${rep.userId}`, { contactId, sequenceId, senderEmail: rep.email });
    expect(again.body.subCategory).toBe('BOUNCED');
  });

  it('should note a delay and keep the enrollment going when the dev mail server bounces temporarily', async () => {
    const { contactId, sent } = await started();
    const r = await h.api('POST', '/seqflow/v1/dev-mail/bounce', { messageId: sent.messageId, permanent: false });
    expect(r.body.classification).toBe('delay');
    expect((await state(contactId)).state).toBe('ACTIVE');
    const timeline = await h.sf.db.kysely.selectFrom('events').select('type').where('contact_id', '=', Number(contactId)).execute();
    expect(timeline.map((e) => e.type)).toContain('EMAIL_DELAYED');
  });

  it('should answer 404 naming nothing sent when asked to bounce a message the dev mail server never received', async () => {
    const r = await h.api('POST', '/seqflow/v1/dev-mail/bounce', { messageId: '<nope@example.com>' });
    expect(r.status).toBe(404);
    expect(r.body.category).toBe('OBJECT_NOT_FOUND');
  });

  /** What any SMTP client does: bytes to the dev mail server, addressed to the rep. */
  async function smtpTo(to: string, raw: Buffer) {
    const transport = nodemailer.createTransport({ host: h.sf.devMail!.host, port: h.sf.devMail!.port, secure: false, ignoreTLS: true });
    try {
      return (await transport.sendMail({ envelope: { from: 'lena@example.com', to: [to] }, raw })).response;
    } finally {
      transport.close();
    }
  }

  it('should quarantine malformed mail sent over SMTP to a dev inbox and still end the enrollment on the next genuine reply', async () => {
    const { rep, contactId, sent } = await started();
    for (const raw of [manyParts('parts'), hugeHeader('header'), binaryGarbage('garbage')]) expect(await smtpTo(rep.email, raw)).toMatch(/^250/);
    const listed = (await h.api('GET', `/seqflow/v1/inboxes/${rep.inboxId}/quarantine`)).body.results;
    expect(listed.map((q: any) => q.reason)).toEqual(['NOT_A_MESSAGE', 'HEADER_TOO_LARGE', 'TOO_MANY_PARTS']);
    expect((await state(contactId)).state).toBe('ACTIVE');

    const reply = await new MailComposer({ from: 'lena@example.com', to: rep.email, subject: `Re: ${sent.subject}`, text: 'Call me.', inReplyTo: sent.messageId, references: [sent.messageId] }).compile().build();
    expect(await smtpTo(rep.email, reply)).toMatch(/^250/);
    expect(await state(contactId)).toMatchObject({ state: 'UNENROLLED', reason: 'REPLIED' });
    // Everything is in the dev inbox too, and nothing was quarantined twice by a retry.
    expect((await h.api('GET', '/seqflow/v1/dev-mail/messages?to=rep@acme.test')).body.results).toHaveLength(4);
    expect((await h.api('GET', `/seqflow/v1/inboxes/${rep.inboxId}/usage`)).body.quarantine).toMatchObject({ count: 3, latestReason: 'NOT_A_MESSAGE' });
    await h.advance(10 * DAY);
    expect((await h.api('GET', '/seqflow/v1/dev-mail/messages?to=lena@example.com')).body.results).toHaveLength(1);
  });

  it('should keep the enrollment going when the rep’s own email comes back to the rep’s dev inbox', async () => {
    const rep = await seedSender(h);
    const sequenceId = await seedSequence(h, rep.userId);
    const self = await seedContact(h, { email: rep.email, firstname: 'Rita' });
    await h.api('POST', `/automation/v4/sequences/enrollments?userId=${rep.userId}`, { contactId: self, sequenceId, senderEmail: rep.email });
    await h.advance(0);
    await h.advance(3 * DAY);
    expect((await h.api('GET', `/seqflow/v1/dev-mail/messages?to=${rep.email}`)).body.results).toHaveLength(2);
    expect((await state(self)).state).toBe('ACTIVE');
  });

  it('should answer 404 when the message id is unknown', async () => {
    const r = await h.api('POST', '/seqflow/v1/dev-mail/reply', { messageId: '<nope@example.com>', text: 'x' });
    expect(r.status).toBe(404);
  });
});
