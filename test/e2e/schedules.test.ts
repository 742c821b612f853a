/**
 * Named schedules in the web app (issue #14 item 4): a schedule made on Settings › Schedules with
 * its own Friday hours, chosen in a sequence's Settings tab, edited, and refused deletion while
 * the sequence uses it; what was saved is read back through the API.
 */
import { describe, expect, it } from 'vitest';
import { seedSender, seedSequence } from '../support/harness.js';
import { chromiumAvailable, useBrowserApp } from './browser.js';

describe.skipIf(!chromiumAvailable)('Named schedules in the web app', () => {
  const app = useBrowserApp();

  it('should save a schedule with Friday hours, let a sequence use it, and refuse to delete it while used', async () => {
    const rep = await seedSender(app.h, { email: 'rita@acme.test' });
    const sequenceId = await seedSequence(app.h, rep.userId);
    const page = await app.open();
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('link', { name: 'Schedules' }).click();
    await page.getByRole('heading', { name: /Schedules/, level: 1 }).waitFor();

    await page.getByRole('button', { name: 'New schedule' }).click();
    const form = page.getByRole('form', { name: 'New schedule' });
    await form.getByLabel('Name').fill('Office hours');
    await form.getByLabel('Send window starts').fill('09:00');
    await form.getByLabel('Send window ends').fill('17:00');
    await form.getByLabel('Friday', { exact: true }).selectOption('own');
    await form.getByLabel('Friday ends').fill('12:00');
    await form.getByLabel('Sunday', { exact: true }).selectOption('none');
    await form.getByRole('button', { name: 'Save schedule' }).click();
    await page.getByRole('row', { name: /Office hours/ }).getByText('09:00–17:00').waitFor();
    const [schedule] = (await app.h.api('GET', '/seqflow/v1/schedules')).body.results;
    expect(schedule).toMatchObject({ name: 'Office hours', sendWindowStartMinute: 540, sendWindowEndMinute: 1020, sendWindowsByWeekday: { FRIDAY: { startMinute: 540, endMinute: 720 }, SUNDAY: null } });

    await page.goto(`${app.h.sf.url}/sequences/${sequenceId}?tab=settings`);
    await page.getByLabel('Use schedule').selectOption({ label: 'Office hours' });
    await page.getByRole('button', { name: 'Save sequence' }).click();
    await page.getByText('Sequence saved').waitFor();
    expect((await app.h.api('GET', `/automation/v4/sequences/${sequenceId}?userId=${rep.userId}`)).body.settings.scheduleId).toBe(schedule.id);

    await page.goto(`${app.h.sf.url}/account/schedules`);
    await page.getByRole('button', { name: 'Edit Office hours' }).click();
    await page.getByRole('form', { name: 'Edit schedule' }).getByLabel('Friday ends').fill('13:00');
    await page.getByRole('button', { name: 'Save schedule' }).click();
    await page.getByRole('form', { name: 'Edit schedule' }).waitFor({ state: 'detached' });
    expect((await app.h.api('GET', `/seqflow/v1/schedules/${schedule.id}`)).body.sendWindowsByWeekday.FRIDAY).toEqual({ startMinute: 540, endMinute: 780 });

    await page.getByRole('button', { name: 'Delete Office hours' }).click();
    await page.getByText(/is used by "Inbound follow-up"/).waitFor();
    expect((await app.h.api('GET', `/seqflow/v1/schedules/${schedule.id}`)).status).toBe(200);
  });

  it("should edit the sequence's own hours by day, and show only the schedule's name and a link when a schedule is chosen", async () => {
    const rep = await seedSender(app.h, { email: 'sam@acme.test' });
    const sequenceId = await seedSequence(app.h, rep.userId);
    const late = await app.h.api('POST', '/seqflow/v1/schedules', { name: 'Late shift', sendWindowStartMinute: 720, sendWindowEndMinute: 1320 });
    expect(late.status).toBe(201);
    const page = await app.open();
    await page.goto(`${app.h.sf.url}/sequences/${sequenceId}?tab=settings`);
    const settings = page.getByRole('region', { name: 'Settings' });
    const hours = settings.getByRole('group', { name: 'Hours by day' });
    await hours.getByLabel('Friday', { exact: true }).selectOption('own');
    await hours.getByLabel('Friday ends').fill('12:00');
    await page.getByRole('button', { name: 'Save sequence' }).click();
    await page.getByText('Sequence saved').waitFor();
    const saved = async () => (await app.h.api('GET', `/automation/v4/sequences/${sequenceId}?userId=${rep.userId}`)).body.settings;
    expect((await saved()).sendWindowsByWeekday.FRIDAY.endMinute).toBe(720);

    await settings.getByLabel('Use schedule').selectOption({ label: 'Late shift' });
    await settings.getByRole('note', { name: 'Sending schedule' }).getByText(/Sending by schedule Late shift/).waitFor();
    expect(await settings.getByLabel('Send window starts').count()).toBe(0);
    expect(await settings.getByLabel('Send follow-ups on').count()).toBe(0);
    expect(await hours.count()).toBe(0);
    await page.getByRole('button', { name: 'Save sequence' }).click();
    await page.getByText('Sequence saved').waitFor();
    expect(await saved()).toMatchObject({ scheduleId: late.body.id, sendWindowsByWeekday: { FRIDAY: { endMinute: 720 } } });

    // Back to its own settings: the hours it had are there again.
    await settings.getByLabel('Use schedule').selectOption({ label: 'Own settings' });
    expect(await hours.getByLabel('Friday ends').inputValue()).toBe('12:00');
    await settings.getByLabel('Use schedule').selectOption({ label: 'Late shift' });
    await settings.getByRole('link', { name: 'edit the schedule' }).click();
    await page.getByRole('heading', { name: /Schedules/, level: 1 }).waitFor();
  });
});
