/**
 * Contacts > Import contacts in the web app: upload a CSV, check the suggested mapping and the
 * preview, start, watch the progress, and read the rows that were not imported.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { chromiumAvailable, screenshot, useBrowserApp } from './browser.js';

const poll = <T>(read: () => Promise<T> | T) => expect.poll(read, { timeout: 20_000, interval: 100 });

/** Big enough that the import is still running when the progress screen first shows. */
const ROWS = 20_000;
function leadsCsv(): Buffer {
  const lines = ['E-mail,First Name,Favourite colour'];
  for (let i = 1; i <= ROWS; i++) lines.push(i % 1000 === 0 ? `nobody-${i},Bad ${i},red` : `ui${i}@example.com,Lead ${i},blue`);
  return Buffer.from(`${lines.join('\n')}\n`);
}

describe.skipIf(!chromiumAvailable)('importing contacts in the web app', () => {
  const app = useBrowserApp({ timeout: 120_000 });
  let page: Page;

  it('imports a CSV after upload and mapping, shows progress, then the rows that were not imported', async () => {
    page = await app.open();
    await page.getByRole('link', { name: 'Contacts' }).click();
    await page.getByRole('link', { name: 'Import contacts' }).click();
    await page.getByRole('heading', { name: 'Import contacts', level: 1 }).waitFor();

    await page.getByLabel('CSV file').setInputFiles({ name: 'leads.csv', mimeType: 'text/csv', buffer: leadsCsv() });

    // The suggested mapping: E-mail and First Name are recognised, the colour is not imported.
    await poll(() => page.getByLabel('Property for column E-mail').inputValue()).toBe('email');
    expect(await page.getByLabel('Property for column First Name').inputValue()).toBe('firstname');
    expect(await page.getByLabel('Property for column Favourite colour').inputValue()).toBe('');
    const preview = page.getByRole('table', { name: 'Preview of the first rows' });
    await expect.poll(() => preview.getByRole('row').count()).toBe(6);
    await expect.poll(() => preview.getByRole('row').nth(1).innerText()).toContain('ui1@example.com');
    expect(await page.getByLabel('Import name').inputValue()).toBe('leads');

    // Unmapping email blocks the start; mapping it again allows it.
    await page.getByLabel('Property for column E-mail').selectOption('');
    await expect.poll(() => page.getByRole('button', { name: 'Start import' }).isDisabled()).toBe(true);
    await page.getByLabel('Property for column E-mail').selectOption('email');
    await page.getByRole('button', { name: 'Start import' }).click();

    await page.getByRole('heading', { name: /leads: Importing…/ }).waitFor();
    expect(await page.getByRole('progressbar', { name: 'Import progress' }).isVisible()).toBe(true);
    await screenshot(page, 'import-running');

    await page.getByRole('heading', { name: 'leads: Done' }).waitFor({ timeout: 120_000 });
    const bad = ROWS / 1000;
    await poll(() => page.getByText(/rows: .* created/).innerText()).toBe(`${ROWS} rows: ${ROWS - bad} created, 0 updated, ${bad} with errors`);
    const errors = page.getByRole('table', { name: 'Rows not imported' });
    await poll(() => errors.getByRole('row').count()).toBe(bad + 1);
    const first = await errors.getByRole('row').nth(1).innerText();
    expect(first).toContain('1001');
    expect(first).toContain('INVALID_EMAIL');
    expect(first).toContain('nobody-1000');
    await screenshot(page, 'import-done');

    const contact = await app.h.api('GET', '/crm/v3/objects/contacts/ui7@example.com?idProperty=email&properties=firstname,hs_object_source');
    expect(contact.body.properties).toMatchObject({ firstname: 'Lead 7', hs_object_source: 'IMPORT' });
  }, 180_000);
});
