import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dialectCases } from '../support/databases.js';
import { seedContact, startHarness, type Harness } from '../support/harness.js';
import { chain, createFlow, flow, log, onContactCreated } from '../support/workflows.js';

const INTERNAL_EMAIL = '0-8';
const IN_APP = '0-9';

describe.each(dialectCases)('the notify-users workflow actions on $dialect', ({ create, skip }) => {
  let h: Harness;
  beforeEach(async (ctx) => {
    if (skip) return ctx.skip();
    h = await startHarness(await create());
  });
  afterEach(async () => h?.close());

  const user = async (email: string, firstName: string) => {
    const r = await h.api('POST', '/settings/v3/users/', { email, firstName, lastName: 'Smith', seat: 'sales_professional' });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return String(r.body.id);
  };
  const mailTo = async (to: string) => (await h.api('GET', `/seqflow/v1/dev-mail/messages?to=${to}`)).body.results as { subject: string; text: string; from: string }[];
  const notifications = async (userId: string) => (await h.api('GET', `/seqflow/v1/notifications?userId=${userId}`)).body.results as { kind: string; subject: string; body: string }[];

  it('should email the contact owner and the named user, with the contact tokens rendered, when the internal email notification runs', async () => {
    const owner = await user('owner@acme.test', 'Olga');
    const manager = await user('manager@acme.test', 'Max');
    const bystander = await user('bystander@acme.test', 'Ben');
    const fields = { user_ids: [manager], owner_properties: ['hubspot_owner_id'], subject: 'New lead: {{ contact.firstname }} at {{ contact.company }}', body: '<p>Call {{ contact.firstname }} on {{ contact.phone | default: "(no phone)" }}.</p>' };
    const wf = await createFlow(h, flow({ name: 'Tell the team', criteria: onContactCreated, actions: chain([{ actionTypeId: INTERNAL_EMAIL, fields }]) }));
    const contactId = await seedContact(h, { email: 'lead@example.com', firstname: 'Lena', company: 'Initech', hubspot_owner_id: owner });
    await h.advance(0);

    expect((await log(h, wf.id, contactId)).map((e) => e.status)).toEqual(['EXECUTED']);
    for (const to of ['owner@acme.test', 'manager@acme.test']) {
      const mail = await mailTo(to);
      expect(mail.map((m) => m.subject), to).toEqual(['New lead: Lena at Initech']);
      expect(mail[0].text).toContain('Call Lena on (no phone).');
    }
    expect(await mailTo('bystander@acme.test')).toEqual([]);
    expect(bystander).toBeTruthy();
  });

  it('should skip with NO_RECIPIENTS when the only recipient is the contact owner and the contact has none', async () => {
    const wf = await createFlow(h, flow({ criteria: onContactCreated, actions: chain([{ actionTypeId: INTERNAL_EMAIL, fields: { owner_properties: ['hubspot_owner_id'], subject: 'x', body: 'y' } }]) }));
    const contactId = await seedContact(h, { email: 'orphan@example.com' });
    await h.advance(0);
    expect((await log(h, wf.id, contactId)).map((e) => [e.status, e.reasonCode])).toEqual([['SKIPPED', 'NO_RECIPIENTS']]);
  });

  it('should show the rendered notification in the named user\'s notifications list, and nobody else\'s, when the in-app notification runs', async () => {
    const rep = await user('rep@acme.test', 'Rita');
    const other = await user('other@acme.test', 'Otto');
    const fields = { user_ids: [rep], subject: '{{ contact.firstname }} booked a demo', body: 'Prepare for {{ contact.company }}.' };
    const wf = await createFlow(h, flow({ criteria: onContactCreated, actions: chain([{ actionTypeId: IN_APP, fields }]) }));
    const contactId = await seedContact(h, { email: 'demo@example.com', firstname: 'Dora', company: 'Globex' });
    await h.advance(0);

    expect((await log(h, wf.id, contactId)).map((e) => e.status)).toEqual(['EXECUTED']);
    expect(await notifications(rep)).toEqual([expect.objectContaining({ kind: 'WORKFLOW', subject: 'Dora booked a demo', body: 'Prepare for Globex.' })]);
    expect(await notifications(other)).toEqual([]);
  });

  it('should refuse the save with a 400 when a notification names teams or no recipient', async () => {
    for (const fields of [{ team_ids: ['7'], subject: 's', body: 'b' }, { subject: 's', body: 'b' }, { user_ids: ['x'], subject: 's', body: 'b' }]) {
      const r = await h.api('POST', '/automation/v4/flows', flow({ criteria: onContactCreated, actions: chain([{ actionTypeId: IN_APP, fields }]) }));
      expect(r.status, JSON.stringify(fields)).toBe(400);
      expect(r.body.errors[0].in).toBe('actions[0].fields');
    }
  });
});
