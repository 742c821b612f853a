/**
 * The per-step report in a sequence's Performance tab (issue #14 item 3): after some replies and
 * a bounce, the funnel bars and the table show the figures per step; a narrower range changes
 * them; Export CSV downloads the same figures.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DAY, seedContact, seedSender, seedSequence } from '../support/harness.js';
import { SCREENSHOTS, chromiumAvailable, poll, useBrowserApp } from './browser.js';
import { reportCells } from './rep-steps.js';

describe.skipIf(!chromiumAvailable)('Sequence › Performance › per-step report in the web app', () => {
  const app = useBrowserApp();
  let page: Page;

  /** Ann replies to email 1, Cat bounces it, Bob replies to email 2, Eve gets all three. */
  async function activity() {
    const h = app.h;
    const rep = await seedSender(h, { email: 'rita@acme.test' });
    const seq = await seedSequence(h, rep.userId);
    const to = (p: string) => `${p}@${p}-corp.example`;
    for (const p of ['ann', 'bob', 'cat', 'eve']) {
      const contactId = await seedContact(h, { email: to(p), firstname: p });
      expect((await h.api('POST', `/automation/v4/sequences/enrollments?userId=${rep.userId}`, { contactId, sequenceId: seq, senderEmail: rep.email })).status).toBe(200);
    }
    const last = async (p: string) => (await h.api('GET', `/seqflow/v1/dev-mail/messages?to=${encodeURIComponent(to(p))}`)).body.results.at(-1).messageId as string;
    await h.advance(0);
    await h.api('POST', '/seqflow/v1/dev-mail/reply', { messageId: await last('ann'), text: 'Sounds good.' });
    await h.api('POST', '/seqflow/v1/dev-mail/bounce', { messageId: await last('cat') });
    await h.advance(3 * DAY);
    await h.api('POST', '/seqflow/v1/dev-mail/reply', { messageId: await last('bob'), text: 'Call me.' });
    await h.advance(3 * DAY);
    return seq;
  }

  /** Opened, opened by proxy only, open rate, clicked, click rate of a sequence that tracks neither. */
  const OFF = ['—', '—', '—', '—', '—'];
  const cells = (step: number) => reportCells(page, step);

  it('should show per-step bars and figures, narrow them to a range and export them as CSV when the user opens the Performance tab', async () => {
    const seq = await activity();
    page = await app.open({ width: 1280, height: 1400 });
    await page.goto(`${app.h.sf.url}/sequences/${seq}?tab=performance`);
    const report = page.getByRole('region', { name: 'Per-step report' });
    await report.getByRole('img', { name: /Per-step results of/ }).waitFor();
    await report.getByText('4 sent · 1 replied · 1 bounced · 33.3% reply rate').waitFor();
    await report.getByText('2 sent · 1 replied · 0 bounced · 50% reply rate').waitFor();
    // Title, sent, delivered, replied, rate, meetings, bounced, unsubscribed, tasks created, completed, then opens and clicks (tracking off)
    await poll(() => cells(1)).toEqual([expect.stringMatching(/^Hi /), '4', '3', '1', '33.3%', '0', '1', '0', '0', '0', ...OFF]);
    await poll(() => cells(3)).toEqual(['(reply in thread)', '1', '1', '0', '0%', '0', '0', '0', '0', '0', ...OFF]);
    await report.getByRole('columnheader', { name: 'Opened (tracking off)' }).waitFor();

    await report.getByRole('button', { name: 'Last 7 days' }).click();
    await poll(() => report.getByLabel('From', { exact: true }).inputValue()).toBe('2026-03-02');
    expect(await report.getByLabel('To', { exact: true }).inputValue()).toBe('2026-03-08');
    // test-output/ is git-ignored: the picture is for people reviewing the change, as the other e2e screenshots.
    const output = path.dirname(SCREENSHOTS);
    fs.mkdirSync(output, { recursive: true });
    await report.screenshot({ path: path.join(output, 'sequence-report.png') });

    await report.getByLabel('From', { exact: true }).fill('2026-03-03');
    await poll(() => cells(1)).toEqual([expect.stringMatching(/^Hi /), '0', '0', '0', '—', '0', '0', '0', '0', '0', ...OFF]);
    await poll(() => cells(2)).toEqual(['(reply in thread)', '2', '2', '1', '50%', '0', '0', '0', '0', '0', ...OFF]);

    const [download] = await Promise.all([page.waitForEvent('download'), report.getByRole('link', { name: 'Export CSV' }).click()]);
    expect(download.suggestedFilename()).toBe(`sequence-${seq}-report-2026-03-03-to-2026-03-08.csv`);
    const csv = fs.readFileSync((await download.path())!, 'utf8').split('\r\n');
    expect(csv[0]).toMatch(/^Step,Type,Title,Sent,Delivered,Replied,Reply rate/);
    expect(csv[2]).toBe('2,EMAIL,(reply in thread),2,2,1,50.0%,0,0,0,0,0,0,,,,,');
    expect(csv[4]).toBe('Total,,,3,3,1,33.3%,0,0,0,0,0,0,,,,,');
  });
});
