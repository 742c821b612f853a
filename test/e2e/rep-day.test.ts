/**
 * A rep's working day (issue #14) in one go, as a rep walks it: the first step of a sequence built
 * from a template with a snippet in the rich editor, a contact enrolled by hand, the task queue
 * worked (the manual email sent in the first email's thread, a call logged, a to-do skipped),
 * and the per-step report read. Screenshots: test-output/rep-day-{editor,queue,report}.png.
 */
import { describe, expect, it } from 'vitest';
import { seedContact, seedSender, seedSequence } from '../support/harness.js';
import { chromiumAvailable, poll, signInAs, useBrowserApp } from './browser.js';
import { enrollFromDialog, logCall, openEnrollDialog, queueDone, reportCells, saveOutput, saveSequence, sendManualEmail, skipTask, snippetByShortcut, stepFromTemplate } from './rep-steps.js';

describe.skipIf(!chromiumAvailable)("A rep's day in the web app", () => {
  const app = useBrowserApp();

  it('should send the templated email, the threaded manual email, log the call, skip the to-do and count them per step when a rep works a sequence through the day', async () => {
    const { h } = app;
    const rep = await seedSender(h, { email: 'rita@acme.test' });
    const owner = Number(rep.userId);
    expect((await h.api('POST', '/seqflow/v1/templates', { name: 'Warm intro', ownerUserId: owner, subject: 'Quick idea for {{ contact.firstname }}', body: '<p>Hi {{ contact.firstname }},</p><p>A quick idea for your team.</p>' })).status).toBe(201);
    expect((await h.api('POST', '/seqflow/v1/snippets', { name: 'Calendar link', ownerUserId: owner, shortcut: 'cal', body: 'Book a time: https://cal.example/rita' })).status).toBe(201);
    const sequenceId = await seedSequence(h, rep.userId, {
      steps: [
        { type: 'EMAIL', delayMillis: 0, subject: 'Draft', body: '<p>Draft</p>' },
        { type: 'TASK', taskType: 'EMAIL', delayMillis: 0, subject: 'Personal follow-up', body: '<p>Hi {{ contact.firstname }}, congrats on [[placeholder: the news]].</p>' },
        { type: 'TASK', taskType: 'CALL', delayMillis: 0, subject: 'Call {{ contact.firstname }}', body: 'Ask about the pilot', taskGatesNextStep: false },
        { type: 'TASK', taskType: 'TODO', delayMillis: 0, subject: 'Look up {{ contact.company }}', taskGatesNextStep: false },
      ],
    });
    await seedContact(h, { email: 'lena@fjord.test', firstname: 'Lena', lastname: 'Berg', company: 'Fjord AB' });
    const mail = async () => (await h.api('GET', `/seqflow/v1/dev-mail/messages?to=${encodeURIComponent('lena@fjord.test')}`)).body.results as { messageId: string; subject: string; html: string; headers: Record<string, string> }[];

    // Rita signs in as herself, a rep and not an admin (Ada administers the account), so the queue
    // shows her tasks and the enroll dialog offers her own inbox.
    const admin = await seedSender(h, { email: 'ada@acme.test' });
    expect((await h.api('PUT', `/settings/v3/users/${admin.userId}`, { role: 'admin' })).status).toBe(200);
    expect((await h.api('PUT', `/seqflow/v1/users/${rep.userId}/password`, { password: 'rita has a long secret' })).status).toBeLessThan(300);
    const page = await app.newPage({ width: 1280, height: 1100 });
    await signInAs(page, h.sf.url!, 'rita@acme.test', 'rita has a long secret');

    // Morning: the first email from a template, with the calendar snippet.

    await page.goto(`${h.sf.url}/sequences/${sequenceId}`);
    const { body } = await stepFromTemplate(page, 1, { name: 'Warm intro', subject: 'Quick idea for {{ contact.firstname }}', line: 'A quick idea for your team.' });
    await snippetByShortcut(body, 'cal', 'Book a time: https://cal.example/rita');
    await saveOutput(page, 'rep-day-editor');
    await saveSequence(page);

    // Lena is enrolled by hand; the first email goes out.
    await enrollFromDialog(await openEnrollDialog(page, { find: 'fjord', contact: 'Lena Berg', email: 'lena@fjord.test', from: 'rita@acme.test' }), 'lena@fjord.test');
    await h.advance(0);
    const [first] = await mail();
    expect(first.subject).toBe('Quick idea for Lena');
    expect(first.html).toContain('<p>Book a time: https://cal.example/rita</p>');

    // The queue: the manual email first, sent in the thread of the first one.
    await page.goto(`${h.sf.url}/tasks`);
    await page.getByRole('region', { name: /Due today/ }).getByRole('row', { name: /Personal follow-up/ }).waitFor();
    await page.getByRole('button', { name: 'Start (1)' }).click();
    await sendManualEmail(page, { subject: 'Re: Quick idea for Lena', line: 'congrats on [[placeholder: the news]]', closing: 'Talk soon', placeholders: { 'the news': 'the Series B' } });
    await queueDone(page);
    await h.advance(0);
    const sent = await mail();
    expect(sent).toHaveLength(2);
    const manual = sent.find((m) => m.messageId !== first.messageId)!;
    expect(manual).toMatchObject({ subject: 'Re: Quick idea for Lena', headers: expect.objectContaining({ 'in-reply-to': first.messageId }) });
    expect(manual.html).toContain('congrats on the Series B.');
    expect(manual.html).toContain('<strong>Talk soon</strong>');

    // Then the call and the to-do.
    await page.reload();
    await page.getByRole('region', { name: /Due today/ }).getByRole('row', { name: /Look up Fjord AB/ }).waitFor();
    expect(await page.getByRole('radiogroup', { name: 'Whose tasks' }).count()).toBe(0);
    await saveOutput(page, 'rep-day-queue');
    await page.getByRole('button', { name: 'Start (2)' }).click();
    await logCall(page, { title: 'Call Lena', outcome: 'Connected', note: 'Pilot in May' });
    await skipTask(page, 'Look up Fjord AB');
    await queueDone(page);

    // The evening: the report per step. Title, sent, delivered, replied, rate, meetings, bounced, unsubscribed, tasks created, completed, …
    await page.goto(`${h.sf.url}/sequences/${sequenceId}?tab=performance`);
    const report = page.getByRole('region', { name: 'Per-step report' });
    await report.getByRole('img', { name: /Per-step results of/ }).waitFor();
    await poll(async () => (await reportCells(page, 1)).slice(0, 4)).toEqual(['Quick idea for {{ contact.firstname }}', '1', '1', '0']);
    await poll(async () => (await reportCells(page, 2, 'Task')).slice(1, 3)).toEqual(['1', '1']);
    await poll(async () => (await reportCells(page, 3, 'Task')).slice(8, 10)).toEqual(['1', '1']);
    await poll(async () => (await reportCells(page, 4, 'Task')).slice(8, 10)).toEqual(['1', '0']);
    await saveOutput(report, 'rep-day-report');
    expect(await mail()).toHaveLength(2);
  }, 90_000);
});
