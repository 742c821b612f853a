/**
 * The workflow rules of PRODUCT §4 and of the brief they come from, one behaviour per test, seen
 * the way a user sees them: HTTP statuses and bodies, the action log (status, reasonCode,
 * reasonText, at), enrollments, the dev inbox, the flow's needsReview flag and run counts.
 * Time moves only through the fake clock (h.advance); nothing sleeps.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dialectCases } from '../support/databases.js';
import { DAY, HOUR, MINUTE, T0, seedContact, seedSender, seedSequence, startHarness, type Harness } from '../support/harness.js';
import { chain, createFlow, createForm, DELAY, ENROLL, flow, log, onFormSubmitted, SET_PROPERTY, submit, UNENROLL } from '../support/workflows.js';

type Action = Parameters<typeof chain>[0][number];
type Rep = Awaited<ReturnType<typeof seedSender>>;
type Form = Awaited<ReturnType<typeof createForm>>;

const enrollIn = (sequenceId: string, userId: string, extra: Record<string, unknown> = {}): Action => ({
  actionTypeId: ENROLL,
  fields: { sequenceId, senderType: 'SPECIFIC_USER', userId, ...extra },
});
const enrollFromOwner = (sequenceId: string): Action => ({
  actionTypeId: ENROLL,
  fields: { sequenceId, senderType: 'CONTACT_OWNER', contactOwnerProperty: 'hubspot_owner_id' },
});
const unenroll: Action = { actionTypeId: UNENROLL, fields: {} };
const delay = (delta: string, time_unit: string): Action => ({ actionTypeId: DELAY, fields: { delta, time_unit } });
const markLead: Action = { actionTypeId: SET_PROPERTY, fields: { property_name: 'lifecyclestage', value: { type: 'STATIC_VALUE', staticValue: 'lead' } } };

const propertyIs = (property: string, value: string) => ({
  filterType: 'PROPERTY',
  property,
  operation: { operationType: 'MULTISTRING', operator: 'IS_EQUAL_TO', value },
});
const CREATED_TODAY = { filterType: 'PROPERTY', property: 'createdate', operation: { operationType: 'TIME_POINT', operator: 'IS_TODAY' } };
const listBased = (...filters: unknown[]) => ({
  type: 'LIST_BASED',
  shouldReEnroll: false,
  listFilterBranch: { filterBranchType: 'OR', filters: [], filterBranches: [{ filterBranchType: 'AND', filters, filterBranches: [] }] },
  reEnrollmentTriggersFilterBranches: [],
  unEnrollObjectsNotMeetingCriteria: false,
});

/** The action log as a table: [actionId, status, reasonCode] per entry. */
const rows = (entries: any[]) => entries.map((e) => [e.actionId, e.status, e.reasonCode]);
const codes = (issues: { code: string }[]) => issues.map((i) => i.code);
const iso = (ms: number) => new Date(ms).toISOString();

describe.each(dialectCases)('workflow rules on $dialect', ({ create, skip }) => {
  let h: Harness;
  beforeEach(async (ctx) => {
    if (skip) return ctx.skip();
    h = await startHarness(await create());
  });
  afterEach(async () => h?.close());

  const get = async (url: string) => (await h.api('GET', url)).body;
  const contactByEmail = (email: string) => get(`/crm/v3/objects/contacts/${encodeURIComponent(email)}?idProperty=email`);
  const enrollmentsOf = async (contactId: string) => (await get(`/seqflow/v1/enrollments?contactId=${contactId}`)).results as any[];
  const devMail = async (to: string) => (await get(`/seqflow/v1/dev-mail/messages?to=${encodeURIComponent(to)}`)).results as any[];
  const getFlow = (id: string) => get(`/automation/v4/flows/${id}`);
  const flowIds = async () => (await get('/automation/v4/flows')).results.map((f: any) => f.id);
  const stats = (id: string) => get(`/seqflow/v1/workflows/${id}/stats`);
  const check = async (id: string) => {
    const r = await h.api('POST', `/seqflow/v1/workflows/${id}/check`);
    expect(r.status).toBe(200);
    return r.body.issues as any[];
  };
  /** Turns a flow on or off as the editor does: the flow as read, with isEnabled changed. */
  const setEnabled = async (id: string, isEnabled: boolean, query = '') => h.api('PUT', `/automation/v4/flows/${id}${query}`, { ...(await getFlow(id)), isEnabled });
  const disconnect = (rep: Rep) => h.api('POST', `/seqflow/v1/inboxes/${rep.inboxId}/disconnect`);
  const setSeat = (rep: Rep, seat: string) => h.api('PUT', `/seqflow/v1/users/${rep.userId}/seat`, { seat });
  /** A form and an enabled flow triggered by it. */
  const onForm = async (actions: Action[], o: { reEnroll?: boolean } = {}) => {
    const form = await createForm(h);
    const wf = await createFlow(h, flow({ criteria: onFormSubmitted(form.id, o.reEnroll ?? false), actions: chain(actions) }));
    return { form, wf };
  };
  /** Submits the form as `email`, runs what is due now, and returns the contact's id. */
  const submitNow = async (form: Form, email: string) => {
    expect((await submit(h, form, { email })).status).toBe(200);
    await h.advance(0);
    return (await contactByEmail(email)).id as string;
  };
  const lifecycleOf = async (email: string) => (await contactByEmail(email)).properties.lifecyclestage;

  describe("the brief's rules in the action log", () => {
    it('should skip with ALREADY_ENROLLED and go on to the next action when the contact is already in a sequence', async () => {
      const rep = await seedSender(h);
      const sequenceId = await seedSequence(h, rep.userId);
      const other = await seedSequence(h, rep.userId);
      const contactId = await seedContact(h, { email: 'busy@example.com' });
      const direct = await h.api('POST', `/automation/v4/sequences/enrollments?userId=${rep.userId}`, { contactId, sequenceId: other, senderEmail: rep.email });
      expect(direct.status).toBe(200);
      const { form, wf } = await onForm([enrollIn(sequenceId, rep.userId), markLead]);

      await submitNow(form, 'busy@example.com');

      const entries = await log(h, wf.id, contactId);
      expect(rows(entries)).toEqual([
        ['1', 'SKIPPED', 'ALREADY_ENROLLED'],
        ['2', 'EXECUTED', undefined],
      ]);
      expect(entries[0].reasonText).toMatch(/only one sequence at a time/);
      expect((await enrollmentsOf(contactId)).map((e) => [e.sequenceId, e.state])).toEqual([[other, 'ACTIVE']]);
      expect(await lifecycleOf('busy@example.com')).toBe('lead');
      expect((await getFlow(wf.id)).needsReview).toBe(false);
    });

    it("should skip with SEND_LIMIT_REACHED, not enroll, and go on to the next action when the sender's daily send limit is used up", async () => {
      const rep = await seedSender(h, { dailyLimit: 2 });
      const sequenceId = await seedSequence(h, rep.userId);
      const first = await seedContact(h, { email: 'first@example.com' });
      const direct = await h.api('POST', `/automation/v4/sequences/enrollments?userId=${rep.userId}`, { contactId: first, sequenceId, senderEmail: rep.email });
      expect(direct.status).toBe(200);
      await h.advance(0);
      expect(await devMail('first@example.com')).toHaveLength(1);
      const usage = await get(`/seqflow/v1/inboxes/${rep.inboxId}/usage`);
      expect(usage).toMatchObject({ dailyLimit: 2, sequenceLimit: 1, sentLast24h: 1 });
      const { form, wf } = await onForm([enrollIn(sequenceId, rep.userId), markLead]);

      const contactId = await submitNow(form, 'second@example.com');

      const entries = await log(h, wf.id, contactId);
      expect(rows(entries)).toEqual([
        ['1', 'SKIPPED', 'SEND_LIMIT_REACHED'],
        ['2', 'EXECUTED', undefined],
      ]);
      expect(entries[0].reasonText).toMatch(/daily sequence send limit/);
      expect(entries[0].reasonText).toMatch(/not enrolled/);
      expect(await enrollmentsOf(contactId)).toEqual([]);
      expect(await devMail('second@example.com')).toEqual([]);
      expect(await lifecycleOf('second@example.com')).toBe('lead');
      expect((await getFlow(wf.id)).needsReview).toBe(false);
    });

    it('should fail with SEQUENCE_NOT_FOUND, enroll no one and flag the flow for review when the sequence was deleted after the flow was saved', async () => {
      const rep = await seedSender(h);
      const sequenceId = await seedSequence(h, rep.userId);
      const { form, wf } = await onForm([enrollIn(sequenceId, rep.userId), markLead]);
      expect(wf.needsReview).toBe(false);
      expect((await h.api('DELETE', `/seqflow/v1/sequences/${sequenceId}`)).status).toBe(204);

      const contactId = await submitNow(form, 'late@example.com');

      const entries = await log(h, wf.id, contactId);
      expect(rows(entries)).toEqual([
        ['1', 'FAILED', 'SEQUENCE_NOT_FOUND'],
        ['2', 'EXECUTED', undefined],
      ]);
      expect(entries[0].reasonText).toMatch(/deleted/);
      expect(await enrollmentsOf(contactId)).toEqual([]);
      expect(await devMail('late@example.com')).toEqual([]);
      expect(await getFlow(wf.id)).toMatchObject({ needsReview: true, reviewReason: expect.stringMatching(/deleted/) });
      expect((await get('/automation/v4/flows')).results[0]).toMatchObject({ id: wf.id, needsReview: true });
    });

    it('should skip with NOT_ENROLLED when the contact has no active enrollment to unenroll from', async () => {
      const { form, wf } = await onForm([unenroll, markLead]);

      const contactId = await submitNow(form, 'free@example.com');

      const entries = await log(h, wf.id, contactId);
      expect(rows(entries)).toEqual([
        ['1', 'SKIPPED', 'NOT_ENROLLED'],
        ['2', 'EXECUTED', undefined],
      ]);
      expect(entries[0].reasonText).toMatch(/not enrolled/);
      expect((await getFlow(wf.id)).needsReview).toBe(false);
    });

    it.each([
      { change: 'seat became sales_starter', code: 'SENDER_NO_SEAT', seat: 'sales_starter' },
      { change: 'seat became service_professional', code: 'SENDER_NO_SEAT', seat: 'service_professional' },
      { change: 'inbox was disconnected', code: 'SENDER_INBOX_DISCONNECTED', seat: null },
    ])("should fail with $code and flag the flow for review when the sender's $change after the flow was saved", async ({ code, seat }) => {
      const rep = await seedSender(h);
      const sequenceId = await seedSequence(h, rep.userId);
      const { form, wf } = await onForm([enrollIn(sequenceId, rep.userId), markLead]);
      expect((seat ? await setSeat(rep, seat) : await disconnect(rep)).status).toBe(200);

      const contactId = await submitNow(form, 'orphan@example.com');

      const entries = await log(h, wf.id, contactId);
      expect(rows(entries)).toEqual([
        ['1', 'FAILED', code],
        ['2', 'EXECUTED', undefined],
      ]);
      expect(entries[0].reasonText).toMatch(/^Failed: /);
      expect(await enrollmentsOf(contactId)).toEqual([]);
      expect(await devMail('orphan@example.com')).toEqual([]);
      expect((await getFlow(wf.id)).needsReview).toBe(true);
    });

    // BUG: PRODUCT §3.7 lists "the workflow is flagged Needs review" among the consequences of deleting
    // a sequence, beside "the editor shows the action as broken"; src/services/sequences.ts:102
    // (deleteSequence) never touches workflows, so the flag only appears once a contact's run fails.
    it('should flag the flow for review as soon as a sequence it enrolls into is deleted', async () => {
      const rep = await seedSender(h);
      const sequenceId = await seedSequence(h, rep.userId);
      const { wf } = await onForm([enrollIn(sequenceId, rep.userId)]);

      expect((await h.api('DELETE', `/seqflow/v1/sequences/${sequenceId}`)).status).toBe(204);

      expect((await getFlow(wf.id)).needsReview).toBe(true);
      expect((await get('/automation/v4/flows')).results[0]).toMatchObject({ id: wf.id, needsReview: true });
    });

    it.each([
      { kind: 'address', value: 'blocked@example.com', code: 'BLOCKED_ADDRESS' },
      { kind: 'domain', value: 'example.com', code: 'BLOCKED_DOMAIN' },
    ])('should skip with $code, without flagging the flow, when the contact\'s $kind is on the blocklist', async ({ kind, value, code }) => {
      const rep = await seedSender(h);
      const sequenceId = await seedSequence(h, rep.userId);
      const { form, wf } = await onForm([enrollIn(sequenceId, rep.userId), markLead]);
      expect((await h.api('POST', '/seqflow/v1/blocklist', { kind, value })).status).toBe(201);

      const contactId = await submitNow(form, 'blocked@example.com');

      expect(rows(await log(h, wf.id, contactId))).toEqual([
        ['1', 'SKIPPED', code],
        ['2', 'EXECUTED', undefined],
      ]);
      expect(await enrollmentsOf(contactId)).toEqual([]);
      expect((await getFlow(wf.id)).needsReview).toBe(false);
    });

    it('should skip with NO_EMAIL_ADDRESS when a list-based trigger enrolls a contact without an email address', async () => {
      const rep = await seedSender(h);
      const sequenceId = await seedSequence(h, rep.userId);
      const wf = await createFlow(h, flow({ criteria: listBased(propertyIs('lifecyclestage', 'lead')), actions: chain([enrollIn(sequenceId, rep.userId)]) }));

      const contactId = await seedContact(h, { firstname: 'Anon', lifecyclestage: 'lead' });
      await h.advance(0);

      expect(rows(await log(h, wf.id, contactId))).toEqual([['1', 'SKIPPED', 'NO_EMAIL_ADDRESS']]);
      expect(await enrollmentsOf(contactId)).toEqual([]);
      expect((await getFlow(wf.id)).needsReview).toBe(false);
    });

    it("should enroll with the contact's owner as the sender when the action's sender is CONTACT_OWNER", async () => {
      await seedSender(h, { email: 'someone@acme.test' });
      const owner = await seedSender(h, { email: 'owner@acme.test' });
      const sequenceId = await seedSequence(h, owner.userId);
      const contactId = await seedContact(h, { email: 'owned@example.com', hubspot_owner_id: owner.userId });
      const { form, wf } = await onForm([enrollFromOwner(sequenceId)]);

      await submitNow(form, 'owned@example.com');

      expect(rows(await log(h, wf.id, contactId))).toEqual([['1', 'EXECUTED', undefined]]);
      expect(await enrollmentsOf(contactId)).toMatchObject([{ sequenceId, senderUserId: owner.userId, senderEmail: 'owner@acme.test', source: 'WORKFLOW', state: 'ACTIVE' }]);
      const [mail] = await devMail('owned@example.com');
      expect(mail.from).toContain('owner@acme.test');
    });

    it('should skip with CONTACT_OWNER_NOT_SET when the sender is CONTACT_OWNER and the contact has no owner', async () => {
      const rep = await seedSender(h);
      const sequenceId = await seedSequence(h, rep.userId);
      const { form, wf } = await onForm([enrollFromOwner(sequenceId), markLead]);

      const contactId = await submitNow(form, 'nobodys@example.com');

      const entries = await log(h, wf.id, contactId);
      expect(rows(entries)).toEqual([
        ['1', 'SKIPPED', 'CONTACT_OWNER_NOT_SET'],
        ['2', 'EXECUTED', undefined],
      ]);
      expect(entries[0].reasonText).toMatch(/contact owner/);
      expect(await enrollmentsOf(contactId)).toEqual([]);
      expect((await getFlow(wf.id)).needsReview).toBe(false);
    });
  });

  describe('validation of the Enroll action on save', () => {
    /** Each case returns field overrides that make the rep's Enroll action unsaveable. */
    const unsaveable: { when: string; code: string; field: string; arrange(rep: Rep): Promise<Record<string, unknown>> }[] = [
      {
        when: 'the sender seat is sales_starter',
        code: 'SENDER_NO_SEAT',
        field: 'userId',
        arrange: async () => ({ userId: (await seedSender(h, { email: 'starter@acme.test', seat: 'sales_starter' })).userId }),
      },
      {
        // service_professional may use sequences, but may not be a workflow's sender (PRODUCT §2).
        when: 'the sender seat is service_professional',
        code: 'SENDER_NO_SEAT',
        field: 'userId',
        arrange: async () => ({ userId: (await seedSender(h, { email: 'support@acme.test', seat: 'service_professional' })).userId }),
      },
      {
        when: 'the sender has no connected inbox',
        code: 'SENDER_INBOX_DISCONNECTED',
        field: 'userId',
        arrange: async () => {
          const offline = await seedSender(h, { email: 'offline@acme.test' });
          expect((await disconnect(offline)).status).toBe(200);
          return { userId: offline.userId };
        },
      },
      {
        when: 'senderEmail is a foreign address',
        code: 'SENDER_ADDRESS_NOT_ALLOWED',
        field: 'senderEmail',
        arrange: async () => ({ senderEmail: 'someone@elsewhere.test' }),
      },
      {
        when: 'the sequence was deleted',
        code: 'SEQUENCE_NOT_FOUND',
        field: 'sequenceId',
        arrange: async (rep) => {
          const gone = await seedSequence(h, rep.userId);
          expect((await h.api('DELETE', `/seqflow/v1/sequences/${gone}`)).status).toBe(204);
          return { sequenceId: gone };
        },
      },
    ];

    it.each(unsaveable)('should refuse POST and PUT with 400 $code when $when', async ({ code, field, arrange }) => {
      const rep = await seedSender(h);
      const sequenceId = await seedSequence(h, rep.userId);
      const saved = await createFlow(h, flow({ isEnabled: false, criteria: onFormSubmitted(), actions: chain([enrollIn(sequenceId, rep.userId)]) }));
      const bad = flow({ isEnabled: false, criteria: onFormSubmitted(), actions: chain([enrollIn(sequenceId, rep.userId, await arrange(rep))]) });

      const posted = await h.api('POST', '/automation/v4/flows', bad);
      const put = await h.api('PUT', `/automation/v4/flows/${saved.id}`, { ...bad, revisionId: saved.revisionId });

      for (const r of [posted, put]) {
        expect(r.status).toBe(400);
        expect(r.body).toMatchObject({ status: 'error', category: 'VALIDATION_ERROR', subCategory: code });
        expect(r.body.errors[0]).toMatchObject({ code, in: `actions[0].fields.${field}` });
      }
      expect(await flowIds()).toEqual([saved.id]);
      expect(await getFlow(saved.id)).toMatchObject({ revisionId: saved.revisionId, actions: saved.actions });
    });

    it('should save with a PLACEHOLDER_TOKENS warning, also reported by the check, when the sequence has placeholder tokens', async () => {
      const rep = await seedSender(h);
      const sequenceId = await seedSequence(h, rep.userId, {
        steps: [{ type: 'EMAIL', delayMillis: 0, subject: 'Your talk', body: '<p>Hi, [[placeholder: one line about their talk]]</p>' }],
      });

      const r = await h.api('POST', '/automation/v4/flows', flow({ criteria: onFormSubmitted(), actions: chain([enrollIn(sequenceId, rep.userId)]) }));

      expect(r.status).toBe(201);
      const placeholderWarning = { code: 'PLACEHOLDER_TOKENS', level: 'warning', actionId: '1', message: expect.stringMatching(/placeholder tokens/) };
      expect(r.body.warnings).toEqual([placeholderWarning]);
      expect(r.body.isEnabled).toBe(true);
      expect(await check(r.body.id)).toEqual([placeholderWarning]);
    });

    it('should pause the enrollment instead of sending placeholder text when a workflow enrolls into a sequence with placeholders', async () => {
      const rep = await seedSender(h);
      const sequenceId = await seedSequence(h, rep.userId, {
        steps: [{ type: 'EMAIL', delayMillis: 0, subject: 'Your talk', body: '<p>Hi, [[placeholder: one line about their talk]]</p>' }],
      });
      const { form, wf } = await onForm([enrollIn(sequenceId, rep.userId)]);

      const contactId = await submitNow(form, 'speaker@example.com');

      expect(rows(await log(h, wf.id, contactId))).toEqual([['1', 'EXECUTED', undefined]]);
      expect(await devMail('speaker@example.com')).toEqual([]);
      expect(await enrollmentsOf(contactId)).toMatchObject([{ state: 'PAUSED', reason: 'UNFILLED_PLACEHOLDER' }]);
    });

    it("should accept an alias as the send-from address and send from it when the alias belongs to the sender's inbox", async () => {
      const rep = await seedSender(h, { aliases: ['hello@acme.test'] });
      const sequenceId = await seedSequence(h, rep.userId);
      const { form, wf } = await onForm([enrollIn(sequenceId, rep.userId, { senderEmail: 'hello@acme.test' })]);
      expect(wf.actions[0].fields.senderEmail).toBe('hello@acme.test');

      const contactId = await submitNow(form, 'alias@example.com');

      expect(rows(await log(h, wf.id, contactId))).toEqual([['1', 'EXECUTED', undefined]]);
      expect(await enrollmentsOf(contactId)).toMatchObject([{ senderUserId: rep.userId, senderEmail: 'hello@acme.test' }]);
      const [mail] = await devMail('alias@example.com');
      expect(mail.from).toContain('hello@acme.test');
    });
  });

  describe('malformed flows', () => {
    const valid = () => structuredClone(flow({ isEnabled: false, criteria: onFormSubmitted(), actions: chain([delay('1', 'HOURS'), unenroll]) })) as any;
    const malformed: { what: string; at: string; breakIt(f: any): void }[] = [
      { what: 'an actionTypeId is unknown', at: 'actions[1].actionTypeId', breakIt: (f) => void (f.actions[1].actionTypeId = '0-99999999') },
      { what: 'a nextActionId names no action', at: 'actions[0].connection.nextActionId', breakIt: (f) => void (f.actions[0].connection.nextActionId = '9') },
      { what: 'the actions form a cycle (1 → 2 → 1)', at: 'actions[0].connection', breakIt: (f) => void (f.actions[1].connection = { edgeType: 'STANDARD', nextActionId: '1' }) },
      { what: 'startActionId names no action', at: 'startActionId', breakIt: (f) => void (f.startActionId = '7') },
      {
        what: 'two actions share an actionId',
        at: 'actions[1].actionId',
        breakIt: (f) => {
          f.actions[1].actionId = '1';
          delete f.actions[0].connection;
        },
      },
      { what: 'the eventTypeId is unknown', at: 'enrollmentCriteria.eventFilterBranches[0].eventTypeId', breakIt: (f) => void (f.enrollmentCriteria.eventFilterBranches[0].eventTypeId = '4-9999999') },
      { what: 'the type is not CONTACT_FLOW', at: 'type', breakIt: (f) => void (f.type = 'PLATFORM_FLOW') },
      { what: 'a delay time_unit is FORTNIGHTS', at: 'actions[0].fields', breakIt: (f) => void (f.actions[0].fields.time_unit = 'FORTNIGHTS') },
    ];

    it.each(malformed)('should refuse POST and PUT with 400 and save nothing when $what', async ({ at, breakIt }) => {
      const saved = await createFlow(h, valid());
      const bad = valid();
      breakIt(bad);

      const posted = await h.api('POST', '/automation/v4/flows', bad);
      const put = await h.api('PUT', `/automation/v4/flows/${saved.id}`, { ...bad, revisionId: saved.revisionId });

      for (const r of [posted, put]) {
        expect(r.status).toBe(400);
        expect(r.body.category).toBe('VALIDATION_ERROR');
        expect(r.body.errors.map((e: any) => e.in)).toContain(at);
      }
      expect(await flowIds()).toEqual([saved.id]);
      expect(await getFlow(saved.id)).toMatchObject({ revisionId: saved.revisionId, type: 'CONTACT_FLOW', actions: saved.actions });
    });
  });

  describe('guardrails', () => {
    const leadsFlow = (sequenceId: string, rep: Rep) =>
      createFlow(h, flow({ isEnabled: false, criteria: listBased(propertyIs('lifecyclestage', 'lead')), actions: chain([enrollIn(sequenceId, rep.userId)]) }));
    const seedLeads = async (n: number, extra: Record<string, string> = {}) => {
      for (let i = 0; i < n; i++) await seedContact(h, { email: `lead${i}@example.com`, lifecyclestage: 'lead', ...extra });
    };

    it('should warn ENROLLS_MANY with the count, refuse turning on with enrollExisting (409), and enroll all once acknowledged when more than 100 contacts match', async () => {
      const rep = await seedSender(h);
      const sequenceId = await seedSequence(h, rep.userId);
      await seedLeads(101);
      await seedContact(h, { email: 'customer@example.com', lifecyclestage: 'customer' });
      const wf = await leadsFlow(sequenceId, rep);

      expect(await check(wf.id)).toContainEqual({ code: 'ENROLLS_MANY', level: 'warning', count: 101, message: expect.stringContaining('101') });

      const refused = await setEnabled(wf.id, true, '?enrollExisting=true');
      expect(refused.status).toBe(409);
      expect(refused.body).toMatchObject({ category: 'CONFLICT', subCategory: 'ENROLLS_MANY', message: expect.stringContaining('101') });
      expect(await getFlow(wf.id)).toMatchObject({ isEnabled: false, revisionId: wf.revisionId });
      expect(await stats(wf.id)).toEqual({ enrolled: 0, running: 0 });

      const on = await setEnabled(wf.id, true, '?enrollExisting=true&acknowledge=ENROLLS_MANY');
      expect(on.status).toBe(200);
      expect(on.body.isEnabled).toBe(true);
      expect(await stats(wf.id)).toEqual({ enrolled: 101, running: 101 });
    });

    it('should turn on with enrollExisting without any acknowledgement when exactly 100 contacts match', async () => {
      const rep = await seedSender(h);
      const sequenceId = await seedSequence(h, rep.userId);
      await seedLeads(100);
      const wf = await leadsFlow(sequenceId, rep);

      expect(codes(await check(wf.id))).not.toContain('ENROLLS_MANY');
      const on = await setEnabled(wf.id, true, '?enrollExisting=true');

      expect(on.status).toBe(200);
      expect(on.body.isEnabled).toBe(true);
      expect(await stats(wf.id)).toEqual({ enrolled: 100, running: 100 });
    });

    it('should warn COLD_IMPORT with the count when recently imported contacts who never engaged match the trigger', async () => {
      const rep = await seedSender(h);
      const sequenceId = await seedSequence(h, rep.userId);
      const form = await createForm(h);
      for (const email of ['cold1@example.com', 'cold2@example.com', 'warm@example.com']) await seedContact(h, { email, lifecyclestage: 'lead', hs_object_source: 'IMPORT' });
      await seedContact(h, { email: 'organic@example.com', lifecyclestage: 'lead' });
      await seedContact(h, { email: 'imported-customer@example.com', lifecyclestage: 'customer', hs_object_source: 'IMPORT' });
      expect((await submit(h, form, { email: 'warm@example.com' })).status).toBe(200);
      const wf = await leadsFlow(sequenceId, rep);

      expect(await check(wf.id)).toContainEqual({ code: 'COLD_IMPORT', level: 'warning', count: 2, message: expect.stringContaining('2 recently imported') });
      await h.advance(31 * DAY);
      expect(codes(await check(wf.id))).not.toContain('COLD_IMPORT');
    });

    // BUG: PRODUCT §4.3 says Seqflow checks a workflow "whenever it is saved or turned on" and
    // reports COLD_IMPORT; checkOrThrow (src/services/workflows.ts:86-91) passes coldImportCount: 0,
    // so the save response's warnings never carry COLD_IMPORT (only POST …/check does).
    it('should warn COLD_IMPORT in the save response when recently imported contacts who never engaged match the trigger', async () => {
      const rep = await seedSender(h);
      const sequenceId = await seedSequence(h, rep.userId);
      for (const email of ['cold1@example.com', 'cold2@example.com']) await seedContact(h, { email, lifecyclestage: 'lead', hs_object_source: 'IMPORT' });

      const wf = await leadsFlow(sequenceId, rep);

      expect(wf.warnings).toContainEqual({ code: 'COLD_IMPORT', level: 'warning', count: 2, message: expect.any(String) });
    });

    const CONTACT_CREATED = '4-1463224';
    const nonPersonal: { criteria: string; flagged: boolean; trigger: (formId: string) => unknown }[] = [
      { criteria: 'create date is today', flagged: true, trigger: () => listBased(CREATED_TODAY) },
      {
        criteria: 'create date in the last 2 days',
        flagged: true,
        trigger: () => listBased({ filterType: 'PROPERTY', property: 'createdate', operation: { operationType: 'TIME_RANGED', operator: 'IN_LAST_N_DAYS', numberOfDays: 2 } }),
      },
      { criteria: 'email is known', flagged: true, trigger: () => listBased({ filterType: 'PROPERTY', property: 'email', operation: { operationType: 'ALL_PROPERTY', operator: 'IS_KNOWN' } }) },
      {
        criteria: 'contact created (event)',
        flagged: true,
        trigger: () => ({ type: 'EVENT_BASED', shouldReEnroll: false, listMembershipFilterBranches: [], eventFilterBranches: [{ filterBranchType: 'UNIFIED_EVENTS', filterBranchOperator: 'AND', eventTypeId: CONTACT_CREATED, operator: 'HAS_COMPLETED', filters: [], filterBranches: [] }] }),
      },
      { criteria: 'lifecycle stage is lead', flagged: false, trigger: () => listBased(propertyIs('lifecyclestage', 'lead')) },
      { criteria: 'a form was submitted', flagged: false, trigger: (formId) => onFormSubmitted(formId) },
    ];

    it.each(nonPersonal)('should report NON_PERSONAL_CRITERIA on save and in the check only for criteria without intent when the criteria are $criteria', async ({ flagged, trigger }) => {
      const rep = await seedSender(h);
      const sequenceId = await seedSequence(h, rep.userId);
      const form = await createForm(h);

      const wf = await createFlow(h, flow({ isEnabled: false, criteria: trigger(form.id), actions: chain([enrollIn(sequenceId, rep.userId)]) }));

      const warning = { code: 'NON_PERSONAL_CRITERIA', level: 'warning', message: expect.stringMatching(/no intent signal/) };
      for (const issues of [wf.warnings, await check(wf.id)]) {
        if (flagged) expect(issues).toContainEqual(warning);
        else expect(codes(issues)).not.toContain('NON_PERSONAL_CRITERIA');
      }
    });

    it.each([
      { change: 'sequence was deleted', code: 'SEQUENCE_DELETED', saveCode: 'SEQUENCE_NOT_FOUND', apply: (_: Rep, sequenceId: string) => h.api('DELETE', `/seqflow/v1/sequences/${sequenceId}`) },
      { change: 'sender seat became sales_starter', code: 'SENDER_INELIGIBLE', saveCode: 'SENDER_NO_SEAT', apply: (rep: Rep) => setSeat(rep, 'sales_starter') },
      { change: 'sender inbox was disconnected', code: 'SENDER_INELIGIBLE', saveCode: 'SENDER_INBOX_DISCONNECTED', apply: (rep: Rep) => disconnect(rep) },
    ])('should report $code as an error that blocks turning on when the $change after the flow was saved', async ({ code, saveCode, apply }) => {
      const rep = await seedSender(h);
      const sequenceId = await seedSequence(h, rep.userId);
      const form = await createForm(h);
      const wf = await createFlow(h, flow({ isEnabled: false, criteria: onFormSubmitted(form.id), actions: chain([enrollIn(sequenceId, rep.userId)]) }));
      expect(await check(wf.id)).toEqual([]);

      expect((await apply(rep, sequenceId)).status).toBeLessThan(300);

      expect(await check(wf.id)).toEqual([{ code, level: 'error', actionId: '1', message: expect.any(String) }]);
      const on = await setEnabled(wf.id, true);
      expect(on.status).toBe(400);
      expect(on.body).toMatchObject({ category: 'VALIDATION_ERROR', subCategory: saveCode });
      expect(await getFlow(wf.id)).toMatchObject({ isEnabled: false, revisionId: wf.revisionId });
    });

    // BUG: PRODUCT §4.3 makes SEQUENCE_DELETED / SENDER_INELIGIBLE errors that block turning ON, and
    // §4.2 says turning a workflow off stops new enrollments; but updateWorkflow
    // (src/services/workflows.ts:110, checkOrThrow at :118) validates the Enroll action on every PUT,
    // so a flow whose sequence was deleted can no longer be turned off (400 SEQUENCE_NOT_FOUND) and
    // keeps failing every new contact until it is deleted.
    it('should turn a flow off when its sequence was deleted after it was saved', async () => {
      const rep = await seedSender(h);
      const sequenceId = await seedSequence(h, rep.userId);
      const { form, wf } = await onForm([enrollIn(sequenceId, rep.userId)]);
      expect((await h.api('DELETE', `/seqflow/v1/sequences/${sequenceId}`)).status).toBe(204);

      const off = await setEnabled(wf.id, false);

      expect(off.status).toBe(200);
      expect(off.body.isEnabled).toBe(false);
      await submitNow(form, 'after-off@example.com');
      expect(await log(h, wf.id)).toEqual([]);
    });

    it('should refuse a PUT with 409 and keep the newer revision when its revisionId is stale', async () => {
      const wf = await createFlow(h, flow({ isEnabled: false, criteria: onFormSubmitted(), actions: chain([unenroll]) }));
      const copy = await getFlow(wf.id);

      const first = await h.api('PUT', `/automation/v4/flows/${wf.id}`, { ...copy, name: 'Renamed once' });
      const second = await h.api('PUT', `/automation/v4/flows/${wf.id}`, { ...copy, name: 'Renamed from a stale copy' });

      expect(first.status).toBe(200);
      expect(first.body.revisionId).not.toBe(copy.revisionId);
      expect(second.status).toBe(409);
      expect(second.body).toMatchObject({ category: 'CONFLICT', subCategory: 'STALE_REVISION' });
      expect(await getFlow(wf.id)).toMatchObject({ name: 'Renamed once', revisionId: first.body.revisionId });
    });
  });

  describe('re-enrollment', () => {
    it('should not start a second run when the same contact submits again and shouldReEnroll is false', async () => {
      const { form, wf } = await onForm([delay('1', 'HOURS'), markLead]);
      const contactId = await submitNow(form, 'twice@example.com');
      await h.advance(HOUR);
      const once = [
        ['1', 'EXECUTED', undefined],
        ['2', 'EXECUTED', undefined],
      ];
      expect(rows(await log(h, wf.id, contactId))).toEqual(once);

      await submitNow(form, 'twice@example.com');
      await h.advance(2 * HOUR);

      expect(rows(await log(h, wf.id, contactId))).toEqual(once);
      expect(await stats(wf.id)).toEqual({ enrolled: 1, running: 0 });
    });

    it('should start a new run after the first one finished, and none overlapping it, when shouldReEnroll is true', async () => {
      const { form, wf } = await onForm([delay('1', 'HOURS'), markLead], { reEnroll: true });
      const contactId = await submitNow(form, 'again@example.com');
      await h.advance(30 * MINUTE);

      await submitNow(form, 'again@example.com'); // while the first run waits in its delay
      expect(await stats(wf.id)).toEqual({ enrolled: 1, running: 1 });
      await h.advance(30 * MINUTE);
      expect(rows(await log(h, wf.id, contactId))).toHaveLength(2);
      expect(await stats(wf.id)).toEqual({ enrolled: 1, running: 0 });

      await submitNow(form, 'again@example.com'); // after it finished
      await h.advance(HOUR);

      const entries = await log(h, wf.id, contactId);
      expect(rows(entries)).toEqual([
        ['1', 'EXECUTED', undefined],
        ['2', 'EXECUTED', undefined],
        ['1', 'EXECUTED', undefined],
        ['2', 'EXECUTED', undefined],
      ]);
      expect(entries.map((e) => e.at)).toEqual([T0, T0 + HOUR, T0 + HOUR, T0 + 2 * HOUR].map(iso));
      expect(new Set(entries.map((e) => e.runId)).size).toBe(2);
      expect(await stats(wf.id)).toEqual({ enrolled: 2, running: 0 });
    });
  });

  describe('delays', () => {
    it.each([
      { label: '45 minutes', delta: '45', time_unit: 'MINUTES', ms: 45 * MINUTE },
      { label: '3 hours', delta: '3', time_unit: 'HOURS', ms: 3 * HOUR },
      { label: '2 days', delta: '2', time_unit: 'DAYS', ms: 2 * DAY },
    ])('should run the next action exactly $label later when a delay of $label precedes it', async ({ delta, time_unit, ms }) => {
      const { form, wf } = await onForm([delay(delta, time_unit), markLead]);
      const contactId = await submitNow(form, 'wait@example.com');
      expect((await log(h, wf.id, contactId)).map((e) => e.at)).toEqual([iso(T0)]);

      await h.advance(ms - 1);
      expect(await log(h, wf.id, contactId)).toHaveLength(1);
      expect(await lifecycleOf('wait@example.com')).toBeUndefined();
      await h.advance(1);

      const entries = await log(h, wf.id, contactId);
      expect(rows(entries)).toEqual([
        ['1', 'EXECUTED', undefined],
        ['2', 'EXECUTED', undefined],
      ]);
      expect(entries[1].at).toBe(iso(T0 + ms));
      expect(await lifecycleOf('wait@example.com')).toBe('lead');
    });

    it('should run each action at its due instant when one clock advance jumps over several delays', async () => {
      const { form, wf } = await onForm([delay('3', 'HOURS'), delay('2', 'DAYS'), markLead]);
      const contactId = await submitNow(form, 'jump@example.com');

      await h.advance(10 * DAY);

      const entries = await log(h, wf.id, contactId);
      expect(rows(entries)).toEqual([
        ['1', 'EXECUTED', undefined],
        ['2', 'EXECUTED', undefined],
        ['3', 'EXECUTED', undefined],
      ]);
      expect(entries.map((e) => e.at)).toEqual([T0, T0 + 3 * HOUR, T0 + 3 * HOUR + 2 * DAY].map(iso));
    });
  });

  describe('triggers and on/off', () => {
    it('should not fire when another form is submitted and the flow is triggered only by form A', async () => {
      const formA = await createForm(h, 'Book a demo');
      const formB = await createForm(h, 'Newsletter');
      const wf = await createFlow(h, flow({ criteria: onFormSubmitted(formA.id), actions: chain([markLead]) }));

      const contactId = await submitNow(formB, 'reader@example.com');
      expect(await log(h, wf.id)).toEqual([]);
      expect(await stats(wf.id)).toEqual({ enrolled: 0, running: 0 });

      await submitNow(formA, 'reader@example.com');
      expect(rows(await log(h, wf.id, contactId))).toEqual([['1', 'EXECUTED', undefined]]);
    });

    it('should not enroll new submissions, even once turned on again, when they came while the flow was off', async () => {
      const { form, wf } = await onForm([markLead]);
      const off = await setEnabled(wf.id, false);
      expect(off.status).toBe(200);
      expect(off.body.isEnabled).toBe(false);

      await submitNow(form, 'ignored@example.com');
      expect(await log(h, wf.id)).toEqual([]);
      expect(await stats(wf.id)).toEqual({ enrolled: 0, running: 0 });

      expect((await setEnabled(wf.id, true)).status).toBe(200);
      await h.advance(HOUR);
      expect(await log(h, wf.id)).toEqual([]);
      expect(await lifecycleOf('ignored@example.com')).toBeUndefined();
    });

    it('should hold a run in its delay while the flow is off and resume it when the flow is turned on again', async () => {
      const { form, wf } = await onForm([delay('1', 'DAYS'), markLead]);
      const contactId = await submitNow(form, 'paused@example.com');
      expect((await setEnabled(wf.id, false)).status).toBe(200);

      await h.advance(3 * DAY);
      expect(rows(await log(h, wf.id, contactId))).toEqual([['1', 'EXECUTED', undefined]]);
      expect(await stats(wf.id)).toEqual({ enrolled: 1, running: 1 });
      expect(await lifecycleOf('paused@example.com')).toBeUndefined();

      expect((await setEnabled(wf.id, true)).status).toBe(200);
      await h.advance(0);

      const entries = await log(h, wf.id, contactId);
      expect(rows(entries)).toEqual([
        ['1', 'EXECUTED', undefined],
        ['2', 'EXECUTED', undefined],
      ]);
      expect(entries[1].at).toBe(iso(T0 + 3 * DAY));
      expect(await lifecycleOf('paused@example.com')).toBe('lead');
      expect(await stats(wf.id)).toEqual({ enrolled: 1, running: 0 });
    });
  });

  describe('if/then branches', () => {
    // BUG: PRODUCT §4.2 lists "If/then branch (LIST_BRANCH / STATIC_BRANCH, with a default branch)"
    // among the workflow actions, and hubspot-api.md §2.3 gives the LIST_BRANCH shape; the flow body
    // schema (src/http/hubspot/flows.ts:48, `type: z.literal('SINGLE_CONNECTION')`) refuses every
    // branch with 400 "only SINGLE_CONNECTION actions are supported".
    it('should send each contact down the branch its properties match when the flow has a LIST_BRANCH', async () => {
      const customers = { filterBranchType: 'OR', filters: [], filterBranches: [{ filterBranchType: 'AND', filters: [propertyIs('lifecyclestage', 'customer')], filterBranches: [] }] };
      const setStage = (stage: string, nextActionId?: string) => ({
        type: 'SINGLE_CONNECTION',
        actionTypeId: SET_PROPERTY,
        actionTypeVersion: 0,
        fields: { property_name: 'lifecyclestage', value: { type: 'STATIC_VALUE', staticValue: stage } },
        ...(nextActionId && { connection: { edgeType: 'STANDARD', nextActionId } }),
      });
      const actions = [
        {
          type: 'LIST_BRANCH',
          actionId: '1',
          listBranches: [{ branchName: 'Customers', filterBranch: customers, connection: { edgeType: 'STANDARD', nextActionId: '2' } }],
          defaultBranchName: 'Everyone else',
          defaultBranch: { edgeType: 'STANDARD', nextActionId: '3' },
        },
        { ...setStage('evangelist'), actionId: '2' },
        { ...setStage('lead'), actionId: '3' },
      ];
      const form = await createForm(h);
      await seedContact(h, { email: 'customer@example.com', lifecyclestage: 'customer' });

      const r = await h.api('POST', '/automation/v4/flows', flow({ criteria: onFormSubmitted(form.id), actions: actions as any }));

      expect(r.status).toBe(201);
      await submitNow(form, 'customer@example.com');
      await submitNow(form, 'prospect@example.com');
      expect(await lifecycleOf('customer@example.com')).toBe('evangelist');
      expect(await lifecycleOf('prospect@example.com')).toBe('lead');
    });
  });

  describe('action catalog and forms', () => {
    it('should list Delay, Enroll in a sequence and Unenroll from sequence when the action types for contacts are asked for', async () => {
      const r = await h.api('GET', '/automation/2026-09-beta/action-types?objectTypeId=0-1');

      expect(r.status).toBe(200);
      expect(r.body.results.map((a: any) => a.actionTypeId)).toEqual(expect.arrayContaining([DELAY, ENROLL, UNENROLL]));
      expect(r.body.results.find((a: any) => a.actionTypeId === ENROLL)).toMatchObject({ actionName: 'Enroll in a sequence', objectTypeIds: ['0-1'] });
      expect(r.body.results.find((a: any) => a.actionTypeId === UNENROLL)).toMatchObject({ actionName: 'Unenroll from sequence' });
    });

    it("should serve an HTML page with the form's inputs when anyone opens /forms/{guid} without a token", async () => {
      const form = await createForm(h, 'Book a meeting');

      const res = await h.sf.app!.inject({ method: 'GET', url: `/forms/${form.id}` });

      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.body).toContain('<title>Book a meeting</title>');
      expect(res.body).toMatch(/<input name="email" type="email" required>/);
      expect(res.body).toMatch(/<input name="firstname" type="text">/);
      expect(res.body).toContain(`/submissions/v3/integration/submit/${form.portalId}/${form.id}`);
    });

    it('should answer 404 and create no contact when a submission names an unknown form or portal', async () => {
      const form = await createForm(h);

      const r = await submit(h, { id: '00000000-0000-4000-8000-000000000000', portalId: form.portalId }, { email: 'ghost@example.com' });

      const wrongPortal = await submit(h, { id: form.id, portalId: '999' }, { email: 'ghost@example.com' });
      const page = await h.sf.app!.inject({ method: 'GET', url: '/forms/00000000-0000-4000-8000-000000000000' });

      for (const res of [r, wrongPortal]) {
        expect(res.status).toBe(404);
        expect(res.body).toMatchObject({ status: 'error', category: 'OBJECT_NOT_FOUND' });
      }
      expect(page.statusCode).toBe(404);
      expect((await h.api('GET', '/crm/v3/objects/contacts/ghost@example.com?idProperty=email')).status).toBe(404);
    });

    it('should answer 400 naming the email field, and run no flow, when a submission leaves the required email out', async () => {
      const { form, wf } = await onForm([markLead]);

      const r = await submit(h, form, { firstname: 'Nomail' });
      await h.advance(0);

      expect(r.status).toBe(400);
      expect(r.body).toMatchObject({ category: 'VALIDATION_ERROR', message: expect.stringMatching(/Email is required/) });
      expect(r.body.errors[0]).toMatchObject({ in: 'fields.email', code: 'REQUIRED_FIELD' });
      expect((await get('/crm/v3/objects/contacts')).results).toEqual([]);
      expect(await log(h, wf.id)).toEqual([]);
    });
  });
});
