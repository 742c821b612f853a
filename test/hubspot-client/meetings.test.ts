import { describe, expect, it } from 'vitest';
import { AssociationSpecAssociationCategoryEnum } from '@hubspot/api-client/lib/codegen/crm/objects/meetings/index.js';
import { dialectCases } from '../support/databases.js';
import { seedContact } from '../support/harness.js';
import { failure, hubspot, serveOfficialClient, show } from './client.js';

/** CRM meetings v3 (PRODUCT §7) through @hubspot/api-client@13.5.0: crm.objects.meetings.basicApi. */
describe.each(dialectCases)('official HubSpot client: meetings ($dialect)', ({ create, skip }) => {
  const suite = serveOfficialClient({ create, skip });

  const book = async (contactId: string, title: string) =>
    suite.hs.crm.objects.meetings.basicApi.create({
      properties: { hs_meeting_title: title, hs_timestamp: '2026-03-05T15:00:00.000Z' },
      associations: [{ to: { id: contactId }, types: [{ associationCategory: AssociationSpecAssociationCategoryEnum.HubspotDefined, associationTypeId: 200 }] }],
    });

  describe.skipIf(skip)('basicApi', () => {
    it('should list booked meetings page by page and read one by id when the client asks for them', async () => {
      const contactId = await seedContact(suite.h, { email: 'met@client.test' });
      const first = await book(contactId, 'Intro call');
      const second = await book(contactId, 'Demo');

      const page = await suite.hs.crm.objects.meetings.basicApi.getPage(1, undefined, undefined, undefined, ['contacts']);
      expect(page.results.map((m) => m.id), show()).toEqual([first.id]);
      expect(page.results[0].properties).toMatchObject({ hs_meeting_title: 'Intro call', hs_object_id: first.id });
      expect(page.results[0].associations?.contacts.results).toEqual([{ id: contactId, type: 'meeting_event_to_contact' }]);
      const next = await suite.hs.crm.objects.meetings.basicApi.getPage(1, page.paging!.next!.after);
      expect(next.results.map((m) => m.id)).toEqual([second.id]);

      const one = await suite.hs.crm.objects.meetings.basicApi.getById(second.id);
      expect(one).toMatchObject({ id: second.id, properties: { hs_meeting_title: 'Demo' }, archived: false });
      expect(one.createdAt).toBeInstanceOf(Date);
    });

    it('should surface 404 OBJECT_NOT_FOUND when the meeting id names nothing', async () => {
      const err = await failure(suite.hs.crm.objects.meetings.basicApi.getById('987654321'));
      expect(err.code, show()).toBe(404);
      expect(err.body.category).toBe('OBJECT_NOT_FOUND');
    });
  });
});
