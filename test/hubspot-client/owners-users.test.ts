import { beforeAll, describe, expect, it } from 'vitest';
import { dialectCases } from '../support/databases.js';
import { failure, hubspot, seedRep, serveOfficialClient, show } from './client.js';

/** crm.owners.ownersApi and settings.users.usersApi through @hubspot/api-client@13.5.0 (hubspot-api.md §3.4). */
describe.each(dialectCases)('official HubSpot client: owners and users ($dialect)', ({ create, skip }) => {
  const suite = serveOfficialClient({ create, skip });
  const reps: { userId: string; email: string }[] = [];
  beforeAll(async () => {
    if (skip) return;
    for (const email of ['owner-a@acme.test', 'owner-b@acme.test', 'owner-c@acme.test']) reps.push(await seedRep(suite.hs, email));
  });

  describe.skipIf(skip)('usersApi', () => {
    it('should return 201 and the PublicUser when a user is created with HubSpot fields only', async () => {
      const u = await suite.hs.settings.users.usersApi.create({ email: 'new-user@acme.test', firstName: 'New', lastName: 'User', sendWelcomeEmail: false });
      expect(u.id, show()).toMatch(/^\d+$/);
      expect(u.email).toBe('new-user@acme.test');
      expect(u.firstName).toBe('New');
    });

    it('should surface 409 CONFLICT when the email already has a user', async () => {
      const err = await failure(suite.hs.settings.users.usersApi.create({ email: reps[0].email }));
      expect(err.code, show()).toBe(409);
      expect(err.body.category).toBe('CONFLICT');
    });

    it('should surface 400 VALIDATION_ERROR naming email when it is malformed', async () => {
      const err = await failure(suite.hs.settings.users.usersApi.create({ email: 'nope' }));
      expect(err.code, show()).toBe(400);
      expect(err.body.errors?.map((e) => e.in)).toContain('email');
    });

    it('should return the user when getById is called by id and by EMAIL', async () => {
      const byId = await suite.hs.settings.users.usersApi.getById(reps[1].userId);
      expect(byId.email).toBe(reps[1].email);
      const byEmail = await suite.hs.settings.users.usersApi.getById(reps[1].email, 'EMAIL');
      expect(byEmail.id).toBe(reps[1].userId);
    });

    it('should surface 404 OBJECT_NOT_FOUND when getById names no user', async () => {
      const err = await failure(suite.hs.settings.users.usersApi.getById('987654321'));
      expect(err.code, show()).toBe(404);
      expect(err.body.category).toBe('OBJECT_NOT_FOUND');
    });

    it('should rename the user when replace is called, and list teams and roles as empty', async () => {
      const u = await suite.hs.settings.users.usersApi.create({ email: 'rename-me@acme.test', firstName: 'Old', lastName: 'Name' });
      const replaced = await suite.hs.settings.users.usersApi.replace(u.id, { firstName: 'New', lastName: 'Name' });
      expect(replaced).toMatchObject({ id: u.id, firstName: 'New', lastName: 'Name' });
      expect((await suite.hs.settings.users.teamsApi.getAll()).results).toEqual([]);
      expect((await suite.hs.settings.users.rolesApi.getAll()).results).toEqual([]);
    });

    it('should answer 404 for the user after archive removes them', async () => {
      const u = await suite.hs.settings.users.usersApi.create({ email: 'leaving@acme.test', firstName: 'Leaving' });
      await suite.hs.settings.users.usersApi.archive(u.id);
      const err = await failure(suite.hs.settings.users.usersApi.getById(u.id));
      expect(err.code).toBe(404);
    });

    it('should list every user once when getPage follows paging.next.after', async () => {
      const seen: string[] = [];
      let after: string | undefined;
      for (let i = 0; i < 20; i++) {
        const page = await suite.hs.settings.users.usersApi.getPage(1, after);
        seen.push(...page.results.map((u) => u.id));
        after = page.paging?.next?.after;
        if (!after) break;
      }
      expect(new Set(seen).size).toBe(seen.length);
      for (const r of reps) expect(seen).toContain(r.userId);
    });
  });

  describe.skipIf(skip)('ownersApi', () => {
    it('should list owners with userId when getPage is called, paging with after', async () => {
      const first = await suite.hs.crm.owners.ownersApi.getPage(undefined, undefined, 2);
      expect(first.results).toHaveLength(2);
      expect(first.paging?.next?.after, show()).toBeTruthy();
      const rest = await suite.hs.crm.owners.ownersApi.getPage(undefined, first.paging!.next!.after, 100);
      const all = [...first.results, ...rest.results];
      for (const r of reps) {
        const o = all.find((x) => x.email === r.email);
        expect(o?.userId).toBe(Number(r.userId));
        expect(o?.type).toBe('PERSON');
      }
    });

    it('should filter by email when getPage is given one', async () => {
      const r = await suite.hs.crm.owners.ownersApi.getPage(reps[2].email);
      expect(r.results.map((o) => o.email), show()).toEqual([reps[2].email]);
    });

    it('should return the owner when getById is called by id and by userId', async () => {
      const list = await suite.hs.crm.owners.ownersApi.getPage(reps[0].email);
      const owner = list.results[0];
      const byId = await suite.hs.crm.owners.ownersApi.getById(Number(owner.id));
      expect(byId.email).toBe(reps[0].email);
      expect(byId.createdAt).toBeInstanceOf(Date);
      const byUser = await suite.hs.crm.owners.ownersApi.getById(Number(reps[0].userId), 'userId');
      expect(byUser.id).toBe(owner.id);
    });

    it('should surface 404 OBJECT_NOT_FOUND when getById names no owner', async () => {
      const err = await failure(suite.hs.crm.owners.ownersApi.getById(987654321));
      expect(err.code, show()).toBe(404);
      expect(err.body.category).toBe('OBJECT_NOT_FOUND');
    });
  });
});
