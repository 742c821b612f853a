import { beforeAll, describe, expect, it } from 'vitest';
import { dialectCases } from '../support/databases.js';
import { call, hubspot, seedRep, seedSequenceVia, serveOfficialClient, show } from './client.js';

/**
 * Sequences v4 through client.apiRequest, the way HubSpot tells api-client users to call them
 * (hubspot-api.md §0.1, §3.5), on the v4 path and the date-versioned 2026-03 path.
 */
const BASES = ['/automation/v4/sequences', '/automation/sequences/2026-03'];

describe.each(dialectCases)('official HubSpot client: sequences ($dialect)', ({ create, skip }) => {
  const suite = serveOfficialClient({ create, skip });
  let rep: { userId: string; email: string };
  let sequenceId: string;
  let otherSequenceId: string;
  beforeAll(async () => {
    if (skip) return;
    rep = await seedRep(suite.hs, 'seq-rep@acme.test');
    sequenceId = await seedSequenceVia(suite.hs, rep.userId, 'Inbound follow-up');
    otherSequenceId = await seedSequenceVia(suite.hs, rep.userId, 'Outbound cold');
  });

  const newContact = async (email: string) => (await suite.hs.crm.contacts.basicApi.create({ properties: { email, firstname: 'Lee' }, associations: [] })).id;

  describe.skipIf(skip).each(BASES)('%s', (base) => {
    it('should list the sequences with total when userId is given', async () => {
      const r = await call(suite.hs, 'GET', base, { qs: { userId: rep.userId } });
      expect(r.status, show()).toBe(200);
      expect(r.contentType).toMatch(/^application\/json/);
      expect(r.body.total).toBe(2);
      expect(r.body.results.map((s: { id: string }) => s.id).sort()).toEqual([sequenceId, otherSequenceId].sort());
      expect(r.body.results[0].userId).toBe(rep.userId);
    });

    it('should page with limit and after when there are more sequences than the limit', async () => {
      const first = await call(suite.hs, 'GET', base, { qs: { userId: rep.userId, limit: '1' } });
      expect(first.body.results).toHaveLength(1);
      expect(first.body.paging?.next?.after, show()).toBeTruthy();
      const second = await call(suite.hs, 'GET', base, { qs: { userId: rep.userId, limit: '1', after: first.body.paging.next.after } });
      expect(second.body.results).toHaveLength(1);
      expect(second.body.results[0].id).not.toBe(first.body.results[0].id);
    });

    it('should filter by name when name is given', async () => {
      const r = await call(suite.hs, 'GET', base, { qs: { userId: rep.userId, name: 'Outbound' } });
      expect(r.body.results.map((s: { id: string }) => s.id), show()).toEqual([otherSequenceId]);
    });

    it('should answer 400 VALIDATION_ERROR naming userId when userId is missing', async () => {
      const r = await call(suite.hs, 'GET', base);
      expect(r.status, show()).toBe(400);
      expect(r.body.category).toBe('VALIDATION_ERROR');
      expect(r.body.errors.map((e: { in?: string }) => e.in)).toContain('userId');
    });

    it('should return steps and dependencies when one sequence is read', async () => {
      const r = await call(suite.hs, 'GET', `${base}/${sequenceId}`, { qs: { userId: rep.userId } });
      expect(r.status, show()).toBe(200);
      expect(r.body.name).toBe('Inbound follow-up');
      expect(r.body.steps.map((s: { stepOrder: number; actionType: string }) => [s.stepOrder, s.actionType])).toEqual([
        [0, 'EMAIL'],
        [1, 'TASK'],
        [2, 'EMAIL'],
      ]);
      expect(r.body.dependencies).toEqual([expect.objectContaining({ dependencyType: 'TASK_COMPLETION', reliesOnStepOrder: 1, requiredByStepOrder: 2 })]);
    });

    it('should answer 404 OBJECT_NOT_FOUND when the sequence does not exist', async () => {
      const r = await call(suite.hs, 'GET', `${base}/987654321`, { qs: { userId: rep.userId } });
      expect(r.status, show()).toBe(404);
      expect(r.body.category).toBe('OBJECT_NOT_FOUND');
    });

    it('should enroll with 200 and report the enrollment when a contact is enrolled', async () => {
      const email = `lead-${base.replace(/\W/g, '')}@example.test`;
      const contactId = await newContact(email);
      const enrolled = await call(suite.hs, 'POST', `${base}/enrollments`, { qs: { userId: rep.userId }, body: { contactId, sequenceId, senderEmail: rep.email } });
      expect(enrolled.status, show()).toBe(200);
      expect(enrolled.body.toEmail).toBe(email);
      const status = await call(suite.hs, 'GET', `${base}/enrollments/contact/${contactId}`);
      expect(status.status, show()).toBe(200);
      expect(status.body).toMatchObject({
        id: enrolled.body.id,
        sequenceId,
        sequenceName: 'Inbound follow-up',
        enrolledBy: rep.userId,
        enrolledByEmail: rep.email,
        toEmail: email,
      });
    });

    it('should answer 409 CONFLICT with subCategory ALREADY_ENROLLED when the contact is already in a sequence', async () => {
      const contactId = await newContact(`twice-${base.replace(/\W/g, '')}@example.test`);
      const body = { contactId, sequenceId, senderEmail: rep.email };
      expect((await call(suite.hs, 'POST', `${base}/enrollments`, { qs: { userId: rep.userId }, body })).status, show()).toBe(200);
      const again = await call(suite.hs, 'POST', `${base}/enrollments`, { qs: { userId: rep.userId }, body: { ...body, sequenceId: otherSequenceId } });
      expect(again.status, show()).toBe(409);
      expect(again.body).toMatchObject({ category: 'CONFLICT', subCategory: 'ALREADY_ENROLLED' });
    });

    it('should answer 400 VALIDATION_ERROR naming the field when the enrollment body is incomplete', async () => {
      const r = await call(suite.hs, 'POST', `${base}/enrollments`, { qs: { userId: rep.userId }, body: { sequenceId, senderEmail: rep.email } });
      expect(r.status, show()).toBe(400);
      expect(r.body.category).toBe('VALIDATION_ERROR');
      expect(r.body.errors.map((e: { in?: string }) => e.in)).toContain('contactId');
    });

    it('should answer 404 OBJECT_NOT_FOUND when the contact is not enrolled', async () => {
      const contactId = await newContact(`idle-${base.replace(/\W/g, '')}@example.test`);
      const r = await call(suite.hs, 'GET', `${base}/enrollments/contact/${contactId}`);
      expect(r.status, show()).toBe(404);
      expect(r.body.category).toBe('OBJECT_NOT_FOUND');
    });
  });
});
