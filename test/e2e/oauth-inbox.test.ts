/**
 * A rep connects a mailbox with OAuth through the real redirect flow in Chromium, sees it
 * connected, sees it waiting with one Reconnect button once access is revoked, and reconnects.
 */
import net from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.js';
import { dovecotAvailable } from '../support/dovecot.js';
import { seedContact, seedSequence, startHarness, type Harness } from '../support/harness.js';
import { startOAuthStack, type OAuthStack } from '../support/oauth-stack.js';
import { chromiumAvailable, ensureWebBuilt, launch, openPage, screenshot, signIn } from './browser.js';

const ALICE = 'alice@example.test';

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });

describe.skipIf(!chromiumAvailable || !dovecotAvailable)('connecting a mailbox with OAuth in the web app', () => {
  let h: Harness;
  let stack: OAuthStack;
  let browser: Browser;
  let page: Page;
  let problems: string[];

  beforeAll(async () => {
    ensureWebBuilt();
    const port = await freePort();
    const publicUrl = `http://127.0.0.1:${port}`;
    stack = await startOAuthStack({ publicUrl });
    [h, browser] = await Promise.all([startHarness(await DIALECTS[0].create(), { port, settings: stack.settings(), inboxWatch: null }), launch()]);
  }, 60_000);
  afterAll(async () => {
    await page?.context().close();
    await browser?.close();
    await h?.close();
    await stack?.stop();
  });

  it('connects through the provider, shows the wait and the Reconnect button when access is revoked, and reconnects', async () => {
    const user = await h.api('POST', '/settings/v3/users/', { email: ALICE, firstName: 'Alice', lastName: 'Rep', seat: 'sales_professional', timezone: 'UTC' });
    stack.as.signInAs(ALICE);
    ({ page, problems } = await openPage(browser));
    await signIn(page, h.sf.url!);
    await page.goto(`${h.sf.url}/account`);
    await page.getByRole('button', { name: `Connect Acme Mail for ${ALICE}` }).click();
    // Off to the provider and back.
    await page.waitForURL(/\/account\?oauth=connected/);
    await page.getByText('Mailbox connected').waitFor();
    const card = page.getByRole('status', { name: `Sign-in of ${ALICE}` });
    await card.getByText('Connected').waitFor();
    await card.getByText('via Acme Mail').waitFor();

    // Access is revoked at the provider; the next email waits instead of failing.
    const inboxId = (await h.api('GET', `/seqflow/v1/users/${user.body.id}/inboxes`)).body.results[0].id;
    const sequenceId = await seedSequence(h, user.body.id);
    const contactId = await seedContact(h, { email: 'lena@example.com', firstname: 'Lena' });
    await h.api('POST', `/automation/v4/sequences/enrollments?userId=${user.body.id}`, { contactId, sequenceId, senderEmail: ALICE });
    await stack.as.revokeAll(ALICE);
    await h.advance(0);
    await page.goto(`${h.sf.url}/account`);
    await card.getByText('Reconnect needed').waitFor();
    await card.getByText('1 email waiting — mailbox disconnected').waitFor();
    await screenshot(page, 'oauth-reconnect-needed');
    // The sequence says why its email is not going out.
    await page.goto(`${h.sf.url}/sequences/${sequenceId}`);
    await page.getByRole('tab', { name: /Enrollments/ }).click();
    await page.getByText('1 email waiting — mailbox disconnected').waitFor();
    await page.goto(`${h.sf.url}/account`);

    await card.getByRole('button', { name: `Reconnect ${ALICE}` }).click();
    await page.waitForURL(/\/account\?oauth=reconnected/);
    await page.getByText('Mailbox reconnected.').waitFor();
    expect((await h.api('GET', `/seqflow/v1/inboxes/${inboxId}/oauth`)).body.state).toBe('connected');
    expect(problems).toEqual([]);
  });
});
