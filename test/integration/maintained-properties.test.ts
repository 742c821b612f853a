import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { dialectCases } from '../support/databases.js';
import { DAY, HOUR, T0, seedContact, seedSender, seedSequence, startHarness, type Harness } from '../support/harness.js';

/**
 * The contact properties a HubSpot integration reads (issue #13 item 6), maintained by Seqflow in
 * the transaction of the event that changes them, read back through the contacts API with
 * ?properties= and search: enroll, reply, bounce, unsubscribe, finish.
 */

const MAINTAINED = [
  'hs_sequences_is_enrolled',
  'hs_sequences_enrolled_count',
  'hs_latest_sequence_enrolled',
  'hs_latest_sequence_enrolled_date',
  'hs_sales_email_last_replied',
  'hs_email_bounce',
  'hs_email_hard_bounce_reason_enum',
  'hs_email_optout',
];
const iso = (ms: number) => new Date(ms).toISOString();

describe.each(dialectCases)('maintained contact properties on $dialect', ({ create, skip }) => {
  let h: Harness;
  let rep: { userId: string; email: string };
  beforeAll(async () => {
    if (skip) return;
    h = await startHarness(await create());
    rep = await seedSender(h);
  }, 120_000);
  afterAll(async () => h?.close());
  beforeEach((ctx) => {
    if (skip) ctx.skip();
  });

  let n = 0;
  const newContact = () => seedContact(h, { email: `lead${++n}@example.com`, firstname: 'Lead' });
  const props = async (contactId: string) => {
    const r = await h.api('GET', `/crm/v3/objects/contacts/${contactId}?properties=${MAINTAINED.join(',')}`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body.properties as Record<string, string | null>;
  };
  const enroll = async (contactId: string, sequenceId: string) => {
    const r = await h.api('POST', `/automation/v4/sequences/enrollments?userId=${rep.userId}`, { contactId, sequenceId, senderEmail: rep.email });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
  };
  const firstMailTo = async (contactId: string) => {
    await h.advance(0);
    const to = (await h.api('GET', `/crm/v3/objects/contacts/${contactId}`)).body.properties.email;
    const [mail] = (await h.api('GET', `/seqflow/v1/dev-mail/messages?to=${encodeURIComponent(to)}`)).body.results;
    expect(mail).toBeDefined();
    return mail as { messageId: string; headers: Record<string, string> };
  };
  const now = async () => (await h.api('GET', '/seqflow/v1/clock')).body.now as number;

  it('should set the sequence properties when a contact is enrolled, and clear is-enrolled and stamp the reply when it replies', async () => {
    const contactId = await newContact();
    expect(await props(contactId)).toEqual(Object.fromEntries(MAINTAINED.map((p) => [p, null])));
    const sequenceId = await seedSequence(h, rep.userId);
    const enrolledAt = await now();
    await enroll(contactId, sequenceId);
    expect(await props(contactId)).toMatchObject({
      hs_sequences_is_enrolled: 'true',
      hs_sequences_enrolled_count: '1',
      hs_latest_sequence_enrolled: sequenceId,
      hs_latest_sequence_enrolled_date: iso(enrolledAt),
      hs_sales_email_last_replied: null,
    });

    const mail = await firstMailTo(contactId);
    await h.advance(2 * HOUR);
    const repliedAt = await now();
    expect((await h.api('POST', '/seqflow/v1/dev-mail/reply', { messageId: mail.messageId, text: 'Tell me more.' })).body.classification).toBe('reply');
    expect(await props(contactId)).toMatchObject({ hs_sequences_is_enrolled: 'false', hs_sales_email_last_replied: iso(repliedAt), hs_sequences_enrolled_count: '1' });

    // A second enrollment counts and moves "latest"; history says Seqflow's sales tools set them.
    const second = await seedSequence(h, rep.userId);
    await h.advance(DAY);
    await enroll(contactId, second);
    expect(await props(contactId)).toMatchObject({ hs_sequences_is_enrolled: 'true', hs_sequences_enrolled_count: '2', hs_latest_sequence_enrolled: second, hs_latest_sequence_enrolled_date: iso(await now()) });
    const history = (await h.api('GET', `/crm/v3/objects/contacts/${contactId}?propertiesWithHistory=hs_sequences_is_enrolled`)).body.propertiesWithHistory.hs_sequences_is_enrolled;
    expect(history.map((e: { value: string; sourceType: string }) => [e.value, e.sourceType])).toEqual([
      ['true', 'SALES'],
      ['false', 'SALES'],
      ['true', 'SALES'],
    ]);
  });

  it('should count the bounce and record HubSpot’s bounce reason when a sequence email hard-bounces', async () => {
    const contactId = await newContact();
    await enroll(contactId, await seedSequence(h, rep.userId));
    const mail = await firstMailTo(contactId);
    expect((await h.api('POST', '/seqflow/v1/dev-mail/bounce', { messageId: mail.messageId })).body.classification).toBe('bounce');
    expect(await props(contactId)).toMatchObject({ hs_sequences_is_enrolled: 'false', hs_email_bounce: '1', hs_email_hard_bounce_reason_enum: 'UNKNOWN_USER', hs_email_optout: null });
  });

  it('should opt the contact out of email when it unsubscribes through the one-click link', async () => {
    const contactId = await newContact();
    await enroll(contactId, await seedSequence(h, rep.userId));
    const mail = await firstMailTo(contactId);
    const path = new URL(/<(https?:[^>]+)>/.exec(mail.headers['list-unsubscribe'])![1]).pathname;
    const r = await h.sf.app!.inject({ method: 'POST', url: path, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'List-Unsubscribe=One-Click' });
    expect(r.statusCode, r.body).toBeLessThan(300);
    expect(await props(contactId)).toMatchObject({ hs_email_optout: 'true', hs_sequences_is_enrolled: 'false' });
  });

  it('should clear is-enrolled when the contact finishes the sequence', async () => {
    const contactId = await newContact();
    const oneStep = await seedSequence(h, rep.userId, { steps: [{ type: 'EMAIL', delayMillis: 0, subject: 'Only one', body: '<p>Just this.</p>' }] });
    await enroll(contactId, oneStep);
    await h.advance(0);
    await h.advance(HOUR);
    expect((await h.api('GET', `/seqflow/v1/enrollments?contactId=${contactId}`)).body.results[0]).toMatchObject({ state: 'FINISHED' });
    expect(await props(contactId)).toMatchObject({ hs_sequences_is_enrolled: 'false', hs_sequences_enrolled_count: '1' });
  });

  it('should find contacts by maintained properties when searched, comparing counts as numbers', async () => {
    const search = async (filters: unknown[]) =>
      (await h.api('POST', '/crm/v3/objects/contacts/search', { filterGroups: [{ filters }], properties: ['email'], limit: 100 })).body.results.map((c: { id: string }) => c.id);
    const optedOut = await search([{ propertyName: 'hs_email_optout', operator: 'EQ', value: 'true' }]);
    expect(optedOut.length).toBeGreaterThan(0);
    for (const id of optedOut) expect((await props(id)).hs_email_optout).toBe('true');
    const twice = await search([{ propertyName: 'hs_sequences_enrolled_count', operator: 'GTE', value: '2' }]);
    expect(twice).toHaveLength(1);
    expect((await props(twice[0])).hs_sequences_enrolled_count).toBe('2');
    // A datetime compares as an instant: the stored ISO value against an epoch-ms operand.
    const latest = Date.parse((await props(twice[0])).hs_latest_sequence_enrolled_date!);
    expect(latest).toBeGreaterThan(T0);
    const same = await search([{ propertyName: 'hs_latest_sequence_enrolled_date', operator: 'EQ', value: String(latest) }]);
    expect(same).toContain(twice[0]);
    for (const id of same) expect((await props(id)).hs_latest_sequence_enrolled_date).toBe(iso(latest));
    expect(await search([{ propertyName: 'hs_latest_sequence_enrolled_date', operator: 'LT', value: String(latest) }])).not.toContain(twice[0]);
  });

  it('should answer 400 READ_ONLY_VALUE and change nothing when an API writer sets a maintained property', async () => {
    const contactId = await newContact();
    for (const name of MAINTAINED) {
      const r = await h.api('PATCH', `/crm/v3/objects/contacts/${contactId}`, { properties: { [name]: name === 'hs_email_optout' || name === 'hs_sequences_is_enrolled' ? 'true' : '1' } });
      expect(r.status, name).toBe(400);
      expect(r.body.errors, name).toEqual([expect.objectContaining({ in: name, code: 'READ_ONLY_VALUE' })]);
    }
    expect(await props(contactId)).toEqual(Object.fromEntries(MAINTAINED.map((p) => [p, null])));
  });
});
