/**
 * The brief, click by click, in the web app: Automation > Workflows → hover → Edit → + →
 * Enroll in a sequence / Unenroll from sequence → Save. Data is seeded through the API, time
 * moves through the fake clock, and what the user would check is read off the screens.
 */
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { DAY, seedSender, seedSequence } from '../support/harness.js';
import { chain, createFlow, createForm, ENROLL, flow, onFormSubmitted, submit } from '../support/workflows.js';
import { chromiumAvailable, goToWorkflows, poll, screenshot, useBrowserApp } from './browser.js';

describe.skipIf(!chromiumAvailable)('the web app follows the brief', () => {
  const app = useBrowserApp();
  let page: Page;
  let rep: Awaited<ReturnType<typeof seedSender>>;
  let sequenceId: string;
  /** Each test has its own form, so one test's workflows never see another's submissions. */
  let form: Awaited<ReturnType<typeof createForm>>;

  beforeAll(async () => {
    const home = await fetch(app.h.sf.url!);
    expect(home.headers.get('content-type'), 'the server serves web/dist at /').toMatch(/text\/html/);
    rep = await seedSender(app.h, { aliases: ['meet@acme.test'] });
    sequenceId = await seedSequence(app.h, rep.userId);
    form = await createForm(app.h);
    // Two users who must not be offered as senders: no paid seat; a seat but no inbox.
    const noSeat = await seedSender(app.h, { email: 'nora@acme.test', seat: 'sales_starter' });
    const noInbox = await app.h.api('POST', '/settings/v3/users', { email: 'ivan@acme.test', firstName: 'Ivan', lastName: 'Inboxless', seat: 'sales_enterprise' });
    expect(noInbox.status).toBe(201);
    expect(noSeat.userId).toBeTruthy();
  }, 60_000);
  // A fresh page (and sessionStorage) per test; the server and its data are shared.
  const open = async () => {
    page = await app.open();
    await goToWorkflows(page);
  };
  const editWorkflow = async (name: string) => {
    const row = page.getByRole('row', { name: new RegExp(name) });
    await row.hover();
    await row.getByRole('link', { name: /^Edit/ }).click();
    await page.getByRole('list', { name: 'Workflow steps' }).waitFor();
  };
  const panel = () => page.getByRole('dialog', { name: 'Actions panel' });
  const getFlow = async (id: string) => (await app.h.api('GET', `/automation/v4/flows/${id}`)).body;

  it('enrolls a contact on form submission after the user adds Enroll in a sequence, and the email shows in the dev inbox', async () => {
    const form = await createForm(app.h, 'Request a demo');
    const wf = await createFlow(app.h, flow({ name: 'Demo request follow-up', isEnabled: false, criteria: onFormSubmitted(form.id), actions: [] }));
    await open();

    await editWorkflow('Demo request follow-up');
    await poll(() => page.getByLabel('Form', { exact: true }).inputValue()).toBe(form.id);
    await page.getByRole('button', { name: 'Add action after trigger' }).click();
    await panel().getByLabel('Search actions').fill('sequence');
    await panel().getByRole('button', { name: 'Enroll in a sequence', exact: true }).click();
    await panel().getByLabel('Sequence', { exact: true }).selectOption({ label: 'Inbound follow-up (Rita Rep)' });
    await panel().getByLabel('Sender', { exact: true }).selectOption({ label: 'Rita Rep (rep@acme.test)' });
    const addresses = panel().getByLabel('Send from email address');
    expect(await addresses.locator('option').allTextContents()).toEqual(['Choose an address', 'rep@acme.test', 'meet@acme.test']);
    await addresses.selectOption('meet@acme.test');
    await screenshot(page, 'workflow-editor-enroll-action');
    await panel().getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').filter({ hasText: 'Enroll in a sequence saved.' }).waitFor();
    await poll(async () => page.getByRole('listitem', { name: /^Action 1: Enroll in a sequence$/ }).textContent()).toContain('Sequence: Inbound follow-up');
    await screenshot(page, 'workflow-editor');

    const saved = await getFlow(wf.id);
    expect(saved.actions).toEqual([
      expect.objectContaining({ actionTypeId: ENROLL, fields: expect.objectContaining({ sequenceId, senderType: 'SPECIFIC_USER', userId: rep.userId, senderEmail: 'meet@acme.test' }) }),
    ]);

    await page.getByRole('button', { name: 'Turn on' }).click();
    await page.getByRole('dialog', { name: 'Turn on this workflow?' }).getByRole('button', { name: 'Turn on' }).click();
    await page.getByRole('status').filter({ hasText: 'The workflow is on.' }).waitFor();
    expect((await getFlow(wf.id)).isEnabled).toBe(true);

    expect((await submit(app.h, form, { email: 'lena@example.com', firstname: 'Lena' })).status).toBe(200);
    await app.h.advance(0);

    await page.getByRole('link', { name: 'Dev inbox' }).click();
    await page.getByRole('navigation', { name: 'Mailboxes' }).getByRole('link', { name: /lena@example\.com/ }).click();
    const message = page.getByRole('button', { name: /Hi Lena/ });
    await message.click();
    const view = page.getByRole('article', { name: 'Message: Hi Lena' });
    await poll(() => view.textContent()).toContain('meet@acme.test');
    await view.getByRole('button', { name: 'Send reply' }).click();
    await page.getByRole('status').filter({ hasText: 'Reply received' }).waitFor();
    const contact = (await app.h.api('GET', '/crm/v3/objects/contacts/lena@example.com?idProperty=email')).body;
    const [enrollment] = (await app.h.api('GET', `/seqflow/v1/enrollments?contactId=${contact.id}`)).body.results;
    expect(enrollment).toMatchObject({ state: 'UNENROLLED', reason: 'REPLIED', senderEmail: 'meet@acme.test' });
  }, 60_000);

  it('bounces a sequence email from the dev inbox, and the contact is marked bounced and unenrolled', async () => {
    const contactId = (await app.h.api('POST', '/crm/v3/objects/contacts', { properties: { email: 'gone@example.com', firstname: 'Gone' } })).body.id;
    const enrolled = await app.h.api('POST', `/automation/v4/sequences/enrollments?userId=${rep.userId}`, { contactId, sequenceId, senderEmail: rep.email });
    expect(enrolled.status).toBe(200);
    await app.h.advance(0);
    await open();
    await page.getByRole('link', { name: 'Dev inbox' }).click();
    await page.getByRole('navigation', { name: 'Mailboxes' }).getByRole('link', { name: /gone@example\.com/ }).click();
    await page.getByRole('button', { name: /Hi Gone/ }).click();
    await page.getByRole('article', { name: 'Message: Hi Gone' }).getByRole('button', { name: 'Bounce', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'Bounced' }).waitFor();
    const [enrollment] = (await app.h.api('GET', `/seqflow/v1/enrollments?contactId=${contactId}`)).body.results;
    expect(enrollment).toMatchObject({ state: 'UNENROLLED', reason: 'BOUNCED' });
  }, 60_000);

  it('unenrolls after a delay once the user adds Delay and Unenroll from sequence', async () => {
    const form = await createForm(app.h, 'Contact us');
    const wf = await createFlow(
      app.h,
      flow({
        name: 'Stop after two days',
        criteria: onFormSubmitted(form.id),
        actions: chain([{ actionTypeId: ENROLL, fields: { sequenceId, senderType: 'SPECIFIC_USER', userId: rep.userId, senderEmail: rep.email } }]),
      }),
    );
    await open();
    await editWorkflow('Stop after two days');

    await page.getByRole('button', { name: 'Add action after action 1' }).click();
    await panel().getByRole('button', { name: 'Delay', exact: true }).click();
    await panel().getByLabel('Delay amount').fill('2');
    await panel().getByLabel('Unit').selectOption('DAYS');
    await panel().getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').filter({ hasText: 'Delay saved.' }).waitFor();

    await page.getByRole('button', { name: 'Add action after action 2' }).click();
    await panel().getByRole('button', { name: 'Unenroll from sequence', exact: true }).click();
    await panel().getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').filter({ hasText: 'Unenroll from sequence saved.' }).waitFor();
    expect(await page.getByRole('list', { name: 'Workflow steps' }).getByRole('listitem').filter({ has: page.getByRole('heading', { level: 3 }) }).allTextContents()).toHaveLength(3);

    const saved = await getFlow(wf.id);
    expect(saved.isEnabled).toBe(true);
    expect(saved.actions.map((a: any) => a.actionTypeId)).toEqual([ENROLL, '0-1', '0-4702372']);

    expect((await submit(app.h, form, { email: 'otto@example.com', firstname: 'Otto' })).status).toBe(200);
    await app.h.advance(0);
    const contact = (await app.h.api('GET', '/crm/v3/objects/contacts/otto@example.com?idProperty=email')).body;
    const enrollments = async () => (await app.h.api('GET', `/seqflow/v1/enrollments?contactId=${contact.id}`)).body.results;
    expect((await enrollments())[0]).toMatchObject({ state: 'ACTIVE' });
    await app.h.advance(2 * DAY);
    expect((await enrollments())[0]).toMatchObject({ state: 'UNENROLLED', reason: 'WORKFLOW' });

    await page.getByRole('link', { name: 'History' }).click();
    const history = page.getByRole('region', { name: /Contact Otto/ });
    await history.waitFor();
    const rows = await history.getByRole('row').allTextContents();
    expect(rows.slice(1).map((r) => r.replace(/^.*?(\d\. )/, '$1'))).toEqual([
      expect.stringMatching(/^1\. Enroll in a sequenceExecuted/),
      expect.stringMatching(/^2\. DelayExecuted/),
      expect.stringMatching(/^3\. Unenroll from sequenceExecuted/),
    ]);
    await page.getByLabel('Status').selectOption('SKIPPED');
    await page.getByText('Nothing matches these filters.').waitFor();
  }, 60_000);

  it('offers only eligible senders: others are disabled with the reason, and only the sender’s addresses are listed', async () => {
    await createFlow(app.h, flow({ name: 'Sender check', isEnabled: false, criteria: onFormSubmitted(form.id), actions: [] }));
    await open();
    await editWorkflow('Sender check');
    await page.getByRole('button', { name: 'Add action after trigger' }).click();
    await panel().getByRole('button', { name: 'Enroll in a sequence', exact: true }).click();
    const sender = panel().getByLabel('Sender', { exact: true });
    const options = await sender.locator('option').evaluateAll((os) => os.map((o) => ({ text: o.textContent, disabled: (o as HTMLOptionElement).disabled })));
    expect(options).toEqual([
      { text: 'Choose a sender', disabled: false },
      { text: 'Contact owner', disabled: false },
      { text: 'Rita Rep (rep@acme.test)', disabled: false },
      { text: expect.stringMatching(/^Rita Rep \(nora@acme\.test\) — unavailable: needs a paid Sales Hub seat/), disabled: true },
      { text: 'Ivan Inboxless (ivan@acme.test) — unavailable: no connected inbox', disabled: true },
    ]);
    await poll(() => panel().getByLabel('Send from email address').isDisabled()).toBe(true);
    await sender.selectOption({ label: 'Rita Rep (rep@acme.test)' });
    expect(await panel().getByLabel('Send from email address').locator('option').allTextContents()).toEqual(['Choose an address', 'rep@acme.test', 'meet@acme.test']);
    // Saving without a sequence is refused in the panel, before the server is asked.
    await panel().getByRole('button', { name: 'Save' }).click();
    await panel().getByRole('alert').filter({ hasText: 'Choose a sequence.' }).waitFor();
  }, 60_000);

  it('shows an action whose sequence was deleted as broken, and the workflow as Needs review', async () => {
    const doomed = await app.h.api('POST', '/seqflow/v1/sequences', {
      name: 'Spring promo',
      userId: rep.userId,
      steps: [{ type: 'EMAIL', delayMillis: 0, subject: 'Spring', body: '<p>Hello</p>' }],
    });
    expect(doomed.status).toBe(201);
    await createFlow(
      app.h,
      flow({
        name: 'Promo enrollment',
        criteria: onFormSubmitted(form.id),
        actions: chain([{ actionTypeId: ENROLL, fields: { sequenceId: doomed.body.id, senderType: 'SPECIFIC_USER', userId: rep.userId, senderEmail: rep.email } }]),
      }),
    );
    expect((await app.h.api('DELETE', `/seqflow/v1/sequences/${doomed.body.id}`)).status).toBe(204);
    await open();

    const row = page.getByRole('row', { name: /Promo enrollment/ });
    await poll(() => row.textContent()).toContain('Needs review');
    await editWorkflow('Promo enrollment');
    const action = page.getByRole('listitem', { name: 'Action 1: Enroll in a sequence (broken)' });
    await poll(() => action.textContent()).toMatch(/Broken.*deleted/);
    expect(await action.locator('.card').evaluate((el) => getComputedStyle(el).borderColor)).toBe('rgb(217, 76, 83)');
    await screenshot(page, 'workflow-editor-broken-action');
    await action.getByRole('button', { name: 'Edit action 1' }).click();
    const sequence = panel().getByLabel('Sequence', { exact: true });
    expect(await sequence.locator('option').allTextContents()).not.toContain('Spring promo (Rita Rep)');
    await panel().getByText('This sequence was deleted. Choose another sequence.').waitFor();
    await panel().getByRole('paragraph').filter({ hasText: 'was deleted' }).first().waitFor();
  }, 60_000);

  it('sets a catalog trigger and the timing (Sunday 09–10, one blocked date) in the editor, and the saved flow holds them', async () => {
    const wf = await createFlow(app.h, flow({ name: 'Timed follow-up', isEnabled: false, criteria: onFormSubmitted(form.id), actions: [] }));
    await open();
    await editWorkflow('Timed follow-up');
    // A trigger the editor has no form of its own for: offered from the server's catalog.
    await page.getByRole('combobox', { name: 'Trigger', exact: true }).selectOption({ label: 'Enrolled in a sequence' });
    await page.getByLabel('Run actions').selectOption({ label: 'At specific times only' });
    for (const day of ['Mon', 'Tue', 'Wed', 'Thu', 'Fri']) await page.getByLabel(day, { exact: true }).uncheck();
    await page.getByLabel('Sun', { exact: true }).check();
    await page.getByLabel('From', { exact: true }).fill('09:00');
    await page.getByLabel('To', { exact: true }).fill('10:00');
    await page.getByLabel('Blocked date').fill('2026-03-04');
    await page.getByRole('button', { name: 'Add date' }).click();
    await page.getByRole('button', { name: 'Remove 2026-03-04' }).waitFor();
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('status').filter({ hasText: 'Workflow saved.' }).waitFor();
    const saved = await getFlow(wf.id);
    expect(saved.timeWindows).toEqual([{ day: 'SUNDAY', startTime: { hour: 9, minute: 0 }, endTime: { hour: 10, minute: 0 } }]);
    expect(saved.blockedDates).toEqual([{ dayOfMonth: 4, month: 'MARCH', year: 2026 }]);
    expect(saved.enrollmentCriteria.eventFilterBranches[0].eventTypeId).toBe('4-675777');
    await screenshot(page, 'workflow-editor-timing');
  }, 60_000);
  it('creates a property-filter workflow, warns about placeholder tokens, and asks to confirm enrolling more than 100 contacts', async () => {
    const personal = await app.h.api('POST', '/seqflow/v1/sequences', {
      name: 'Personal intro',
      userId: rep.userId,
      steps: [{ type: 'EMAIL', delayMillis: 0, subject: 'Hello {{ contact.firstname }}', body: '<p>[[placeholder: a personal first line]]</p>' }],
    });
    expect(personal.status).toBe(201);
    // A custom property: writing one needs its definition first, as in HubSpot.
    const source = { name: 'source_event', label: 'Source event', type: 'string', fieldType: 'text', groupName: 'contactinformation' };
    expect((await app.h.api('POST', '/crm/v3/properties/contacts', source)).status).toBe(201);
    for (let i = 0; i < 101; i++) {
      expect((await app.h.api('POST', '/crm/v3/objects/contacts', { properties: { email: `attendee${i}@webinar.test`, source_event: 'webinar' } })).status).toBe(201);
    }
    await open();
    await page.getByRole('button', { name: 'Create workflow' }).click();
    const create = page.getByRole('dialog', { name: 'Create workflow' });
    await create.getByLabel('Workflow name').fill('Webinar attendees');
    await create.getByLabel('Enroll contacts when').selectOption({ label: 'Property filter' });
    await create.getByRole('button', { name: 'Create' }).click();
    await page.getByLabel('Property 1').fill('source_event');
    await page.getByLabel('Operator 1').selectOption({ label: 'is equal to' });
    await page.getByLabel('Value 1').fill('webinar');

    await page.getByRole('button', { name: 'Add action after trigger' }).click();
    await panel().getByRole('button', { name: 'Enroll in a sequence', exact: true }).click();
    await panel().getByLabel('Sequence', { exact: true }).selectOption({ label: 'Personal intro (Rita Rep)' });
    await panel().getByRole('note').filter({ hasText: 'placeholder tokens' }).waitFor();
    await panel().getByLabel('Sender', { exact: true }).selectOption({ label: 'Rita Rep (rep@acme.test)' });
    await panel().getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').filter({ hasText: 'Enroll in a sequence saved.' }).waitFor();
    const action = page.getByRole('listitem', { name: 'Action 1: Enroll in a sequence' });
    await poll(() => action.textContent()).toContain('contains placeholder tokens');

    await page.getByRole('button', { name: 'Turn on' }).click();
    const ask = page.getByRole('dialog', { name: 'Turn on this workflow?' });
    await ask.getByLabel('Also contacts who meet the trigger criteria now').check();
    await ask.getByRole('button', { name: 'Turn on' }).click();
    const confirm = page.getByRole('dialog', { name: 'Enroll 101 contacts?' });
    await poll(() => confirm.textContent()).toContain('would enroll 101 existing contacts');
    await confirm.getByRole('button', { name: 'Enroll 101 contacts and turn on' }).click();
    await page.getByRole('status').filter({ hasText: 'The workflow is on.' }).waitFor();

    const id = new URL(page.url()).pathname.split('/').pop();
    const saved = await getFlow(id!);
    expect(saved).toMatchObject({ isEnabled: true, name: 'Webinar attendees', enrollmentCriteria: { type: 'LIST_BASED' } });
    expect((await app.h.api('GET', `/seqflow/v1/workflows/${id}/stats`)).body.enrolled).toBe(101);
  }, 60_000);
});

describe.skipIf(!chromiumAvailable)('the web app: sequences, contacts, settings', () => {
  const app = useBrowserApp();
  let page: Page;
  let rep: Awaited<ReturnType<typeof seedSender>>;

  beforeAll(async () => {
    rep = await seedSender(app.h);
  }, 60_000);
  const open = async (viewport?: { width: number; height: number }) => {
    page = await app.open(viewport);
  };
  const enroll = async (contactId: string, sequenceId: string) => {
    const r = await app.h.api('POST', `/automation/v4/sequences/enrollments?userId=${rep.userId}`, { contactId, sequenceId, senderEmail: rep.email });
    expect(r.status).toBe(200);
  };

  it('lists sequences with counts, edits steps with the token picker, previews, and charts sends per day', async () => {
    const sequenceId = await app.h.api('POST', '/seqflow/v1/sequences', {
      name: 'Webinar follow-up',
      userId: rep.userId,
      settings: { eligibleFollowUpDays: 'EVERYDAY', sendWindowStartMinute: 0, sendWindowEndMinute: 1440 },
      steps: [
        { type: 'EMAIL', delayMillis: 0, subject: 'Thanks for joining, {{ contact.firstname | default: "there" }}', body: '<p>Hi {{ contact.firstname | default: "there" }}, here are the slides.</p>' },
        { type: 'EMAIL', delayMillis: DAY, subject: '', body: '<p>Any questions?</p>' },
        { type: 'EMAIL', delayMillis: 5 * DAY, subject: '', body: '<p>Last note.</p>' },
      ],
    }).then((r) => r.body.id as string);
    const people = ['ada', 'bob', 'cyd', 'dee'];
    const ids: string[] = [];
    for (const p of people) ids.push((await app.h.api('POST', '/crm/v3/objects/contacts', { properties: { email: `${p}@example.com`, firstname: p[0].toUpperCase() + p.slice(1), company: 'Initech' } })).body.id);
    for (const id of ids.slice(0, 3)) await enroll(id, sequenceId);
    await app.h.advance(0);
    await app.h.advance(DAY);
    await enroll(ids[3], sequenceId);
    await app.h.advance(0);
    const [first] = (await app.h.api('GET', '/seqflow/v1/dev-mail/messages?to=ada@example.com')).body.results;
    expect((await app.h.api('POST', '/seqflow/v1/dev-mail/reply', { messageId: first.messageId, text: 'Yes please, call me.' })).status).toBe(200);

    await open();
    await page.getByRole('button', { name: /Automation/ }).click();
    await page.getByRole('link', { name: 'Sequences' }).click();
    const row = page.getByRole('row', { name: /Webinar follow-up/ });
    // Name, owner, enrolled 4, active 3, replied 1.
    await poll(async () => (await row.getByRole('cell').allTextContents()).slice(0, 4)).toEqual(['Rita Rep', '4', '3', '1']);
    await row.getByRole('link', { name: 'Webinar follow-up' }).click();

    const body2 = page.getByRole('textbox', { name: 'Body of step 2' });
    await body2.click();
    await body2.press('Control+End');
    await page.getByLabel('Insert token in step 2').selectOption('{{ contact.company }}');
    await poll(() => body2.innerText()).toBe('Any questions?{{ contact.company }}');
    await page.getByRole('button', { name: 'Save sequence' }).click();
    await page.getByRole('status').filter({ hasText: 'Sequence saved.' }).waitFor();
    const saved = (await app.h.api('GET', `/automation/v4/sequences/${sequenceId}?userId=${rep.userId}`)).body;
    expect(saved.steps[1].emailPattern.body).toBe('<p>Any questions?{{ contact.company }}</p>');

    await page.getByRole('tab', { name: 'Preview' }).click();
    await page.getByLabel('Find contact').fill('bob');
    await page.getByLabel('Contact', { exact: true }).selectOption({ label: 'Bob — bob@example.com' });
    await poll(() => page.getByTestId('preview-subject').textContent()).toBe('Thanks for joining, Bob');

    await page.getByRole('tab', { name: 'Enrollments' }).click();
    await page.getByLabel('State').selectOption('UNENROLLED');
    const unenrolled = page.getByRole('region', { name: 'Enrollments' }).getByRole('row');
    await poll(async () => (await unenrolled.allTextContents()).slice(1)).toEqual([expect.stringMatching(/^ada@example\.comUnenrolledThe contact replied\./)]);

    await page.getByRole('tab', { name: 'Performance' }).click();
    const chart = page.getByRole('img', { name: 'Emails sent and replies per day for Webinar follow-up' });
    await chart.waitFor();
    const perDay = await page.getByRole('table', { name: 'Emails sent and replies per day for Webinar follow-up' }).locator('tbody tr').evaluateAll((rows) => rows.map((r) => [...r.children].map((c) => c.textContent)).filter((r) => r[1] !== '0' || r[2] !== '0'));
    expect(perDay).toEqual([
      ['2026-03-02', '3', '0'],
      ['2026-03-03', '4', '1'],
    ]);
    await screenshot(page, 'sequence-performance');
  }, 60_000);

  it('finds a contact with server-side search and paging, shows the enrollment and timeline, and unenrolls', async () => {
    for (let i = 0; i < 30; i++) await app.h.api('POST', '/crm/v3/objects/contacts', { properties: { email: `bulk${String(i).padStart(2, '0')}@paging.test`, firstname: `Bulk${i}` } });
    const sequenceId = await seedSequence(app.h, rep.userId);
    const zoe = (await app.h.api('POST', '/crm/v3/objects/contacts', { properties: { email: 'zoe@example.com', firstname: 'Zoe', lastname: 'Quinn', company: 'Globex' } })).body.id;
    await enroll(zoe, sequenceId);
    await app.h.advance(0);

    await open();
    await page.getByRole('link', { name: 'Contacts' }).click();
    await page.getByLabel('Search contacts').fill('paging.test');
    const pager = page.getByRole('navigation', { name: 'Contact pages' });
    await poll(() => pager.textContent()).toContain('Page 1 · 30 in all');
    await poll(() => page.getByRole('table').getByRole('row').count()).toBe(26);
    await pager.getByRole('button', { name: 'Next page' }).click();
    await poll(() => pager.textContent()).toContain('Page 2');
    // The page number moves on the click; the rows follow when the second page's search answers.
    await poll(() => page.getByRole('table').getByRole('row').count()).toBe(6);

    await page.getByLabel('Search contacts').fill('globex');
    await page.getByRole('link', { name: 'Zoe Quinn' }).click();
    const enrollment = page.getByRole('region', { name: 'Sequence enrollment' });
    await poll(() => enrollment.textContent()).toContain('Inbound follow-up');
    const timeline = page.getByRole('list', { name: 'Timeline' });
    await poll(() => timeline.textContent()).toContain('Contact created');
    await enrollment.getByRole('button', { name: 'Unenroll' }).click();
    await page.getByRole('dialog', { name: 'Unenroll this contact?' }).getByRole('button', { name: 'Unenroll' }).click();
    await poll(() => enrollment.textContent()).toContain('Not enrolled in a sequence.');
    const [e] = (await app.h.api('GET', `/seqflow/v1/enrollments?contactId=${zoe}`)).body.results;
    expect(e).toMatchObject({ state: 'UNENROLLED', reason: 'MANUAL' });
  }, 60_000);

  it('changes a seat in Settings, shows inbox usage, and reads as a readable error when the API refuses', async () => {
    await open();
    await page.getByRole('link', { name: 'Settings' }).click();
    const meter = page.getByRole('meter', { name: `Sends in the last 24 hours from ${rep.email}` });
    await poll(() => meter.getAttribute('aria-valuemax')).toBe('900');
    await page.getByLabel(`Seat of ${rep.email}`).selectOption('sales_starter');
    await poll(async () => (await app.h.api('GET', `/settings/v3/users/${rep.userId}`)).body.seat).toBe('sales_starter');
    await page.getByLabel(`Seat of ${rep.email}`).selectOption('sales_professional');
    await poll(async () => (await app.h.api('GET', `/settings/v3/users/${rep.userId}`)).body.seat).toBe('sales_professional');

    await page.getByRole('button', { name: 'Add user' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add user' });
    await dialog.getByLabel('Email').fill(rep.email);
    // Typing into a later field keeps the focus there (the dialog must not steal it back).
    await dialog.getByLabel('First name').pressSequentially('Sam');
    expect(await dialog.getByLabel('First name').inputValue()).toBe('Sam');
    await dialog.getByRole('button', { name: 'Add user' }).click();
    await poll(() => dialog.getByRole('alert').textContent()).toMatch(/already|exists/i);

    // A new rep with a zone from the list and a password signs in with it.
    await dialog.getByLabel('Email').fill('sam@acme.test');
    await dialog.getByLabel('Time zone').selectOption('Europe/Warsaw');
    await dialog.getByLabel('Password').fill('a long enough secret');
    await dialog.getByRole('button', { name: 'Add user' }).click();
    await dialog.waitFor({ state: 'detached' });
    const sam = (await app.h.api('GET', '/settings/v3/users/')).body.results.find((u: { email: string }) => u.email === 'sam@acme.test');
    expect(sam.timezone).toBe('Europe/Warsaw');
    const signIn = await app.h.api('POST', '/seqflow/v1/auth/login', { email: 'sam@acme.test', password: 'a long enough secret' }, { token: null, headers: { origin: 'http://localhost', host: 'localhost' } });
    expect(signIn.status).toBe(200);
  }, 60_000);

  it('opens every screen by its address (reloads keep the sign-in) without script errors', async () => {
    await open();
    const screens: [string, string][] = [
      ['/workflows', 'Workflows'],
      ['/sequences', 'Sequences'],
      ['/sequences/new', ''],
      ['/web-forms', 'Forms'],
      ['/contacts', 'Contacts'],
      ['/tasks', 'Tasks'],
      ['/account', 'Settings'],
      ['/account/holidays', 'Settings › Holidays'],
      ['/dev-inbox', 'Dev inbox'],
      ['/no-such-screen', 'Page not found'],
    ];
    for (const [path, heading] of screens) {
      await page.goto(new URL(path, app.h.sf.url!).toString());
      if (heading) await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
      else await page.getByRole('button', { name: 'Create sequence' }).waitFor();
    }
  }, 60_000);

  it('works on a narrow screen: the menu folds and the editor stacks', async () => {
    await createFlow(app.h, flow({ name: 'Narrow', isEnabled: false, criteria: onFormSubmitted(), actions: [] }));
    await open({ width: 390, height: 844 });
    await page.getByRole('button', { name: 'Menu' }).click();
    await goToWorkflows(page);
    await page.getByRole('row', { name: /Narrow/ }).getByRole('link', { name: /^Edit/ }).click();
    await page.getByRole('button', { name: 'Add action after trigger' }).click();
    await page.getByRole('dialog', { name: 'Actions panel' }).getByRole('button', { name: 'Enroll in a sequence', exact: true }).click();
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(390);
    await screenshot(page, 'workflow-editor-narrow');
  }, 60_000);
  it('first run: creates the admin on the setup screen, signs out, and signs in with email and password', async () => {
    page = await app.newPage();
    await page.goto(app.h.sf.url!);
    await page.getByRole('heading', { name: 'Welcome to Seqflow' }).waitFor();
    await page.getByLabel('First name').fill('Ada');
    await page.getByLabel('Last name').fill('Admin');
    await page.getByLabel('Email').fill('ada@acme.test');
    await page.getByLabel('Password').fill('correct horse battery');
    await page.getByRole('button', { name: 'Create account and sign in' }).click();
    await page.getByText('Ada Admin').waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Email').fill('ada@acme.test');
    await page.getByLabel('Password').fill('wrong password');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('alert').waitFor();
    await page.getByLabel('Password').fill('correct horse battery');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('heading', { name: 'Workflows', level: 1 }).waitFor();
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
  }, 60_000);
});
