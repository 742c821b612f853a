/**
 * The per-step report of a sequence (issue #14 item 3) as a user reads it over HTTP: figures per
 * email step with replies, bounces and unsubscribes credited to the last email sent before them,
 * the date range in the account's time zone (America/New_York in the harness), the split by
 * sender, the CSV download and the 400s.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dialectCases } from '../support/databases.js';
import { DAY, seedContact, seedSender, seedSequence, startHarness, type Harness } from '../support/harness.js';

describe.each(dialectCases)('sequence report on $dialect', ({ create, skip }) => {
  let h: Harness;
  beforeEach(async (ctx) => {
    if (skip) return ctx.skip();
    h = await startHarness(await create());
  });
  afterEach(async () => {
    await h?.close();
  });

  const report = async (seq: string, query = '') => {
    const r = await h.api('GET', `/seqflow/v1/sequences/${seq}/report${query}`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body;
  };
  const mailTo = async (to: string) => (await h.api('GET', `/seqflow/v1/dev-mail/messages?to=${encodeURIComponent(to)}`)).body.results as any[];
  const lastMailTo = async (to: string) => (await mailTo(to)).at(-1);
  const figures = (steps: any[]) => steps.map((s) => [s.stepOrder, s.sent, s.delivered, s.replied, s.bounced, s.unsubscribed]);

  /**
   * Rita's three-email sequence (T0 = Monday 2 March 09:00 New York): Ann replies to email 1,
   * Bob to email 2, Cat bounces email 1, Dan unsubscribes after email 1, Eve gets all three;
   * Sam, a second sender, sends all three to Fay.
   */
  async function activity() {
    const rita = await seedSender(h, { email: 'rita@acme.test' });
    const sam = await seedSender(h, { email: 'sam@acme.test' });
    const seq = await seedSequence(h, rita.userId);
    const people = ['ann', 'bob', 'cat', 'dan', 'eve', 'fay'];
    const ids: Record<string, string> = {};
    for (const p of people) ids[p] = await seedContact(h, { email: `${p}@${p}-corp.example`, firstname: p });
    for (const p of people) {
      const sender = p === 'fay' ? sam : rita;
      const r = await h.api('POST', `/automation/v4/sequences/enrollments?userId=${sender.userId}`, { contactId: ids[p], sequenceId: seq, senderEmail: sender.email });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
    }
    await h.advance(0);
    const to = (p: string) => `${p}@${p}-corp.example`;
    expect((await h.api('POST', '/seqflow/v1/dev-mail/reply', { messageId: (await lastMailTo(to('ann'))).messageId, text: 'Yes, let us talk.' })).body.classification).toBe('reply');
    expect((await h.api('POST', '/seqflow/v1/dev-mail/bounce', { messageId: (await lastMailTo(to('cat'))).messageId })).body.classification).toBe('bounce');
    const unsubscribe = new URL(/<(https?:[^>]+)>/.exec((await lastMailTo(to('dan'))).headers['list-unsubscribe'])![1]).pathname;
    expect((await h.api('POST', unsubscribe, undefined, { token: null })).status).toBe(200);
    await h.advance(3 * DAY);
    expect((await h.api('POST', '/seqflow/v1/dev-mail/reply', { messageId: (await lastMailTo(to('bob'))).messageId, text: 'Fine, call me.' })).body.classification).toBe('reply');
    await h.advance(3 * DAY);
    expect(await mailTo(to('eve'))).toHaveLength(3);
    return { rita, sam, seq };
  }

  it('should credit replies, bounces and unsubscribes to the last email sent before them when the report covers all activity', async () => {
    const { seq } = await activity();
    const r = await report(seq);
    expect(r).toMatchObject({ sequenceId: seq, from: '2026-02-07', to: '2026-03-08', timeZone: 'America/New_York' });
    // Six days after T0: the default range is the 30 days up to Sunday 8 March.
    // [step, sent, delivered, replied, bounced, unsubscribed]
    expect(figures(r.steps)).toEqual([
      [0, 6, 5, 1, 1, 1],
      [1, 3, 3, 1, 0, 0],
      [2, 2, 2, 0, 0, 0],
    ]);
    expect(r.steps.map((s: any) => [s.type, s.replyRate])).toEqual([
      ['EMAIL', 0.2],
      ['EMAIL', 1 / 3],
      ['EMAIL', 0],
    ]);
    expect(r.totals).toMatchObject({ sent: 11, delivered: 10, replied: 2, replyRate: 0.2, bounced: 1, unsubscribed: 1, meetingsBooked: 0 });
  });

  it('should leave out sends and replies outside the range when a range is given', async () => {
    const { seq } = await activity();
    const firstDay = await report(seq, '?from=2026-03-02&to=2026-03-02');
    expect(figures(firstDay.steps)).toEqual([
      [0, 6, 5, 1, 1, 1],
      [1, 0, 0, 0, 0, 0],
      [2, 0, 0, 0, 0, 0],
    ]);
    const later = await report(seq, '?from=2026-03-03&to=2026-03-31');
    expect(figures(later.steps)).toEqual([
      [0, 0, 0, 0, 0, 0],
      [1, 3, 3, 1, 0, 0],
      [2, 2, 2, 0, 0, 0],
    ]);
  });

  it('should split the figures by sender and filter to one when senderUserId is given', async () => {
    const { seq, rita, sam } = await activity();
    const r = await report(seq);
    expect(r.senders.map((s: any) => [s.senderUserId, s.email, s.totals.sent, s.totals.replied])).toEqual([
      [rita.userId, 'rita@acme.test', 8, 2],
      [sam.userId, 'sam@acme.test', 3, 0],
    ]);
    const onlySam = await report(seq, `?senderUserId=${sam.userId}`);
    expect(figures(onlySam.steps)).toEqual([
      [0, 1, 1, 0, 0, 0],
      [1, 1, 1, 0, 0, 0],
      [2, 1, 1, 0, 0, 0],
    ]);
    expect(onlySam.senders).toHaveLength(1);
  });

  it('should answer CSV with a header, a row per step and a totals row when report.csv is asked for', async () => {
    const { seq } = await activity();
    const res = await h.sf.app!.inject({ method: 'GET', url: `/seqflow/v1/sequences/${seq}/report.csv?from=2026-03-01&to=2026-03-09`, headers: { authorization: 'Bearer test-admin-token' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toBe(`attachment; filename="sequence-${seq}-report-2026-03-01-to-2026-03-09.csv"`);
    expect(res.body.trimEnd().split('\r\n')).toEqual([
      'Step,Type,Title,Sent,Delivered,Replied,Reply rate,Meetings booked,Bounced,Unsubscribed,Tasks created,Tasks completed,Tasks open,Opened,Opened by proxy only,Open rate,Clicked,Click rate',
      '1,EMAIL,"Hi {{ contact.firstname | default: ""there"" }}",6,5,1,20.0%,0,1,1,0,0,0,,,,,',
      '2,EMAIL,(reply in thread),3,3,1,33.3%,0,0,0,0,0,0,,,,,',
      '3,EMAIL,(reply in thread),2,2,0,0.0%,0,0,0,0,0,0,,,,,',
      'Total,,,11,10,2,20.0%,0,1,1,0,0,0,,,,,',
    ]);
  });

  it('should count step tasks created, completed and open, and credit a meeting to the email before it, when the sequence mixes emails and tasks', async () => {
    const rep = await seedSender(h);
    const seq = await seedSequence(h, rep.userId, {
      steps: [
        { type: 'EMAIL', delayMillis: 0, subject: 'Intro', body: '<p>Hello.</p>' },
        { type: 'TASK', delayMillis: DAY, subject: 'Call them', body: '', taskType: 'CALL' },
        { type: 'EMAIL', delayMillis: DAY, subject: 'After the call', body: '<p>Thanks.</p>' },
      ],
    });
    const ids: string[] = [];
    for (const p of ['gil', 'hal', 'ivy']) {
      const contactId = await seedContact(h, { email: `${p}@${p}-corp.example` });
      ids.push(contactId);
      expect((await h.api('POST', `/automation/v4/sequences/enrollments?userId=${rep.userId}`, { contactId, sequenceId: seq, senderEmail: rep.email })).status).toBe(200);
    }
    await h.advance(0);
    // Gil books a meeting after the first email; Hal and Ivy get a call task a day later.
    const meeting = await h.api('POST', '/crm/v3/objects/meetings', {
      properties: { hs_timestamp: new Date(h.sf.deps.clock.now()).toISOString(), hs_meeting_title: 'Intro', hubspot_owner_id: rep.userId },
      associations: [{ to: { id: ids[0] }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 200 }] }],
    });
    expect(meeting.status).toBe(201);
    await h.advance(DAY);
    const tasks = (await h.api('GET', `/seqflow/v1/tasks?userId=${rep.userId}`)).body.results as any[];
    expect(tasks).toHaveLength(2);
    expect((await h.api('POST', `/seqflow/v1/tasks/${tasks[0].id}/complete`)).status).toBe(200);

    const r = await report(seq);
    expect(r.steps.map((s: any) => [s.stepOrder, s.type, s.title, s.sent, s.meetingsBooked, s.tasksCreated, s.tasksCompleted, s.tasksOpen])).toEqual([
      [0, 'EMAIL', 'Intro', 3, 1, 0, 0, 0],
      [1, 'TASK', 'Call them', 0, 0, 2, 1, 1],
      [2, 'EMAIL', 'After the call', 0, 0, 0, 0, 0],
    ]);
    expect(r.totals).toMatchObject({ sent: 3, delivered: 3, meetingsBooked: 1, replied: 0, replyRate: 0, tasksCreated: 2, tasksCompleted: 1, tasksOpen: 1 });
  });

  it('should answer 400 naming the field when from is after to, the range is over 366 days or a date is malformed', async () => {
    const seq = await seedSequence(h, (await seedSender(h)).userId);
    const bad = async (query: string, field: string) => {
      for (const path of ['report', 'report.csv']) {
        const r = await h.api('GET', `/seqflow/v1/sequences/${seq}/${path}${query}`);
        expect(r.status, `${path}${query}`).toBe(400);
        expect(r.body.category).toBe('VALIDATION_ERROR');
        expect(JSON.stringify(r.body), `${path}${query}`).toContain(field);
      }
    };
    await bad('?from=2026-03-05&to=2026-03-01', 'from');
    await bad('?from=2025-01-01&to=2026-01-02', 'from');
    await bad('?from=2026-3-1', 'from');
    await bad('?to=2026-02-30', 'to');
    await bad('?senderUserId=rita', 'senderUserId');
    expect((await h.api('GET', '/seqflow/v1/sequences/999999/report')).status).toBe(404);
  });
});
