/**
 * Open/click tracking in the web app (issue #14 item 3): the switch in a sequence's Settings tab
 * is off, with the privacy trade-off written beside it; turned on and saved, the next email gets
 * a pixel and tracked links, and the Performance tab's report shows the open and the click.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { seedContact, seedSender, seedSequence } from '../support/harness.js';
import { SCREENSHOTS, chromiumAvailable, poll, useBrowserApp } from './browser.js';

describe.skipIf(!chromiumAvailable)('Sequence › Settings › open and click tracking in the web app', () => {
  const app = useBrowserApp();

  it('should track opens and clicks and show them in the report when the user turns tracking on in the Settings tab', async () => {
    const h = app.h;
    const rep = await seedSender(h, { email: 'rita@acme.test' });
    const seq = await seedSequence(h, rep.userId, { steps: [{ type: 'EMAIL', delayMillis: 0, subject: 'Pricing', body: '<p>See <a href="https://acme.test/pricing">pricing</a>.</p>' }] });
    const page = await app.open({ width: 1280, height: 1400 });
    await page.goto(`${h.sf.url}/sequences/${seq}?tab=settings`);
    const tracking = page.getByRole('group', { name: 'Open and click tracking' });
    await tracking.getByText(/Off by default\. Turning it on adds an invisible image and rewrites links through this server/).waitFor();
    await tracking.getByText(/Apple Mail and Gmail fetch images through privacy proxies/).waitFor();
    const opens = tracking.getByRole('checkbox', { name: 'Track opens' });
    const clicks = tracking.getByRole('checkbox', { name: 'Track link clicks' });
    expect(await opens.isChecked()).toBe(false);
    expect(await clicks.isChecked()).toBe(false);
    await opens.check();
    await clicks.check();
    const output = path.dirname(SCREENSHOTS);
    fs.mkdirSync(output, { recursive: true });
    await tracking.screenshot({ path: path.join(output, 'sequence-tracking-settings.png') });
    await page.getByRole('button', { name: 'Save sequence' }).click();
    await page.getByRole('status').waitFor();
    await poll(async () => (await h.api('GET', `/automation/v4/sequences/${seq}?userId=${rep.userId}`)).body.settings).toMatchObject({ trackOpens: true, trackClicks: true });

    const contactId = await seedContact(h, { email: 'ann@ann-corp.example', firstname: 'Ann' });
    expect((await h.api('POST', `/automation/v4/sequences/enrollments?userId=${rep.userId}`, { contactId, sequenceId: seq, senderEmail: rep.email })).status).toBe(200);
    await h.advance(0);
    const html = (await h.api('GET', '/seqflow/v1/dev-mail/messages?to=ann%40ann-corp.example')).body.results[0].html as string;
    const pixel = /<img src="([^"]+)"/.exec(html)![1];
    const link = /<a href="([^"]+)"/.exec(html)![1];
    const ua = { 'user-agent': 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Safari/605.1.15' };
    expect((await h.sf.app!.inject({ method: 'GET', url: new URL(pixel).pathname, headers: ua })).statusCode).toBe(200);
    expect((await h.sf.app!.inject({ method: 'GET', url: new URL(link).pathname, headers: ua })).headers.location).toBe('https://acme.test/pricing');

    await page.goto(`${h.sf.url}/sequences/${seq}?tab=performance`);
    const table = page.getByRole('region', { name: 'Per-step report' }).getByRole('table', { name: 'Per-step results' });
    await table.getByRole('columnheader', { name: 'Opened', exact: true }).waitFor();
    // ... tasks completed, opened, opened by proxy only, open rate, clicked, click rate
    await poll(async () => (await table.getByRole('row', { name: /^1 · Email/ }).getByRole('cell').allInnerTexts()).map((t) => t.trim()).slice(-5)).toEqual(['1', '0', '100%', '1', '100%']);
  });
});
