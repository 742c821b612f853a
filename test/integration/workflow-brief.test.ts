import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dialectCases } from '../support/databases.js';
import { DAY, seedContact, seedSender, seedSequence, startHarness, type Harness } from '../support/harness.js';
import { chain, createFlow, createForm, DELAY, ENROLL, flow, log, onFormSubmitted, submit, UNENROLL } from '../support/workflows.js';

describe.each(dialectCases)('the brief, end to end, on $dialect', ({ create, skip }) => {
  let h: Harness;
  beforeEach(async (ctx) => {
    if (skip) return ctx.skip();
    h = await startHarness(await create());
  });
  afterEach(async () => h?.close());
  const devMail = async (to: string) => (await h.api('GET', `/seqflow/v1/dev-mail/messages?to=${encodeURIComponent(to)}`)).body.results;

  it('should enroll on form submission, send from the chosen address, and stop after a meeting is booked', async () => {
    const rep = await seedSender(h, { aliases: ['meet@acme.test'] });
    const sequenceId = await seedSequence(h, rep.userId);
    const form = await createForm(h);
    const wf = await createFlow(
      h,
      flow({
        criteria: onFormSubmitted(form.id),
        actions: chain([{ actionTypeId: ENROLL, fields: { sequenceId, senderType: 'SPECIFIC_USER', userId: rep.userId, senderEmail: 'meet@acme.test' } }]),
      }),
    );
    expect(wf).toMatchObject({ isEnabled: true, type: 'CONTACT_FLOW', revisionId: expect.any(String), needsReview: false });

    expect((await submit(h, form, { email: 'lena@example.com', firstname: 'Lena' })).status).toBe(200);
    await h.advance(0);
    const [first] = await devMail('lena@example.com');
    expect(first.subject).toBe('Hi Lena');
    expect(first.from).toContain('meet@acme.test');
    const [entry] = await log(h, wf.id);
    expect(entry).toMatchObject({ flowId: wf.id, actionId: '1', actionTypeId: ENROLL, status: 'EXECUTED' });

    const contact = await h.api('GET', '/crm/v3/objects/contacts/lena@example.com?idProperty=email');
    const meeting = await h.api('POST', '/crm/v3/objects/meetings', {
      properties: { hs_timestamp: new Date(h.sf.deps.clock.now()).toISOString(), hs_meeting_title: 'Intro', hubspot_owner_id: rep.userId },
      associations: [{ to: { id: contact.body.id }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 200 }] }],
    });
    expect(meeting.status).toBe(201);
    const enrollment = (await h.api('GET', `/seqflow/v1/enrollments?contactId=${contact.body.id}`)).body.results[0];
    expect(enrollment).toMatchObject({ state: 'UNENROLLED', reason: 'MEETING_BOOKED' });
    await h.advance(20 * DAY);
    expect(await devMail('lena@example.com')).toHaveLength(1);
  });

  it('should skip ALREADY_ENROLLED, continue to the next action, and unenroll after a delay', async () => {
    const rep = await seedSender(h);
    const sequenceId = await seedSequence(h, rep.userId);
    const other = await seedSequence(h, rep.userId);
    const contactId = await seedContact(h, { email: 'busy@example.com' });
    const direct = await h.api('POST', `/automation/v4/sequences/enrollments?userId=${rep.userId}`, { contactId, sequenceId: other, senderEmail: rep.email });
    expect(direct.status).toBe(200);
    const form = await createForm(h);
    const wf = await createFlow(
      h,
      flow({
        criteria: onFormSubmitted(),
        actions: chain([
          { actionTypeId: ENROLL, fields: { sequenceId, senderType: 'SPECIFIC_USER', userId: rep.userId } },
          { actionTypeId: DELAY, fields: { delta: '2', time_unit: 'DAYS' } },
          { actionTypeId: UNENROLL, fields: {} },
          { actionTypeId: UNENROLL, fields: {} },
        ]),
      }),
    );
    await submit(h, form, { email: 'busy@example.com' });
    await h.advance(0);
    let entries = await log(h, wf.id, contactId);
    expect(entries.map((e) => [e.actionId, e.status, e.reasonCode])).toEqual([
      ['1', 'SKIPPED', 'ALREADY_ENROLLED'],
      ['2', 'EXECUTED', undefined],
    ]);
    expect(entries[0].reasonText).toMatch(/only one sequence at a time/);
    await h.advance(2 * DAY);
    entries = await log(h, wf.id, contactId);
    expect(entries.slice(2).map((e) => [e.actionId, e.status, e.reasonCode])).toEqual([
      ['3', 'EXECUTED', undefined],
      ['4', 'SKIPPED', 'NOT_ENROLLED'],
    ]);
    const enrollment = (await h.api('GET', `/seqflow/v1/enrollments?contactId=${contactId}`)).body.results[0];
    expect(enrollment).toMatchObject({ state: 'UNENROLLED', reason: 'WORKFLOW' });
  });
});
