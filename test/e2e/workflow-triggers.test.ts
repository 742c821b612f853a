/**
 * The trigger editor (issue #12 item 4): every trigger of the server's catalog is offered with its
 * refinement fields, and what the user picks is what the saved flow's trigger filters hold.
 */
import { describe, expect, it } from 'vitest';
import { seedSender, seedSequence } from '../support/harness.js';
import { createFlow, createForm, flow, onFormSubmitted } from '../support/workflows.js';
import { chromiumAvailable, goToWorkflows, screenshot, useBrowserApp } from './browser.js';

describe.skipIf(!chromiumAvailable)('the web app: workflow triggers with their refinements', () => {
  const app = useBrowserApp();
  const filtersOf = async (id: string) => {
    const saved = (await app.h.api('GET', `/automation/v4/flows/${id}`)).body;
    const [branch] = saved.enrollmentCriteria.eventFilterBranches;
    return { eventTypeId: branch.eventTypeId, filters: Object.fromEntries(branch.filters.map((f: { property: string; operation: { value: string } }) => [f.property, f.operation.value])) };
  };

  it('offers every catalog trigger, and saves a property change from one value to another, then a sequence unenrollment for one reason', async () => {
    const rep = await seedSender(app.h);
    const sequenceId = await seedSequence(app.h, rep.userId);
    const form = await createForm(app.h);
    const wf = await createFlow(app.h, flow({ name: 'Trigger picker', isEnabled: false, criteria: onFormSubmitted(form.id), actions: [] }));
    const catalog = (await app.h.api('GET', '/seqflow/v1/workflow-catalog')).body.triggers as { label: string }[];

    const page = await app.open();
    await goToWorkflows(page);
    const row = page.getByRole('row', { name: /Trigger picker/ });
    await row.hover();
    await row.getByRole('link', { name: /^Edit/ }).click();
    const trigger = page.getByRole('combobox', { name: 'Trigger', exact: true });
    await trigger.waitFor();
    const offered = await trigger.locator('option').allTextContents();
    expect(offered).toEqual(expect.arrayContaining([...catalog.map((t) => t.label), 'Added to a list']));

    await trigger.selectOption({ label: 'Property value changed' });
    await page.getByLabel('Property', { exact: true }).selectOption('lifecyclestage');
    await page.getByLabel('Old value', { exact: true }).fill('lead');
    await page.getByLabel('New value', { exact: true }).fill('customer');
    await screenshot(page, 'workflow-trigger-property-changed');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('status').filter({ hasText: 'Workflow saved.' }).waitFor();
    expect(await filtersOf(wf.id)).toEqual({ eventTypeId: '4-655002', filters: { hs_name: 'lifecyclestage', hs_previous_value: 'lead', hs_value: 'customer' } });

    await trigger.selectOption({ label: 'Unenrolled from a sequence' });
    await page.getByLabel('Sequence', { exact: true }).selectOption({ label: 'Inbound follow-up' });
    await page.getByLabel('Reason', { exact: true }).selectOption('REPLIED');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('status').filter({ hasText: 'Workflow saved.' }).waitFor();
    expect(await filtersOf(wf.id)).toEqual({ eventTypeId: '4-675776', filters: { hs_sequence_id: sequenceId, hs_unenroll_reason: 'REPLIED' } });

    // Read back after a reload: the fields show what was saved.
    await page.reload();
    await page.getByLabel('Reason', { exact: true }).waitFor();
    expect(await page.getByLabel('Reason', { exact: true }).inputValue()).toBe('REPLIED');
    expect(await page.getByLabel('Sequence', { exact: true }).inputValue()).toBe(sequenceId);
  }, 60_000);
});
