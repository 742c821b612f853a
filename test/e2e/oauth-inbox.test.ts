/**
 * A rep — signed in as herself, not an admin, since only the mailbox's owner can sign in at the
 * provider — connects her mailbox with OAuth through the real redirect flow in Chromium, sees it
 * connected, sees it waiting with one Reconnect button once access is revoked, and reconnects.
 */
import net from 'node:net';
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.js';
import { dovecotAvailable } from '../support/dovecot.js';
import { seedContact, seedSequence, startHarness } from '../support/harness.js';
import { startOAuthStack, type OAuthStack } from '../support/oauth-stack.js';
import { chromiumAvailable, screenshot, signInAs, useBrowserApp } from './browser.js';

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
  let stack: OAuthStack;
  let page: Page;
  // Registered first so that it runs last, once the server that uses the stack is closed.
  afterAll(async () => {
    await stack?.stop();
  });
  const app = useBrowserApp({
    start: async () => {
      const port = await freePort();
      const publicUrl = `http://127.0.0.1:${port}`;
      stack = await startOAuthStack({ publicUrl });
      return startHarness(await DIALECTS[0].create(), { port, settings: stack.settings(), inboxWatch: null });
    },
  });

  it('connects through the provider, shows the wait and the Reconnect button when access is revoked, and reconnects', async () => {
    const admin = await app.h.api('POST', '/settings/v3/users/', { email: 'ada@example.test', firstName: 'Ada', lastName: 'Admin', timezone: 'UTC' });
    expect((await app.h.api('PUT', `/settings/v3/users/${admin.body.id}`, { role: 'admin' })).status).toBe(200);
    const user = await app.h.api('POST', '/settings/v3/users/', { email: ALICE, firstName: 'Alice', lastName: 'Rep', seat: 'sales_professional', timezone: 'UTC' });
    expect((await app.h.api('PUT', `/seqflow/v1/users/${user.body.id}/password`, { password: 'alice has a long secret' })).status).toBeLessThan(300);
    stack.as.signInAs(ALICE);
    page = await app.newPage();
    await signInAs(page, app.h.sf.url!, ALICE, 'alice has a long secret');
    await page.goto(`${app.h.sf.url}/account`);
    await page.getByRole('heading', { name: 'Your mailboxes' }).waitFor();
    await page.getByRole('button', { name: `Connect Acme Mail for ${ALICE}` }).click();
    // Off to the provider and back.
    await page.waitForURL(/\/account\?oauth=connected/);
    await page.getByText('Mailbox connected').waitFor();
    const card = page.getByRole('status', { name: `Sign-in of ${ALICE}` });
    await card.getByText('Connected').waitFor();
    await card.getByText('via Acme Mail').waitFor();

    // Access is revoked at the provider; the next email waits instead of failing.
    const inboxId = (await app.h.api('GET', `/seqflow/v1/users/${user.body.id}/inboxes`)).body.results[0].id;
    const sequenceId = await seedSequence(app.h, user.body.id);
    const contactId = await seedContact(app.h, { email: 'lena@example.com', firstname: 'Lena' });
    await app.h.api('POST', `/automation/v4/sequences/enrollments?userId=${user.body.id}`, { contactId, sequenceId, senderEmail: ALICE });
    await stack.as.revokeAll(ALICE);
    await app.h.advance(0);
    await page.goto(`${app.h.sf.url}/account`);
    await card.getByText('Reconnect needed').waitFor();
    await card.getByText('1 email waiting — mailbox disconnected').waitFor();
    await screenshot(page, 'oauth-reconnect-needed');
    // The sequence says why its email is not going out.
    await page.goto(`${app.h.sf.url}/sequences/${sequenceId}`);
    await page.getByRole('tab', { name: /Enrollments/ }).click();
    await page.getByText('1 email waiting — mailbox disconnected').waitFor();
    await page.goto(`${app.h.sf.url}/account`);

    await card.getByRole('button', { name: `Reconnect ${ALICE}` }).click();
    await page.waitForURL(/\/account\?oauth=reconnected/);
    await page.getByText('Mailbox reconnected.').waitFor();
    expect((await app.h.api('GET', `/seqflow/v1/inboxes/${inboxId}/oauth`)).body.state).toBe('connected');
  });
});
