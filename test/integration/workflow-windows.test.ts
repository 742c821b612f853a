import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dialectCases } from '../support/databases.js';
import { DAY, HOUR, MINUTE, seedContact, startHarness, T0, type Harness } from '../support/harness.js';
import { chain, createFlow, DELAY, flow, log, onContactCreated, SET_PROPERTY } from '../support/workflows.js';

const setJobTitle = { actionTypeId: SET_PROPERTY, fields: { property_name: 'jobtitle', value: { type: 'STATIC_VALUE', staticValue: 'Windowed' } } };
const hours = (day: string, from: number, to: number) => ({ day, startTime: { hour: from, minute: 0 }, endTime: { hour: to, minute: 0 } });
const weekdays = (from: number, to: number) => ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY'].map((d) => hours(d, from, to));

describe.each(dialectCases)('workflow time windows and blocked dates on $dialect', ({ create, skip }) => {
  let h: Harness;
  beforeEach(async (ctx) => {
    if (skip) return ctx.skip();
    h = await startHarness(await create());
  });
  afterEach(async () => h?.close());
  const now = () => h.sf.deps.clock.now();
  const jobTitle = async (id: string) => (await h.api('GET', `/crm/v3/objects/contacts/${id}?properties=jobtitle`)).body.properties.jobtitle ?? null;

  it('should run the action at Sunday 09:00 New York time, not at once, when only Sunday 09–10 is allowed and the Wednesday it triggers on is blocked', async () => {
    // T0 is Monday 2026-03-02 09:00 EST; two days and an hour later it is Wednesday 10:00.
    await h.advance(2 * DAY + HOUR);
    expect(new Date(now()).toISOString()).toBe('2026-03-04T15:00:00.000Z');
    const body = flow({ name: 'Sunday only', criteria: onContactCreated, actions: chain([setJobTitle]) });
    const wf = await createFlow(h, { ...body, timeWindows: [hours('SUNDAY', 9, 10)], blockedDates: [{ dayOfMonth: 4, month: 'MARCH', year: 2026 }] });
    expect(wf.timeWindows).toEqual([hours('SUNDAY', 9, 10)]);
    expect(wf.blockedDates).toEqual([{ dayOfMonth: 4, month: 'MARCH', year: 2026 }]);

    const contactId = await seedContact(h, { email: 'sunday@example.com' });
    await h.advance(0);
    expect(await log(h, wf.id, contactId)).toEqual([]);
    // Sunday 2026-03-08 is the day New York moves to EDT: 09:00 local is 13:00Z, one minute before is still waiting.
    await h.advance(Date.parse('2026-03-08T12:59:00Z') - now());
    expect(await log(h, wf.id, contactId)).toEqual([]);
    expect(await jobTitle(contactId)).toBeNull();
    await h.advance(10 * MINUTE);
    const entries = await log(h, wf.id, contactId);
    expect(entries.map((e) => [e.status, e.at])).toEqual([['EXECUTED', '2026-03-08T13:00:00.000Z']]);
    expect(await jobTitle(contactId)).toBe('Windowed');
  });

  it('should run the delay at once and hold the next action to Monday 09:00 when the delay ends on Friday evening outside the weekday hours', async () => {
    // Friday 2026-03-06 16:30 EST.
    await h.advance(4 * DAY + 7 * HOUR + 30 * MINUTE);
    const body = flow({ name: 'Office hours', criteria: onContactCreated, actions: chain([{ actionTypeId: DELAY, fields: { delta: '1', time_unit: 'HOURS' } }, setJobTitle]) });
    const wf = await createFlow(h, { ...body, timeWindows: weekdays(9, 17) });
    const contactId = await seedContact(h, { email: 'friday@example.com' });
    await h.advance(4 * DAY);
    const entries = await log(h, wf.id, contactId);
    expect(entries.map((e) => [e.actionId, e.at])).toEqual([
      ['1', '2026-03-06T21:30:00.000Z'],
      ['2', '2026-03-09T13:00:00.000Z'], // Monday 09:00 EDT, after the weekend's DST change
    ]);
  });

  it('should keep a delay to the minute when it ends inside a window', async () => {
    const body = flow({ name: 'Never shortened', criteria: onContactCreated, actions: chain([{ actionTypeId: DELAY, fields: { delta: '90', time_unit: 'MINUTES' } }, setJobTitle]) });
    const wf = await createFlow(h, { ...body, timeWindows: weekdays(9, 17) });
    const contactId = await seedContact(h, { email: 'monday@example.com' });
    await h.advance(DAY);
    expect((await log(h, wf.id, contactId)).map((e) => e.at)).toEqual([new Date(T0).toISOString(), new Date(T0 + 90 * MINUTE).toISOString()]);
  });

  it.each([
    { what: 'a window ends before it starts', timing: { timeWindows: [hours('SUNDAY', 10, 9)] }, field: 'timeWindows[0].endTime' },
    { what: 'a window names no weekday', timing: { timeWindows: [{ day: 'SOMEDAY' }] }, field: 'timeWindows[0].day' },
    { what: 'a minute is out of range', timing: { timeWindows: [{ day: 'MONDAY', startTime: { hour: 9, minute: 60 } }] }, field: 'timeWindows[0].startTime.minute' },
    { what: 'a blocked date does not exist', timing: { blockedDates: [{ dayOfMonth: 30, month: 'FEBRUARY', year: 2026 }] }, field: 'blockedDates[0].dayOfMonth' },
    { what: 'a blocked date is an ISO string', timing: { blockedDates: ['2026-03-04'] }, field: 'blockedDates[0]' },
  ])('should answer 400 naming the field, and save nothing, when $what', async ({ timing, field }) => {
    const r = await h.api('POST', '/automation/v4/flows', { ...flow({ criteria: onContactCreated, actions: chain([setJobTitle]) }), ...timing });
    expect(r.status).toBe(400);
    expect(r.body.category).toBe('VALIDATION_ERROR');
    expect(r.body.errors.map((e: { in: string }) => e.in)).toContain(field);
    expect((await h.api('GET', '/automation/v4/flows')).body.results).toEqual([]);
  });
});
