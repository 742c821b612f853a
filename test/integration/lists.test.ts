import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialectCases } from '../support/databases.js';
import { seedContact, seedSender, seedSequence, startHarness, type Harness } from '../support/harness.js';
import { chain, createFlow, ENROLL, flow, log } from '../support/workflows.js';
import { markContact } from '../../src/store/contacts.js';

/**
 * Lists beyond the HubSpot client: the list-membership workflow trigger (a LIST_BASED trigger
 * with an IN_LIST filter, as HubSpot's v4 flows express "contact added to list") and bulk
 * enroll from a list with its preview (PRODUCT §3.5 for each member).
 */

let n = 0;
const mail = (tag: string) => `${tag}-${++n}@lists.test`;
const inList = (listId: string) => ({
  type: 'LIST_BASED',
  shouldReEnroll: false,
  unEnrollObjectsNotMeetingCriteria: false,
  reEnrollmentTriggersFilterBranches: [],
  listFilterBranch: { filterBranchType: 'OR', filterBranches: [{ filterBranchType: 'AND', filters: [{ filterType: 'IN_LIST', listId, operator: 'IN_LIST' }] }] },
});
const propertyIs = (property: string, value: string) => ({
  filterBranchType: 'OR',
  filterBranches: [{ filterBranchType: 'AND', filters: [{ filterType: 'PROPERTY', property, operation: { operationType: 'MULTISTRING', operator: 'IS_EQUAL_TO', values: [value] } }] }],
});

describe.each(dialectCases)('lists: trigger and bulk enroll ($dialect)', ({ create, skip }) => {
  let h: Harness;
  let rep: Awaited<ReturnType<typeof seedSender>>;
  beforeAll(async () => {
    if (skip) return;
    h = await startHarness(await create());
    rep = await seedSender(h);
  });
  afterAll(async () => {
    if (!skip) await h?.close();
  });

  const newList = async (body: Record<string, unknown>) => {
    const r = await h.api('POST', '/crm/v3/lists', { objectTypeId: '0-1', name: `List ${++n}`, ...body });
    if (r.status !== 200) throw new Error(JSON.stringify(r.body));
    return r.body.list.listId as string;
  };
  const enrollmentsOf = async (contactId: string) => (await h.api('GET', `/seqflow/v1/enrollments?contactId=${contactId}`)).body.results as any[];
  const enrollFlow = async (listId: string, sequenceId: string) =>
    createFlow(h, flow({ name: `On list ${listId}`, criteria: inList(listId), actions: chain([{ actionTypeId: ENROLL, fields: { sequenceId, senderType: 'SPECIFIC_USER', userId: rep.userId } }]) }));

  describe.skipIf(skip)('the list-membership trigger', () => {
    it('should enroll a contact in the workflow when it is added to a MANUAL list by hand', async () => {
      const sequenceId = await seedSequence(h, rep.userId);
      const listId = await newList({ processingType: 'MANUAL' });
      const wf = await enrollFlow(listId, sequenceId);
      const contactId = await seedContact(h, { email: mail('manual') });
      expect(await log(h, wf.id, contactId)).toEqual([]);

      const added = await h.api('PUT', `/crm/v3/lists/${listId}/memberships/add`, [contactId]);
      expect(added.status).toBe(200);
      await h.advance(0);
      expect((await log(h, wf.id, contactId)).map((e) => [e.actionTypeId, e.status])).toEqual([[ENROLL, 'EXECUTED']]);
      expect(await enrollmentsOf(contactId)).toMatchObject([{ sequenceId, state: 'ACTIVE' }]);
      const timeline = (await h.api('GET', `/seqflow/v1/contacts/${contactId}/timeline`)).body.results as { type: string; data: { listId?: number } }[];
      expect(timeline.find((e) => e.type === 'ADDED_TO_LIST')?.data.listId).toBe(Number(listId));
    });

    it('should enroll a contact when it starts to match a DYNAMIC list, and not again when it stays on it', async () => {
      const sequenceId = await seedSequence(h, rep.userId);
      const tag = `vip${++n}`;
      const listId = await newList({ processingType: 'DYNAMIC', filterBranch: propertyIs('jobtitle', tag) });
      const wf = await enrollFlow(listId, sequenceId);
      const contactId = await seedContact(h, { email: mail('dynamic'), jobtitle: 'Engineer' });
      await h.advance(0);
      expect(await log(h, wf.id, contactId)).toEqual([]);

      expect((await h.api('PATCH', `/crm/v3/objects/contacts/${contactId}`, { properties: { jobtitle: tag } })).status).toBe(200);
      await h.advance(0);
      expect((await log(h, wf.id, contactId)).map((e) => e.status)).toEqual(['EXECUTED']);
      // Still on the list after another change: no second enrollment.
      await h.api('PATCH', `/crm/v3/objects/contacts/${contactId}`, { properties: { firstname: 'Vera' } });
      await h.advance(0);
      expect(await log(h, wf.id, contactId)).toHaveLength(1);
    });

    it('should enroll the current members when a list-membership workflow is turned on with enrollExisting', async () => {
      const sequenceId = await seedSequence(h, rep.userId);
      const listId = await newList({ processingType: 'MANUAL' });
      const member = await seedContact(h, { email: mail('existing') });
      const outsider = await seedContact(h, { email: mail('outsider') });
      await h.api('PUT', `/crm/v3/lists/${listId}/memberships/add`, [member]);
      const body = flow({ name: `Existing ${listId}`, isEnabled: false, criteria: inList(listId), actions: chain([{ actionTypeId: ENROLL, fields: { sequenceId, senderType: 'SPECIFIC_USER', userId: rep.userId } }]) });
      const wf = await createFlow(h, body);
      const on = await h.api('PUT', `/automation/v4/flows/${wf.id}?enrollExisting=true`, { ...body, isEnabled: true, revisionId: wf.revisionId });
      expect(on.status).toBe(200);
      await h.advance(0);
      expect((await log(h, wf.id, member)).map((e) => e.status)).toEqual(['EXECUTED']);
      expect(await log(h, wf.id, outsider)).toEqual([]);
    });

    it('should refuse a trigger naming a list that does not exist, naming the field', async () => {
      const sequenceId = await seedSequence(h, rep.userId);
      const r = await h.api('POST', '/automation/v4/flows', flow({ criteria: inList('999999'), actions: chain([{ actionTypeId: ENROLL, fields: { sequenceId, senderType: 'SPECIFIC_USER', userId: rep.userId } }]) }));
      expect(r.status).toBe(400);
      expect(r.body.errors[0].in).toBe('enrollmentCriteria.listFilterBranch');
    });

    it('should refuse an IN_LIST filter in a list of its own, naming the field', async () => {
      const r = await h.api('POST', '/crm/v3/lists', {
        objectTypeId: '0-1',
        name: `Nested ${++n}`,
        processingType: 'DYNAMIC',
        filterBranch: { filterBranchType: 'OR', filterBranches: [{ filterBranchType: 'AND', filters: [{ filterType: 'IN_LIST', listId: '1', operator: 'IN_LIST' }] }] },
      });
      expect(r.status).toBe(400);
      expect(r.body.errors[0].in).toBe('filterBranch.filterBranches[0].filters[0].filterType');
    });
  });

  describe.skipIf(skip)('hostile input', () => {
    it('should answer 4xx in HubSpot\'s error shape, naming the field, and write nothing when list input is malformed', async () => {
      const listId = await newList({ processingType: 'MANUAL' });
      for (const body of [{ ids: ['1'] }, ['abc'], 'nope', null]) {
        const r = await h.api('PUT', `/crm/v3/lists/${listId}/memberships/add`, body === null ? 'null' : body);
        expect(r.status, JSON.stringify(body)).toBe(400);
        expect(r.body).toMatchObject({ status: 'error', category: 'VALIDATION_ERROR' });
      }
      const many = await h.api('PUT', `/crm/v3/lists/${listId}/memberships/add`, Array.from({ length: 1500 }, (_, i) => String(900_000 + i)));
      expect(many.status).toBe(200);
      expect(many.body.recordIdsMissing).toHaveLength(1500);
      const bad = await h.api('PUT', `/crm/v3/lists/${listId}/memberships/add`, ['abc']);
      expect(bad.body.errors[0].in).toMatch(/0/);
      expect((await h.api('GET', `/crm/v3/lists/${listId}/memberships`)).body.total).toBe(0);
      for (const path of ['/crm/v3/lists/abc', '/crm/v3/lists/99999999999', '/crm/v3/lists/0']) {
        expect((await h.api('GET', path)).status, path).toBe(404);
      }
      const noName = await h.api('POST', '/crm/v3/lists', { objectTypeId: '0-1', processingType: 'MANUAL', name: '   ' });
      expect(noName.status).toBe(400);
      expect(noName.body.errors[0].in).toBe('name');
      const rename = await h.api('PUT', `/crm/v3/lists/${listId}/update-list-name`);
      expect(rename.status).toBe(400);
      expect(rename.body.errors[0].in).toBe('listName');
      const deep = await h.api('POST', '/crm/v3/lists', { objectTypeId: '0-1', processingType: 'DYNAMIC', name: `Deep ${++n}`, filterBranch: { filterBranchType: 'OR', filters: [{ filterType: 'PROPERTY', property: 'email', operation: { operator: 'NOPE' } }] } });
      expect(deep.status).toBe(400);
      expect(deep.body.errors[0].in).toBe('filterBranch.filters[0].operation.operator');
      const today = await h.api('POST', '/crm/v3/lists', { objectTypeId: '0-1', processingType: 'DYNAMIC', name: `Today ${++n}`, filterBranch: { filterBranchType: 'OR', filterBranches: [{ filterBranchType: 'AND', filters: [{ filterType: 'PROPERTY', property: 'createdate', operation: { operationType: 'TIME_POINT', operator: 'IS_TODAY' } }] }] } });
      expect(today.status).toBe(400);
      expect(today.body.errors[0].in).toBe('filterBranch.filterBranches[0].filters[0].operation.operator');
      const manualFilters = await h.api('PUT', `/crm/v3/lists/${listId}/update-list-filters`, { filterBranch: propertyIs('email', 'x') });
      expect(manualFilters.status).toBe(400);
      expect(manualFilters.body.subCategory).toBe('LIST_HAS_NO_FILTERS');
    });
  });

  describe.skipIf(skip)('scopes', () => {
    it('should let a crm.lists.read token read lists and answer 403 naming crm.lists.write when it writes', async () => {
      const listId = await newList({ processingType: 'MANUAL' });
      const created = await h.api('POST', '/seqflow/v1/tokens', { name: `lists reader ${++n}`, scopes: ['crm.lists.read'] });
      expect(created.status).toBe(201);
      const token = created.body.token as string;
      expect((await h.api('GET', `/crm/v3/lists/${listId}`, undefined, { token })).status).toBe(200);
      const write = await h.api('PUT', `/crm/v3/lists/${listId}/memberships/add`, [], { token });
      expect(write.status).toBe(403);
      expect(write.body).toMatchObject({ category: 'MISSING_SCOPES', context: { requiredScopes: ['crm.lists.write'] } });
    });
  });

  describe.skipIf(skip)('bulk enroll from a list', () => {
    it('should preview without writing, then enroll exactly the contacts the preview said, skipping the others with their reason', async () => {
      const sequenceId = await seedSequence(h, rep.userId);
      const other = await seedSequence(h, rep.userId);
      const listId = await newList({ processingType: 'MANUAL' });
      const fresh = await seedContact(h, { email: mail('fresh') });
      const busy = await seedContact(h, { email: mail('busy') });
      const gone = await seedContact(h, { email: mail('gone') });
      const noEmail = await seedContact(h, { firstname: 'Nomail' });
      expect((await h.api('POST', `/automation/v4/sequences/enrollments?userId=${rep.userId}`, { contactId: busy, sequenceId: other, senderEmail: rep.email })).status).toBe(200);
      await markContact(h.sf.deps.db.kysely, Number(gone), 'unsubscribed', h.sf.deps.clock.now());
      await h.api('PUT', `/crm/v3/lists/${listId}/memberships/add`, [fresh, busy, gone, noEmail]);

      const body = { sequenceId, userId: rep.userId, senderEmail: rep.email };
      const preview = await h.api('POST', `/seqflow/v1/lists/${listId}/enroll`, { ...body, preview: true });
      expect(preview.status).toBe(200);
      expect(preview.body).toMatchObject({ preview: true, listId, sequenceId, enrolled: 1, skipped: 3 });
      const verdicts = (r: { results: { contactId: string; outcome: string; reason?: string }[] }) => r.results.map((x) => [x.contactId, x.outcome === 'SKIPPED' ? x.reason : 'IN']);
      expect(verdicts(preview.body)).toEqual([
        [fresh, 'IN'],
        [busy, 'ALREADY_ENROLLED'],
        [gone, 'UNSUBSCRIBED'],
        [noEmail, 'NO_EMAIL_ADDRESS'],
      ]);
      expect(preview.body.results[0]).toMatchObject({ outcome: 'WOULD_ENROLL', email: expect.stringContaining('fresh') });
      expect(preview.body.results[1].message).toMatch(/only one sequence at a time/);
      // Nothing was written.
      expect(await enrollmentsOf(fresh)).toEqual([]);
      expect(await enrollmentsOf(busy)).toHaveLength(1);

      const real = await h.api('POST', `/seqflow/v1/lists/${listId}/enroll`, body);
      expect(real.status).toBe(200);
      expect(real.body).toMatchObject({ preview: false, enrolled: 1, skipped: 3 });
      expect(verdicts(real.body)).toEqual(verdicts(preview.body));
      expect(real.body.results[0]).toMatchObject({ outcome: 'ENROLLED', enrollmentId: expect.stringMatching(/^\d+$/) });
      expect(await enrollmentsOf(fresh)).toMatchObject([{ sequenceId, state: 'ACTIVE', id: real.body.results[0].enrollmentId }]);
      expect(await enrollmentsOf(gone)).toEqual([]);
    });

    it('should predict the send limit in the preview as the real run meets it', async () => {
      const small = await seedSender(h, { email: `small${++n}@acme.test`, dailyLimit: 2 });
      const sequenceId = await seedSequence(h, small.userId);
      const listId = await newList({ processingType: 'MANUAL' });
      const ids = [];
      for (let i = 0; i < 4; i++) ids.push(await seedContact(h, { email: mail('limit') }));
      await h.api('PUT', `/crm/v3/lists/${listId}/memberships/add`, ids);
      const body = { sequenceId, userId: small.userId, senderEmail: small.email };
      const preview = await h.api('POST', `/seqflow/v1/lists/${listId}/enroll`, { ...body, preview: true });
      const real = await h.api('POST', `/seqflow/v1/lists/${listId}/enroll`, body);
      const outcome = (r: { results: { outcome: string; reason?: string }[] }) => r.results.map((x) => x.reason ?? 'IN');
      expect(outcome(preview.body)).toContain('SEND_LIMIT_REACHED');
      expect(outcome(real.body)).toEqual(outcome(preview.body));
    });

    it('should refuse the whole request naming the field when the sequence or sender is wrong', async () => {
      const listId = await newList({ processingType: 'MANUAL' });
      await h.api('PUT', `/crm/v3/lists/${listId}/memberships/add`, [await seedContact(h, { email: mail('req') })]);
      const sequenceId = await seedSequence(h, rep.userId);
      const noSeq = await h.api('POST', `/seqflow/v1/lists/${listId}/enroll`, { sequenceId: '999999', userId: rep.userId, senderEmail: rep.email, preview: true });
      expect(noSeq.status).toBe(400);
      expect(noSeq.body).toMatchObject({ subCategory: 'SEQUENCE_NOT_FOUND', errors: [{ in: 'sequenceId' }] });
      const badFrom = await h.api('POST', `/seqflow/v1/lists/${listId}/enroll`, { sequenceId, userId: rep.userId, senderEmail: 'someone@else.test' });
      expect(badFrom.status).toBe(400);
      expect(badFrom.body).toMatchObject({ subCategory: 'SENDER_ADDRESS_NOT_ALLOWED', errors: [{ in: 'senderEmail' }] });
      const missing = await h.api('POST', `/seqflow/v1/lists/${listId}/enroll`, { userId: rep.userId, senderEmail: rep.email });
      expect(missing.status).toBe(400);
      expect(missing.body.errors[0].in).toBe('sequenceId');
      const noList = await h.api('POST', '/seqflow/v1/lists/999999/enroll', { sequenceId, userId: rep.userId, senderEmail: rep.email });
      expect(noList.status).toBe(404);
    });
  });
});
