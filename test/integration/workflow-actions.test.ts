import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dialectCases } from '../support/databases.js';
import { DAY, MINUTE, seedContact, seedSender, seedSequence, startHarness, T0, type Harness } from '../support/harness.js';
import { takeRotationTurn } from '../../src/store/owner-rotations.js';
import { chain, CREATE_TASK, createFlow, ENROLL, flow, log, onContactCreated, SET_PROPERTY } from '../support/workflows.js';

const DELAY_UNTIL_DATE = '0-35';
const DELAY_UNTIL_WEEKDAY = 'seqflow-delay-until-weekday';
const ROTATE = '0-11';
const COPY = 'seqflow-copy-property';
const setJobTitle = (value: string) => ({ actionTypeId: SET_PROPERTY, fields: { property_name: 'jobtitle', value: { type: 'STATIC_VALUE', staticValue: value } } });
const iso = (ms: number) => new Date(ms).toISOString();

/** Each suite: its own server on the fake clock (T0 = Monday 2026-03-02 09:00 New York), on each database. */
const suite = (name: string, body: (h: () => Harness) => void) =>
  describe.each(dialectCases)(`${name} on $dialect`, ({ create, skip }) => {
    let h: Harness;
    beforeEach(async (ctx) => {
      if (skip) return ctx.skip();
      h = await startHarness(await create());
    });
    afterEach(async () => h?.close());
    body(() => h);
  });

const props = async (h: Harness, id: string, names: string) => (await h.api('GET', `/crm/v3/objects/contacts/${id}?properties=${names}`)).body.properties;
const defineContactProperty = async (h: Harness, name: string, type: string, fieldType: string) => {
  const r = await h.api('POST', '/crm/v3/properties/contacts', { name, label: name, type, fieldType, groupName: 'contactinformation' });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
};

suite('delay until a date property', (h) => {
  const renewalFlow = async (fields: Record<string, unknown>) => {
    await defineContactProperty(h(), 'renewal_date', 'date', 'date');
    return createFlow(h(), flow({ name: 'Before renewal', criteria: onContactCreated, actions: chain([{ actionTypeId: DELAY_UNTIL_DATE, fields: { date: { type: 'OBJECT_PROPERTY', propertyName: 'renewal_date' }, ...fields } }, setJobTitle('Renewing')]) }));
  };

  it('should run the next action at 09:00 New York time the day before the date, to the minute, when the DST change falls in between', async () => {
    const wf = await renewalFlow({ delta: '-1', time_unit: 'DAYS', time_of_day: { hour: 9, minute: 0 } });
    const id = await seedContact(h(), { email: 'renew@example.com', renewal_date: '2026-03-10' });
    // 2026-03-09 09:00 is EDT (UTC-4): 13:00Z. A minute before, nothing has run yet.
    await h().advance(Date.parse('2026-03-09T12:59:00Z') - T0);
    expect((await log(h(), wf.id, id)).map((e) => e.actionId)).toEqual(['1']);
    expect((await props(h(), id, 'jobtitle')).jobtitle ?? null).toBeNull();
    await h().advance(5 * MINUTE);
    const entries = await log(h(), wf.id, id);
    expect(entries.map((e) => [e.actionId, e.status, e.at])).toEqual([
      ['1', 'EXECUTED', iso(T0)],
      ['2', 'EXECUTED', '2026-03-09T13:00:00.000Z'],
    ]);
    expect((await props(h(), id, 'jobtitle')).jobtitle).toBe('Renewing');
  });

  it('should continue at once with the reason logged when the date is empty or has passed', async () => {
    const wf = await renewalFlow({ time_of_day: { hour: 9, minute: 0 } });
    const empty = await seedContact(h(), { email: 'nodate@example.com' });
    const past = await seedContact(h(), { email: 'past@example.com', renewal_date: '2026-02-01' });
    await h().advance(0);
    for (const [id, code] of [[empty, 'DATE_NOT_SET'], [past, 'DATE_PASSED']]) {
      const entries = await log(h(), wf.id, id);
      expect(entries.map((e) => [e.actionId, e.status, e.reasonCode ?? null, e.at])).toEqual([
        ['1', 'SKIPPED', code, iso(T0)],
        ['2', 'EXECUTED', null, iso(T0)],
      ]);
    }
  });

  it('should answer 400 naming the action fields, and save nothing, when the date names no property', async () => {
    const r = await h().api('POST', '/automation/v4/flows', flow({ criteria: onContactCreated, actions: chain([{ actionTypeId: DELAY_UNTIL_DATE, fields: { date: { type: 'OBJECT_PROPERTY' } } }]) }));
    expect(r.status).toBe(400);
    expect(r.body.errors.map((e: { in: string }) => e.in)).toEqual(['actions[0].fields']);
    expect((await h().api('GET', '/automation/v4/flows')).body.results).toEqual([]);
  });
});

suite('delay until a weekday and time in a zone', (h) => {
  it('should run the next action next Tuesday 09:00 Warsaw summer time, to the minute, when the contact arrives on the Friday before the DST change', async () => {
    await h().advance(25 * DAY); // Friday 2026-03-27 15:00 CET
    const wf = await createFlow(h(), flow({ name: 'Tuesday morning', criteria: onContactCreated, actions: chain([{ actionTypeId: DELAY_UNTIL_WEEKDAY, fields: { days_of_week: ['TUESDAY'], time_of_day: { hour: 9, minute: 0 }, time_zone: 'Europe/Warsaw' } }, setJobTitle('Tuesday')]) }));
    const id = await seedContact(h(), { email: 'warsaw@example.com' });
    await h().advance(Date.parse('2026-03-31T06:59:00Z') - (T0 + 25 * DAY));
    expect((await log(h(), wf.id, id)).map((e) => e.actionId)).toEqual(['1']);
    await h().advance(3 * MINUTE);
    expect((await log(h(), wf.id, id)).map((e) => [e.actionId, e.at])).toEqual([
      ['1', '2026-03-27T14:00:00.000Z'],
      ['2', '2026-03-31T07:00:00.000Z'],
    ]);
  });

  it('should answer 400 naming the action fields when the zone is not a time zone', async () => {
    const r = await h().api('POST', '/automation/v4/flows', flow({ criteria: onContactCreated, actions: chain([{ actionTypeId: DELAY_UNTIL_WEEKDAY, fields: { days_of_week: ['TUESDAY'], time_of_day: { hour: 9, minute: 0 }, time_zone: 'Mars/Olympus' } }]) }));
    expect(r.status).toBe(400);
    expect(r.body.errors[0]).toMatchObject({ in: 'actions[0].fields', message: expect.stringContaining('Mars/Olympus') });
  });
});

suite('rotate record to owner', (h) => {
  const users = async () => {
    const ids: string[] = [];
    for (const name of ['ann', 'bob', 'cy']) ids.push((await seedSender(h(), { email: `${name}@acme.test` })).userId);
    return ids;
  };

  it('should hand six contacts to three users two each, in turn, when the rotation overwrites nothing', async () => {
    const [ann, bob, cy] = await users();
    const wf = await createFlow(h(), flow({ name: 'Round robin', criteria: onContactCreated, actions: chain([{ actionTypeId: ROTATE, fields: { user_ids: [ann, bob, cy], overwrite_current_owner: 'false', target_property: 'hubspot_owner_id' } }]) }));
    const contacts: string[] = [];
    for (let i = 0; i < 6; i++) {
      contacts.push(await seedContact(h(), { email: `lead${i}@example.com` }));
      await h().advance(0);
    }
    const owners = [];
    for (const id of contacts) owners.push((await props(h(), id, 'hubspot_owner_id')).hubspot_owner_id);
    expect(owners).toEqual([ann, bob, cy, ann, bob, cy]);
    expect((await log(h(), wf.id)).map((e) => e.reasonText)).toEqual(owners.map((o) => `Assigned to user ${o}.`));
  });

  it('should keep the existing owner and give the next contact the next turn when overwrite is off', async () => {
    const [ann, bob, cy] = await users();
    const wf = await createFlow(h(), flow({ name: 'Round robin', criteria: onContactCreated, actions: chain([{ actionTypeId: ROTATE, fields: { user_ids: [ann, bob], overwrite_current_owner: false } }]) }));
    const first = await seedContact(h(), { email: 'first@example.com' });
    await h().advance(0);
    const owned = await seedContact(h(), { email: 'owned@example.com', hubspot_owner_id: cy });
    await h().advance(0);
    const third = await seedContact(h(), { email: 'third@example.com' });
    await h().advance(0);
    expect((await props(h(), first, 'hubspot_owner_id')).hubspot_owner_id).toBe(ann);
    expect((await props(h(), owned, 'hubspot_owner_id')).hubspot_owner_id).toBe(cy);
    expect((await props(h(), third, 'hubspot_owner_id')).hubspot_owner_id).toBe(bob);
    expect((await log(h(), wf.id, owned)).map((e) => [e.status, e.reasonCode])).toEqual([['SKIPPED', 'OWNER_ALREADY_SET']]);
  });

  it('should replace the existing owner when overwrite is on', async () => {
    const [ann, , cy] = await users();
    await createFlow(h(), flow({ name: 'Reassign', criteria: onContactCreated, actions: chain([{ actionTypeId: ROTATE, fields: { user_ids: [ann], overwrite_current_owner: 'true' } }]) }));
    const owned = await seedContact(h(), { email: 'owned@example.com', hubspot_owner_id: cy });
    await h().advance(0);
    expect((await props(h(), owned, 'hubspot_owner_id')).hubspot_owner_id).toBe(ann);
  });

  it('should give every one of twelve concurrent turns a different number when many workers rotate at once', async () => {
    const wf = await createFlow(h(), flow({ name: 'Counter', criteria: onContactCreated, actions: chain([setJobTitle('x')]) }));
    const db = h().sf.deps.db;
    const turns = await Promise.all(Array.from({ length: 12 }, () => db.transaction((tx) => takeRotationTurn(tx, Number(wf.id), '1', T0))));
    expect([...turns].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  });

  it('should answer 400 naming the action fields when no user is listed', async () => {
    const r = await h().api('POST', '/automation/v4/flows', flow({ criteria: onContactCreated, actions: chain([{ actionTypeId: ROTATE, fields: { user_ids: [] } }]) }));
    expect(r.status).toBe(400);
    expect(r.body.errors[0]).toMatchObject({ in: 'actions[0].fields', message: expect.stringContaining('user_ids') });
  });
});

describe.each(dialectCases)('rotate record to owner across a restart on $dialect', ({ create, skip }) => {
  it('should give the next contact the next user when the server is restarted mid-rotation', async (ctx) => {
    if (skip) return ctx.skip();
    const db = await create();
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'seqflow-rotation-'));
    const before = await startHarness({ url: db.url, drop: async () => undefined }, { dataDir });
    const ids: string[] = [];
    for (const name of ['ann', 'bob', 'cy']) ids.push((await seedSender(before, { email: `${name}@acme.test` })).userId);
    await createFlow(before, flow({ name: 'Round robin', criteria: onContactCreated, actions: chain([{ actionTypeId: ROTATE, fields: { user_ids: ids } }]) }));
    const first = await seedContact(before, { email: 'first@example.com' });
    await before.advance(0);
    await before.sf.close();

    const after = await startHarness(db, { dataDir });
    try {
      const second = await seedContact(after, { email: 'second@example.com' });
      await after.advance(0);
      expect((await props(after, first, 'hubspot_owner_id')).hubspot_owner_id).toBe(ids[0]);
      expect((await props(after, second, 'hubspot_owner_id')).hubspot_owner_id).toBe(ids[1]);
    } finally {
      await after.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

suite('copy property', (h) => {
  const copyFlow = (fields: Record<string, unknown>) => createFlow(h(), flow({ name: 'Copy', criteria: onContactCreated, actions: chain([{ actionTypeId: COPY, fields }]) }));

  it('should copy the contact property to the other property when the source has a value', async () => {
    await defineContactProperty(h(), 'nickname', 'string', 'text');
    const wf = await copyFlow({ source_property: 'firstname', target_property: 'nickname' });
    const id = await seedContact(h(), { email: 'kim@example.com', firstname: 'Kim' });
    await h().advance(0);
    expect((await props(h(), id, 'nickname')).nickname).toBe('Kim');
    expect((await log(h(), wf.id, id))[0]).toMatchObject({ status: 'EXECUTED', reasonText: 'Copied firstname ("Kim") to nickname.' });
  });

  it("should copy the property when a HubSpot flow sets a property to another property's value (0-5 with OBJECT_PROPERTY)", async () => {
    const wf = await createFlow(h(), flow({ name: 'HubSpot copy', criteria: onContactCreated, actions: chain([{ actionTypeId: SET_PROPERTY, fields: { property_name: 'jobtitle', value: { type: 'OBJECT_PROPERTY', propertyName: 'lastname' } } }]) }));
    const id = await seedContact(h(), { email: 'lee@example.com', lastname: 'Lee' });
    await h().advance(0);
    expect((await props(h(), id, 'jobtitle')).jobtitle).toBe('Lee');
    expect((await log(h(), wf.id, id))[0]).toMatchObject({ status: 'EXECUTED', reasonText: 'Copied lastname ("Lee") to jobtitle.' });
  });

  it('should skip with the reason when the source has no value', async () => {
    await defineContactProperty(h(), 'nickname', 'string', 'text');
    const wf = await copyFlow({ source_property: 'firstname', target_property: 'nickname' });
    const id = await seedContact(h(), { email: 'anon@example.com' });
    await h().advance(0);
    expect((await log(h(), wf.id, id))[0]).toMatchObject({ status: 'SKIPPED', reasonCode: 'SOURCE_VALUE_EMPTY', reasonText: "Skipped: the contact's firstname has no value." });
    expect((await props(h(), id, 'nickname')).nickname ?? null).toBeNull();
  });

  it("should copy the primary company's property when the source is the associated company", async () => {
    const wf = await copyFlow({ source_object_type_id: '0-2', source_property: 'industry', target_property: 'industry' });
    const lone = await seedContact(h(), { email: 'lone@example.com' });
    const id = await seedContact(h(), { email: 'dana@globex.example' });
    const company = await h().api('POST', '/crm/v3/objects/companies', {
      properties: { name: 'Globex', industry: 'Manufacturing' },
      associations: [{ to: { id }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 280 }] }],
    });
    expect(company.status, JSON.stringify(company.body)).toBe(201);
    await h().advance(0);
    expect((await props(h(), id, 'industry')).industry).toBe('Manufacturing');
    expect((await log(h(), wf.id, lone))[0]).toMatchObject({ status: 'SKIPPED', reasonCode: 'NO_ASSOCIATED_COMPANY' });
  });

  it('should fail the action with the reason when a number is copied into a date property', async () => {
    await defineContactProperty(h(), 'seats', 'number', 'number');
    await defineContactProperty(h(), 'renewal_date', 'date', 'date');
    const wf = await copyFlow({ source_property: 'seats', target_property: 'renewal_date' });
    const id = await seedContact(h(), { email: 'n@example.com', seats: '12' });
    await h().advance(0);
    expect((await log(h(), wf.id, id))[0]).toMatchObject({ status: 'FAILED', reasonCode: 'PROPERTY_TYPES_INCOMPATIBLE' });
    expect((await props(h(), id, 'renewal_date')).renewal_date ?? null).toBeNull();
  });
});

suite('branch on the outcome of the previous action', (h) => {
  it('should take the EXECUTED path for a new contact and the SKIPPED path for one already in a sequence', async () => {
    const rep = await seedSender(h());
    const sequenceId = await seedSequence(h(), rep.userId);
    const actions = [
      { type: 'SINGLE_CONNECTION', actionId: '1', actionTypeId: ENROLL, actionTypeVersion: 0, fields: { sequenceId, senderType: 'SPECIFIC_USER', userId: rep.userId, senderEmail: rep.email }, connection: { edgeType: 'STANDARD', nextActionId: '2' } },
      {
        type: 'STATIC_BRANCH',
        actionId: '2',
        inputValue: { type: 'FIELD_DATA', actionId: '1', dataKey: 'hs_action_status' },
        staticBranches: [
          { branchValue: 'EXECUTED', connection: { edgeType: 'STANDARD', nextActionId: '3' } },
          { branchValue: 'SKIPPED', connection: { edgeType: 'STANDARD', nextActionId: '4' } },
        ],
        defaultBranchName: 'Failed',
      },
      { type: 'SINGLE_CONNECTION', actionId: '3', actionTypeId: SET_PROPERTY, actionTypeVersion: 0, fields: setJobTitle('Enrolled').fields },
      { type: 'SINGLE_CONNECTION', actionId: '4', actionTypeId: CREATE_TASK, actionTypeVersion: 0, fields: { subject: 'Already in a sequence', userId: rep.userId } },
    ];
    const wf = await createFlow(h(), flow({ name: 'Enroll or task', criteria: onContactCreated, actions: actions as never }));
    expect(wf.actions[1].inputValue).toEqual({ type: 'FIELD_DATA', actionId: '1', dataKey: 'hs_action_status' });

    const fresh = await seedContact(h(), { email: 'fresh@example.com' });
    const busy = await seedContact(h(), { email: 'busy@example.com' });
    const enrolled = await h().api('POST', `/automation/v4/sequences/enrollments?userId=${rep.userId}`, { contactId: busy, sequenceId, senderEmail: rep.email });
    expect(enrolled.status, JSON.stringify(enrolled.body)).toBe(200);
    await h().advance(0);

    expect((await log(h(), wf.id, fresh)).map((e) => [e.actionId, e.status, e.reasonText])).toEqual([
      ['1', 'EXECUTED', expect.stringContaining('Enrolled the contact')],
      ['2', 'EXECUTED', 'Took the branch "EXECUTED".'],
      ['3', 'EXECUTED', 'Set jobtitle to "Enrolled".'],
    ]);
    expect((await log(h(), wf.id, busy)).map((e) => [e.actionId, e.status, e.reasonCode ?? null])).toEqual([
      ['1', 'SKIPPED', 'ALREADY_ENROLLED'],
      ['2', 'EXECUTED', null],
      ['4', 'EXECUTED', null],
    ]);
    expect((await props(h(), fresh, 'jobtitle')).jobtitle).toBe('Enrolled');
    expect((await props(h(), busy, 'jobtitle')).jobtitle ?? null).toBeNull();
    const tasks = (await h().api('GET', '/crm/v3/objects/tasks?properties=hs_task_subject&associations=contacts')).body.results;
    expect(tasks.map((t: any) => [t.properties.hs_task_subject, t.associations?.contacts?.results?.[0]?.id])).toEqual([['Already in a sequence', busy]]);
  });

  it('should answer 400 naming the branch value when an outcome branch names no status', async () => {
    const body = flow({ criteria: onContactCreated, actions: chain([setJobTitle('x')]) });
    const actions = [
      { ...body.actions[0], connection: { edgeType: 'STANDARD', nextActionId: '2' } },
      { type: 'STATIC_BRANCH', actionId: '2', inputValue: { type: 'FIELD_DATA', actionId: '1', dataKey: 'hs_action_status' }, staticBranches: [{ branchValue: 'DONE' }] },
    ];
    const r = await h().api('POST', '/automation/v4/flows', { ...body, actions });
    expect(r.status).toBe(400);
    expect(r.body.errors[0].in).toBe('actions[1].staticBranches[0].branchValue');
  });
});
