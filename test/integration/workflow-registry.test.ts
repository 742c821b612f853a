import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dialectCases } from '../support/databases.js';
import { seedContact, seedSender, seedSequence, startHarness, type Harness } from '../support/harness.js';
import { chain, createFlow, DELAY, flow, log, onEvent, PROPERTY_CHANGED, SEQUENCE_ENROLLED, SEQUENCE_UNENROLLED } from '../support/workflows.js';



describe.each(dialectCases)('the workflow registries on $dialect', ({ create, skip }) => {
  let h: Harness;
  beforeEach(async (ctx) => {
    if (skip) return ctx.skip();
    h = await startHarness(await create());
  });
  afterEach(async () => h?.close());

  /** Creates the flow off, then turns it on with "enroll existing contacts", and runs what is due. */
  const turnOnEnrollingExisting = async (name: string, criteria: unknown) => {
    const body = flow({ name, isEnabled: false, criteria, actions: chain([{ actionTypeId: DELAY, fields: { delta: '1', time_unit: 'MINUTES' } }]) });
    const wf = await createFlow(h, body);
    const on = await h.api('PUT', `/automation/v4/flows/${wf.id}?enrollExisting=true`, { ...body, isEnabled: true, revisionId: wf.revisionId });
    expect(on.status, JSON.stringify(on.body)).toBe(200);
    await h.advance(0);
    return wf.id as string;
  };
  const enrolled = async (flowId: string, contactId: string) => (await log(h, flowId, contactId)).length > 0;

  it('should enroll the contacts whose past property change matches when a property-changed flow is turned on with enroll existing', async () => {
    const ceo = await seedContact(h, { email: 'ceo@example.com' });
    const intern = await seedContact(h, { email: 'intern@example.com' });
    expect((await h.api('PATCH', `/crm/v3/objects/contacts/${ceo}`, { properties: { jobtitle: 'CEO' } })).status).toBe(200);
    expect((await h.api('PATCH', `/crm/v3/objects/contacts/${intern}`, { properties: { jobtitle: 'Intern' } })).status).toBe(200);

    const flowId = await turnOnEnrollingExisting('Became CEO', onEvent(PROPERTY_CHANGED, { hs_name: 'jobtitle', hs_value: 'CEO' }));
    expect(await enrolled(flowId, ceo)).toBe(true);
    expect(await enrolled(flowId, intern)).toBe(false);
  });

  it('should enroll the contacts with a past enrollment in the named sequence, and past unenrollments alike, when sequence-event flows are turned on with enroll existing', async () => {
    const rep = await seedSender(h);
    const wanted = await seedSequence(h, rep.userId);
    const other = await seedSequence(h, rep.userId);
    const inWanted = await seedContact(h, { email: 'wanted@example.com' });
    const inOther = await seedContact(h, { email: 'other@example.com' });
    for (const [contactId, sequenceId] of [[inWanted, wanted], [inOther, other]]) {
      const r = await h.api('POST', `/automation/v4/sequences/enrollments?userId=${rep.userId}`, { contactId, sequenceId, senderEmail: rep.email });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
    }
    expect((await h.api('POST', `/seqflow/v1/contacts/${inOther}/unenroll`)).status).toBe(200);

    const enrolledFlow = await turnOnEnrollingExisting('Was in the wanted sequence', onEvent(SEQUENCE_ENROLLED, { hs_sequence_id: wanted }));
    expect(await enrolled(enrolledFlow, inWanted)).toBe(true);
    expect(await enrolled(enrolledFlow, inOther)).toBe(false);

    const unenrolledFlow = await turnOnEnrollingExisting('Left the other sequence', onEvent(SEQUENCE_UNENROLLED, { hs_sequence_id: other }));
    expect(await enrolled(unenrolledFlow, inOther)).toBe(true);
    expect(await enrolled(unenrolledFlow, inWanted)).toBe(false);
  });

  it('should serve every action type and trigger, with labels and fields, when the editor asks for the workflow catalog', async () => {
    const r = await h.api('GET', '/seqflow/v1/workflow-catalog');
    expect(r.status).toBe(200);
    expect(r.body.actions.map((a: { actionName: string }) => a.actionName)).toEqual([
      'Delay',
      'Enroll in a sequence',
      'Unenroll from sequence',
      'Set property value',
      'Create task',
      'Send a webhook',
      'Send internal email notification',
      'Send in-app notification',
      'Delay until a date',
      'Delay until a day and time',
      'Rotate record to owner',
      'Copy property value',
    ]);
    expect(r.body.actions.find((a: { actionTypeId: string }) => a.actionTypeId === DELAY).inputFieldDefinitions.map((f: { name: string }) => f.name)).toEqual(['delta', 'time_unit']);
    const triggers = r.body.triggers as { eventTypeId: string; label: string; filterProperties: { name: string }[] }[];
    expect(triggers.map((t) => t.eventTypeId)).toEqual(expect.arrayContaining([PROPERTY_CHANGED, SEQUENCE_ENROLLED, SEQUENCE_UNENROLLED, '4-1639801', '4-1720599', '4-1463224', '4-665538', '4-675778']));
    expect(triggers.find((t) => t.eventTypeId === PROPERTY_CHANGED)?.filterProperties.map((p) => p.name)).toEqual(['hs_name', 'hs_previous_value', 'hs_value']);
  });
});
