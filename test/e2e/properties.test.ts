/**
 * Settings › Properties in the web app: list contact and company properties, create a custom
 * dropdown property with options, edit its label and options, archive it; what the user did is
 * checked through the API too.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { chromiumAvailable, poll, useBrowserApp } from './browser.js';

describe.skipIf(!chromiumAvailable)('Settings › Properties in the web app', () => {
  const app = useBrowserApp();
  let page: Page;

  const open = async () => {
    page = await app.open();
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('link', { name: 'Properties' }).click();
    await page.getByRole('heading', { name: /Properties/, level: 1 }).waitFor();
  };
  const table = () => page.getByRole('table', { name: 'Contact properties' });

  it('should list built-in properties as HubSpot-defined and read-only ones as such when the page opens', async () => {
    await open();
    const email = table().getByRole('row', { name: /^Email email/ });
    await email.getByText('HubSpot-defined').waitFor();
    await table().getByRole('row', { name: /hs_sequences_is_enrolled/ }).getByText('Read-only value').waitFor();
    await page.getByLabel('Object').selectOption('companies');
    await page.getByRole('table', { name: 'Company properties' }).getByRole('row', { name: /Company Domain Name/ }).waitFor();
  });

  it('should create a dropdown property with options, edit it and archive it when the user does so', async () => {
    await open();
    await page.getByRole('button', { name: 'Create property' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create property' });
    await dialog.getByLabel('Label', { exact: true }).fill('Favorite color');
    await poll(() => dialog.getByLabel('Internal name').inputValue()).toBe('favorite_color');
    await dialog.getByLabel('Field type').selectOption({ label: 'Dropdown select' });
    await dialog.getByLabel('Option 1 label').fill('Red');
    await dialog.getByRole('button', { name: 'Add option' }).click();
    await dialog.getByLabel('Option 2 label').fill('Deep Blue');
    await dialog.getByLabel('Option 2 value').fill('blue');
    await dialog.getByRole('button', { name: 'Create' }).click();
    await dialog.waitFor({ state: 'detached' });
    const row = table().getByRole('row', { name: /Favorite color/ });
    await row.getByText('Dropdown select').waitFor();
    await row.getByText('Red, Deep Blue').waitFor();
    const created = await app.h.api('GET', '/crm/v3/properties/contacts/favorite_color');
    expect(created.body).toMatchObject({ type: 'enumeration', fieldType: 'select', options: [{ label: 'Red', value: 'red' }, { label: 'Deep Blue', value: 'blue' }] });

    await row.getByRole('button', { name: 'Edit Favorite color' }).click();
    const edit = page.getByRole('dialog', { name: /Edit property/ });
    await edit.getByLabel('Label', { exact: true }).fill('Favourite colour');
    await edit.getByRole('button', { name: 'Add option' }).click();
    await edit.getByLabel('Option 3 label').fill('Green');
    await edit.getByRole('button', { name: 'Save' }).click();
    await edit.waitFor({ state: 'detached' });
    await poll(async () => (await app.h.api('GET', '/crm/v3/properties/contacts/favorite_color')).body.label).toBe('Favourite colour');
    expect((await app.h.api('GET', '/crm/v3/properties/contacts/favorite_color')).body.options.map((o: { value: string }) => o.value)).toEqual(['red', 'blue', 'green']);

    page.once('dialog', (d) => void d.accept());
    await table().getByRole('row', { name: /Favourite colour/ }).getByRole('button', { name: 'Archive Favourite colour' }).click();
    await poll(() => table().getByRole('row', { name: /Favourite colour/ }).count()).toBe(0);
    expect((await app.h.api('GET', '/crm/v3/properties/contacts/favorite_color')).status).toBe(404);
  });

  it('should create the property in the first group when the dialog opened before the groups had loaded', async () => {
    page = await app.open();
    // A slow network: the groups answer only after the user has opened the dialog.
    let release!: () => void;
    const groupsHeld = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/crm/v3/properties/contacts/groups', async (route) => {
      await groupsHeld;
      await route.continue();
    });
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('link', { name: 'Properties' }).click();
    await page.getByRole('button', { name: 'Create property' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create property' });
    await dialog.getByLabel('Label', { exact: true }).fill('Shoe size');
    release();
    await dialog.getByLabel('Group').locator('option').first().waitFor({ state: 'attached' });
    await dialog.getByRole('button', { name: 'Create' }).click();
    await dialog.waitFor({ state: 'detached' });
    const created = await app.h.api('GET', '/crm/v3/properties/contacts/shoe_size');
    expect(created.status).toBe(200);
    expect(created.body.groupName).toBe('contactinformation');
  });

  it('should show the server’s reason when a property cannot be created', async () => {
    await open();
    await page.getByRole('button', { name: 'Create property' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create property' });
    await dialog.getByLabel('Label', { exact: true }).fill('Email');
    await dialog.getByRole('button', { name: 'Create' }).click();
    await poll(() => dialog.getByRole('alert').textContent()).toContain('already exists');
  });
});
