import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dialectCases } from '../support/databases.js';
import { enrollmentSteps } from '../support/enrollments.js';
import { DAY, seedContact, seedSender, seedSequence, startHarness, type Harness } from '../support/harness.js';
import { chain, CONTACT_CREATED, createFlow, createForm, EMAIL_REPLIED, flow, FORM_SUBMITTED, log, MEETING_BOOKED, onEvent, PROPERTY_CHANGED, SEQUENCE_ENROLLED, SEQUENCE_FINISHED, SEQUENCE_UNENROLLED, SET_PROPERTY, submit } from '../support/workflows.js';

/**
 * Every trigger of the registry (src/services/workflow-triggers), through HubSpot's flows API on
 * the fake clock: a flow with that trigger and one Set property action; the event happens; the run
 * did (or, for a refinement the event does not meet, did not) happen. Then manual enrollment
 * (issue #12 item 4) and the contact's workflow history across workflows (item 6).
 */


const inList = (listId: string) => ({
  type: 'LIST_BASED',
  shouldReEnroll: false,
  listFilterBranch: { filterBranchType: 'OR', filterBranches: [{ filterBranchType: 'AND', filters: [{ filterType: 'IN_LIST', listId, operator: 'IN_LIST' }] }] },
});
const manual = (shouldReEnroll = false) => ({ type: 'MANUAL', shouldReEnroll });
const tag = (value: string) => chain([{ actionTypeId: SET_PROPERTY, fields: { property_name: 'hs_lead_status', value: { staticValue: value } } }]);

describe.each(dialectCases)('workflow triggers and manual enrollment on $dialect', ({ create, skip }) => {
  let h: Harness;
  beforeEach(async (ctx) => {
    if (skip) return ctx.skip();
    h = await startHarness(await create());
  });
  afterEach(async () => h?.close());

  const { enroll, replyToFirst } = enrollmentSteps(() => h);
  const newFlow = async (name: string, criteria: unknown) => (await createFlow(h, flow({ name, criteria, actions: tag(name) }))).id as string;
  /** Whether the flow's run took its action for the contact, after the due work ran. */
  const ran = async (flowId: string, contactId: string) => {
    await h.advance(0);
    return (await log(h, flowId, contactId)).some((e) => e.actionTypeId === SET_PROPERTY && e.status === 'EXECUTED');
  };
  const patch = (contactId: string, properties: Record<string, string>) => h.api('PATCH', `/crm/v3/objects/contacts/${contactId}`, { properties });

  it('should run a form-submitted flow for a submission of its form only when that form is named', async () => {
    const wanted = await createForm(h, 'Demo request');
    const other = await createForm(h, 'Newsletter');
    const flowId = await newFlow('Demo form', { ...onEvent(FORM_SUBMITTED, { hs_form_id: wanted.id }) });
    await submit(h, other, { email: 'news@example.com' });
    await submit(h, wanted, { email: 'demo@example.com' });
    const news = (await h.api('GET', '/crm/v3/objects/contacts/news@example.com?idProperty=email')).body.id;
    const demo = (await h.api('GET', '/crm/v3/objects/contacts/demo@example.com?idProperty=email')).body.id;
    expect(await ran(flowId, demo)).toBe(true);
    expect(await ran(flowId, news)).toBe(false);
  });

  it('should run a meeting-booked flow when a meeting with the contact is logged', async () => {
    const flowId = await newFlow('Booked', onEvent(MEETING_BOOKED));
    const rep = await seedSender(h);
    const booked = await seedContact(h, { email: 'booked@example.com' });
    const idle = await seedContact(h, { email: 'idle@example.com' });
    const meeting = await h.api('POST', '/crm/v3/objects/meetings', {
      properties: { hs_timestamp: new Date(h.sf.deps.clock.now()).toISOString(), hs_meeting_title: 'Intro', hubspot_owner_id: rep.userId },
      associations: [{ to: { id: booked }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 200 }] }],
    });
    expect(meeting.status).toBe(201);
    expect(await ran(flowId, booked)).toBe(true);
    expect(await ran(flowId, idle)).toBe(false);
  });

  it('should run an email-replied flow when the contact replies to a sequence email, for the named sequence only', async () => {
    const rep = await seedSender(h);
    const wanted = await seedSequence(h, rep.userId);
    const other = await seedSequence(h, rep.userId);
    const wantedFlow = await newFlow('Replied to wanted', onEvent(EMAIL_REPLIED, { hs_sequence_id: wanted }));
    const otherFlow = await newFlow('Replied to other', onEvent(EMAIL_REPLIED, { hs_sequence_id: other }));
    const contactId = await seedContact(h, { email: 'replier@example.com' });
    expect((await enroll(rep.userId, contactId, wanted, rep.email)).status).toBe(200);
    await h.advance(0);
    expect(await ran(wantedFlow, contactId)).toBe(false);
    await replyToFirst('replier@example.com', 'Sounds good, call me.');
    expect(await ran(wantedFlow, contactId)).toBe(true);
    expect(await ran(otherFlow, contactId)).toBe(false);
  });

  it('should run a contact-created flow for a contact created after it was turned on', async () => {
    const before = await seedContact(h, { email: 'before@example.com' });
    const flowId = await newFlow('New contact', onEvent(CONTACT_CREATED));
    const after = await seedContact(h, { email: 'after@example.com' });
    expect(await ran(flowId, after)).toBe(true);
    expect(await ran(flowId, before)).toBe(false);
  });

  it('should run a property-changed flow only for a change of that property from the given value to the given value', async () => {
    const promoted = await seedContact(h, { email: 'promoted@example.com', lifecyclestage: 'lead' });
    const skipped = await seedContact(h, { email: 'skipped@example.com', lifecyclestage: 'subscriber' });
    const demoted = await seedContact(h, { email: 'demoted@example.com', lifecyclestage: 'customer' });
    const flowId = await newFlow('Lead to customer', onEvent(PROPERTY_CHANGED, { hs_name: 'lifecyclestage', hs_previous_value: 'lead', hs_value: 'customer' }));
    const anyTo = await newFlow('Anything to customer', onEvent(PROPERTY_CHANGED, { hs_name: 'lifecyclestage', hs_value: 'customer' }));
    for (const c of [promoted, skipped]) expect((await patch(c, { lifecyclestage: 'customer' })).status).toBe(200);
    expect((await patch(demoted, { lifecyclestage: 'lead' })).status).toBe(200);
    expect(await ran(flowId, promoted)).toBe(true);
    expect(await ran(flowId, skipped)).toBe(false);
    expect(await ran(flowId, demoted)).toBe(false);
    expect(await ran(anyTo, skipped)).toBe(true);
    expect(await ran(anyTo, demoted)).toBe(false);
  });

  it('should run a sequence-enrolled flow when the contact is enrolled in the named sequence, not another', async () => {
    const rep = await seedSender(h);
    const wanted = await seedSequence(h, rep.userId);
    const other = await seedSequence(h, rep.userId);
    const flowId = await newFlow('Enrolled in wanted', onEvent(SEQUENCE_ENROLLED, { hs_sequence_id: wanted }));
    const inWanted = await seedContact(h, { email: 'in-wanted@example.com' });
    const inOther = await seedContact(h, { email: 'in-other@example.com' });
    expect((await enroll(rep.userId, inWanted, wanted, rep.email)).status).toBe(200);
    expect((await enroll(rep.userId, inOther, other, rep.email)).status).toBe(200);
    expect(await ran(flowId, inWanted)).toBe(true);
    expect(await ran(flowId, inOther)).toBe(false);
  });

  it('should run a sequence-finished flow when the contact finishes the named sequence, not while it is still in it', async () => {
    const rep = await seedSender(h);
    const short = await seedSequence(h, rep.userId, { steps: [{ type: 'EMAIL', delayMillis: 0, subject: 'One note', body: '<p>Only this.</p>' }] });
    const long = await seedSequence(h, rep.userId);
    const flowId = await newFlow('Finished short', onEvent(SEQUENCE_FINISHED, { hs_sequence_id: short }));
    const done = await seedContact(h, { email: 'done@example.com' });
    const busy = await seedContact(h, { email: 'busy@example.com' });
    expect((await enroll(rep.userId, done, short, rep.email)).status).toBe(200);
    expect((await enroll(rep.userId, busy, long, rep.email)).status).toBe(200);
    await h.advance(DAY);
    expect(await ran(flowId, done)).toBe(true);
    expect(await ran(flowId, busy)).toBe(false);
  });

  it('should run a sequence-unenrolled flow only for the reason it names when contacts leave a sequence', async () => {
    const rep = await seedSender(h);
    const sequenceId = await seedSequence(h, rep.userId);
    const onReply = await newFlow('Left by replying', onEvent(SEQUENCE_UNENROLLED, { hs_sequence_id: sequenceId, hs_unenroll_reason: 'REPLIED' }));
    const replier = await seedContact(h, { email: 'replier@example.com' });
    const removed = await seedContact(h, { email: 'removed@example.com' });
    for (const c of [replier, removed]) expect((await enroll(rep.userId, c, sequenceId, rep.email)).status).toBe(200);
    await h.advance(0);
    await replyToFirst('replier@example.com', 'Not now, thanks.');
    expect((await h.api('POST', `/seqflow/v1/contacts/${removed}/unenroll`)).status).toBe(200);
    expect(await ran(onReply, replier)).toBe(true);
    expect(await ran(onReply, removed)).toBe(false);
  });

  it('should run a list-membership flow when the contact joins its list, not another list', async () => {
    const lists: string[] = [];
    for (const name of ['Webinar', 'Other']) {
      const r = await h.api('POST', '/crm/v3/lists', { objectTypeId: '0-1', name, processingType: 'MANUAL' });
      expect(r.status).toBe(200);
      lists.push(r.body.list.listId);
    }
    const flowId = await newFlow('Joined webinar', inList(lists[0]));
    const joined = await seedContact(h, { email: 'joined@example.com' });
    const elsewhere = await seedContact(h, { email: 'elsewhere@example.com' });
    expect((await h.api('PUT', `/crm/v3/lists/${lists[0]}/memberships/add`, [joined])).status).toBe(200);
    expect((await h.api('PUT', `/crm/v3/lists/${lists[1]}/memberships/add`, [elsewhere])).status).toBe(200);
    expect(await ran(flowId, joined)).toBe(true);
    expect(await ran(flowId, elsewhere)).toBe(false);
  });

  describe('manual enrollment', () => {
    it("should run a MANUAL flow for a contact enrolled by email through HubSpot's v2 endpoint, and answer 409 ALREADY_ENROLLED the second time", async () => {
      const flowId = await newFlow('By hand', manual());
      const contactId = await seedContact(h, { email: 'hand@example.com' });
      const first = await h.api('POST', `/automation/v2/workflows/${flowId}/enrollments/contacts/hand@example.com`);
      expect(first.status).toBe(204);
      expect(await ran(flowId, contactId)).toBe(true);
      const contact = await h.api('GET', `/crm/v3/objects/contacts/${contactId}?properties=hs_lead_status`);
      expect(contact.body.properties.hs_lead_status).toBe('By hand');

      const again = await h.api('POST', `/automation/v2/workflows/${flowId}/enrollments/contacts/hand@example.com`);
      expect(again.status).toBe(409);
      expect(again.body).toMatchObject({ category: 'CONFLICT', subCategory: 'ALREADY_ENROLLED' });
      expect(again.body.message).toMatch(/does not re-enroll/);
      expect(await log(h, flowId, contactId)).toHaveLength(1);
    });

    it('should enroll a contact again by hand when the flow re-enrolls and its first run has ended', async () => {
      const flowId = await newFlow('Again and again', manual(true));
      const contactId = await seedContact(h, { email: 'again@example.com' });
      for (let i = 0; i < 2; i++) {
        const r = await h.api('POST', `/seqflow/v1/workflows/${flowId}/enrollments`, { contactId });
        expect(r.status, JSON.stringify(r.body)).toBe(200);
        expect(r.body).toEqual({ enrolled: [contactId], skipped: [] });
        await h.advance(0);
      }
      expect(await log(h, flowId, contactId)).toHaveLength(2);
    });

    it('should enroll every member of a list, and report the members the flow already had as skipped', async () => {
      const list = await h.api('POST', '/crm/v3/lists', { objectTypeId: '0-1', name: 'Trade show', processingType: 'MANUAL' });
      const listId = list.body.list.listId;
      const a = await seedContact(h, { email: 'a@example.com' });
      const b = await seedContact(h, { email: 'b@example.com' });
      expect((await h.api('PUT', `/crm/v3/lists/${listId}/memberships/add`, [a, b])).status).toBe(200);
      const flowId = await newFlow('Trade show follow-up', onEvent(MEETING_BOOKED));
      expect((await h.api('POST', `/seqflow/v1/workflows/${flowId}/enrollments`, { contactId: a })).status).toBe(200);

      const r = await h.api('POST', `/seqflow/v1/workflows/${flowId}/enrollments`, { listId });
      expect(r.status).toBe(200);
      expect(r.body).toEqual({ enrolled: [b], skipped: [{ contactId: a, reason: 'ALREADY_ENROLLED' }] });
      expect(await ran(flowId, a)).toBe(true);
      expect(await ran(flowId, b)).toBe(true);
    });

    it('should refuse a flow that is off, an unknown contact or list, and a body naming neither, in HubSpot error shape, enrolling nobody', async () => {
      const body = flow({ name: 'Off', isEnabled: false, criteria: manual(), actions: tag('Off') });
      const off = (await createFlow(h, body)).id as string;
      const on = await newFlow('On', manual());
      const contactId = await seedContact(h, { email: 'someone@example.com' });

      const disabled = await h.api('POST', `/seqflow/v1/workflows/${off}/enrollments`, { contactId });
      expect(disabled.status).toBe(409);
      expect(disabled.body).toMatchObject({ category: 'CONFLICT', subCategory: 'FLOW_NOT_ENABLED' });
      const noContact = await h.api('POST', `/automation/v2/workflows/${on}/enrollments/contacts/nobody@example.com`);
      expect(noContact.status).toBe(404);
      expect(noContact.body.category).toBe('OBJECT_NOT_FOUND');
      const noList = await h.api('POST', `/seqflow/v1/workflows/${on}/enrollments`, { listId: '999999' });
      expect(noList.status).toBe(404);
      expect(noList.body.errors[0].in).toBe('listId');
      const neither = await h.api('POST', `/seqflow/v1/workflows/${on}/enrollments`, {});
      expect(neither.status).toBe(400);
      expect(neither.body.errors[0].in).toBe('contactId');
      const noFlow = await h.api('POST', '/automation/v2/workflows/999999/enrollments/contacts/someone@example.com');
      expect(noFlow.status).toBe(404);
      expect(await ran(off, contactId)).toBe(false);
      expect(await ran(on, contactId)).toBe(false);
    });
  });

  describe("the contact's workflow history", () => {
    it('should list every action any workflow took on the contact, newest first, with flow and action names and reasons', async () => {
      const first = await newFlow('First flow', manual());
      const second = await createFlow(
        h,
        flow({
          name: 'Second flow',
          criteria: manual(),
          actions: chain([
            { actionTypeId: '0-4702372', fields: {} },
            { actionTypeId: SET_PROPERTY, fields: { property_name: 'hs_lead_status', value: { staticValue: 'Second' } } },
          ]),
        }),
      );
      const contactId = await seedContact(h, { email: 'history@example.com' });
      const other = await seedContact(h, { email: 'other@example.com' });
      expect((await h.api('POST', `/seqflow/v1/workflows/${first}/enrollments`, { contactId })).status).toBe(200);
      expect((await h.api('POST', `/seqflow/v1/workflows/${first}/enrollments`, { contactId: other })).status).toBe(200);
      await h.advance(60_000);
      expect((await h.api('POST', `/seqflow/v1/workflows/${second.id}/enrollments`, { contactId })).status).toBe(200);
      await h.advance(60_000);

      const r = await h.api('GET', `/seqflow/v1/contacts/${contactId}/workflow-history`);
      expect(r.status).toBe(200);
      const rows = r.body.results as { flowId: string; flowName: string; actionName: string; status: string; reasonCode?: string; reasonText?: string; at: string; contactId: string }[];
      expect(rows.map((e) => [e.flowName, e.actionName, e.status])).toEqual([
        ['Second flow', 'Set property value', 'EXECUTED'],
        ['Second flow', 'Unenroll from sequence', 'SKIPPED'],
        ['First flow', 'Set property value', 'EXECUTED'],
      ]);
      expect(rows[1].reasonCode).toBe('NOT_ENROLLED');
      expect(rows[1].reasonText).toBeTruthy();
      expect(rows.every((e) => e.contactId === contactId)).toBe(true);
      expect(Date.parse(rows[0].at)).toBeGreaterThanOrEqual(Date.parse(rows[2].at));

      expect((await h.api('GET', '/seqflow/v1/contacts/999999/workflow-history')).status).toBe(404);
    });
  });
});
