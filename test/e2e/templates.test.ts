/**
 * Templates and snippets in the web app (issue #14 item 1): a template and a snippet made on the
 * Templates page, then used in a sequence's steps (the template copied into a step, the snippet
 * picked and typed as #shortcut + Tab); what was saved is read back through the API.
 */
import { describe, expect, it } from 'vitest';
import { seedSender, seedSequence } from '../support/harness.js';
import { chromiumAvailable, poll, useBrowserApp } from './browser.js';

describe.skipIf(!chromiumAvailable)('Templates and snippets in the web app', () => {
  const app = useBrowserApp();

  it('should copy a template and insert a snippet into saved steps when a rep uses them in the step editor', async () => {
    const rep = await seedSender(app.h, { email: 'rita@acme.test' });
    const sequenceId = await seedSequence(app.h, rep.userId, {
      steps: [
        { type: 'EMAIL', delayMillis: 0, subject: 'Old subject', body: '<p>Old body</p>' },
        { type: 'EMAIL', delayMillis: 86_400_000, subject: '', body: '<p>Following up.</p>' },
      ],
    });
    const page = await app.open();
    await page.getByRole('button', { name: /Automation/ }).click();
    await page.getByRole('link', { name: 'Templates' }).click();
    await page.getByRole('heading', { name: 'Templates', level: 1 }).waitFor();

    await page.getByRole('button', { name: 'New template' }).click();
    const t = page.getByRole('dialog', { name: 'New template' });
    await t.getByLabel('Name').fill('Pricing intro');
    await t.getByLabel('Owner').selectOption({ label: 'Rita Rep' });
    await t.getByLabel('Folder').fill('Outbound');
    await t.getByLabel('Share with the whole team').check();
    await t.getByLabel('Subject').fill('Pricing for {{ contact.company }}');
    await t.getByLabel('Body').fill('<p>Hi {{ contact.firstname }}, here is our pricing.</p>');
    await t.getByRole('button', { name: 'Save template' }).click();
    await t.waitFor({ state: 'detached' });
    await page.getByRole('row', { name: /Pricing intro/ }).getByText('Outbound').waitFor();

    await page.getByRole('tab', { name: 'Snippets' }).click();
    await page.getByRole('button', { name: 'New snippet' }).click();
    const s = page.getByRole('dialog', { name: 'New snippet' });
    await s.getByLabel('Name').fill('Calendar link');
    await s.getByLabel('Owner').selectOption({ label: 'Rita Rep' });
    await s.getByLabel('Shortcut').fill('cal');
    await s.getByLabel('Body').fill('<p>Book a time: https://cal.example/rita</p>');
    await s.getByRole('button', { name: 'Save snippet' }).click();
    await s.waitFor({ state: 'detached' });
    await page.getByRole('row', { name: /Calendar link/ }).getByText('#cal').waitFor();
    const template = (await app.h.api('GET', '/seqflow/v1/templates?q=pricing')).body.results[0];
    expect(template).toMatchObject({ ownerUserId: rep.userId, folder: 'Outbound', shared: true });

    await page.goto(`${app.h.sf.url}/sequences/${sequenceId}`);
    await page.getByLabel('Insert template in step 1').selectOption({ label: 'Outbound / Pricing intro' });
    await poll(() => page.getByLabel('Subject of step 1').inputValue()).toBe('Pricing for {{ contact.company }}');
    await page.getByLabel('Insert snippet in step 1').selectOption({ label: 'Calendar link (#cal)' });
    // Picked before the caret was ever put in the body: it goes at the end, after the template's text.
    await poll(() => page.getByLabel('Body of step 1').innerText()).toMatch(/here is our pricing\.\n+Book a time: https:\/\/cal\.example\/rita$/);
    // The keyboard way: #shortcut, then Tab, at the end of step 2's body (the rich editor).
    const body2 = page.getByLabel('Body of step 2');
    await body2.click();
    await body2.press('Control+End');
    await body2.pressSequentially(' #cal');
    await body2.press('Tab');
    // A snippet that is a paragraph stays one, after the paragraph the caret was in.
    await poll(() => body2.innerHTML()).toContain('<p>Following up. </p><p>Book a time: https://cal.example/rita</p>');
    await poll(() => body2.innerText()).not.toContain('#cal');
    await page.getByRole('button', { name: 'Save sequence' }).click();
    await page.getByText('Sequence saved').waitFor();

    const saved = (await app.h.api('GET', `/automation/v4/sequences/${sequenceId}?userId=${rep.userId}`)).body;
    expect(saved.steps[0].emailPattern).toMatchObject({ subject: 'Pricing for {{ contact.company }}', sourceTemplateId: template.id });
    expect(saved.steps[0].emailPattern.body).toBe('<p>Hi {{ contact.firstname }}, here is our pricing.</p><p>Book a time: https://cal.example/rita</p>');
    expect(saved.steps[1].emailPattern).toMatchObject({ body: '<p>Following up. </p><p>Book a time: https://cal.example/rita</p>', sourceTemplateId: null });
  });
});
