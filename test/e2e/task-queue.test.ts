/**
 * The task queue in the web app (issue #14 item 2): after a sequence's first automatic email, the
 * rep sends the manual email from the composer (it arrives once, in the first email's thread),
 * then works the queue: logs a call that left a voicemail (on the contact's timeline) and skips
 * the to-do.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { seedContact, seedSender, seedSequence } from '../support/harness.js';
import { SCREENSHOTS, chromiumAvailable, signInAs, useBrowserApp } from './browser.js';
import { logCall, queueDone, sendManualEmail, skipTask } from './rep-steps.js';

describe.skipIf(!chromiumAvailable)('Tasks › work the queue in the web app', () => {
  const app = useBrowserApp();

  it('should send the manual email in the thread, log the call and skip the to-do when the rep works the queue', async () => {
    const h = app.h;
    const rep = await seedSender(h, { email: 'rita@acme.test' });
    const sequenceId = await seedSequence(h, rep.userId, {
      steps: [
        { type: 'EMAIL', delayMillis: 0, subject: 'Hello {{ contact.firstname }}', body: '<p>Hi {{ contact.firstname }}, a first note.</p>' },
        { type: 'TASK', taskType: 'EMAIL', delayMillis: 0, subject: 'Personal follow-up', body: '<p>Hi {{ contact.firstname }}, congrats on [[placeholder: the news]].</p>' },
        { type: 'TASK', taskType: 'CALL', delayMillis: 0, subject: 'Call {{ contact.firstname }}', body: 'Ask about the pilot', taskGatesNextStep: false },
        { type: 'TASK', taskType: 'TODO', delayMillis: 0, subject: 'Look up {{ contact.company }}', taskGatesNextStep: false },
      ],
    });
    const contactId = await seedContact(h, { email: 'lena@example.com', firstname: 'Lena', lastname: 'Berg', company: 'Fjord AB' });
    expect((await h.api('POST', `/automation/v4/sequences/enrollments?userId=${rep.userId}`, { contactId, sequenceId, senderEmail: rep.email })).status).toBe(200);
    await h.advance(0);
    const mail = async () => (await h.api('GET', '/seqflow/v1/dev-mail/messages?to=lena%40example.com')).body.results as { messageId: string; subject: string; html: string; headers: Record<string, string> }[];
    const [first] = await mail();

    const output = path.dirname(SCREENSHOTS);
    fs.mkdirSync(output, { recursive: true });
    const page = await app.open({ width: 1280, height: 1000 });
    await page.goto(`${h.sf.url}/tasks`);
    await page.getByRole('button', { name: 'Start (1)' }).click();

    // The manual email: the composer holds the step rendered for Lena, threaded under the first email,
    // in the rich editor; the rep adds a line of their own and fills the placeholder.
    await expect.poll(() => page.getByRole('region', { name: 'Contact' }).getByText('Fjord AB').isVisible()).toBe(true);
    await sendManualEmail(page, {
      subject: 'Re: Hello Lena',
      line: 'Hi Lena, congrats on [[placeholder: the news]].',
      closing: 'Talk soon',
      placeholders: { 'the news': 'the Series B' },
      shot: 'task-composer',
    });
    await queueDone(page);

    await h.advance(0);
    const sent = await mail();
    expect(sent).toHaveLength(2);
    const manual = sent.find((m) => m.messageId !== first.messageId)!;
    expect(manual.subject).toBe('Re: Hello Lena');
    expect(manual.html).toContain('congrats on the Series B.');
    expect(manual.html).toContain('<p><strong>Talk soon</strong></p>');
    expect(manual.headers['in-reply-to']).toBe(first.messageId);
    expect(manual.headers.references).toContain(first.messageId);

    // The call and the to-do, due today, in the queue.
    await page.reload();
    const today = page.getByRole('region', { name: /Due today/ });
    await today.getByRole('row', { name: /Call Lena/ }).waitFor();
    await today.getByRole('row', { name: /Look up Fjord AB/ }).waitFor();
    await page.screenshot({ path: path.join(output, 'task-queue.png'), fullPage: true });
    await page.getByRole('button', { name: 'Start (2)' }).click();

    await logCall(page, { title: 'Call Lena', outcome: 'Left voicemail', note: 'Will try again Thursday' });
    await skipTask(page, 'Look up Fjord AB');
    await queueDone(page);

    const statuses = (await h.api('GET', `/seqflow/v1/tasks?contactId=${contactId}`)).body.results.map((t: { subject: string; status: string; callOutcome: string | null }) => [t.subject, t.status, t.callOutcome]);
    expect(statuses).toEqual([
      ['Personal follow-up', 'COMPLETED', null],
      ['Call Lena', 'COMPLETED', 'LEFT_VOICEMAIL'],
      ['Look up Fjord AB', 'SKIPPED', null],
    ]);
    await page.goto(`${h.sf.url}/contacts/${contactId}`);
    const timeline = page.getByRole('list', { name: 'Timeline' });
    await timeline.getByText('Call logged').waitFor();
    await timeline.getByText(/outcome: Left voicemail/).waitFor();
    await timeline.getByText('Task skipped').waitFor();
    await h.advance(0);
    expect(await mail()).toHaveLength(2);
  });

  it("should show a rep only their own tasks, and an admin theirs first with a switch to everyone's, when they open the queue", async () => {
    const h = app.h;
    const password = 'a long enough secret';
    const withTask = async (email: string, contact: string, admin = false) => {
      const rep = await seedSender(h, { email });
      if (admin) expect((await h.api('PUT', `/settings/v3/users/${rep.userId}`, { role: 'admin' })).status).toBe(200);
      expect((await h.api('PUT', `/seqflow/v1/users/${rep.userId}/password`, { password })).status).toBeLessThan(300);
      const sequenceId = await seedSequence(h, rep.userId, {
        steps: [
          { type: 'TASK', taskType: 'TODO', delayMillis: 0, subject: 'Research {{ contact.firstname }}', taskGatesNextStep: true },
          { type: 'EMAIL', delayMillis: 0, subject: 'Hello', body: '<p>Hi.</p>' },
        ],
      });
      const contactId = await seedContact(h, { email: `${contact.toLowerCase()}@example.com`, firstname: contact });
      expect((await h.api('POST', `/automation/v4/sequences/enrollments?userId=${rep.userId}`, { contactId, sequenceId, senderEmail: rep.email })).status).toBe(200);
    };
    await withTask('ada@acme.test', 'Oli', true);
    await withTask('sam@acme.test', 'Kim');
    await h.advance(0);

    const page = await app.newPage();
    await signInAs(page, h.sf.url!, 'sam@acme.test', password);
    await page.goto(`${h.sf.url}/tasks`);
    await page.getByRole('row', { name: /Research Kim/ }).waitFor();
    expect(await page.getByRole('row', { name: /Research Oli/ }).count()).toBe(0);
    expect(await page.getByRole('radiogroup', { name: 'Whose tasks' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Sign out' }).click();

    await signInAs(page, h.sf.url!, 'ada@acme.test', password);
    await page.goto(`${h.sf.url}/tasks`);
    const whose = page.getByRole('radiogroup', { name: 'Whose tasks' });
    expect(await whose.getByRole('radio', { name: 'Mine' }).isChecked()).toBe(true);
    await page.getByRole('row', { name: /Research Oli/ }).waitFor();
    expect(await page.getByRole('row', { name: /Research Kim/ }).count()).toBe(0);
    await whose.getByRole('radio', { name: 'Everyone' }).check();
    await page.getByRole('row', { name: /Research Kim/ }).waitFor();
    await page.getByRole('row', { name: /Research Oli/ }).waitFor();
  });
});
