import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { binaryGarbage, deeplyNested, hugeHeader, manyParts } from '../../test/support/hostile-mail.js';
import type { Inbox } from '../domain/glossary.js';
import { INBOUND_LIMITS } from '../domain/inbound-limits.js';
import { DEFAULT_SEAT_POLICY } from '../domain/seats.js';
import { createFakeClock } from '../engine/clock.js';
import { createSmtpSender } from '../mail/smtp-sender.js';
import { openDatabase, type Database } from '../store/database.js';
import { insertInbox } from '../store/inboxes.js';
import { migrateToLatest } from '../store/migrate.js';
import { insertUser } from '../store/users.js';
import type { Deps } from './deps.js';
import { DEFAULT_MAIL_HOST_POLICY } from '../mail/host-policy.js';
import { defaultSettings } from '../config/config.js';
import { createSecretBox, newSecretKey, parseSecretKey } from './secret-box.js';
import { createTemplateRenderer } from '../engine/template-renderer.js';
import { handleInboundMessage } from './handle-inbound-message.js';
import { createMetrics } from './metrics.js';
import { inboxQuarantineSummary, listInboxQuarantine, quarantinedRaw } from './inbound-quarantine.js';

// A parser that throws on a marked message: the one failure no size check can foresee.
vi.mock('mailparser', async (importOriginal) => {
  const real = await importOriginal<typeof import('mailparser')>();
  const simpleParser = (async (input: Parameters<typeof real.simpleParser>[0], options?: Parameters<typeof real.simpleParser>[1]) => {
    if (Buffer.isBuffer(input) && input.includes('X-Test-Parser: explode')) throw new Error('parser exploded');
    return real.simpleParser(input, options);
  }) as typeof real.simpleParser;
  return { ...real, simpleParser };
});

const T0 = Date.parse('2026-03-02T14:00:00.000Z');

const plain = (id: string, extra = '') =>
  Buffer.from(`From: lena@example.com\r\nTo: rep@acme.test\r\nSubject: Hello\r\nMessage-ID: <${id}@example.com>\r\nDate: Mon, 02 Mar 2026 14:00:00 +0000\r\n${extra}\r\nJust saying hi.\r\n`);

describe('handleInboundMessage with messages it cannot read', () => {
  let db: Database;
  let deps: Deps;
  let inbox: Inbox;
  beforeEach(async () => {
    db = openDatabase({ sqliteFile: ':memory:' });
    await migrateToLatest(db);
    const clock = createFakeClock(T0);
    deps = {
      db,
      clock,
      config: { seatPolicy: DEFAULT_SEAT_POLICY, accountTimeZone: 'UTC', publicUrl: 'http://localhost', unsubscribeSecret: 's', devSmtp: null, portalId: '1', formSubmissionsPer10s: 100, mailHosts: DEFAULT_MAIL_HOST_POLICY, apiRateLimits: { per10s: 190, searchPer1s: 4 }, replyDetectionAlarmMs: 0, replyDetectionCheckMs: 30_000, healthBacklogMs: 300_000 },
      log: pino({ level: 'silent' }),
      smtp: createSmtpSender(),
      secrets: createSecretBox(parseSecretKey(newSecretKey())),
      // Never used here (inbound mail renders no template); it starts no thread until asked to.
      renderer: createTemplateRenderer(),
      settings: defaultSettings(),
      metrics: createMetrics({ processMetrics: false }),
    };
    const user = await insertUser(db.kysely, { email: 'rep@acme.test', firstName: 'Rita', lastName: 'Rep', role: 'user', seat: 'sales_professional', timezone: 'UTC' }, T0);
    inbox = await insertInbox(
      db.kysely,
      { userId: user.id, address: 'rep@acme.test', aliases: [], provider: 'dev', smtp: null, imap: null, status: 'connected', dailyLimit: 400, perMinuteLimit: 10 },
      T0,
    );
  });
  afterEach(async () => {
    await deps.smtp.close();
    await db.close();
  });

  const quarantine = async () => (await listInboxQuarantine(deps, inbox.id, { after: 0, limit: 100 })).results;

  it('should quarantine with TOO_MANY_PARTS and not throw when a message has 2,000 MIME parts', async () => {
    const result = await handleInboundMessage(deps, inbox, manyParts('parts'), 'uid:1:1');
    expect(result.quarantined).toBe('TOO_MANY_PARTS');
    const [entry] = await quarantine();
    expect(entry).toMatchObject({ reason: 'TOO_MANY_PARTS', messageKey: '<parts@attacker.example>', attempts: 1, from: 'mallory@attacker.example', subject: 'Hostile parts' });
    // Its headers were readable: they were classified (as nothing of ours), not ignored.
    expect(entry.classifiedAs).toBe('other');
    expect(entry.detail).toMatch(/part/i);
  });

  it('should quarantine with HEADER_TOO_LARGE and keep only the first 256 KiB when the header block is 1 MB', async () => {
    const raw = hugeHeader('header');
    const result = await handleInboundMessage(deps, inbox, raw, 'uid:1:2');
    expect(result).toMatchObject({ kind: 'quarantined', quarantined: 'HEADER_TOO_LARGE' });
    const [entry] = await quarantine();
    expect(entry).toMatchObject({ reason: 'HEADER_TOO_LARGE', messageKey: 'uid:1:2', classifiedAs: null, size: raw.length });
    const kept = await quarantinedRaw(deps, inbox.id, entry.id);
    expect(kept.length).toBe(INBOUND_LIMITS.quarantinedRawBytes);
    expect(kept.equals(raw.subarray(0, INBOUND_LIMITS.quarantinedRawBytes))).toBe(true);
  });

  it('should quarantine with NOT_A_MESSAGE when the bytes are binary garbage', async () => {
    const result = await handleInboundMessage(deps, inbox, binaryGarbage('garbage'), 'uid:1:3');
    expect(result).toMatchObject({ kind: 'quarantined', quarantined: 'NOT_A_MESSAGE' });
    expect((await quarantine())[0]).toMatchObject({ reason: 'NOT_A_MESSAGE', messageKey: 'uid:1:3', messageId: null });
  });

  it('should quarantine with TOO_MANY_PARTS when multiparts nest 5,000 deep', async () => {
    const result = await handleInboundMessage(deps, inbox, deeplyNested('nested'), 'uid:1:4');
    expect(result.quarantined).toBe('TOO_MANY_PARTS');
    expect((await quarantine())[0]).toMatchObject({ reason: 'TOO_MANY_PARTS', messageKey: '<nested@attacker.example>' });
  });

  it('should process a multipart nested a few hundred deep like any other message when it stays under the part limit', async () => {
    const result = await handleInboundMessage(deps, inbox, deeplyNested('shallow', 300), 'uid:1:5');
    expect(result).toMatchObject({ kind: 'other' });
    expect(result.quarantined).toBeUndefined();
    expect(await quarantine()).toEqual([]);
  });

  it('should quarantine with UNPARSEABLE and not throw when the parser throws', async () => {
    const result = await handleInboundMessage(deps, inbox, plain('boom', 'X-Test-Parser: explode\r\n'), 'uid:1:6');
    expect(result).toMatchObject({ kind: 'quarantined', quarantined: 'UNPARSEABLE' });
    expect((await quarantine())[0]).toMatchObject({ reason: 'UNPARSEABLE', detail: expect.stringContaining('parser exploded') });
  });

  it('should classify from the headers and quarantine nothing when only the head of a message too large to read was fetched', async () => {
    const head = plain('big', 'Content-Type: multipart/mixed; boundary="b"\r\n').subarray(0, 400);
    const result = await handleInboundMessage(deps, inbox, head, 'uid:1:7', { size: 40 * 1024 * 1024, truncated: true });
    expect(result).toMatchObject({ kind: 'other' });
    expect(await quarantine()).toEqual([]);
  });

  it('should list a message once and not count it again when the same malformed message is read twice', async () => {
    await handleInboundMessage(deps, inbox, manyParts('again'), 'uid:1:8');
    await handleInboundMessage(deps, inbox, manyParts('again'), 'uid:1:8');
    const entries = await quarantine();
    expect(entries).toHaveLength(1);
    expect(entries[0].attempts).toBe(1);
  });

  it('should report the count and the latest reason when messages were quarantined', async () => {
    expect(await inboxQuarantineSummary(deps, inbox.id)).toEqual({ count: 0, latestReason: null, latestAt: null });
    await handleInboundMessage(deps, inbox, manyParts('first'), 'uid:1:9');
    await handleInboundMessage(deps, inbox, binaryGarbage('second'), 'uid:1:10');
    expect(await inboxQuarantineSummary(deps, inbox.id)).toMatchObject({ count: 2, latestReason: 'NOT_A_MESSAGE' });
    expect((await quarantine()).map((e) => e.reason)).toEqual(['NOT_A_MESSAGE', 'TOO_MANY_PARTS']);
  });

  it(`should quarantine with PROCESSING_FAILED after ${INBOUND_LIMITS.maxAttempts} attempts when processing keeps failing for a non-obvious reason`, async () => {
    const failing: Deps = { ...deps, db: { ...db, transaction: async () => Promise.reject(new Error('no such function: surprise')) } };
    for (let attempt = 1; attempt < INBOUND_LIMITS.maxAttempts; attempt++) {
      await expect(handleInboundMessage(failing, inbox, plain('stuck'), 'uid:1:11')).rejects.toThrow('surprise');
      expect(await quarantine()).toEqual([]);
    }
    const result = await handleInboundMessage(failing, inbox, plain('stuck'), 'uid:1:11');
    expect(result).toMatchObject({ kind: 'quarantined', quarantined: 'PROCESSING_FAILED' });
    expect((await quarantine())[0]).toMatchObject({ reason: 'PROCESSING_FAILED', attempts: INBOUND_LIMITS.maxAttempts, detail: expect.stringContaining('surprise'), messageKey: '<stuck@example.com>' });
    // Once quarantined it is skipped, not retried, when read again.
    expect((await handleInboundMessage(failing, inbox, plain('stuck'), 'uid:1:11')).kind).toBe('quarantined');
  });

  it('should rethrow and count no attempt when the database is unreachable', async () => {
    const down = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    const failing: Deps = { ...deps, db: { ...db, transaction: async () => Promise.reject(down) } };
    for (let i = 0; i < INBOUND_LIMITS.maxAttempts + 2; i++) await expect(handleInboundMessage(failing, inbox, plain('later'), 'uid:1:12')).rejects.toThrow('ECONNREFUSED');
    expect(await db.kysely.selectFrom('inbound_quarantine').selectAll().execute()).toEqual([]);
    expect((await handleInboundMessage(deps, inbox, plain('later'), 'uid:1:12')).kind).toBe('other');
  });
});
