/**
 * Named schedules (issue #14 item 4): sequences that name one send by its windows, read whenever
 * a step is placed, so editing the schedule moves the waiting sends of every sequence on it; one
 * in use cannot be removed. On the fake clock, in New York, across the spring DST change.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dialectCases } from '../support/databases.js';
import { DAY, MINUTE, seedContact, seedSender, seedSequence, startHarness, type Harness } from '../support/harness.js';

/** Thursday 2027-03-11, 10:00 in New York (EST, UTC-5); clocks go forward on Sunday the 14th. */
const THURSDAY_10AM = Date.parse('2027-03-11T15:00:00.000Z');

describe.each(dialectCases)('named schedules on $dialect', ({ create, skip }) => {
  let h: Harness;
  beforeEach(async (ctx) => {
    if (skip) return ctx.skip();
    h = await startHarness(await create(), { fakeClockStart: THURSDAY_10AM });
  });
  afterEach(async () => {
    await h?.close();
  });

  const devMail = async (to: string) => ((await h.api('GET', `/seqflow/v1/dev-mail/messages?to=${encodeURIComponent(to)}`)).body.results as { receivedAt: string }[]).map((m) => m.receivedAt).sort();
  const nextDueAt = async (sequenceId: string) => (await h.api('GET', `/seqflow/v1/enrollments?sequenceId=${sequenceId}`)).body.results[0].nextDueAt as string;
  /** An email now and a follow-up a day later, by the schedule. */
  const onSchedule = (userId: string, scheduleId: string) =>
    seedSequence(h, userId, {
      settings: { scheduleId: Number(scheduleId) },
      steps: [
        { type: 'EMAIL', delayMillis: 0, subject: 'Hello', body: '<p>First</p>' },
        { type: 'EMAIL', delayMillis: DAY, subject: '', body: '<p>Second</p>' },
      ],
    });
  const enroll = async (userId: string, sequenceId: string, email: string) => {
    const contactId = await seedContact(h, { email });
    const r = await h.api('POST', `/automation/v4/sequences/enrollments?userId=${userId}`, { contactId, sequenceId, senderEmail: 'rep@acme.test' });
    expect(r.status).toBe(200);
  };

  it("should move both sequences' next sends, to the minute, when the Friday window of the schedule they share is edited", async () => {
    const { userId } = await seedSender(h, { timezone: 'America/New_York' });
    const made = await h.api('POST', '/seqflow/v1/schedules', {
      name: 'East coast office hours',
      sendWindowStartMinute: 9 * 60,
      sendWindowEndMinute: 17 * 60,
      sendWindowsByWeekday: { FRIDAY: { startMinute: 13 * 60, endMinute: 17 * 60 } },
      eligibleFollowUpDays: 'WEEKDAYS_ONLY',
    });
    expect(made.status).toBe(201);
    const scheduleId = made.body.id;
    const first = await onSchedule(userId, scheduleId);
    const second = await onSchedule(userId, scheduleId);
    expect((await h.api('GET', `/automation/v4/sequences/${first}?userId=${userId}`)).body.settings.scheduleId).toBe(scheduleId);

    await enroll(userId, first, 'lena@example.com');
    await h.advance(90 * MINUTE);
    await enroll(userId, second, 'omar@example.com');
    await h.advance(MINUTE);
    // Follow-ups fall due Friday 10:00 and 11:30, before Friday's window opens at 13:00 EST.
    expect(await nextDueAt(first)).toBe('2027-03-12T18:00:00.000Z');
    expect(await nextDueAt(second)).toBe('2027-03-12T18:00:00.000Z');

    const edited = await h.api('PATCH', `/seqflow/v1/schedules/${scheduleId}`, { sendWindowsByWeekday: { FRIDAY: { startMinute: 8 * 60, endMinute: 11 * 60 } } });
    expect(edited.status).toBe(200);
    expect(edited.body.sendWindowsByWeekday).toEqual({ FRIDAY: { startMinute: 480, endMinute: 660 } });
    // Friday 10:00 EST is inside 08:00–11:00; 11:30 is after it, so Monday's 09:00 EDT opening (the clocks went forward on Sunday).
    expect(await nextDueAt(first)).toBe('2027-03-12T15:00:00.000Z');
    expect(await nextDueAt(second)).toBe('2027-03-15T13:00:00.000Z');

    await h.advance(7 * DAY);
    expect(await devMail('lena@example.com')).toEqual(['2027-03-11T15:00:00.000Z', '2027-03-12T15:00:00.000Z']);
    expect(await devMail('omar@example.com')).toEqual(['2027-03-11T16:30:00.000Z', '2027-03-15T13:00:00.000Z']);
  });

  it("should skip the account's holiday but not the sender's own when the schedule counts the account's calendar only", async () => {
    const { userId } = await seedSender(h, { timezone: 'America/New_York' });
    const scheduleId = (
      await h.api('POST', '/seqflow/v1/schedules', { name: 'Business days', sendWindowStartMinute: 9 * 60, sendWindowEndMinute: 17 * 60, eligibleFollowUpDays: 'BUSINESS_DAYS', holidayCalendar: 'ACCOUNT' })
    ).body.id;
    // Friday the 12th is the account's holiday, Monday the 15th the sender's own day off.
    await h.api('POST', '/seqflow/v1/holidays', { holidays: [{ date: '2027-03-12', name: 'Company day off' }] });
    await h.api('POST', '/seqflow/v1/holidays', { userId: Number(userId), holidays: [{ date: '2027-03-15', name: 'Rita on leave' }] });
    const sequenceId = await onSchedule(userId, scheduleId);
    await enroll(userId, sequenceId, 'lena@example.com');
    await h.advance(MINUTE);
    // Thursday's email goes at once; the follow-up skips Friday and the weekend: Monday 10:00 EDT.
    expect(await nextDueAt(sequenceId)).toBe('2027-03-15T14:00:00.000Z');
  });

  it('should refuse to delete a schedule with 409 naming the sequences on it, and delete it once none is', async () => {
    const { userId } = await seedSender(h, { timezone: 'America/New_York' });
    const scheduleId = (await h.api('POST', '/seqflow/v1/schedules', { name: 'Mornings', sendWindowStartMinute: 480, sendWindowEndMinute: 720 })).body.id;
    const sequenceId = await onSchedule(userId, scheduleId);
    const refused = await h.api('DELETE', `/seqflow/v1/schedules/${scheduleId}`);
    expect(refused.status).toBe(409);
    expect(refused.body.subCategory).toBe('SCHEDULE_IN_USE');
    expect(refused.body.context.sequenceIds).toEqual([sequenceId]);
    expect(refused.body.message).toContain(`(${sequenceId})`);
    expect((await h.api('GET', `/seqflow/v1/schedules/${scheduleId}`)).status).toBe(200);

    const sequence = (await h.api('GET', `/automation/v4/sequences/${sequenceId}?userId=${userId}`)).body;
    const steps = sequence.steps.map((s: { delayMillis: number; emailPattern: { subject: string; body: string } }) => ({ type: 'EMAIL', delayMillis: s.delayMillis, subject: s.emailPattern.subject, body: s.emailPattern.body }));
    // Named again by an update (as the web app saves), then left for the sequence's own settings.
    const again = await h.api('PUT', `/seqflow/v1/sequences/${sequenceId}`, { name: sequence.name, settings: { scheduleId }, steps });
    expect(again.body.settings.scheduleId).toBe(scheduleId);
    const own = await h.api('PUT', `/seqflow/v1/sequences/${sequenceId}`, { name: sequence.name, settings: { scheduleId: null }, steps });
    expect(own.status).toBe(200);
    expect((await h.api('DELETE', `/seqflow/v1/schedules/${scheduleId}`)).status).toBe(204);
    expect((await h.api('GET', `/seqflow/v1/schedules/${scheduleId}`)).status).toBe(404);
  });

  it('should refuse a schedule whose window ends before it starts, and a sequence naming a schedule that does not exist, naming the field', async () => {
    const bad = await h.api('POST', '/seqflow/v1/schedules', { name: 'Backwards', sendWindowStartMinute: 900, sendWindowEndMinute: 600 });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].in).toBe('sendWindowEndMinute');
    expect((await h.api('GET', '/seqflow/v1/schedules')).body.results).toEqual([]);
    const { userId } = await seedSender(h);
    const r = await h.api('POST', '/seqflow/v1/sequences', {
      name: 'Orphan',
      userId,
      settings: { scheduleId: 999 },
      steps: [{ type: 'EMAIL', delayMillis: 0, subject: 'Hi', body: '<p>Hi</p>' }],
    });
    expect(r.status).toBe(400);
    expect(r.body.errors[0].in).toBe('settings.scheduleId');
  });
});
