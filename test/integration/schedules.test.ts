/**
 * Schedules (issue #14): holiday calendars — the account's and each sender's own days off, kept
 * through the API (by hand or imported from a national calendar) and skipped by BUSINESS_DAYS
 * sequences — and per-weekday send windows, to the minute across the spring daylight-saving
 * change in New York.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dialectCases } from '../support/databases.js';
import { DAY, seedContact, seedSender, seedSequence, startHarness, type Harness } from '../support/harness.js';

/** Friday 2027-03-12, 10:00 in New York (EST, UTC-5); clocks go forward on Sunday the 14th. */
const FRIDAY_10AM = Date.parse('2027-03-12T15:00:00.000Z');

describe.each(dialectCases)('holiday calendars on $dialect', ({ create, skip }) => {
  let h: Harness;
  beforeEach(async (ctx) => {
    if (skip) return ctx.skip();
    h = await startHarness(await create(), { fakeClockStart: FRIDAY_10AM });
  });
  afterEach(async () => {
    await h?.close();
  });

  const devMail = async (to: string) => (await h.api('GET', `/seqflow/v1/dev-mail/messages?to=${encodeURIComponent(to)}`)).body.results as { receivedAt: string }[];
  /** Two emails a day apart, business days only, 09:00–17:00 in the contact's (here: the sender's) zone. */
  const businessDaysSequence = (userId: string) =>
    seedSequence(h, userId, {
      settings: { eligibleFollowUpDays: 'BUSINESS_DAYS', sendWindowStartMinute: 9 * 60, sendWindowEndMinute: 17 * 60 },
      steps: [
        { type: 'EMAIL', delayMillis: 0, subject: 'Hello', body: '<p>First</p>' },
        { type: 'EMAIL', delayMillis: DAY, subject: '', body: '<p>Second</p>' },
      ],
    });
  const secondEmailAt = async (userId: string, email: string, sequenceId: string) => {
    const contactId = await seedContact(h, { email });
    const r = await h.api('POST', `/automation/v4/sequences/enrollments?userId=${userId}`, { contactId, sequenceId, senderEmail: 'rep@acme.test' });
    expect(r.status).toBe(200);
    await h.advance(7 * DAY);
    const sent = await devMail(email);
    expect(sent).toHaveLength(2);
    return sent.map((m) => m.receivedAt).sort()[1];
  };

  it("should send the follow-up on the first business day that is neither the account's holiday nor the sender's, at the same New York time after the DST change", async () => {
    const { userId } = await seedSender(h, { timezone: 'America/New_York' });
    const sequenceId = await businessDaysSequence(userId);
    expect((await h.api('POST', '/seqflow/v1/holidays', { holidays: [{ date: '2027-03-15', name: 'Company day off' }] })).status).toBe(200);
    expect((await h.api('POST', '/seqflow/v1/holidays', { userId: Number(userId), holidays: [{ date: '2027-03-16', name: 'Rita on leave' }] })).status).toBe(200);
    // Saturday and Sunday are not business days, Monday is the account's holiday and Tuesday
    // the sender's: Wednesday, 10:00 EDT (UTC-4 since Sunday).
    expect(await secondEmailAt(userId, 'lena@example.com', sequenceId)).toBe('2027-03-17T14:00:00.000Z');
  });

  it("should not hold one sender's emails for another sender's day off", async () => {
    const { userId } = await seedSender(h, { timezone: 'America/New_York' });
    const other = await seedSender(h, { email: 'max@acme.test', timezone: 'America/New_York' });
    const sequenceId = await businessDaysSequence(userId);
    await h.api('POST', '/seqflow/v1/holidays', { userId: Number(other.userId), holidays: [{ date: '2027-03-15', name: 'Max on leave' }] });
    expect(await secondEmailAt(userId, 'lena@example.com', sequenceId)).toBe('2027-03-15T14:00:00.000Z');
  });

  it("should import a country's public holidays once, and list them, when asked twice", async () => {
    const first = await h.api('POST', '/seqflow/v1/holidays/import', { country: 'PL', year: 2027 });
    expect(first.status).toBe(200);
    expect(first.body.added).toBeGreaterThanOrEqual(12);
    expect(first.body.results).toContainEqual(expect.objectContaining({ date: '2027-01-06', source: 'import:PL', userId: null }));
    expect(first.body.results).toContainEqual(expect.objectContaining({ date: '2027-11-11' }));
    const again = await h.api('POST', '/seqflow/v1/holidays/import', { country: 'pl', year: 2027 });
    expect(again.body.added).toBe(0);
    const listed = await h.api('GET', '/seqflow/v1/holidays?from=2027-11-01&to=2027-11-30');
    expect(listed.body.results.map((d: { date: string }) => d.date)).toEqual(['2027-11-01', '2027-11-11']);
    // A sender in Munich keeps Bavaria's days in their own calendar: Good Friday is one, not a Polish holiday.
    const { userId } = await seedSender(h, { timezone: 'Europe/Berlin' });
    const bavaria = await h.api('POST', '/seqflow/v1/holidays/import', { userId: Number(userId), country: 'DE-BY', year: 2027 });
    expect(bavaria.status).toBe(200);
    expect(bavaria.body.results).toContainEqual(expect.objectContaining({ date: '2027-03-26', source: 'import:DE-BY', userId }));
    expect((await h.api('GET', '/seqflow/v1/holidays?from=2027-03-26&to=2027-03-26')).body.results).toEqual([]);
  });

  it('should remove a day from the calendar, and answer 404 for a day that is not there', async () => {
    const added = await h.api('POST', '/seqflow/v1/holidays', { holidays: [{ date: '2027-07-05', name: 'Bridge day' }] });
    const id = added.body.results[0].id;
    expect((await h.api('DELETE', `/seqflow/v1/holidays/${id}`)).status).toBe(204);
    expect((await h.api('GET', '/seqflow/v1/holidays')).body.results).toEqual([]);
    const again = await h.api('DELETE', `/seqflow/v1/holidays/${id}`);
    expect(again.status).toBe(404);
    expect(again.body.category).toBe('OBJECT_NOT_FOUND');
  });

  it('should refuse a date that is not a calendar date, an unknown country and an unknown user, naming the field', async () => {
    const badDate = await h.api('POST', '/seqflow/v1/holidays', { holidays: [{ date: '2027-02-30', name: 'Nope' }] });
    expect(badDate.status).toBe(400);
    expect(badDate.body.errors[0].in).toBe('holidays[0].date');
    const shape = await h.api('POST', '/seqflow/v1/holidays', { holidays: [{ date: '5 May', name: 'Nope' }] });
    expect(shape.status).toBe(400);
    const country = await h.api('POST', '/seqflow/v1/holidays/import', { country: 'XX', year: 2027 });
    expect(country.status).toBe(400);
    expect(country.body.errors[0].in).toBe('country');
    const user = await h.api('POST', '/seqflow/v1/holidays', { userId: 999, holidays: [{ date: '2027-07-05', name: 'x' }] });
    expect(user.status).toBe(404);
    expect((await h.api('GET', '/seqflow/v1/holidays')).body.results).toEqual([]);
  });

  it("should hold the first email until Monday's opening when Friday's own window has closed and the weekend allows no sending", async () => {
    const { userId } = await seedSender(h, { timezone: 'America/New_York' });
    const sequenceId = await seedSequence(h, userId, {
      settings: {
        sendWindowStartMinute: 8 * 60,
        sendWindowEndMinute: 17 * 60,
        sendWindowsByWeekday: { FRIDAY: { startMinute: 8 * 60, endMinute: 9 * 60 }, SATURDAY: null, SUNDAY: null },
      },
      steps: [{ type: 'EMAIL', delayMillis: 0, subject: 'Hello', body: '<p>First</p>' }],
    });
    expect((await h.api('GET', `/automation/v4/sequences/${sequenceId}?userId=${userId}`)).body.settings.sendWindowsByWeekday).toEqual({ FRIDAY: { startMinute: 480, endMinute: 540 }, SATURDAY: null, SUNDAY: null });
    const contactId = await seedContact(h, { email: 'lena@example.com' });
    await h.api('POST', `/automation/v4/sequences/enrollments?userId=${userId}`, { contactId, sequenceId, senderEmail: 'rep@acme.test' });
    await h.advance(5 * DAY);
    // Monday 08:00 EDT: the clocks went forward on Sunday.
    expect((await devMail('lena@example.com')).map((m) => m.receivedAt)).toEqual(['2027-03-15T12:00:00.000Z']);
  });

  it('should refuse a week with no day to send on and a day whose window ends before it starts, naming the field', async () => {
    const { userId } = await seedSender(h);
    const create = (sendWindowsByWeekday: unknown) =>
      h.api('POST', '/seqflow/v1/sequences', { name: 'x', userId, settings: { sendWindowsByWeekday }, steps: [{ type: 'EMAIL', delayMillis: 0, subject: 's', body: 'b' }] });
    const closed = await create({ MONDAY: null, TUESDAY: null, WEDNESDAY: null, THURSDAY: null, FRIDAY: null, SATURDAY: null, SUNDAY: null });
    expect(closed.status).toBe(400);
    expect(closed.body.errors[0].in).toBe('settings.sendWindowsByWeekday');
    const backwards = await create({ FRIDAY: { startMinute: 720, endMinute: 480 } });
    expect(backwards.status).toBe(400);
    expect(backwards.body.errors[0].in).toBe('settings.sendWindowsByWeekday.FRIDAY.endMinute');
    const unknownDay = await create({ FUNDAY: null });
    expect(unknownDay.status).toBe(400);
    expect((await h.api('GET', '/seqflow/v1/sequences')).body.results).toEqual([]);
  });
});
