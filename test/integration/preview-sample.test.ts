/**
 * The sequence preview (issue #14 item 5): with no contact chosen, or asked for it, the email is
 * rendered for the built-in sample contact, with each token's value, the missing tokens and the
 * unfilled placeholders; a chosen contact is rendered as before.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dialectCases } from '../support/databases.js';
import { seedContact, seedSender, seedSequence, startHarness, type Harness } from '../support/harness.js';

describe.each(dialectCases)('sequence preview on $dialect', ({ create, skip }) => {
  let h: Harness | null = null;
  beforeEach((ctx) => {
    if (skip) ctx.skip();
  });
  afterEach(async () => {
    await h?.close();
    h = null;
  });

  const BODY = '<p>Hi {{ contact.firstname }} at <strong>{{ contact.company }}</strong>, about [[placeholder: the pain point]]. {{ contact.favourite_colour }}</p><p>{{ sender.firstname }} {{ contact["job title"] | default: "" }}</p>';
  async function setUp() {
    h = await startHarness(await create());
    const rep = await seedSender(h, { email: 'rita@acme.test' });
    const sequenceId = await seedSequence(h, rep.userId, { steps: [{ type: 'EMAIL', delayMillis: 0, subject: 'For {{ contact.firstname }}', body: BODY }] });
    return { h, sequenceId };
  }

  it('should render for Jane Doe at Example Co with token values, missing tokens and placeholders listed when no contact is given', async () => {
    const { h, sequenceId } = await setUp();
    for (const body of [{}, { sample: true, stepOrder: 0 }]) {
      const r = await h.api('POST', `/seqflow/v1/sequences/${sequenceId}/preview`, body);
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      expect(r.body.subject).toBe('For Jane');
      expect(r.body.html).toContain('<p>Hi Jane at <strong>Example Co</strong>, about [[placeholder: the pain point]]. [[MISSING TOKEN - FAVOURITE_COLOUR]]</p><p>Rita </p>');
      expect(r.body.text).toContain('Hi Jane at Example Co');
      expect(r.body.contact).toEqual({ id: null, sample: true, name: 'Jane Doe', email: 'jane.doe@example.com' });
      expect(r.body.missingTokens).toEqual(['contact.favourite_colour']);
      expect(r.body.placeholders).toEqual(['the pain point']);
      expect(r.body.tokens).toEqual(
        expect.arrayContaining([
          { token: 'contact.firstname', value: 'Jane' },
          { token: 'contact.company', value: 'Example Co' },
          { token: 'contact.favourite_colour', value: null },
          { token: 'sender.firstname', value: 'Rita' },
          { token: "contact['job title']", value: null },
        ]),
      );
    }
    const filled = await h.api('POST', `/seqflow/v1/sequences/${sequenceId}/preview`, { sample: true, placeholderValues: { 'the pain point': 'slow invoicing' } });
    expect(filled.body.html).toContain('about slow invoicing.');
    expect(filled.body.placeholders).toEqual([]);
  });

  it('should render for the chosen contact when a contactId is given, and refuse a contactId with sample: true naming the field', async () => {
    const { h, sequenceId } = await setUp();
    const contactId = await seedContact(h, { email: 'max@globex.test', firstname: 'Max', company: 'Globex' });
    const r = await h.api('POST', `/seqflow/v1/sequences/${sequenceId}/preview`, { contactId });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.html).toContain('Hi Max at <strong>Globex</strong>');
    expect(r.body.contact).toEqual({ id: String(contactId), sample: false, name: 'Max', email: 'max@globex.test' });
    expect(r.body.missingTokens).toEqual(['contact.favourite_colour']);

    const both = await h.api('POST', `/seqflow/v1/sequences/${sequenceId}/preview`, { contactId, sample: true });
    expect(both.status).toBe(400);
    expect(JSON.stringify(both.body)).toContain('sample');
    const gone = await h.api('POST', `/seqflow/v1/sequences/${sequenceId}/preview`, { contactId: 999_999 });
    expect(gone.status).toBe(404);
  });
});
