/**
 * Lists in the web app: create a static list, add a contact to it, then "Enroll in sequence"
 * shows who would be enrolled and who skipped (and why) before anything is written, and
 * enrolls after the user confirms.
 */
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { seedContact, seedSender, seedSequence } from '../support/harness.js';
import { markContact } from '../../src/store/contacts.js';
import { chromiumAvailable, poll, screenshot, useBrowserApp } from './browser.js';

describe.skipIf(!chromiumAvailable)('the web app: lists and bulk enroll', () => {
  const app = useBrowserApp();
  let page: Page;
  let rep: Awaited<ReturnType<typeof seedSender>>;
  let sequenceId: string;

  beforeAll(async () => {
    rep = await seedSender(app.h);
    sequenceId = await seedSequence(app.h, rep.userId);
  }, 60_000);
  const enrollmentsOf = async (contactId: string) => (await app.h.api('GET', `/seqflow/v1/enrollments?contactId=${contactId}`)).body.results as { sequenceId: string; state: string }[];

  it('previews a bulk enroll from a list, with who is skipped and why, and enrolls after confirm', async () => {
    const fresh = await seedContact(app.h, { email: 'fresh@example.com', firstname: 'Fay' });
    const busy = await seedContact(app.h, { email: 'busy@example.com', firstname: 'Bo' });
    const gone = await seedContact(app.h, { email: 'gone@example.com', firstname: 'Gus' });
    const other = await seedSequence(app.h, rep.userId);
    expect((await app.h.api('POST', `/automation/v4/sequences/enrollments?userId=${rep.userId}`, { contactId: busy, sequenceId: other, senderEmail: rep.email })).status).toBe(200);
    await markContact(app.h.sf.deps.db.kysely, Number(gone), 'unsubscribed', app.h.sf.deps.clock.now());

    page = await app.open();
    await page.getByRole('link', { name: 'Lists', exact: true }).click();
    await page.getByRole('heading', { name: 'Lists', level: 1 }).waitFor();

    // Create a static list, then add one contact by hand.
    await page.getByRole('button', { name: 'Create list' }).click();
    const create = page.getByRole('dialog', { name: 'Create list' });
    await create.getByLabel('List name').fill('Webinar attendees');
    await create.getByRole('button', { name: 'Create' }).click();
    await page.getByRole('heading', { name: 'Webinar attendees', level: 1 }).waitFor();
    await page.getByLabel('Find contact').fill('fresh@example.com');
    await poll(() => page.getByLabel('Contact', { exact: true }).locator('option').allTextContents()).toContain('Fay — fresh@example.com');
    await page.getByLabel('Contact', { exact: true }).selectOption({ label: 'Fay — fresh@example.com' });
    await page.getByRole('button', { name: 'Add to list' }).click();
    await page.getByRole('row', { name: /fresh@example\.com/ }).waitFor();
    const listId = /\/lists\/(\d+)/.exec(page.url())![1];
    // The other two through the API, as a script would.
    expect((await app.h.api('PUT', `/crm/v3/lists/${listId}/memberships/add`, [busy, gone])).status).toBe(200);
    await page.reload();
    await poll(() => page.getByRole('table').getByRole('row').count()).toBe(4);

    await page.getByRole('button', { name: 'Enroll in sequence' }).click();
    const dialog = page.getByRole('dialog', { name: 'Enroll Webinar attendees in a sequence' });
    await dialog.getByLabel('Sequence', { exact: true }).selectOption(sequenceId);
    await dialog.getByLabel('Send as').selectOption({ label: 'Rita Rep (rep@acme.test)' });
    await poll(() => dialog.getByLabel('Send from').inputValue()).toBe('rep@acme.test');
    await dialog.getByRole('button', { name: 'Preview' }).click();

    const preview = dialog.getByRole('table', { name: 'Enrollment preview' });
    await preview.waitFor();
    await poll(() => dialog.getByRole('status').textContent()).toMatch(/1 will be enrolled, 2 will be skipped/);
    expect(await preview.getByRole('row', { name: /fresh@example\.com/ }).textContent()).toContain('Will be enrolled');
    expect(await preview.getByRole('row', { name: /busy@example\.com/ }).textContent()).toContain('ALREADY_ENROLLED');
    expect(await preview.getByRole('row', { name: /gone@example\.com/ }).textContent()).toContain('UNSUBSCRIBED');
    await screenshot(page, 'list-bulk-enroll-preview');
    // The preview wrote nothing.
    expect(await enrollmentsOf(fresh)).toEqual([]);

    await dialog.getByRole('button', { name: 'Enroll 1 contact' }).click();
    await poll(() => dialog.getByRole('status').textContent()).toMatch(/1 enrolled, 2 skipped/);
    expect(await dialog.getByRole('table', { name: 'Enrollment results' }).getByRole('row', { name: /fresh@example\.com/ }).textContent()).toContain('Enrolled');
    expect(await enrollmentsOf(fresh)).toMatchObject([{ sequenceId, state: 'ACTIVE' }]);
    expect(await enrollmentsOf(gone)).toEqual([]);
    await dialog.getByRole('button', { name: 'Done' }).click();

    // The contact's record shows the list it is on, and joining it on the timeline.
    await page.getByRole('link', { name: 'Fay', exact: true }).click();
    const lists = page.getByRole('region', { name: 'Lists' });
    await poll(() => lists.getByRole('link').allTextContents()).toEqual(['Webinar attendees']);
    await poll(() => page.getByRole('region', { name: 'Timeline' }).textContent()).toContain('Added to a list');
  });

  it('creates a workflow triggered by a contact joining a list, which HubSpot scripts read as an IN_LIST trigger', async () => {
    const created = await app.h.api('POST', '/crm/v3/lists', { name: 'Trade show leads', objectTypeId: '0-1', processingType: 'MANUAL' });
    const listId = created.body.list.listId as string;
    page = await app.open();
    await page.getByRole('button', { name: /Automation/ }).click();
    await page.getByRole('link', { name: 'Workflows' }).click();
    await page.getByRole('button', { name: 'Create workflow' }).click();
    const create = page.getByRole('dialog', { name: 'Create workflow' });
    await create.getByLabel('Workflow name').fill('Trade show follow-up');
    await create.getByLabel('Enroll contacts when').selectOption({ label: 'Added to a list' });
    await create.getByLabel('List', { exact: true }).selectOption({ label: 'Trade show leads' });
    await create.getByRole('button', { name: 'Create' }).click();
    await poll(() => page.getByLabel('List', { exact: true }).inputValue()).toBe(listId);
    const flows = (await app.h.api('GET', '/automation/v4/flows')).body.results as { id: string; name: string }[];
    const id = flows.find((f) => f.name === 'Trade show follow-up')!.id;
    const flow = (await app.h.api('GET', `/automation/v4/flows/${id}`)).body;
    expect(flow.enrollmentCriteria).toMatchObject({ type: 'LIST_BASED', listFilterBranch: { filterBranches: [{ filters: [{ filterType: 'IN_LIST', listId, operator: 'IN_LIST' }] }] } });
  });
});
