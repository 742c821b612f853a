/**
 * The rich email editor (issue #14 item 5), as a rep uses it: a step built from a template, a
 * snippet by #shortcut + Tab and a token from the picker, a word made bold; the preview with
 * the built-in sample contact; a contact enrolled by hand with the placeholder filled in; and
 * the email that reached the (dev) mail server, its HTML and its text part.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { seedContact, seedSender, seedSequence } from '../support/harness.js';
import { chromiumAvailable, poll, SCREENSHOTS, screenshot, useBrowserApp } from './browser.js';
import { enrollFromDialog, openEnrollDialog, saveSequence, snippetByShortcut, stepFromTemplate } from './rep-steps.js';

describe.skipIf(!chromiumAvailable)('The rich email editor', () => {
  const app = useBrowserApp();

  it('should send the formatted email with tokens, snippet and filled placeholder when a rep writes it in the editor and enrolls a contact by hand', async () => {
    const { h } = app;
    const rep = await seedSender(h, { email: 'rita@acme.test' });
    const template = await h.api('POST', '/seqflow/v1/templates', {
      name: 'Pain point intro',
      ownerUserId: Number(rep.userId),
      subject: 'An idea for {{ contact.firstname }}',
      body: '<p>Hi {{ contact.firstname }},</p><p>I hear [[placeholder: the pain point]] slows your team down.</p>',
    });
    expect(template.status, JSON.stringify(template.body)).toBe(201);
    const snippet = await h.api('POST', '/seqflow/v1/snippets', { name: 'Calendar link', ownerUserId: Number(rep.userId), shortcut: 'cal', body: 'Book a time: https://cal.example/rita' });
    expect(snippet.status, JSON.stringify(snippet.body)).toBe(201);
    const sequenceId = await seedSequence(h, rep.userId, { steps: [{ type: 'EMAIL', delayMillis: 0, subject: 'Old subject', body: '<p>Old body</p>' }] });
    const page = await app.open();
    await page.goto(`${h.sf.url}/sequences/${sequenceId}`);

    // The step from the template.
    const { step, body } = await stepFromTemplate(page, 1, {
      name: 'Pain point intro',
      subject: 'An idea for {{ contact.firstname }}',
      line: 'I hear [[placeholder: the pain point]] slows your team down.',
    });

    // A snippet by #shortcut + Tab, a token from the picker, then one word made bold with the toolbar.
    await snippetByShortcut(body, 'cal', 'Book a time: https://cal.example/rita');
    // A link whose address is a token.
    await body.press('Enter');
    await body.pressSequentially('Unsubscribe');
    await body.press('Control+Shift+ArrowLeft');
    await step.getByRole('button', { name: 'Link' }).click();
    await step.getByLabel('Link address').fill('{{ unsubscribe_link }}');
    await step.getByRole('button', { name: 'Apply link' }).click();
    await body.press('End');
    await body.press('Enter');
    await body.pressSequentially('Best wishes to everyone at ');
    await step.getByLabel('Insert token in step 1').selectOption('{{ contact.company }}');
    await body.pressSequentially(', Rita');
    await body.press('Control+Shift+ArrowLeft');
    await step.getByRole('button', { name: 'Bold' }).click();
    await poll(() => step.getByRole('button', { name: 'Bold' }).getAttribute('aria-pressed')).toBe('true');
    await step.getByText('Plain-text version').click();
    await poll(() => step.getByLabel('Plain-text version of step 1').inputValue()).toContain('Best wishes to everyone at {{ contact.company }}, Rita');
    fs.mkdirSync(path.dirname(SCREENSHOTS), { recursive: true });
    await page.screenshot({ path: path.join(path.dirname(SCREENSHOTS), 'email-editor.png'), fullPage: true });

    await saveSequence(page);
    const saved = (await h.api('GET', `/automation/v4/sequences/${sequenceId}?userId=${rep.userId}`)).body.steps[0].emailPattern;
    expect(saved).toMatchObject({ subject: 'An idea for {{ contact.firstname }}', sourceTemplateId: template.body.id });
    expect(saved.body).toBe(
      '<p>Hi {{ contact.firstname }},</p><p>I hear [[placeholder: the pain point]] slows your team down.</p><p>Book a time: https://cal.example/rita</p><p><a href="{{ unsubscribe_link }}">Unsubscribe</a></p><p>Best wishes to everyone at {{ contact.company }}, <strong>Rita</strong></p>',
    );

    // The preview, with no contact chosen: the sample contact.
    await page.getByRole('tab', { name: 'Preview' }).click();
    await poll(() => page.getByTestId('preview-subject').textContent()).toBe('An idea for Jane');
    await page.getByTestId('preview-contact').getByText('Jane Doe <jane.doe@example.com>', { exact: false }).waitFor();
    const frame = page.frameLocator('iframe[title="Email body preview"]');
    await poll(() => frame.locator('body').innerText()).toContain('Hi Jane,');
    await poll(() => frame.locator('strong').innerText()).toBe('Rita');
    await poll(() => frame.locator('body').innerText()).toContain('Best wishes to everyone at Example Co, Rita');
    await page.getByText('Placeholders to fill in: the pain point').waitFor();
    await screenshot(page, 'email-editor-preview');

    // Enrolling by hand asks for the placeholder, and will not enroll without it.
    const contactId = await seedContact(h, { email: 'max@globex.test', firstname: 'Max', lastname: 'Power', company: 'Globex' });
    const dialog = await openEnrollDialog(page, { find: 'globex', contact: 'Max Power', email: 'max@globex.test', from: 'rita@acme.test' });
    await dialog.getByRole('button', { name: 'Enroll' }).click();
    await dialog.getByText('Fill in every placeholder before enrolling: "the pain point".').waitFor();
    await screenshot(page, 'email-editor-enroll');
    expect((await h.api('GET', `/seqflow/v1/enrollments?contactId=${contactId}`)).body.results).toEqual([]);
    await enrollFromDialog(dialog, 'max@globex.test', { 'the pain point': 'chasing late invoices' });

    // The email as sent.
    await h.advance(0);
    const mail = (await h.api('GET', `/seqflow/v1/dev-mail/messages?to=${encodeURIComponent('max@globex.test')}`)).body.results as { subject: string; html: string; text: string }[];
    expect(mail).toHaveLength(1);
    expect(mail[0].subject).toBe('An idea for Max');
    expect(mail[0].html).toContain('<p>I hear chasing late invoices slows your team down.</p>');
    expect(mail[0].html).toContain('<p>Best wishes to everyone at Globex, <strong>Rita</strong></p>');
    expect(mail[0].html).toMatch(/<p><a href="http[^"]+\/unsubscribe\/[^"]+">Unsubscribe<\/a><\/p>/);
    expect(mail[0].text).toContain('Hi Max,');
    expect(mail[0].text).toContain('I hear chasing late invoices slows your team down.');
    expect(mail[0].text).toContain('Book a time: https://cal.example/rita');
    expect(mail[0].text).toContain('Best wishes to everyone at Globex, Rita');
    expect(mail[0].text).not.toMatch(/<|\{\{|\[\[/);
  });

  it('should open a body with a table as HTML, keep the table when saved, and put a token in the subject when the subject was focused last', async () => {
    const { h } = app;
    const rep = await seedSender(h, { email: 'tom@acme.test' });
    const table = '<table><tr><td style="padding:4px">Plan</td><td>Price</td></tr></table>';
    const sequenceId = await seedSequence(h, rep.userId, { steps: [{ type: 'EMAIL', delayMillis: 0, subject: 'Pricing', body: `<p>Hi</p>${table}` }] });
    const page = await app.open();
    await page.goto(`${h.sf.url}/sequences/${sequenceId}`);
    const step = page.getByRole('listitem', { name: 'Step 1' });
    const html = step.getByLabel('HTML of step 1');
    await poll(() => html.inputValue()).toBe(`<p>Hi</p>${table}`);
    await step.getByText('This body has markup the rich editor does not keep (table, tr, td, style attributes)', { exact: false }).waitFor();
    expect(await step.getByLabel('Edit HTML').isChecked()).toBe(true);

    const subject = step.getByLabel('Subject of step 1');
    await subject.click();
    await subject.press('End');
    await step.getByLabel('Insert token in step 1').selectOption('{{ contact.firstname | default: "there" }}');
    await poll(() => subject.inputValue()).toBe('Pricing{{ contact.firstname | default: "there" }}');
    await html.click();
    await html.press('Control+End');
    await html.pressSequentially('<p>Thanks</p>');
    await page.getByRole('button', { name: 'Save sequence' }).click();
    await page.getByText('Sequence saved').waitFor();
    const saved = (await h.api('GET', `/automation/v4/sequences/${sequenceId}?userId=${rep.userId}`)).body.steps[0].emailPattern;
    expect(saved).toMatchObject({ subject: 'Pricing{{ contact.firstname | default: "there" }}', body: `<p>Hi</p>${table}<p>Thanks</p>` });
  });
});
