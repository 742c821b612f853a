import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dialectCases } from '../support/databases.js';
import { DAY, seedContact, seedSender, seedSequence, startHarness, type Harness } from '../support/harness.js';

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

  it('should answer 404 when the message id is unknown', async () => {
    const r = await h.api('POST', '/seqflow/v1/dev-mail/reply', { messageId: '<nope@example.com>', text: 'x' });
    expect(r.status).toBe(404);
  });
});
