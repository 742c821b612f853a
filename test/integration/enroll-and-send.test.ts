import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dialectCases } from '../support/databases.js';
import { DAY, HOUR, seedContact, seedSender, seedSequence, startHarness, type Harness } from '../support/harness.js';

describe.each(dialectCases)('sequence emails on $dialect', ({ create, skip }) => {
  let h: Harness;
  beforeEach(async (ctx) => {
    if (skip) return ctx.skip();
    h = await startHarness(await create());
  });
  afterEach(async () => h?.close());

  const enroll = (userId: string, body: Record<string, unknown>) =>
    h.api('POST', `/automation/v4/sequences/enrollments?userId=${userId}`, body);
  const devMail = async (to: string) => (await h.api('GET', `/seqflow/v1/dev-mail/messages?to=${encodeURIComponent(to)}`)).body.results;

  it('should send each step once, threaded, from the chosen address when a contact is enrolled', async () => {
    const rep = await seedSender(h, { aliases: ['sales@acme.test'] });
    const seq = await seedSequence(h, rep.userId);
    const contactId = await seedContact(h, { email: 'Lead@Example.com', firstname: 'Lena' });

    const r = await enroll(rep.userId, { contactId, sequenceId: seq, senderEmail: rep.email, senderAliasAddress: 'sales@acme.test' });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ toEmail: 'Lead@Example.com' });
    expect(Object.keys(r.body).sort()).toEqual(['enrolledAt', 'id', 'toEmail', 'updatedAt']);

    await h.advance(0);
    let mail = await devMail('lead@example.com');
    expect(mail).toHaveLength(1);
    expect(mail[0].subject).toBe('Hi Lena');
    expect(mail[0].from).toContain('sales@acme.test');
    expect(mail[0].headers['list-unsubscribe']).toMatch(/\/seqflow\/v1\/unsubscribe\//);
    expect(mail[0].headers['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');

    await h.advance(3 * DAY - HOUR);
    expect(await devMail('lead@example.com')).toHaveLength(1);
    await h.advance(HOUR);
    mail = await devMail('lead@example.com');
    expect(mail).toHaveLength(2);
    const followUp = mail.find((m: any) => m.subject === 'Re: Hi Lena');
    expect(followUp.headers['in-reply-to']).toBe(mail.find((m: any) => m.subject === 'Hi Lena').messageId);

    await h.advance(10 * DAY);
    expect(await devMail('lead@example.com')).toHaveLength(3);
    const state = await h.api('GET', `/seqflow/v1/enrollments?contactId=${contactId}`);
    expect(state.body.results[0]).toMatchObject({ state: 'FINISHED', sends: [{ status: 'SENT' }, { status: 'SENT' }, { status: 'SENT' }] });
    expect(new Set(state.body.results[0].sends.map((s: any) => s.messageId)).size).toBe(3);
  });

  it('should send nothing more when the contact is unenrolled between steps', async () => {
    const rep = await seedSender(h);
    const seq = await seedSequence(h, rep.userId);
    const contactId = await seedContact(h, { email: 'stop@example.com' });
    await enroll(rep.userId, { contactId, sequenceId: seq, senderEmail: rep.email });
    await h.advance(0);
    const un = await h.api('POST', `/seqflow/v1/contacts/${contactId}/unenroll`);
    expect(un.status).toBe(200);
    expect(un.body).toMatchObject({ state: 'UNENROLLED', reason: 'MANUAL' });
    await h.advance(30 * DAY);
    expect(await devMail('stop@example.com')).toHaveLength(1);
    const again = await h.api('POST', `/seqflow/v1/contacts/${contactId}/unenroll`);
    expect(again.status).toBe(404);
    expect(again.body.subCategory).toBe('NOT_ENROLLED');
  });
});
