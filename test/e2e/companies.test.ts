/**
 * Companies in the web app (issue #13): the Companies page finds a company, its record shows the
 * contacts associated with it and their sequence enrollment, and a contact's record shows its
 * company. Data is seeded through the API.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { seedContact, seedSender, seedSequence } from '../support/harness.js';
import { chromiumAvailable, poll, screenshot, useBrowserApp } from './browser.js';

describe.skipIf(!chromiumAvailable)('companies in the web app', () => {
  const app = useBrowserApp();
  let page: Page;

  it('should show the company with its contacts and their enrollment when the user opens it from Companies', async () => {
    const rep = await seedSender(app.h);
    const seq = await seedSequence(app.h, rep.userId);
    const company = await app.h.api('POST', '/crm/v3/objects/companies', { properties: { name: 'Globex Corporation', domain: 'globex.example', industry: 'Manufacturing' } });
    expect(company.status).toBe(201);
    const anna = await seedContact(app.h, { email: 'anna@globex.example', firstname: 'Anna', lastname: 'Albers' });
    await seedContact(app.h, { email: 'bob@initech.example', firstname: 'Bob' });
    const enrolled = await app.h.api('POST', `/automation/v4/sequences/enrollments?userId=${rep.userId}`, { contactId: anna, sequenceId: seq, senderEmail: rep.email });
    expect(enrolled.status).toBe(200);

    page = await app.open();
    await page.getByRole('link', { name: 'Companies', exact: true }).click();
    await page.getByRole('heading', { name: 'Companies', level: 1 }).waitFor();
    await page.getByLabel('Search companies').fill('globex');
    await page.getByRole('link', { name: 'Globex Corporation' }).click();
    await page.getByRole('heading', { name: 'Globex Corporation', level: 1 }).waitFor();

    const contacts = page.getByRole('region', { name: 'Contacts' });
    const row = contacts.getByRole('row', { name: /Anna Albers/ });
    await poll(() => row.textContent()).toMatch(/Anna Albers.*Primary.*anna@globex\.example.*Inbound follow-up — Active/);
    expect(await contacts.getByRole('row', { name: /Bob/ }).count()).toBe(0);
    await screenshot(page, 'company-record');

    await row.getByRole('link', { name: 'Anna Albers' }).click();
    const companies = page.getByRole('region', { name: 'Companies' });
    await poll(() => companies.textContent()).toMatch(/Globex Corporation · globex\.example\s*Primary/);
  });
});
