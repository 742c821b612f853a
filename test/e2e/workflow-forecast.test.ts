/**
 * The browser path: add a webhook action to a workflow, Turn it on, ask for the contacts
 * who meet the trigger now, see when each one's first email would go (and that the webhook is
 * not predicted), confirm, and the workflow is on.
 */
import path from 'node:path';
import fs from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { seedContact, seedSender, seedSequence } from '../support/harness.js';
import { chain, createFlow, ENROLL, flow, onContactCreated } from '../support/workflows.js';
import { chromiumAvailable, goToWorkflows, poll, useBrowserApp } from './browser.js';


describe.skipIf(!chromiumAvailable)('the workflow forecast in the web app', () => {
  const app = useBrowserApp();
  let wfId: string;

  beforeAll(async () => {
    const rep = await seedSender(app.h);
    const sequenceId = await seedSequence(app.h, rep.userId);
    for (const name of ['ann', 'bob', 'cy']) await seedContact(app.h, { email: `${name}@example.com`, firstname: name });
    const wf = await createFlow(
      app.h,
      flow({ name: 'New contacts intro', isEnabled: false, criteria: onContactCreated, actions: chain([{ actionTypeId: ENROLL, fields: { sequenceId, senderType: 'SPECIFIC_USER', userId: rep.userId } }]) }),
    );
    wfId = wf.id;
  }, 60_000);

  it('should show each contact\'s predicted first email before turning on, and turn the flow on when the user has added a webhook and confirms', async () => {
    const page = await app.open();
    await goToWorkflows(page);
    const row = page.getByRole('row', { name: /New contacts intro/ });
    await row.hover();
    await row.getByRole('link', { name: /^Edit/ }).click();
    await page.getByRole('list', { name: 'Workflow steps' }).waitFor();

    const panel = page.getByRole('dialog', { name: 'Actions panel' });
    await page.getByRole('button', { name: 'Add action after action 1' }).click();
    await panel.getByLabel('Search actions').fill('webhook');
    await panel.getByRole('button', { name: 'Send a webhook', exact: true }).click();
    await panel.getByLabel('Webhook URL').fill('https://hooks.example.com/leads');
    await panel.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').filter({ hasText: 'Send a webhook saved.' }).waitFor();

    await page.getByRole('button', { name: 'Turn on' }).click();
    const ask = page.getByRole('dialog', { name: 'Turn on this workflow?' });
    await ask.getByLabel('Also contacts who meet the trigger criteria now').check();
    const forecast = ask.getByRole('region', { name: 'Forecast' });
    await poll(() => forecast.getByRole('status').textContent()).toBe('3 of 3 contacts would be enrolled now.');
    // The fake clock stands at Monday 2026-03-02 09:00 in New York, inside the window: the first email goes at once.
    const ann = forecast.getByRole('row', { name: /ann@example\.com/ });
    await poll(() => ann.getByRole('cell').first().textContent()).toBe('Mon 2026-03-02 09:00 EST');
    await poll(() => ann.getByRole('cell').nth(1).textContent()).toBe('Thu 2026-03-05 09:00 EST');
    const saved = (await app.h.api('GET', `/automation/v4/flows/${wfId}`)).body;
    expect(saved.actions.map((a: { actionTypeId: string }) => a.actionTypeId)).toEqual([ENROLL, 'WEBHOOK']);
    const file = path.resolve('test-output', 'workflow-forecast.png');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    await page.screenshot({ path: file, fullPage: true });

    await ask.getByRole('button', { name: 'Turn on' }).click();
    await page.getByRole('status').filter({ hasText: 'The workflow is on.' }).waitFor();
    expect((await app.h.api('GET', `/automation/v4/flows/${wfId}`)).body.isEnabled).toBe(true);
    expect((await app.h.api('GET', `/seqflow/v1/workflows/${wfId}/stats`)).body.enrolled).toBe(3);
  }, 60_000);
});
