import nodemailer from 'nodemailer';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dialectCases } from '../support/databases.js';
import { enrollmentSteps } from '../support/enrollments.js';
import { seedContact, seedSender, seedSequence, startHarness, type Harness } from '../support/harness.js';
import { chain, createFlow, flow, log } from '../support/workflows.js';

describe.each(dialectCases)('what replies change on $dialect', ({ create, skip }) => {
  let h: Harness;
  beforeEach(async (ctx) => {
    if (skip) return ctx.skip();
    h = await startHarness(await create());
  });
  afterEach(async () => h?.close());

  const { enroll, sentTo, state, replyToFirst, enrollAllThenReply } = enrollmentSteps(() => h);

  it('should unenroll the whole company with COMPANY_REPLIED when one of them replies to an ACCOUNT_BASED sequence', async () => {
    const rep = await seedSender(h);
    const seq = await seedSequence(h, rep.userId, { settings: { sellingStrategy: 'ACCOUNT_BASED' } });
    const anna = await seedContact(h, { email: 'anna@globex.example', company: 'Globex' });
    const bart = await seedContact(h, { email: 'bart@globex.example', company: 'Globex' });
    const other = await seedContact(h, { email: 'olga@initech.example', company: 'Initech' });
    await enrollAllThenReply(rep, seq, [anna, bart, other], 'anna@globex.example', 'We are interested.');
    expect(await state(anna)).toMatchObject({ state: 'UNENROLLED', reason: 'REPLIED' });
    expect(await state(bart)).toMatchObject({ state: 'UNENROLLED', reason: 'COMPANY_REPLIED' });
    expect((await state(other)).state).toBe('ACTIVE');
  });

  it('should keep a LEAD_BASED sequence going for colleagues when one contact replies', async () => {
    const rep = await seedSender(h);
    const seq = await seedSequence(h, rep.userId);
    const anna = await seedContact(h, { email: 'anna@globex.example', company: 'Globex' });
    const bart = await seedContact(h, { email: 'bart@globex.example', company: 'Globex' });
    for (const c of [anna, bart]) await enroll(rep.userId, c, seq, rep.email);
    await h.advance(0);
    await replyToFirst('anna@globex.example', 'Yes');
    expect((await state(bart)).state).toBe('ACTIVE');
  });

  it('should start a workflow triggered by "email replied" when the contact replies', async () => {
    const rep = await seedSender(h);
    const seq = await seedSequence(h, rep.userId);
    const anna = await seedContact(h, { email: 'anna@globex.example' });
    const wf = await createFlow(
      h,
      flow({
        name: 'Replied → lead',
        criteria: { type: 'EVENT_BASED', shouldReEnroll: false, eventFilterBranches: [{ eventTypeId: '4-665538', filters: [] }] },
        actions: chain([{ actionTypeId: '0-5', fields: { property_name: 'lifecyclestage', value: { type: 'STATIC_VALUE', staticValue: 'salesqualifiedlead' } } }]),
      }),
    );
    await enroll(rep.userId, anna, seq, rep.email);
    await h.advance(0);
    await replyToFirst('anna@globex.example', 'Interested');
    await h.advance(0);
    expect((await log(h, wf.id, anna)).map((e) => e.status)).toEqual(['EXECUTED']);
    const contact = await h.api('GET', `/crm/v3/objects/contacts/${anna}`);
    expect(contact.body.properties.lifecyclestage).toBe('salesqualifiedlead');
  });

  it('should end the enrollment with REPLIED when the contact writes from one of its hs_additional_emails, found by index', async () => {
    const rep = await seedSender(h);
    const seq = await seedSequence(h, rep.userId);
    // An underscore, which the old LIKE scan stripped from its pattern, and a mixed-case alias.
    const anna = await seedContact(h, { email: 'anna@globex.example', hs_additional_emails: 'anna_home@mail.example; Old.Anna@Mail.example' });
    const bart = await seedContact(h, { email: 'bart@globex.example', hs_additional_emails: 'bart_home@mail.example' });
    for (const c of [anna, bart]) expect((await enroll(rep.userId, c, seq, rep.email)).status).toBe(200);
    await h.advance(0);
    // A changed list is indexed again: the old address no longer names bart, the new one does.
    expect((await h.api('PATCH', `/crm/v3/objects/contacts/${bart}`, { properties: { hs_additional_emails: 'bart@home.example' } })).status).toBe(200);
    const transport = nodemailer.createTransport({ host: h.sf.devMail!.host, port: h.sf.devMail!.port, secure: false, ignoreTLS: true });
    const write = (from: string, id: string) =>
      transport.sendMail({
        envelope: { from, to: [rep.email] },
        raw: `From: ${from}\r\nTo: ${rep.email}\r\nSubject: A new thread\r\nMessage-ID: <${id}@mail.example>\r\nDate: Mon, 02 Mar 2026 14:30:00 +0000\r\n\r\nCall me back on this address.\r\n`,
      });
    try {
      await write('bart_home@mail.example', 'stale');
      expect((await state(bart)).state).toBe('ACTIVE');
      await write('OLD.ANNA@mail.example', 'anna');
      expect(await state(anna)).toMatchObject({ state: 'UNENROLLED', reason: 'REPLIED' });
      await write('bart@home.example', 'bart');
      expect(await state(bart)).toMatchObject({ state: 'UNENROLLED', reason: 'REPLIED' });
    } finally {
      transport.close();
    }
  });

  it('should report an inbox whose watcher has not synced for 10 minutes as failing', async () => {
    const user = await h.api('POST', '/settings/v3/users/', { email: 'rep@acme.test', seat: 'sales_professional' });
    const inbox = await h.api('POST', `/seqflow/v1/users/${user.body.id}/inboxes`, {
      address: 'rep@acme.test',
      provider: 'imap',
      smtp: { host: '127.0.0.1', port: 9 },
      imap: { host: '127.0.0.1', port: 9, auth: { user: 'rep', pass: 'x' } },
    });
    const k = h.sf.db.kysely;
    await k.insertInto('inbox_watch').values({ inbox_id: Number(inbox.body.id), last_sync_at: Date.now() - 5 * 60_000 }).onConflict((oc) => oc.column('inbox_id').doUpdateSet({ last_sync_at: Date.now() - 5 * 60_000, last_error: null, last_error_at: null })).execute();
    expect((await h.api('GET', `/seqflow/v1/inboxes/${inbox.body.id}/usage`)).body.sync.status).toBe('ok');
    await k.updateTable('inbox_watch').set({ last_sync_at: Date.now() - 11 * 60_000, last_error: null, last_error_at: null }).execute();
    expect((await h.api('GET', `/seqflow/v1/inboxes/${inbox.body.id}/usage`)).body.sync.status).toBe('error');
    const health = await h.api('GET', '/seqflow/v1/health', undefined, { token: null });
    expect(health.body.inboxes).toEqual([expect.objectContaining({ id: inbox.body.id, status: 'error' })]);
  });
});
