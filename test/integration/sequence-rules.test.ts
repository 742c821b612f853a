/**
 * The sequence rules of PRODUCT §3, one test per rule, seen the way a user sees them: HTTP
 * statuses and reason codes, enrollment states, emails in the dev mail server, tasks.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SeqflowOptions } from '../../src/server.js';
import { markContact } from '../../src/store/contacts.js';
import { dialectCases } from '../support/databases.js';
import { DAY, HOUR, MINUTE, T0, seedContact, seedSender, seedSequence, startHarness, type Harness } from '../support/harness.js';

type Api = { status: number; body: any };

describe.each(dialectCases)('sequence rules on $dialect', ({ create, skip }) => {
  let h: Harness;
  let running: Harness | null = null;
  /** Each test starts its own server, so the timing tests can choose where the fake clock starts. */
  const start = async (opts: Partial<SeqflowOptions> = {}) => {
    running = h = await startHarness(await create(), opts);
    return h;
  };
  beforeEach((ctx) => {
    if (skip) ctx.skip();
  });
  afterEach(async () => {
    await running?.close();
    running = null;
  });

  // ---- small helpers -------------------------------------------------------------------------

  const enroll = (userId: string, body: Record<string, unknown>) => h.api('POST', `/automation/v4/sequences/enrollments?userId=${userId}`, body);
  const enrollmentsOf = async (contactId: string) => (await h.api('GET', `/seqflow/v1/enrollments?contactId=${contactId}`)).body.results as any[];
  const enrollmentOf = async (contactId: string) => {
    const all = await enrollmentsOf(contactId);
    expect(all).toHaveLength(1);
    return all[0];
  };
  const devMail = async (to: string) => (await h.api('GET', `/seqflow/v1/dev-mail/messages?to=${encodeURIComponent(to)}`)).body.results as any[];
  const tasksOf = async (enrollmentId: string) => (await h.api('GET', `/seqflow/v1/tasks?enrollmentId=${enrollmentId}`)).body.results as any[];
  const usage = async (inboxId: string) => (await h.api('GET', `/seqflow/v1/inboxes/${inboxId}/usage`)).body;
  const disconnect = async (inboxId: string) => expect((await h.api('POST', `/seqflow/v1/inboxes/${inboxId}/disconnect`)).status).toBe(200);
  const block = async (kind: 'address' | 'domain', value: string) => expect((await h.api('POST', '/seqflow/v1/blocklist', { kind, value })).status).toBe(201);
  const mark = (contactId: string, what: 'bounced' | 'unsubscribed') => markContact(h.sf.deps.db.kysely, Number(contactId), what, h.sf.deps.clock.now());
  const iso = (ms: number) => new Date(ms).toISOString();
  /** Minute precision, as a person reading a send log would compare times. */
  const toMinute = (isoTime: string) => isoTime.slice(0, 16);

  function expectRejected(r: Api, status: 400 | 409, code: string) {
    expect({ status: r.status, subCategory: r.body?.subCategory, code: r.body?.errors?.[0]?.code }).toEqual({ status, subCategory: code, code });
  }
  function expectEnrolled(r: Api) {
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body.id as string;
  }

  /** A rep who may send (inbox rep@acme.test, alias sales@acme.test), their sequence and a lead. */
  async function world(o: { dailyLimit?: number } = {}) {
    const rep = await seedSender(h, { aliases: ['sales@acme.test'], dailyLimit: o.dailyLimit });
    const seq = await seedSequence(h, rep.userId);
    const contactId = await seedContact(h, { email: 'lead@example.com', firstname: 'Lena' });
    const enrollLead = (over: Record<string, unknown> = {}, userId = rep.userId) =>
      enroll(userId, { contactId, sequenceId: seq, senderEmail: rep.email, ...over });
    return { rep, seq, contactId, enrollLead };
  }

  // ---- §3.5 rejection codes, each checked before the ones after it --------------------------

  describe('§3.5 enrollment rejections', () => {
    beforeEach(async () => {
      await start();
    });

    it('should refuse with SEQUENCE_NOT_FOUND when the sequence is missing or deleted, even if the contact and sender are missing too', async () => {
      const w = await world();
      expectRejected(await w.enrollLead({ sequenceId: '999999', contactId: '999999' }), 400, 'SEQUENCE_NOT_FOUND');

      expect((await h.api('DELETE', `/seqflow/v1/sequences/${w.seq}`)).status).toBe(204);
      expectRejected(await w.enrollLead({ contactId: '999999' }, '999999'), 400, 'SEQUENCE_NOT_FOUND');
      expectRejected(await w.enrollLead(), 400, 'SEQUENCE_NOT_FOUND');
      expect(await enrollmentsOf(w.contactId)).toEqual([]);
    });

    it('should refuse with CONTACT_NOT_FOUND when the contact is missing or deleted, even if the sender is missing too', async () => {
      const w = await world();
      expectRejected(await w.enrollLead({ contactId: '999999' }, '999999'), 400, 'CONTACT_NOT_FOUND');

      expect((await h.api('DELETE', `/crm/v3/objects/contacts/${w.contactId}`)).status).toBe(204);
      expectRejected(await w.enrollLead(), 400, 'CONTACT_NOT_FOUND');
    });

    it('should refuse with NO_EMAIL_ADDRESS when the contact has no email, even if the sender is missing too', async () => {
      const w = await world();
      const noEmail = await seedContact(h, { firstname: 'Nomail' });
      expectRejected(await w.enrollLead({ contactId: noEmail }, '999999'), 400, 'NO_EMAIL_ADDRESS');
      expectRejected(await w.enrollLead({ contactId: noEmail }), 400, 'NO_EMAIL_ADDRESS');
    });

    it('should refuse with SENDER_NOT_FOUND when the sender is not a user, even if the contact is unsubscribed too', async () => {
      const w = await world();
      await mark(w.contactId, 'unsubscribed');
      expectRejected(await w.enrollLead({}, '999999'), 400, 'SENDER_NOT_FOUND');
    });

    it('should refuse with SENDER_NO_SEAT when the sender has a seat without sequences, even if their inbox is disconnected too', async () => {
      const w = await world();
      const starter = await seedSender(h, { email: 'starter@acme.test', seat: 'sales_starter' });
      expectRejected(await w.enrollLead({ senderEmail: starter.email }, starter.userId), 400, 'SENDER_NO_SEAT');

      await disconnect(starter.inboxId);
      expectRejected(await w.enrollLead({ senderEmail: 'someone@else.test' }, starter.userId), 400, 'SENDER_NO_SEAT');
      expect(await enrollmentsOf(w.contactId)).toEqual([]);
    });

    it('should refuse with SENDER_INBOX_DISCONNECTED when the sender has no connected inbox, even if the address is foreign too', async () => {
      const w = await world();
      await disconnect(w.rep.inboxId);
      expectRejected(await w.enrollLead(), 400, 'SENDER_INBOX_DISCONNECTED');
      expectRejected(await w.enrollLead({ senderEmail: 'ceo@acme.test' }), 400, 'SENDER_INBOX_DISCONNECTED');
    });

    it("should refuse with SENDER_ADDRESS_NOT_ALLOWED when the send-from address is not the sender inbox's own, even if the contact is unsubscribed too", async () => {
      const w = await world();
      // The rep has a second inbox with its own alias; another rep has an inbox too.
      const second = await h.api('POST', `/seqflow/v1/users/${w.rep.userId}/inboxes`, { address: 'rita@gmail.test', aliases: ['rita@personal.test'], provider: 'dev' });
      expect(second.status).toBe(201);
      const other = await seedSender(h, { email: 'other@acme.test', aliases: ['team@acme.test'] });

      // A foreign address, another user's inbox, and aliases that belong to another inbox.
      expectRejected(await w.enrollLead({ senderEmail: 'ceo@acme.test' }), 400, 'SENDER_ADDRESS_NOT_ALLOWED');
      expectRejected(await w.enrollLead({ senderEmail: other.email }), 400, 'SENDER_ADDRESS_NOT_ALLOWED');
      expectRejected(await w.enrollLead({ senderAliasAddress: 'rita@personal.test' }), 400, 'SENDER_ADDRESS_NOT_ALLOWED');
      expectRejected(await w.enrollLead({ senderAliasAddress: 'team@acme.test' }), 400, 'SENDER_ADDRESS_NOT_ALLOWED');
      expectRejected(await w.enrollLead({ senderEmail: 'rita@gmail.test', senderAliasAddress: 'sales@acme.test' }), 400, 'SENDER_ADDRESS_NOT_ALLOWED');

      await mark(w.contactId, 'unsubscribed');
      expectRejected(await w.enrollLead({ senderEmail: 'ceo@acme.test' }), 400, 'SENDER_ADDRESS_NOT_ALLOWED');
      expect(await enrollmentsOf(w.contactId)).toEqual([]);
    });

    it('should accept an alias when it belongs to the inbox named by senderEmail', async () => {
      const w = await world();
      await h.api('POST', `/seqflow/v1/users/${w.rep.userId}/inboxes`, { address: 'rita@gmail.test', aliases: ['rita@personal.test'], provider: 'dev' });
      expectEnrolled(await w.enrollLead({ senderEmail: 'rita@gmail.test', senderAliasAddress: 'rita@personal.test' }));
      await h.advance(0);
      const [mail] = await devMail('lead@example.com');
      expect(mail.from).toContain('rita@personal.test');
    });

    it('should refuse with UNSUBSCRIBED when the contact opted out, even if it also bounced, is blocked and is already enrolled', async () => {
      const w = await world();
      expectEnrolled(await w.enrollLead());
      await mark(w.contactId, 'unsubscribed');
      await mark(w.contactId, 'bounced');
      await block('address', 'lead@example.com');
      expectRejected(await w.enrollLead(), 400, 'UNSUBSCRIBED');
    });

    it('should refuse with BOUNCED when the address bounced before, even if it is blocked and already enrolled', async () => {
      const w = await world();
      expectEnrolled(await w.enrollLead());
      await mark(w.contactId, 'bounced');
      await block('address', 'lead@example.com');
      expectRejected(await w.enrollLead(), 400, 'BOUNCED');
    });

    it('should refuse with BLOCKED_ADDRESS when the address is blocked (any case), even if its domain is blocked and it is already enrolled', async () => {
      const w = await world();
      const other = await seedContact(h, { email: 'Boss@Example.com' });
      await block('address', 'BOSS@example.COM');
      expectRejected(await w.enrollLead({ contactId: other }), 400, 'BLOCKED_ADDRESS');

      expectEnrolled(await w.enrollLead());
      await block('domain', 'example.com');
      await block('address', 'lead@example.com');
      expectRejected(await w.enrollLead(), 400, 'BLOCKED_ADDRESS');
    });

    it('should refuse with BLOCKED_DOMAIN when the email domain is blocked, even if the contact is already enrolled', async () => {
      const w = await world();
      expectEnrolled(await w.enrollLead());
      await block('domain', 'Example.COM');
      expectRejected(await w.enrollLead(), 400, 'BLOCKED_DOMAIN');
      // Only that domain: a lead elsewhere is still welcome.
      const elsewhere = await seedContact(h, { email: 'lead@elsewhere.test' });
      expectEnrolled(await w.enrollLead({ contactId: elsewhere }));
    });

    it('should refuse with 409 ALREADY_ENROLLED when the contact is enrolled, even if the send limit is reached too', async () => {
      const w = await world({ dailyLimit: 2 }); // sequence limit 1
      expectEnrolled(await w.enrollLead());
      expectRejected(await w.enrollLead(), 409, 'ALREADY_ENROLLED');
      const stranger = await seedContact(h, { email: 'stranger@example.org' });
      expectRejected(await w.enrollLead({ contactId: stranger }), 409, 'SEND_LIMIT_REACHED');
    });
  });

  // ---- §3.3 send limits ----------------------------------------------------------------------

  describe('§3.3 send limits', () => {
    beforeEach(async () => {
      await start();
    });

    it('should accept 9 enrollments and refuse the 10th with SEND_LIMIT_REACHED until 24 h pass when the daily limit is 10', async () => {
      const rep = await seedSender(h, { dailyLimit: 10 });
      const seq = await seedSequence(h, rep.userId);
      const contacts: string[] = [];
      for (let i = 0; i < 10; i++) contacts.push(await seedContact(h, { email: `lead${i}@example.com` }));
      const enrollNo = (i: number) => enroll(rep.userId, { contactId: contacts[i], sequenceId: seq, senderEmail: rep.email });

      for (let i = 0; i < 9; i++) expectEnrolled(await enrollNo(i));
      // Nothing sent yet: the 9 scheduled first emails fill the limit.
      expect(await usage(rep.inboxId)).toMatchObject({ sentLast24h: 0, scheduledLast24h: 9, sequenceLimit: 9, dailyLimit: 10 });
      expectRejected(await enrollNo(9), 409, 'SEND_LIMIT_REACHED');

      await h.advance(0);
      for (let i = 0; i < 9; i++) expect(await devMail(`lead${i}@example.com`)).toHaveLength(1);
      expect(await usage(rep.inboxId)).toMatchObject({ sentLast24h: 9, scheduledLast24h: 0, sequenceLimit: 9 });
      expectRejected(await enrollNo(9), 409, 'SEND_LIMIT_REACHED');

      await h.advance(DAY - MINUTE);
      expectRejected(await enrollNo(9), 409, 'SEND_LIMIT_REACHED');
      await h.advance(MINUTE);
      expect(await usage(rep.inboxId)).toMatchObject({ sentLast24h: 0, scheduledLast24h: 0 });
      expectEnrolled(await enrollNo(9));
      expect(await usage(rep.inboxId)).toMatchObject({ sentLast24h: 0, scheduledLast24h: 1 });
    });

    it('should allow exactly one enrollment per 24 h when the daily limit is 2', async () => {
      const rep = await seedSender(h, { dailyLimit: 2 });
      const seq = await seedSequence(h, rep.userId);
      const a = await seedContact(h, { email: 'a@example.com' });
      const b = await seedContact(h, { email: 'b@example.com' });
      expect(await usage(rep.inboxId)).toMatchObject({ sequenceLimit: 1, dailyLimit: 2 });

      expectEnrolled(await enroll(rep.userId, { contactId: a, sequenceId: seq, senderEmail: rep.email }));
      expectRejected(await enroll(rep.userId, { contactId: b, sequenceId: seq, senderEmail: rep.email }), 409, 'SEND_LIMIT_REACHED');
      await h.advance(0);
      expectRejected(await enroll(rep.userId, { contactId: b, sequenceId: seq, senderEmail: rep.email }), 409, 'SEND_LIMIT_REACHED');
      await h.advance(DAY);
      expectEnrolled(await enroll(rep.userId, { contactId: b, sequenceId: seq, senderEmail: rep.email }));
    });

    it('should defer, not drop or fail, a follow-up when the daily limit is full, and send it once the window has room', async () => {
      const rep = await seedSender(h, { dailyLimit: 2 }); // sequence limit 1 per rolling 24 h
      const seq = await seedSequence(h, rep.userId, {
        steps: [
          { type: 'EMAIL', delayMillis: 0, subject: 'Hello', body: '<p>First.</p>' },
          { type: 'EMAIL', delayMillis: HOUR, subject: '', body: '<p>Second.</p>' },
        ],
      });
      const contactId = await seedContact(h, { email: 'lead@example.com' });
      expectEnrolled(await enroll(rep.userId, { contactId, sequenceId: seq, senderEmail: rep.email }));

      await h.advance(HOUR + MINUTE);
      expect(await devMail('lead@example.com')).toHaveLength(1);
      const deferred = await enrollmentOf(contactId);
      expect(deferred).toMatchObject({ state: 'ACTIVE', currentStep: 1, sends: [{ step: 0, status: 'SENT' }] });
      // The first slot frees when the first send leaves the rolling window.
      expect(Date.parse(deferred.nextDueAt)).toBeGreaterThanOrEqual(T0 + DAY);
      expect(Date.parse(deferred.nextDueAt)).toBeLessThan(T0 + DAY + MINUTE);

      await h.advance(DAY - HOUR - 2 * MINUTE); // just before the slot frees
      expect(await devMail('lead@example.com')).toHaveLength(1);
      await h.advance(2 * MINUTE);
      expect(await devMail('lead@example.com')).toHaveLength(2);
      const done = await enrollmentOf(contactId);
      expect(done).toMatchObject({ state: 'FINISHED', sends: [{ step: 0, status: 'SENT' }, { step: 1, status: 'SENT' }] });
      expect(toMinute(done.sends[1].at)).toBe(toMinute(iso(T0 + DAY)));
    });

    it('should send at most perMinuteLimit emails a minute and every email exactly once when many contacts are enrolled at once', async () => {
      const rep = await seedSender(h, { perMinuteLimit: 2 });
      const seq = await seedSequence(h, rep.userId);
      const contacts: string[] = [];
      for (let i = 0; i < 5; i++) {
        contacts.push(await seedContact(h, { email: `burst${i}@example.com` }));
        expectEnrolled(await enroll(rep.userId, { contactId: contacts[i], sequenceId: seq, senderEmail: rep.email }));
      }

      await h.advance(0);
      const sentSoFar = async () => (await Promise.all(contacts.map((_, i) => devMail(`burst${i}@example.com`)))).flat();
      expect(await sentSoFar()).toHaveLength(2);
      await h.advance(10 * MINUTE);

      const enrollments = await Promise.all(contacts.map(enrollmentOf));
      for (const [i, e] of enrollments.entries()) {
        expect(e).toMatchObject({ state: 'ACTIVE', currentStep: 1, sends: [{ step: 0, status: 'SENT' }] });
        expect(await devMail(`burst${i}@example.com`)).toHaveLength(1);
      }
      const minutes = enrollments.map((e) => Math.floor((Date.parse(e.sends[0].at) - T0) / MINUTE)).sort();
      expect(minutes).toEqual([0, 0, 1, 1, 2]);
    });
  });

  // ---- §3.4 one at a time --------------------------------------------------------------------

  describe('§3.4 one at a time', () => {
    beforeEach(async () => {
      await start();
    });

    it('should refuse a second sequence with ALREADY_ENROLLED while the first is active or paused, and accept it once the first ended', async () => {
      const w = await world();
      const other = await seedSequence(h, w.rep.userId);
      const first = expectEnrolled(await w.enrollLead());
      expectRejected(await w.enrollLead({ sequenceId: other }), 409, 'ALREADY_ENROLLED');

      expect((await h.api('POST', `/seqflow/v1/enrollments/${first}/pause`)).status).toBe(200);
      expectRejected(await w.enrollLead({ sequenceId: other }), 409, 'ALREADY_ENROLLED');

      expect((await h.api('POST', `/seqflow/v1/contacts/${w.contactId}/unenroll`)).status).toBe(200);
      expectEnrolled(await w.enrollLead({ sequenceId: other }));
      const all = await enrollmentsOf(w.contactId);
      expect(all.map((e) => [e.sequenceId, e.state])).toEqual([
        [w.seq, 'UNENROLLED'],
        [other, 'ACTIVE'],
      ]);
    });

    it('should let only one of two concurrent enrollments into different sequences succeed', async () => {
      const w = await world();
      const other = await seedSequence(h, w.rep.userId);
      const results = await Promise.all([w.enrollLead(), w.enrollLead({ sequenceId: other })]);
      expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
      expectRejected(results.find((r) => r.status === 409)!, 409, 'ALREADY_ENROLLED');
      expect((await enrollmentsOf(w.contactId)).filter((e) => e.state === 'ACTIVE')).toHaveLength(1);
    });
  });

  // ---- §3.8 templates and tokens -------------------------------------------------------------

  describe('§3.8 templates and tokens', () => {
    beforeEach(async () => {
      await start();
    });

    it('should pause with MISSING_TOKEN_VALUE and give the sender a task when a token has no value and no default, then send the value after resume', async () => {
      const rep = await seedSender(h);
      const seq = await seedSequence(h, rep.userId, {
        steps: [{ type: 'EMAIL', delayMillis: 0, subject: 'Quick question', body: '<p>Hi {{ contact.firstname }}, a quick question.</p>' }],
      });
      const contactId = await seedContact(h, { email: 'anon@example.com' });
      const id = expectEnrolled(await enroll(rep.userId, { contactId, sequenceId: seq, senderEmail: rep.email }));

      await h.advance(0);
      expect(await devMail('anon@example.com')).toEqual([]);
      expect(await enrollmentOf(contactId)).toMatchObject({ state: 'PAUSED', reason: 'MISSING_TOKEN_VALUE', sends: [] });
      const tasks = await tasksOf(id);
      expect(tasks).toHaveLength(1);
      expect(tasks[0]).toMatchObject({ status: 'OPEN', reason: 'MISSING_TOKEN_VALUE' });
      expect(String(tasks[0].userId)).toBe(rep.userId);
      expect(tasks[0].subject).toMatch(/firstname/);

      // Waiting changes nothing: the email is never sent with a marker.
      await h.advance(DAY);
      expect(await devMail('anon@example.com')).toEqual([]);

      expect((await h.api('PATCH', `/crm/v3/objects/contacts/${contactId}`, { properties: { firstname: 'Ana' } })).status).toBe(200);
      expect((await h.api('POST', `/seqflow/v1/enrollments/${id}/resume`)).body).toMatchObject({ state: 'ACTIVE' });
      await h.advance(0);
      const mail = await devMail('anon@example.com');
      expect(mail).toHaveLength(1);
      expect(mail[0].text).toContain('Hi Ana, a quick question.');
      expect(mail[0].html).not.toMatch(/MISSING TOKEN/);
      expect(await enrollmentOf(contactId)).toMatchObject({ state: 'FINISHED', sends: [{ status: 'SENT' }] });
    });

    // §3.2: "a time outside the send window moves to the next window opening" holds on resume too.
    it('should hold the email until the send window opens when the sender fixes a missing token and resumes at night', async () => {
      await start(); // Monday 09:00 New York
      const rep = await seedSender(h);
      const seq = await seedSequence(h, rep.userId, {
        settings: { eligibleFollowUpDays: 'WEEKDAYS_ONLY', sendWindowStartMinute: 480, sendWindowEndMinute: 1080 },
        steps: [{ type: 'EMAIL', delayMillis: 0, subject: 'Quick question', body: '<p>Hi {{ contact.firstname }}.</p>' }],
      });
      const contactId = await seedContact(h, { email: 'late@example.com' });
      const id = expectEnrolled(await enroll(rep.userId, { contactId, sequenceId: seq, senderEmail: rep.email }));
      await h.advance(0);
      expect(await enrollmentOf(contactId)).toMatchObject({ state: 'PAUSED', reason: 'MISSING_TOKEN_VALUE' });

      await h.advance(13 * HOUR); // Monday 22:00 EST = Tuesday 03:00Z
      await h.api('PATCH', `/crm/v3/objects/contacts/${contactId}`, { properties: { firstname: 'Lou' } });
      expect((await h.api('POST', `/seqflow/v1/enrollments/${id}/resume`)).status).toBe(200);
      await h.advance(0);
      expect(await devMail('late@example.com')).toEqual([]);
      expect(await enrollmentOf(contactId)).toMatchObject({ state: 'ACTIVE', nextDueAt: '2026-03-03T13:00:00.000Z' }); // Tuesday 08:00 EST

      await h.advance(10 * HOUR);
      expect(await devMail('late@example.com')).toHaveLength(1);
      expect(toMinute((await enrollmentOf(contactId)).sends[0].at)).toBe('2026-03-03T13:00');
    });

    it('should pause with UNFILLED_PLACEHOLDER when a placeholder has no value, and send the supplied value when placeholderValues are given at enrollment', async () => {
      const rep = await seedSender(h);
      const seq = await seedSequence(h, rep.userId, {
        steps: [{ type: 'EMAIL', delayMillis: 0, subject: 'Your post', body: '<p>Hi {{ contact.firstname | default: "there" }}, [[placeholder: mention their recent post]]</p>' }],
      });
      const bare = await seedContact(h, { email: 'bare@example.com' });
      const filled = await seedContact(h, { email: 'filled@example.com', firstname: 'Fay' });
      const bareId = expectEnrolled(await enroll(rep.userId, { contactId: bare, sequenceId: seq, senderEmail: rep.email }));
      expectEnrolled(
        await enroll(rep.userId, {
          contactId: filled,
          sequenceId: seq,
          senderEmail: rep.email,
          placeholderValues: { 'mention their recent post': 'I enjoyed your post on pricing pages.' },
        }),
      );

      await h.advance(0);
      expect(await devMail('bare@example.com')).toEqual([]);
      expect(await enrollmentOf(bare)).toMatchObject({ state: 'PAUSED', reason: 'UNFILLED_PLACEHOLDER' });
      const tasks = await tasksOf(bareId);
      expect(tasks).toHaveLength(1);
      expect(tasks[0]).toMatchObject({ status: 'OPEN', reason: 'UNFILLED_PLACEHOLDER' });
      expect(String(tasks[0].userId)).toBe(rep.userId);

      const [mail] = await devMail('filled@example.com');
      expect(mail.text).toContain('Hi Fay, I enjoyed your post on pricing pages.');
      expect(mail.html).not.toMatch(/placeholder/i);
    });
  });

  // ---- §3.7 deleting a sequence --------------------------------------------------------------

  describe('§3.7 deleting a sequence', () => {
    beforeEach(async () => {
      await start();
    });

    it('should refuse deletion with 409 when enrollments run, and with override unenroll them with SEQUENCE_DELETED and send nothing more', async () => {
      const w = await world();
      const paused = await seedContact(h, { email: 'paused@example.com' });
      expectEnrolled(await w.enrollLead());
      const pausedId = expectEnrolled(await w.enrollLead({ contactId: paused }));
      await h.advance(0);
      await h.api('POST', `/seqflow/v1/enrollments/${pausedId}/pause`);

      const refused = await h.api('DELETE', `/seqflow/v1/sequences/${w.seq}`);
      expect(refused.status).toBe(409);
      expect(refused.body.subCategory).toBe('ACTIVE_ENROLLMENTS');
      expect((await enrollmentOf(w.contactId)).state).toBe('ACTIVE');

      expect((await h.api('DELETE', `/seqflow/v1/sequences/${w.seq}?overrideActiveEnrollment=true`)).status).toBe(204);
      expect(await enrollmentOf(w.contactId)).toMatchObject({ state: 'UNENROLLED', reason: 'SEQUENCE_DELETED' });
      expect(await enrollmentOf(paused)).toMatchObject({ state: 'UNENROLLED', reason: 'SEQUENCE_DELETED' });

      await h.advance(30 * DAY);
      expect(await devMail('lead@example.com')).toHaveLength(1);
      expect(await devMail('paused@example.com')).toHaveLength(1);
      // History stays.
      expect((await enrollmentOf(w.contactId)).sends).toMatchObject([{ step: 0, status: 'SENT' }]);

      const fresh = await seedContact(h, { email: 'fresh@example.com' });
      expectRejected(await w.enrollLead({ contactId: fresh }), 400, 'SEQUENCE_NOT_FOUND');
      expectRejected(await w.enrollLead(), 400, 'SEQUENCE_NOT_FOUND');
    });
  });

  // ---- §3.1 editing ------------------------------------------------------------------------

  describe('§3.1 editing a sequence', () => {
    beforeEach(async () => {
      await start();
    });

    it('should keep the old steps for a running enrollment and use the new ones for new enrollments when the sequence is edited', async () => {
      const rep = await seedSender(h);
      const steps = (word: string) => [
        { type: 'EMAIL', delayMillis: 0, subject: `${word} intro`, body: `<p>${word} intro body.</p>` },
        { type: 'EMAIL', delayMillis: 3 * DAY, subject: '', body: `<p>${word} follow-up body.</p>` },
      ];
      const seq = await seedSequence(h, rep.userId, { steps: steps('Old') });
      const early = await seedContact(h, { email: 'early@example.com' });
      const late = await seedContact(h, { email: 'late@example.com' });
      expectEnrolled(await enroll(rep.userId, { contactId: early, sequenceId: seq, senderEmail: rep.email }));
      await h.advance(0);

      const edit = await h.api('PUT', `/seqflow/v1/sequences/${seq}`, { name: 'Inbound follow-up v2', steps: steps('New') });
      expect(edit.status).toBe(200);
      expectEnrolled(await enroll(rep.userId, { contactId: late, sequenceId: seq, senderEmail: rep.email }));
      await h.advance(4 * DAY);

      const bodies = async (to: string) => (await devMail(to)).map((m) => m.text).reverse();
      expect(await bodies('early@example.com')).toEqual([expect.stringContaining('Old intro body.'), expect.stringContaining('Old follow-up body.')]);
      expect(await bodies('late@example.com')).toEqual([expect.stringContaining('New intro body.'), expect.stringContaining('New follow-up body.')]);
    });
  });

  // ---- §3.2 timing ---------------------------------------------------------------------------

  describe('§3.2 timing', () => {
    const windowed = { eligibleFollowUpDays: 'EVERYDAY', sendWindowStartMinute: 480, sendWindowEndMinute: 1080 };

    it("should schedule follow-ups in the contact's time zone when useContactTimeZone is true, else in the sender's", async () => {
      await start(); // Monday 2026-03-02 14:00Z: 09:00 in New York, 15:00 in Warsaw
      const rep = await seedSender(h, { timezone: 'America/New_York' });
      const seq = await seedSequence(h, rep.userId, {
        settings: windowed,
        steps: [
          { type: 'EMAIL', delayMillis: 0, subject: 'Hello', body: '<p>Hello.</p>' },
          { type: 'EMAIL', delayMillis: DAY + 4 * HOUR, subject: '', body: '<p>Again.</p>' },
        ],
      });
      const warsawAsked = await seedContact(h, { email: 'asked@example.pl', timezone: 'Europe/Warsaw' });
      const warsawNotAsked = await seedContact(h, { email: 'notasked@example.pl', timezone: 'Europe/Warsaw' });
      const noZone = await seedContact(h, { email: 'nozone@example.com' });
      expectEnrolled(await enroll(rep.userId, { contactId: warsawAsked, sequenceId: seq, senderEmail: rep.email, useContactTimeZone: true }));
      expectEnrolled(await enroll(rep.userId, { contactId: warsawNotAsked, sequenceId: seq, senderEmail: rep.email }));
      expectEnrolled(await enroll(rep.userId, { contactId: noZone, sequenceId: seq, senderEmail: rep.email, useContactTimeZone: true }));
      await h.advance(0);

      // Follow-up due Tuesday 18:00Z: 13:00 in New York (inside 08:00–18:00), 19:00 in Warsaw (after it).
      expect(await enrollmentOf(warsawAsked)).toMatchObject({ timeZone: 'Europe/Warsaw', nextDueAt: '2026-03-04T07:00:00.000Z' }); // Wed 08:00 CET
      expect(await enrollmentOf(warsawNotAsked)).toMatchObject({ timeZone: 'America/New_York', nextDueAt: '2026-03-03T18:00:00.000Z' });
      expect(await enrollmentOf(noZone)).toMatchObject({ timeZone: 'America/New_York', nextDueAt: '2026-03-03T18:00:00.000Z' });

      await h.advance(2 * DAY);
      expect(toMinute((await enrollmentOf(warsawAsked)).sends[1].at)).toBe('2026-03-04T07:00');
      expect(toMinute((await enrollmentOf(warsawNotAsked)).sends[1].at)).toBe('2026-03-03T18:00');
    });

    it('should hold the first email until the window opens, even on a weekend and across a DST change, when enrolled at night', async () => {
      // Saturday 2026-03-07 23:00 EST; clocks go forward at 02:00 on Sunday.
      await start({ fakeClockStart: Date.parse('2026-03-08T04:00:00.000Z') });
      const rep = await seedSender(h);
      const seq = await seedSequence(h, rep.userId, { settings: { ...windowed, eligibleFollowUpDays: 'WEEKDAYS_ONLY' } });
      const contactId = await seedContact(h, { email: 'night@example.com' });
      expectEnrolled(await enroll(rep.userId, { contactId, sequenceId: seq, senderEmail: rep.email }));

      // Sunday 08:00 EDT = 12:00Z.
      expect(await enrollmentOf(contactId)).toMatchObject({ state: 'ACTIVE', nextDueAt: '2026-03-08T12:00:00.000Z' });
      await h.advance(8 * HOUR - MINUTE);
      expect(await devMail('night@example.com')).toEqual([]);
      await h.advance(MINUTE);
      expect(await devMail('night@example.com')).toHaveLength(1);
      expect(toMinute((await enrollmentOf(contactId)).sends[0].at)).toBe('2026-03-08T12:00');
    });

    it('should follow the WEEKDAYS_ONLY worked example when 3-day delays start Monday 17:00 in New York', async () => {
      await start({ fakeClockStart: Date.parse('2026-03-02T22:00:00.000Z') }); // Monday 17:00 EST
      const rep = await seedSender(h, { timezone: 'America/New_York' });
      const seq = await seedSequence(h, rep.userId, { settings: { ...windowed, eligibleFollowUpDays: 'WEEKDAYS_ONLY' } });
      const contactId = await seedContact(h, { email: 'worked@example.com' });
      expectEnrolled(await enroll(rep.userId, { contactId, sequenceId: seq, senderEmail: rep.email }));

      await h.advance(10 * DAY);
      const e = await enrollmentOf(contactId);
      expect(e.state).toBe('FINISHED');
      expect(e.sends.map((s: any) => toMinute(s.at))).toEqual([
        '2026-03-02T22:00', // Monday 17:00 EST
        '2026-03-05T22:00', // Thursday 17:00 EST
        '2026-03-09T21:00', // due Sunday → Monday 17:00 EDT
      ]);
      expect(await devMail('worked@example.com')).toHaveLength(3);
    });
  });

  // ---- §3.6 unsubscribe and seats ------------------------------------------------------------

  describe('§3.6 unsubscribing and losing a seat', () => {
    beforeEach(async () => {
      await start();
    });

    const unsubscribePath = (mail: any) => {
      const link = /<([^>]+)>/.exec(mail.headers['list-unsubscribe'])?.[1];
      expect(link).toBeDefined();
      return new URL(link!).pathname;
    };

    it('should unenroll with UNSUBSCRIBED and refuse later enrollments when the contact posts to the List-Unsubscribe link', async () => {
      const w = await world();
      expectEnrolled(await w.enrollLead());
      await h.advance(0);
      const [mail] = await devMail('lead@example.com');

      const r = await h.api('POST', unsubscribePath(mail), 'List-Unsubscribe=One-Click', {
        token: null,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      expect(r.status).toBe(200);
      expect(await enrollmentOf(w.contactId)).toMatchObject({ state: 'UNENROLLED', reason: 'UNSUBSCRIBED' });

      await h.advance(30 * DAY);
      expect(await devMail('lead@example.com')).toHaveLength(1);
      const other = await seedSequence(h, w.rep.userId);
      expectRejected(await w.enrollLead({ sequenceId: other }), 400, 'UNSUBSCRIBED');
    });

    it('should answer 400 and change nothing when the unsubscribe token is tampered with', async () => {
      const w = await world();
      const bystander = await seedContact(h, { email: 'bystander@example.com' });
      const enrollmentId = expectEnrolled(await w.enrollLead());
      await h.advance(0);
      const path = unsubscribePath((await devMail('lead@example.com'))[0]);
      const token = path.split('/').pop()!;
      const [payload, signature] = token.split('.');

      const base = path.slice(0, -token.length);
      const flip = (s: string, i: number) => s.slice(0, i) + (s[i] === 'A' ? 'B' : 'A') + s.slice(i + 1);
      const forged = Buffer.from(`${bystander}.${enrollmentId}`).toString('base64url');
      for (const bad of [`${payload}.${flip(signature, 5)}`, `${forged}.${signature}`, payload, `${token}.x`]) {
        const r = await h.api('POST', base + bad, undefined, { token: null });
        expect(r.status, bad).toBe(400);
        expect(r.body.subCategory).toBe('INVALID_TOKEN');
      }

      expect(await enrollmentOf(w.contactId)).toMatchObject({ state: 'ACTIVE' });
      expectEnrolled(await w.enrollLead({ contactId: bystander }));
      await h.advance(3 * DAY);
      expect(await devMail('lead@example.com')).toHaveLength(2);
    });

    it('should end running enrollments with SENDER_REMOVED when the sender gets a seat without sequences', async () => {
      const w = await world();
      const second = await seedContact(h, { email: 'second@example.com' });
      expectEnrolled(await w.enrollLead());
      const pausedId = expectEnrolled(await w.enrollLead({ contactId: second }));
      await h.advance(0);
      await h.api('POST', `/seqflow/v1/enrollments/${pausedId}/pause`);

      const seat = await h.api('PUT', `/seqflow/v1/users/${w.rep.userId}/seat`, { seat: 'sales_starter' });
      expect(seat.status).toBe(200);
      expect(seat.body.seat).toBe('sales_starter');
      expect(await enrollmentOf(w.contactId)).toMatchObject({ state: 'UNENROLLED', reason: 'SENDER_REMOVED' });
      expect(await enrollmentOf(second)).toMatchObject({ state: 'UNENROLLED', reason: 'SENDER_REMOVED' });

      await h.advance(30 * DAY);
      expect(await devMail('lead@example.com')).toHaveLength(1);
      expect(await devMail('second@example.com')).toHaveLength(1);
    });
  });
});
