import crypto from 'node:crypto';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dialectCases } from '../support/databases.js';
import { DAY, seedContact, seedSender, seedSequence, startHarness, type Harness } from '../support/harness.js';
import { chain, createFlow, ENROLL, flow, log, onContactCreated } from '../support/workflows.js';

const ZONES = ['America/New_York', 'America/Chicago', 'America/Los_Angeles'];
const CONTACTS = 300;

describe.each(dialectCases)('workflow forecast on $dialect', ({ create, skip, dialect }) => {
  let h: Harness;
  beforeEach(async (ctx) => {
    if (skip) return ctx.skip();
    // One lane: sends go in claim order, so which tied email a send limit holds back is the forecast's.
    h = await startHarness(await create(), { workerConcurrency: 1 });
  });
  afterEach(async () => h?.close());

  /** A sender whose daily limit (sequence limit 180) is below the contacts, three emails, a holiday and a short Tuesday. */
  async function setUp() {
    const rep = await seedSender(h, { dailyLimit: 200, perMinuteLimit: 1000 });
    // Thursday 2026-03-05 is a holiday of the account: BUSINESS_DAYS skips it.
    const holiday = await h.api('POST', '/seqflow/v1/holidays', { holidays: [{ date: '2026-03-05', name: 'Founders day' }] });
    expect(holiday.status).toBeLessThan(300);
    const seq = await h.api('POST', '/seqflow/v1/sequences', {
      name: 'Forecast me',
      userId: rep.userId,
      settings: {
        eligibleFollowUpDays: 'BUSINESS_DAYS',
        sendWindowStartMinute: 8 * 60,
        sendWindowEndMinute: 17 * 60,
        sendWindowsByWeekday: { TUESDAY: { startMinute: 10 * 60, endMinute: 16 * 60 } },
      },
      steps: [
        { type: 'EMAIL', delayMillis: DAY, subject: 'Hello', body: '<p>Hi there.</p>' },
        { type: 'EMAIL', delayMillis: DAY, subject: '', body: '<p>Following up.</p>' },
        { type: 'EMAIL', delayMillis: 2 * DAY, subject: '', body: '<p>Last note.</p>' },
      ],
    });
    expect(seq.status).toBe(201);
    for (let i = 0; i < CONTACTS; i += 100) {
      const inputs = Array.from({ length: Math.min(100, CONTACTS - i) }, (_, k) => ({
        properties: { email: `c${i + k}@example.com`, firstname: `C${i + k}`, timezone: ZONES[(i + k) % ZONES.length] },
      }));
      const r = await h.api('POST', '/crm/v3/objects/contacts/batch/create', { inputs });
      expect(r.status).toBe(201);
    }
    const wf = await createFlow(
      h,
      flow({
        name: 'Everyone',
        isEnabled: false,
        criteria: onContactCreated,
        actions: chain([{ actionTypeId: ENROLL, fields: { sequenceId: seq.body.id, senderType: 'SPECIFIC_USER', userId: rep.userId, shouldUseContactTimeZone: true } }]),
      }),
    );
    return { rep, wf };
  }

  /** Every table's row count and a hash of its rows, to show a forecast wrote nothing. */
  async function snapshot(): Promise<Record<string, string>> {
    const db = h.sf.db.kysely;
    const tables =
      dialect === 'postgres'
        ? (await sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE'`.execute(db)).rows
        : (await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`.execute(db)).rows;
    const out: Record<string, string> = {};
    for (const { name } of tables) {
      const rows = (await sql<Record<string, unknown>>`select * from ${sql.table(name)}`.execute(db)).rows;
      const lines = rows.map((r) => JSON.stringify(r, (_k, v) => (typeof v === 'bigint' ? String(v) : v))).sort();
      out[name] = `${rows.length}:${crypto.createHash('sha256').update(lines.join('\n')).digest('hex')}`;
    }
    return out;
  }

  /** Each SENT email of the forecast's contacts against its predicted time, to the minute. */
  async function compare(predicted: Map<string, string>) {
    const contacts = new Set([...predicted.keys()].map((k) => k.split('/')[0]));
    const rows = await h.sf.db.kysely
      .selectFrom('sends')
      .innerJoin('enrollments', 'enrollments.id', 'sends.enrollment_id')
      .select(['enrollments.contact_id as contactId', 'sends.step_order as stepOrder', 'sends.attempted_at as at', 'sends.status as status'])
      .execute();
    const sent = rows.filter((s) => contacts.has(String(s.contactId)));
    const minute = (t: number | string) => Math.floor(new Date(t).getTime() / 60_000);
    const mismatches: string[] = [];
    const actual = new Set<string>();
    for (const s of sent) {
      const key = `${s.contactId}/${s.stepOrder}`;
      actual.add(key);
      const p = predicted.get(key);
      if (s.status !== 'SENT') mismatches.push(`${key}: ${s.status}`);
      else if (!p) mismatches.push(`${key}: sent at ${new Date(Number(s.at)).toISOString()}, not predicted`);
      else if (minute(p) !== minute(Number(s.at))) mismatches.push(`${key}: predicted ${p}, sent ${new Date(Number(s.at)).toISOString()}`);
    }
    for (const key of predicted.keys()) if (!actual.has(key)) mismatches.push(`${key}: predicted ${predicted.get(key)}, never sent`);
    return { sent, mismatches };
  }

  const predictions = (body: any) => {
    const predicted = new Map<string, string>();
    for (const c of body.contacts) for (const a of c.actions) for (const s of a.steps ?? []) if (s.type === 'EMAIL') predicted.set(`${c.contactId}/${s.stepOrder}`, s.at);
    return predicted;
  };

  it('should predict every email of a few hundred contacts to the minute over 10 days when the flow is then turned on and run', { timeout: 240_000 }, async () => {
    const { wf } = await setUp();
    const before = await snapshot();
    const f = await h.api('POST', `/seqflow/v1/workflows/${wf.id}/forecast`, { days: 10 });
    expect(f.status).toBe(200);
    expect(await snapshot()).toEqual(before);
    expect(f.body.summary.contacts).toBe(CONTACTS);
    expect(f.body.summary.wouldEnroll).toBe(CONTACTS);

    const predicted = new Map<string, string>();
    let held = 0;
    for (const c of f.body.contacts) {
      for (const a of c.actions) for (const s of a.steps ?? []) {
        predicted.set(`${c.contactId}/${s.stepOrder}`, s.at);
        if (s.heldByLimit) held++;
      }
    }
    // The limit moves some emails to later days; the holiday and the short Tuesday move others.
    expect(held).toBeGreaterThan(0);

    const on = await h.api('PUT', `/automation/v4/flows/${wf.id}?enrollExisting=true&acknowledge=ENROLLS_MANY`, { ...(await h.api('GET', `/automation/v4/flows/${wf.id}`)).body, isEnabled: true });
    expect(on.status).toBe(200);
    await h.advance(10 * DAY);

    const { sent, mismatches } = await compare(predicted);
    expect(sent.length).toBeGreaterThan(2 * CONTACTS);
    expect(mismatches.slice(0, 20), `${mismatches.length} mismatches`).toEqual([]);
  });

  it('should predict each skip with the reason the run then logs when one contact is already enrolled and the sender has room for two more', async () => {
    // Sequence limit ⌊0.9 × 4⌋ = 3: the enrolled contact's first email and two more fill it.
    const rep = await seedSender(h, { dailyLimit: 4 });
    const sequenceId = await seedSequence(h, rep.userId);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(await seedContact(h, { email: `s${i}@example.com` }));
    const early = await h.api('POST', `/automation/v4/sequences/enrollments?userId=${rep.userId}`, { contactId: ids[0], sequenceId, senderEmail: rep.email });
    expect(early.status).toBe(200);
    const wf = await createFlow(
      h,
      flow({ name: 'Skips', isEnabled: false, criteria: onContactCreated, actions: chain([{ actionTypeId: ENROLL, fields: { sequenceId, senderType: 'SPECIFIC_USER', userId: rep.userId } }]) }),
    );
    const before = await snapshot();
    const f = await h.api('POST', `/seqflow/v1/workflows/${wf.id}/forecast`, {});
    expect(f.status).toBe(200);
    expect(await snapshot()).toEqual(before);
    expect(f.body.summary).toEqual({ contacts: 5, wouldEnroll: 2, skipped: { ALREADY_ENROLLED: 1, SEND_LIMIT_REACHED: 2 } });
    const forecast = Object.fromEntries(f.body.contacts.map((c: any) => [c.contactId, [c.actions[0].outcome === 'WOULD_EXECUTE' ? 'EXECUTED' : 'SKIPPED', c.actions[0].reasonCode ?? null]]));

    const on = await h.api('PUT', `/automation/v4/flows/${wf.id}?enrollExisting=true`, { ...(await h.api('GET', `/automation/v4/flows/${wf.id}`)).body, isEnabled: true });
    expect(on.status).toBe(200);
    await h.advance(0);
    const logged = Object.fromEntries((await log(h, wf.id)).map((e) => [e.contactId, [e.status, e.reasonCode ?? null]]));
    expect(logged).toEqual(forecast);
  });

  it('should hold back the forecast contacts whose emails meet the sender\'s running enrollments at a full daily limit, as the run then does', async () => {
    // Sequence limit 9. Five contacts already enrolled send now and follow up in a day, when the flow's six first emails fall due.
    const rep = await seedSender(h, { dailyLimit: 10 });
    const running = await seedSequence(h, rep.userId, { steps: [{ type: 'EMAIL', delayMillis: 0, subject: 'Hi', body: '<p>Hi</p>' }, { type: 'EMAIL', delayMillis: DAY, subject: '', body: '<p>Again</p>' }] });
    for (let i = 0; i < 5; i++) {
      const id = await seedContact(h, { email: `old${i}@example.com` });
      expect((await h.api('POST', `/automation/v4/sequences/enrollments?userId=${rep.userId}`, { contactId: id, sequenceId: running, senderEmail: rep.email })).status).toBe(200);
    }
    const later = await seedSequence(h, rep.userId, { steps: [{ type: 'EMAIL', delayMillis: DAY, subject: 'Hello', body: '<p>Hello</p>' }] });
    const ids: number[] = [];
    for (let i = 0; i < 6; i++) ids.push(Number(await seedContact(h, { email: `new${i}@example.com` })));
    const wf = await createFlow(
      h,
      flow({ name: 'Busy sender', isEnabled: false, criteria: onContactCreated, actions: chain([{ actionTypeId: ENROLL, fields: { sequenceId: later, senderType: 'SPECIFIC_USER', userId: rep.userId } }]) }),
    );
    const f = await h.api('POST', `/seqflow/v1/workflows/${wf.id}/forecast`, { days: 3, contactIds: ids });
    expect(f.status).toBe(200);
    expect(f.body.summary).toEqual({ contacts: 6, wouldEnroll: 6, skipped: {} });
    const held = f.body.contacts.filter((c: any) => c.actions[0].steps[0].heldByLimit).map((c: any) => c.email);
    expect(held).toEqual(['new4@example.com', 'new5@example.com']);

    const on = await h.api('PUT', `/automation/v4/flows/${wf.id}?enrollExisting=true`, { ...(await h.api('GET', `/automation/v4/flows/${wf.id}`)).body, isEnabled: true });
    expect(on.status).toBe(200);
    await h.advance(3 * DAY);
    const { sent, mismatches } = await compare(predictions(f.body));
    expect(sent).toHaveLength(6);
    expect(mismatches).toEqual([]);
  });

  it('should answer 400 naming the field when days is over 60 or contactIds has more than 1,000 ids', async () => {
    const { wf } = await setUp();
    const days = await h.api('POST', `/seqflow/v1/workflows/${wf.id}/forecast`, { days: 61 });
    expect(days.status).toBe(400);
    expect(JSON.stringify(days.body)).toContain('days');
    const ids = await h.api('POST', `/seqflow/v1/workflows/${wf.id}/forecast`, { contactIds: Array.from({ length: 1001 }, (_, i) => i + 1) });
    expect(ids.status).toBe(400);
    expect(JSON.stringify(ids.body)).toContain('contactIds');
  });
});
