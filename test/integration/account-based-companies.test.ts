import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dialectCases } from '../support/databases.js';
import { enrollmentSteps } from '../support/enrollments.js';
import { seedContact, seedSender, seedSequence, startHarness, type Harness } from '../support/harness.js';

/**
 * ACCOUNT_BASED sequences through company associations (issue #13): a reply or a booked meeting
 * from anyone associated with a company ends the running enrollments of the company's other
 * contacts; contacts with no company keep the property/domain rule (inbound-effects.test.ts).
 */
describe.each(dialectCases)('account-based selling through associated companies on $dialect', ({ create, skip }) => {
  let h: Harness;
  beforeEach(async (ctx) => {
    if (skip) return ctx.skip();
    h = await startHarness(await create());
  });
  afterEach(async () => h?.close());

  const { enroll, sentTo, state, replyToFirst, enrollAllThenReply } = enrollmentSteps(() => h);
  const company = async (name: string, domain: string) => (await h.api('POST', '/crm/v3/objects/companies', { properties: { name, domain } })).body.id as string;
  const associate = async (contactId: string, companyId: string) =>
    expect((await h.api('PUT', `/crm/v4/objects/contacts/${contactId}/associations/default/companies/${companyId}`)).status).toBe(200);

  it('should end the associated colleagues with COMPANY_REPLIED, and not a namesake without the association, when one replies', async () => {
    const rep = await seedSender(h);
    const seq = await seedSequence(h, rep.userId, { settings: { sellingStrategy: 'ACCOUNT_BASED' } });
    const globex = await company('Globex', 'globex.example');
    const anna = await seedContact(h, { email: 'anna@globex.example' });
    // A private address: only the association ties Bart to Globex.
    const bart = await seedContact(h, { email: 'bart.private@gmail.com' });
    await associate(bart, globex);
    // Same free-text company, but no association: the association decides, so Carl keeps going.
    const carl = await seedContact(h, { email: 'carl@initech.example', company: 'Globex' });
    await enrollAllThenReply(rep, seq, [anna, bart, carl], 'anna@globex.example', 'Let us talk.');
    expect(await state(anna)).toMatchObject({ state: 'UNENROLLED', reason: 'REPLIED' });
    expect(await state(bart)).toMatchObject({ state: 'UNENROLLED', reason: 'COMPANY_REPLIED' });
    expect((await state(carl)).state).toBe('ACTIVE');
  });

  it('should end the colleagues in ACCOUNT_BASED sequences with COMPANY_MEETING_BOOKED when anyone at the company books a meeting', async () => {
    const rep = await seedSender(h);
    const accountBased = await seedSequence(h, rep.userId, { settings: { sellingStrategy: 'ACCOUNT_BASED' } });
    const leadBased = await seedSequence(h, rep.userId);
    const acme = await company('Acme', 'acme.example');
    // Dana is not enrolled anywhere; her meeting still speaks for Acme.
    const dana = await seedContact(h, { email: 'dana@acme.example' });
    const erik = await seedContact(h, { email: 'erik@acme.example' });
    const fay = await seedContact(h, { email: 'fay@acme.example' });
    const gus = await seedContact(h, { email: 'gus@umbrella.example' });
    expect((await enroll(rep.userId, erik, accountBased, rep.email)).status).toBe(200);
    expect((await enroll(rep.userId, fay, leadBased, rep.email)).status).toBe(200);
    expect((await enroll(rep.userId, gus, accountBased, rep.email)).status).toBe(200);
    const read = await h.api('GET', `/crm/v3/objects/contacts/${dana}?properties=associatedcompanyid`);
    expect(read.body.properties.associatedcompanyid).toBe(acme);

    const meeting = await h.api('POST', '/crm/v3/objects/meetings', {
      properties: { hs_timestamp: new Date(h.sf.deps.clock.now()).toISOString(), hs_meeting_title: 'Intro', hubspot_owner_id: rep.userId },
      associations: [{ to: { id: dana }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 200 }] }],
    });
    expect(meeting.status).toBe(201);
    expect(await state(erik)).toMatchObject({ state: 'UNENROLLED', reason: 'COMPANY_MEETING_BOOKED' });
    expect((await state(fay)).state).toBe('ACTIVE');
    expect((await state(gus)).state).toBe('ACTIVE');
  });

  it('should end the booker with MEETING_BOOKED and a same-domain colleague with COMPANY_MEETING_BOOKED when neither has a company', async () => {
    const rep = await seedSender(h);
    const seq = await seedSequence(h, rep.userId, { settings: { sellingStrategy: 'ACCOUNT_BASED' } });
    const hal = await seedContact(h, { email: 'hal@hooli.example' });
    const ida = await seedContact(h, { email: 'ida@hooli.example' });
    for (const c of [hal, ida]) expect((await enroll(rep.userId, c, seq, rep.email)).status).toBe(200);
    await h.api('POST', '/crm/v3/objects/meetings', {
      properties: { hs_timestamp: new Date(h.sf.deps.clock.now()).toISOString(), hs_meeting_title: 'Demo' },
      associations: [{ to: { id: hal }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 200 }] }],
    });
    expect(await state(hal)).toMatchObject({ state: 'UNENROLLED', reason: 'MEETING_BOOKED' });
    expect(await state(ida)).toMatchObject({ state: 'UNENROLLED', reason: 'COMPANY_MEETING_BOOKED' });
  });
});
