import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkReplyDetection } from '../../src/services/reply-detection.js';
import { dialectCases } from '../support/databases.js';
import { DAY, HOUR, MINUTE, T0, seedContact, seedSender, seedSequence, startHarness, type Harness } from '../support/harness.js';

/**
 * The reply-detection alarm on both databases, with the watcher's sync times written directly
 * (they are wall-clock facts a live watcher records; test/integration/reply-detection-imap.test.ts
 * takes a real IMAP server down). The check runs every CHECK of the fake clock, as in production.
 */
const CHECK = 30_000;
const ALARM = 15 * MINUTE;

describe.each(dialectCases)('reply-detection alarm on $dialect', ({ create, skip }) => {
  let h: Harness;
  beforeEach(async (ctx) => {
    if (skip) return ctx.skip();
    // No IMAP watchers run: the test says when an inbox last synced.
    h = await startHarness(await create(), { inboxWatch: null, replyDetectionAlarmMs: ALARM, replyDetectionCheckMs: CHECK });
  });
  afterEach(async () => {
    await h?.close();
  });

  /** A rep whose inbox sends through the dev mail server and has IMAP settings (read by nobody here). */
  async function imapRep(email: string) {
    const user = await h.api('POST', '/settings/v3/users/', { email, firstName: 'Rita', lastName: 'Rep', seat: 'sales_professional', timezone: 'UTC' });
    const inbox = await h.api('POST', `/seqflow/v1/users/${user.body.id}/inboxes`, {
      address: email,
      provider: 'imap',
      smtp: { host: '127.0.0.1', port: h.sf.devMail!.port },
      imap: { host: '127.0.0.1', port: 9, auth: { user: email, pass: 'x' } },
    });
    expect(inbox.status).toBe(201);
    const sequenceId = await seedSequence(h, user.body.id);
    return { userId: user.body.id as string, inboxId: inbox.body.id as string, email, sequenceId };
  }
  async function enroll(rep: { userId: string; email: string; sequenceId: string }, contactEmail: string) {
    const contactId = await seedContact(h, { email: contactEmail, firstname: 'Lena' });
    const r = await h.api('POST', `/automation/v4/sequences/enrollments?userId=${rep.userId}`, { contactId, sequenceId: rep.sequenceId, senderEmail: rep.email });
    expect(r.status).toBe(200);
    return contactId;
  }
  /** Records that the inbox's watcher last read its mailbox to the end `ago` ms ago (wall clock). */
  async function syncedAgo(inboxId: string, ago: number) {
    const at = Date.now() - ago;
    await h.sf.db.kysely
      .insertInto('inbox_watch')
      .values({ inbox_id: Number(inboxId), last_sync_at: at, first_seen_at: at })
      .onConflict((oc) => oc.column('inbox_id').doUpdateSet({ last_sync_at: at }))
      .execute();
  }
  /** The watcher reads the mailbox to the end again, after the alarm was raised. */
  async function syncsAgain(inboxId: string) {
    const w = await h.sf.db.kysely.selectFrom('inbox_watch').select('alarm_since').where('inbox_id', '=', Number(inboxId)).executeTakeFirstOrThrow();
    const at = Math.max(Date.now(), (w.alarm_since ?? 0) + 1);
    await h.sf.db.kysely.updateTable('inbox_watch').set({ last_sync_at: at }).where('inbox_id', '=', Number(inboxId)).execute();
  }
  const enrollment = async (contactId: string) => (await h.api('GET', `/seqflow/v1/enrollments?contactId=${contactId}`)).body.results[0];
  const sentTo = async (email: string) => (await h.api('GET', `/seqflow/v1/dev-mail/messages?to=${encodeURIComponent(email)}`)).body.results as { receivedAt: string }[];
  const notifications = async (q = '') => (await h.api('GET', `/seqflow/v1/notifications${q}`)).body.results as any[];

  it('should pause only the enrollments sending from an inbox, and notify its sender and each admin once, when its watcher has been down past the threshold', async () => {
    const admin = await h.api('POST', '/settings/v3/users/', { email: 'boss@acme.test', firstName: 'Bea', lastName: 'Boss', role: 'admin' });
    const down = await imapRep('rita@acme.test');
    const healthy = await imapRep('hugo@acme.test');
    const dev = await seedSender(h, { email: 'dora@acme.test' });
    const devSequence = await seedSequence(h, dev.userId);
    const a = await enroll(down, 'anna@example.com');
    const b = await enroll(down, 'bert@example.com');
    const c = await enroll(healthy, 'cleo@example.com');
    const d = await seedContact(h, { email: 'dan@example.com' });
    expect((await h.api('POST', `/automation/v4/sequences/enrollments?userId=${dev.userId}`, { contactId: d, sequenceId: devSequence, senderEmail: dev.email })).status).toBe(200);
    await syncedAgo(down.inboxId, 0);
    await syncedAgo(healthy.inboxId, 0);
    await h.advance(0);
    expect(await sentTo('anna@example.com')).toHaveLength(1);

    await syncedAgo(down.inboxId, ALARM + MINUTE);
    await syncedAgo(healthy.inboxId, MINUTE);
    await h.advance(CHECK);
    expect(await enrollment(a)).toMatchObject({ state: 'PAUSED', reason: 'REPLY_DETECTION_DOWN' });
    expect(await enrollment(b)).toMatchObject({ state: 'PAUSED', reason: 'REPLY_DETECTION_DOWN' });
    expect((await enrollment(c)).state).toBe('ACTIVE');
    expect((await enrollment(d)).state).toBe('ACTIVE');

    // Later checks during the same outage notify nobody again.
    await h.advance(CHECK);
    await h.advance(CHECK);
    const sent = await notifications();
    expect(sent.map((n) => n.userId).sort()).toEqual([down.userId, admin.body.id].sort());
    for (const n of sent) {
      expect(n).toMatchObject({ kind: 'REPLY_DETECTION_DOWN', inboxId: down.inboxId, resolvedAt: null, subject: expect.stringContaining('rita@acme.test') });
      expect(n.body).toContain('2 enrollment(s)');
    }
    expect(await notifications(`?userId=${admin.body.id}&open=true`)).toHaveLength(1);

    const usage = (await h.api('GET', `/seqflow/v1/inboxes/${down.inboxId}/usage`)).body;
    expect(usage.replyDetection).toMatchObject({ status: 'paused', pausedEnrollments: 2, since: expect.any(String) });
    expect((await h.api('GET', `/seqflow/v1/inboxes/${healthy.inboxId}/usage`)).body.replyDetection).toMatchObject({ status: 'ok', pausedEnrollments: 0, since: null });
    const health = await h.api('GET', '/seqflow/v1/health', undefined, { token: null });
    expect(health.status).toBe(200);
    expect(health.body.status).toBe('degraded');
    expect(health.body.reasons).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ code: 'REPLY_DETECTION_DOWN', inboxId: down.inboxId }),
        expect.objectContaining({ code: 'WATCHER_STALE', inboxId: down.inboxId }),
      ]),
    );
    expect(health.body.reasons.filter((r: { inboxId?: string }) => r.inboxId === healthy.inboxId)).toEqual([]);
    const metrics = (await h.sf.app!.inject({ method: 'GET', url: '/metrics', headers: { authorization: 'Bearer test-admin-token' } })).body;
    expect(metrics).toContain(`seqflow_reply_detection_down{inbox_id="${down.inboxId}"} 1`);
    expect(metrics).toContain(`seqflow_reply_detection_down{inbox_id="${healthy.inboxId}"} 0`);

    // Days pass: the held contacts get nothing, the others their follow-up.
    await h.advance(3 * DAY + HOUR);
    expect(await sentTo('anna@example.com')).toHaveLength(1);
    expect(await sentTo('bert@example.com')).toHaveLength(1);
    expect(await sentTo('cleo@example.com')).toHaveLength(2);
    expect(await sentTo('dan@example.com')).toHaveLength(2);
  });

  it('should resume the held enrollments with their remaining delay and resolve the notifications when the watcher syncs again', async () => {
    const rep = await imapRep('rita@acme.test');
    const a = await enroll(rep, 'anna@example.com');
    await syncedAgo(rep.inboxId, 0);
    await h.advance(0);
    expect(await sentTo('anna@example.com')).toHaveLength(1);
    await h.advance(DAY);

    // Down at T0 + 1 day + 30 s: 2 days minus 30 s remained before the follow-up (due T0 + 3 days).
    await syncedAgo(rep.inboxId, ALARM + MINUTE);
    await h.advance(CHECK);
    expect(await enrollment(a)).toMatchObject({ state: 'PAUSED', reason: 'REPLY_DETECTION_DOWN' });
    await h.advance(2 * DAY);
    expect(await sentTo('anna@example.com')).toHaveLength(1);

    // Back at T0 + 3 days + 60 s: the follow-up is due 2 days minus 30 s later.
    await syncsAgain(rep.inboxId);
    await h.advance(CHECK);
    const resumed = await enrollment(a);
    expect(resumed).toMatchObject({ state: 'ACTIVE', nextDueAt: new Date(T0 + 5 * DAY + 30_000).toISOString() });
    expect(resumed.reason).toBeUndefined();
    await h.advance(2 * DAY - 2 * MINUTE);
    expect(await sentTo('anna@example.com')).toHaveLength(1);
    await h.advance(2 * MINUTE);
    const mail = await sentTo('anna@example.com');
    expect(mail).toHaveLength(2);
    expect(mail.map((m) => m.receivedAt)).toContain(new Date(T0 + 5 * DAY + 30_000).toISOString());

    const [n] = await notifications();
    expect(n).toMatchObject({ resolvedAt: new Date(T0 + 3 * DAY + 60_000).toISOString(), resolution: expect.stringContaining('1 enrollment(s) resumed') });
    expect((await h.api('GET', `/seqflow/v1/inboxes/${rep.inboxId}/usage`)).body.replyDetection).toMatchObject({ status: 'ok', pausedEnrollments: 0 });
    const timeline = await h.sf.db.kysely.selectFrom('events').select(['type', 'data']).where('contact_id', '=', Number(a)).where('type', 'in', ['SEQUENCE_PAUSED', 'SEQUENCE_RESUMED']).orderBy('id').execute();
    expect(timeline.map((e) => [e.type, JSON.parse(e.data).reason])).toEqual([
      ['SEQUENCE_PAUSED', 'REPLY_DETECTION_DOWN'],
      ['SEQUENCE_RESUMED', 'REPLY_DETECTION_DOWN'],
    ]);
  });

  it('should leave an enrollment as a person left it when they paused it before, or resumed it during, an outage', async () => {
    const rep = await imapRep('rita@acme.test');
    const pausedByHand = await enroll(rep, 'anna@example.com');
    const held = await enroll(rep, 'bert@example.com');
    const resumedByHand = await enroll(rep, 'cleo@example.com');
    await syncedAgo(rep.inboxId, 0);
    await h.advance(0);
    const idOf = async (contactId: string) => (await enrollment(contactId)).id as string;
    expect((await h.api('POST', `/seqflow/v1/enrollments/${await idOf(pausedByHand)}/pause`)).status).toBe(200);

    await syncedAgo(rep.inboxId, ALARM + MINUTE);
    await h.advance(CHECK);
    expect(await enrollment(pausedByHand)).toMatchObject({ state: 'PAUSED', reason: 'MANUAL' });
    expect(await enrollment(held)).toMatchObject({ state: 'PAUSED', reason: 'REPLY_DETECTION_DOWN' });
    // The person decides this one may send anyway: the alarm does not take it back.
    expect((await h.api('POST', `/seqflow/v1/enrollments/${await idOf(resumedByHand)}/resume`)).status).toBe(200);
    await h.advance(CHECK);
    expect((await enrollment(resumedByHand)).state).toBe('ACTIVE');

    await syncsAgain(rep.inboxId);
    await h.advance(CHECK);
    expect(await enrollment(pausedByHand)).toMatchObject({ state: 'PAUSED', reason: 'MANUAL' });
    expect((await enrollment(held)).state).toBe('ACTIVE');
    expect((await enrollment(resumedByHand)).state).toBe('ACTIVE');
    const [n] = await notifications();
    expect(n.resolution).toContain('1 enrollment(s) resumed');
  });

  it('should enroll a contact paused when its inbox’s replies cannot be read, and send once they can', async () => {
    const rep = await imapRep('rita@acme.test');
    await syncedAgo(rep.inboxId, ALARM + MINUTE);
    await h.advance(CHECK);
    const late = await enroll(rep, 'lena@example.com');
    expect(await enrollment(late)).toMatchObject({ state: 'PAUSED', reason: 'REPLY_DETECTION_DOWN' });
    await h.advance(HOUR);
    expect(await sentTo('lena@example.com')).toHaveLength(0);

    await syncsAgain(rep.inboxId);
    await h.advance(CHECK);
    expect(await sentTo('lena@example.com')).toHaveLength(1);
    expect((await enrollment(late)).state).toBe('ACTIVE');
  });

  it('should raise the alarm for an inbox whose watcher never synced once it has been watched past the threshold', async () => {
    const never = await imapRep('rita@acme.test');
    const fresh = await imapRep('hugo@acme.test');
    const a = await enroll(never, 'anna@example.com');
    const b = await enroll(fresh, 'bert@example.com');
    // The background check may have noted the inbox already: either way it has been watched since then.
    const since = Date.now() - ALARM - MINUTE;
    await h.sf.db.kysely
      .insertInto('inbox_watch')
      .values({ inbox_id: Number(never.inboxId), first_seen_at: since })
      .onConflict((oc) => oc.column('inbox_id').doUpdateSet({ first_seen_at: since }))
      .execute();
    // `fresh` has no watch row yet: the check notes when it first saw it, and waits the threshold from there.
    await h.advance(CHECK);
    expect(await enrollment(a)).toMatchObject({ state: 'PAUSED', reason: 'REPLY_DETECTION_DOWN' });
    expect((await enrollment(b)).state).toBe('ACTIVE');
    const w = await h.sf.db.kysely.selectFrom('inbox_watch').select('first_seen_at').where('inbox_id', '=', Number(fresh.inboxId)).executeTakeFirstOrThrow();
    expect(Date.now() - Number(w.first_seen_at)).toBeLessThan(MINUTE);
    expect((await notifications()).map((n) => n.inboxId)).toEqual([never.inboxId]);
  });

  it('should pause once and notify each person once when several workers check the same outage at once', async () => {
    const rep = await imapRep('rita@acme.test');
    const a = await enroll(rep, 'anna@example.com');
    await syncedAgo(rep.inboxId, ALARM + MINUTE);
    const wallNow = Date.now();
    const checks = await Promise.all([1, 2, 3, 4].map(() => checkReplyDetection(h.sf.deps, wallNow)));
    expect(checks.flatMap((c) => c.raised)).toEqual([Number(rep.inboxId)]);
    expect(await enrollment(a)).toMatchObject({ state: 'PAUSED', reason: 'REPLY_DETECTION_DOWN' });
    expect(await notifications()).toHaveLength(1);
    const paused = await h.sf.db.kysely.selectFrom('events').select('id').where('type', '=', 'SEQUENCE_PAUSED').execute();
    expect(paused).toHaveLength(1);

    await syncsAgain(rep.inboxId);
    const recoveries = await Promise.all([1, 2, 3, 4].map(() => checkReplyDetection(h.sf.deps, Date.now())));
    expect(recoveries.flatMap((c) => c.cleared)).toEqual([Number(rep.inboxId)]);
    expect(recoveries.reduce((n, c) => n + c.resumed, 0)).toBe(1);
    expect((await enrollment(a)).state).toBe('ACTIVE');
  });
});
