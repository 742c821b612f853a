import { beforeAll, describe, expect, it } from 'vitest';
import { dialectCases } from '../support/databases.js';
import { chain, DELAY, ENROLL, flow, onFormSubmitted, UNENROLL } from '../support/workflows.js';
import { call, hubspot, seedRep, seedSequenceVia, serveOfficialClient, show } from './client.js';

/** Automation flows v4 through client.apiRequest (hubspot-api.md §3.6). */
describe.each(dialectCases)('official HubSpot client: flows ($dialect)', ({ create, skip }) => {
  const suite = serveOfficialClient({ create, skip });
  let body: ReturnType<typeof flow>;
  beforeAll(async () => {
    if (skip) return;
    const rep = await seedRep(suite.hs, 'flow-rep@acme.test');
    const sequenceId = await seedSequenceVia(suite.hs, rep.userId);
    body = flow({
      name: 'Demo request → sequence',
      isEnabled: false,
      criteria: onFormSubmitted(),
      actions: chain([
        { actionTypeId: ENROLL, fields: { sequenceId, senderType: 'SPECIFIC_USER', userId: rep.userId } },
        { actionTypeId: DELAY, fields: { delta: '14', time_unit: 'DAYS' } },
        { actionTypeId: UNENROLL, fields: {} },
      ]),
    });
  });

  const createFlow = async (name: string) => {
    const r = await call(suite.hs, 'POST', '/automation/v4/flows', { body: { ...body, name } });
    if (r.status !== 201) throw new Error(show());
    return r.body;
  };

  describe.skipIf(skip)('flows', () => {
    it('should answer 201 with the ApiFlow when a contact flow is created', async () => {
      const r = await call(suite.hs, 'POST', '/automation/v4/flows', { body });
      expect(r.status, show()).toBe(201);
      expect(r.body).toMatchObject({ type: 'CONTACT_FLOW', objectTypeId: '0-1', flowType: 'WORKFLOW', name: body.name, isEnabled: false });
      expect(r.body.actions.map((a: { actionTypeId: string }) => a.actionTypeId)).toEqual([ENROLL, DELAY, UNENROLL]);
    });

    it('should return the same flow when it is read back by id', async () => {
      const created = await createFlow('Read back');
      const r = await call(suite.hs, 'GET', `/automation/v4/flows/${created.id}`);
      expect(r.status, show()).toBe(200);
      expect(r.body.revisionId).toBe(created.revisionId);
      expect(r.body.actions).toEqual(created.actions);
    });

    it('should list the flow when flows are listed, paging with after', async () => {
      const a = await createFlow('List A');
      const b = await createFlow('List B');
      const ids: string[] = [];
      let after: string | undefined;
      for (let i = 0; i < 50; i++) {
        const r = await call(suite.hs, 'GET', '/automation/v4/flows', { qs: { limit: '1', ...(after && { after }) } });
        expect(r.status, show()).toBe(200);
        ids.push(...r.body.results.map((f: { id: string }) => f.id));
        after = r.body.paging?.next?.after;
        if (!after) break;
      }
      expect(ids).toEqual(expect.arrayContaining([a.id, b.id]));
      expect(new Set(ids).size).toBe(ids.length);
    });

    it('should bump revisionId when the flow is updated with the current revisionId', async () => {
      const created = await createFlow('Update me');
      const r = await call(suite.hs, 'PUT', `/automation/v4/flows/${created.id}`, { body: { ...body, name: 'Updated', revisionId: created.revisionId } });
      expect(r.status, show()).toBe(200);
      expect(r.body.name).toBe('Updated');
      expect(r.body.revisionId).not.toBe(created.revisionId);
    });

    it('should answer 409 CONFLICT when the update carries a stale revisionId', async () => {
      const created = await createFlow('Stale');
      const first = await call(suite.hs, 'PUT', `/automation/v4/flows/${created.id}`, { body: { ...body, name: 'Stale 2', revisionId: created.revisionId } });
      expect(first.status, show()).toBe(200);
      const stale = await call(suite.hs, 'PUT', `/automation/v4/flows/${created.id}`, { body: { ...body, name: 'Stale 3', revisionId: created.revisionId } });
      expect(stale.status, show()).toBe(409);
      expect(stale.body.category).toBe('CONFLICT');
    });

    it('should answer 204 and then 404 when the flow is deleted', async () => {
      const created = await createFlow('Delete me');
      const del = await call(suite.hs, 'DELETE', `/automation/v4/flows/${created.id}`);
      expect(del.status, show()).toBe(204);
      const gone = await call(suite.hs, 'GET', `/automation/v4/flows/${created.id}`);
      expect(gone.status, show()).toBe(404);
      expect(gone.body.category).toBe('OBJECT_NOT_FOUND');
    });

    it('should return each flow when flows are batch read by FLOW_ID', async () => {
      const a = await createFlow('Batch A');
      const b = await createFlow('Batch B');
      const r = await call(suite.hs, 'POST', '/automation/v4/flows/batch/read', { body: { inputs: [a, b].map((f) => ({ type: 'FLOW_ID', flowId: f.id })) } });
      expect(r.status, show()).toBe(200);
      expect(r.body.results.map((f: { id: string }) => f.id).sort()).toEqual([a.id, b.id].sort());
    });

    it('should answer 207 with the missing id in errors when a batch read names an unknown flow', async () => {
      const a = await createFlow('Batch 207');
      const r = await call(suite.hs, 'POST', '/automation/v4/flows/batch/read', { body: { inputs: [{ type: 'FLOW_ID', flowId: a.id }, { type: 'FLOW_ID', flowId: '987654321' }] } });
      expect(r.status, show()).toBe(207);
      expect(r.body.results.map((f: { id: string }) => f.id)).toEqual([a.id]);
      expect(r.body.numErrors).toBe(1);
      expect(JSON.stringify(r.body.errors)).toContain('987654321');
    });

    it('should answer 400 VALIDATION_ERROR naming the action when its actionTypeId is unknown', async () => {
      const bad = { ...body, name: 'Unknown action', actions: chain([{ actionTypeId: '0-99999999', fields: {} }]), nextAvailableActionId: '2' };
      const r = await call(suite.hs, 'POST', '/automation/v4/flows', { body: bad });
      expect(r.status, show()).toBe(400);
      expect(r.body.category).toBe('VALIDATION_ERROR');
      expect(JSON.stringify(r.body.errors ?? [])).toMatch(/actions\[0\]/);
    });

    it("should answer 204 when a contact is enrolled by email through HubSpot's Workflows v2 call, and 409 ALREADY_ENROLLED the second time", async () => {
      const email = 'by-hand@example.com';
      await suite.hs.crm.contacts.basicApi.create({ properties: { email }, associations: [] });
      const manual = { ...body, name: 'By hand', isEnabled: true, enrollmentCriteria: { type: 'MANUAL', shouldReEnroll: false }, actions: chain([{ actionTypeId: DELAY, fields: { delta: '1', time_unit: 'DAYS' } }]), nextAvailableActionId: '2' };
      const created = await call(suite.hs, 'POST', '/automation/v4/flows', { body: manual });
      expect(created.status, show()).toBe(201);
      const path = `/automation/v2/workflows/${created.body.id}/enrollments/contacts/${encodeURIComponent(email)}`;
      const first = await call(suite.hs, 'POST', path);
      expect(first.status, show()).toBe(204);
      const again = await call(suite.hs, 'POST', path);
      expect(again.status, show()).toBe(409);
      expect(again.body).toMatchObject({ category: 'CONFLICT', subCategory: 'ALREADY_ENROLLED' });
    });
  });
});
