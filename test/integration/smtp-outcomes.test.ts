import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSmtpSink, type SinkBehaviour, type SmtpSink } from '../../src/mail/smtp-sink.js';
import { dialectCases } from '../support/databases.js';
import { MINUTE, seedContact, seedSequence, startHarness, type Harness } from '../support/harness.js';

describe.each(dialectCases)('SMTP replies on $dialect', ({ create, skip }) => {
  let h: Harness;
  let sink: SmtpSink;
  let script: SinkBehaviour[] = [];
  beforeEach(async (ctx) => {
    if (skip) return ctx.skip();
    script = [];
    sink = await startSmtpSink({
      behaviour: (n) => script[n - 1] ?? 'accept',
      refuseRecipients: { 'gone@example.com': '550 5.1.1 <gone@example.com>: Recipient address rejected: User unknown in virtual mailbox table' },
    });
    h = await startHarness(await create());
  });
  afterEach(async () => {
    await h?.close();
    await sink?.close();
  });

  let enrolled: { userId: string; sequenceId: string };
  async function enrollOne(email = 'lead@example.com') {
    const user = await h.api('POST', '/settings/v3/users/', { email: 'rep@acme.test', seat: 'sales_enterprise', timezone: 'UTC' });
    const inbox = await h.api('POST', `/seqflow/v1/users/${user.body.id}/inboxes`, {
      address: 'rep@acme.test',
      provider: 'office365',
      smtp: { host: '127.0.0.1', port: sink.port },
    });
    expect(inbox.status).toBe(201);
    const seq = await seedSequence(h, user.body.id);
    const contactId = await seedContact(h, { email, firstname: 'Lena' });
    const r = await h.api('POST', `/automation/v4/sequences/enrollments?userId=${user.body.id}`, { contactId, sequenceId: seq, senderEmail: 'rep@acme.test' });
    expect(r.status).toBe(200);
    enrolled = { userId: user.body.id, sequenceId: seq };
    return contactId;
  }
  const enrollment = async (contactId: string) => (await h.api('GET', `/seqflow/v1/enrollments?contactId=${contactId}`)).body.results[0];

  it('should retry with growing backoff and send once when the server answers 4xx first', async () => {
    script = ['tempfail', 'tempfail', 'accept'];
    const contactId = await enrollOne();
    await h.advance(0);
    expect(sink.messages).toHaveLength(0);
    expect((await enrollment(contactId)).sends[0]).toMatchObject({ status: 'RETRYING', error: expect.stringContaining('451') });
    await h.advance(MINUTE); // first backoff: 1 minute
    expect(sink.messages).toHaveLength(0);
    await h.advance(MINUTE); // second backoff: 2 minutes
    expect(sink.messages).toHaveLength(0);
    await h.advance(MINUTE);
    expect(sink.messages).toHaveLength(1);
    const e = await enrollment(contactId);
    expect(e.sends).toHaveLength(1);
    expect(e.sends[0]).toMatchObject({ status: 'SENT', messageId: sink.messages[0].messageId });
    expect(e.state).toBe('ACTIVE');
  });

  it('should fail the step and send no follow-up when the server answers 5xx', async () => {
    script = ['reject'];
    const contactId = await enrollOne();
    await h.advance(0);
    const e = await enrollment(contactId);
    expect(e).toMatchObject({ state: 'FAILED', reason: 'EMAIL_REJECTED' });
    expect(e.sends[0]).toMatchObject({ status: 'FAILED', error: expect.stringContaining('554') });
    await h.advance(30 * 24 * 60 * MINUTE);
    expect(sink.messages).toHaveLength(0);
  });

  it('should mark the contact bounced and refuse its later enrollments with BOUNCED when the server refuses the address at send time', async () => {
    const contactId = await enrollOne('gone@example.com');
    await h.advance(0);
    const e = await enrollment(contactId);
    expect(e).toMatchObject({ state: 'UNENROLLED', reason: 'BOUNCED' });
    expect(e.sends[0]).toMatchObject({ status: 'FAILED', error: expect.stringContaining('5.1.1') });
    const timeline = await h.api('GET', `/seqflow/v1/contacts/${contactId}/timeline`);
    expect(timeline.body.results.map((ev: { type: string }) => ev.type)).toContain('EMAIL_BOUNCED');

    const again = await h.api('POST', `/automation/v4/sequences/enrollments?userId=${enrolled.userId}`, {
      contactId,
      sequenceId: enrolled.sequenceId,
      senderEmail: 'rep@acme.test',
    });
    expect(again.status).toBe(400);
    expect(again.body.subCategory).toBe('BOUNCED');
    await h.advance(30 * 24 * 60 * MINUTE);
    expect(sink.messages).toHaveLength(0);
  });
});
