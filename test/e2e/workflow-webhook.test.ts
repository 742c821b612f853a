/**
 * The "Send a webhook" and notification actions in the web app: added in the workflow editor,
 * saved, and the in-app notification read in the Notifications page.
 */
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { seedContact } from '../support/harness.js';
import { chain, createFlow, flow, onContactCreated } from '../support/workflows.js';
import { chromiumAvailable, goToWorkflows, poll, screenshot, useBrowserApp } from './browser.js';


describe.skipIf(!chromiumAvailable)('workflow webhook and notification actions in the web app', () => {
  const app = useBrowserApp();
  let page: Page;
  let userId: string;
  beforeAll(async () => {
    const r = await app.h.api('POST', '/settings/v3/users/', { email: 'nina@acme.test', firstName: 'Nina', lastName: 'Notified', seat: 'sales_professional' });
    expect(r.status).toBe(201);
    userId = String(r.body.id);
  }, 60_000);
  const panel = () => page.getByRole('dialog', { name: 'Actions panel' });

  it('should save a Send a webhook action with its method and URL when the user adds it in the editor', async () => {
    const wf = await createFlow(app.h, flow({ name: 'Post leads to the ERP', isEnabled: false, criteria: onContactCreated, actions: [] }));
    page = await app.open();
    await goToWorkflows(page);
    const row = page.getByRole('row', { name: /Post leads to the ERP/ });
    await row.hover();
    await row.getByRole('link', { name: /^Edit/ }).click();
    await page.getByRole('list', { name: 'Workflow steps' }).waitFor();

    await page.getByRole('button', { name: 'Add action after trigger' }).click();
    await panel().getByLabel('Search actions').fill('webhook');
    await panel().getByRole('button', { name: 'Send a webhook', exact: true }).click();
    await panel().getByRole('button', { name: 'Save' }).click();
    await panel().getByRole('alert').filter({ hasText: 'Enter the webhook URL.' }).waitFor();
    await panel().getByLabel('Method').selectOption('GET');
    await panel().getByLabel('Webhook URL').fill('https://hooks.example.com/seqflow');
    await panel().getByLabel('Signing secret (optional)').fill('s3cret');
    await screenshot(page, 'workflow-editor-webhook-action');
    await panel().getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').filter({ hasText: 'Send a webhook saved.' }).waitFor();
    await poll(async () => page.getByRole('listitem', { name: /^Action 1: Send a webhook$/ }).textContent()).toContain('GET https://hooks.example.com/seqflow');

    const saved = (await app.h.api('GET', `/automation/v4/flows/${wf.id}`)).body;
    expect(saved.actions).toEqual([expect.objectContaining({ actionTypeId: 'WEBHOOK', fields: { method: 'GET', webhookUrl: 'https://hooks.example.com/seqflow', signingSecret: 's3cret' } })]);
  });

  it("should show an in-app notification in the recipient's Notifications page when a workflow sends one", async () => {
    await createFlow(app.h, flow({ name: 'Ping Nina', criteria: onContactCreated, actions: chain([{ actionTypeId: '0-9', fields: { user_ids: [userId], subject: 'New lead {{ contact.firstname }}', body: 'Say hi to {{ contact.firstname }}.' } }]) }));
    await seedContact(app.h, { email: 'lou@example.com', firstname: 'Lou' });
    await app.h.advance(0);
    page = await app.open();
    await page.getByRole('link', { name: 'Notifications' }).click();
    await page.getByRole('heading', { name: 'Notifications', level: 1 }).waitFor();
    await page.getByRole('combobox').selectOption({ label: 'Nina Notified' });
    const list = page.getByRole('list', { name: 'Notifications' });
    await poll(async () => list.textContent()).toContain('New lead Lou');
    expect(await list.textContent()).toContain('Say hi to Lou.');
  });
});
