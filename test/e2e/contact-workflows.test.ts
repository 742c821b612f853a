/**
 * The contact record's workflows (issue #12 items 4 and 6): the user enrolls a contact in a
 * workflow from its record, sees the outcome, and then the workflow's action in the record's
 * workflow history; a second enrollment in a flow that does not re-enroll says why it was refused.
 */
import { describe, expect, it } from 'vitest';
import { seedContact } from '../support/harness.js';
import { chain, createFlow, flow, SET_PROPERTY } from '../support/workflows.js';
import { poll, chromiumAvailable, screenshot, useBrowserApp } from './browser.js';


describe.skipIf(!chromiumAvailable)('the web app: workflows on the contact record', () => {
  const app = useBrowserApp();

  it('enrolls a contact in a workflow from its record, shows the action in its workflow history, and says why a second enrollment is refused', async () => {
    const contactId = await seedContact(app.h, { email: 'wanda@example.com', firstname: 'Wanda' });
    await createFlow(
      app.h,
      flow({ name: 'Mark as hot lead', criteria: { type: 'MANUAL', shouldReEnroll: false }, actions: chain([{ actionTypeId: SET_PROPERTY, fields: { property_name: 'hs_lead_status', value: { staticValue: 'HOT' } } }]) }),
    );
    await createFlow(app.h, flow({ name: 'Switched off', isEnabled: false, criteria: { type: 'MANUAL', shouldReEnroll: false }, actions: [] }));

    const page = await app.open();
    await page.goto(`${app.h.sf.url}/contacts/${contactId}`);
    await page.getByRole('heading', { name: 'Wanda', level: 1 }).waitFor();
    const section = page.getByRole('region', { name: 'Workflows' });
    await section.getByText('No workflow has acted on this contact.').waitFor();
    const choice = section.getByLabel('Enroll in workflow');
    await poll(() => choice.locator('option').allTextContents()).toEqual(['Choose a workflow', 'Mark as hot lead']);

    await choice.selectOption({ label: 'Mark as hot lead' });
    await section.getByRole('button', { name: 'Enroll', exact: true }).click();
    await section.getByRole('status').filter({ hasText: 'Enrolled in “Mark as hot lead”' }).waitFor();

    await app.h.advance(0);
    await section.getByRole('button', { name: 'Refresh' }).click();
    const row = section.getByRole('row', { name: /Mark as hot lead/ });
    await row.waitFor();
    expect(await row.textContent()).toMatch(/Set property value.*executed.*Set hs_lead_status to "HOT"/);

    await section.getByRole('button', { name: 'Enroll', exact: true }).click();
    const refused = section.getByRole('alert');
    await refused.waitFor();
    expect(await refused.textContent()).toMatch(/Not enrolled in “Mark as hot lead”: .*does not re-enroll/);
    await screenshot(page, 'contact-workflows');
    const contact = await app.h.api('GET', `/crm/v3/objects/contacts/${contactId}?properties=hs_lead_status`);
    expect(contact.body.properties.hs_lead_status).toBe('HOT');
  });
});
