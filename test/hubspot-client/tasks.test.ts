import { describe, expect, it } from 'vitest';
import { dialectCases } from '../support/databases.js';
import { seedContact, seedSender, seedSequence } from '../support/harness.js';
import { failure, serveOfficialClient, show } from './client.js';

/** CRM tasks v3 (issue #14 item 2) through @hubspot/api-client: crm.objects.tasks.basicApi reads and completes sequence tasks. */
describe.each(dialectCases)('official HubSpot client: tasks ($dialect)', ({ create, skip }) => {
  const suite = serveOfficialClient({ create, skip });

  describe.skipIf(skip)('basicApi', () => {
    it('should list sequence tasks page by page, read one and complete it when the client asks', async () => {
      const h = suite.h;
      const rep = await seedSender(h);
      const sequenceId = await seedSequence(h, rep.userId, {
        steps: [
          { type: 'TASK', taskType: 'CALL', taskPriority: 'HIGH', delayMillis: 0, subject: 'Call {{ contact.firstname }}', taskGatesNextStep: false },
          { type: 'TASK', taskType: 'TODO', delayMillis: 0, subject: 'Note for {{ contact.firstname }}' },
        ],
      });
      const contactId = await seedContact(h, { email: 'ana@client.test', firstname: 'Ana' });
      await h.api('POST', `/automation/v4/sequences/enrollments?userId=${rep.userId}`, { contactId, sequenceId, senderEmail: rep.email });
      await h.advance(0);

      const props = ['hs_task_subject', 'hs_task_status', 'hs_task_type', 'hs_task_priority', 'hs_timestamp', 'hubspot_owner_id'];
      const page = await suite.hs.crm.objects.tasks.basicApi.getPage(1, undefined, props, undefined, ['contacts']);
      expect(page.results[0].properties, show()).toMatchObject({ hs_task_subject: 'Call Ana', hs_task_status: 'NOT_STARTED', hs_task_type: 'CALL', hs_task_priority: 'HIGH', hubspot_owner_id: rep.userId });
      expect(page.results[0].associations?.contacts.results).toEqual([{ id: contactId, type: 'task_to_contact' }]);
      const next = await suite.hs.crm.objects.tasks.basicApi.getPage(1, page.paging!.next!.after, props);
      expect(next.results[0].properties.hs_task_subject).toBe('Note for Ana');
      expect(next.paging).toBeUndefined();

      const id = page.results[0].id;
      const done = await suite.hs.crm.objects.tasks.basicApi.update(id, { properties: { hs_task_status: 'COMPLETED' } });
      expect(done.properties.hs_task_status).toBe('COMPLETED');
      const read = await suite.hs.crm.objects.tasks.basicApi.getById(id, ['hs_task_status', 'hs_task_completion_date']);
      expect(read.properties.hs_task_completion_date).not.toBeNull();
      expect(read.updatedAt).toBeInstanceOf(Date);
    });

    it('should surface 404 OBJECT_NOT_FOUND when the task id names nothing', async () => {
      const err = await failure(suite.hs.crm.objects.tasks.basicApi.getById('987654321'));
      expect(err.code, show()).toBe(404);
      expect(err.body.category).toBe('OBJECT_NOT_FOUND');
    });
  });
});
