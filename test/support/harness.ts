import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { startSeqflow, type Seqflow, type SeqflowOptions } from '../../src/server.js';
import type { TestDatabase } from './databases.js';
import { undocumented } from './documented-responses.js';

export const ADMIN_TOKEN = 'test-admin-token';
/** Monday 2026-03-02 09:00 in New York: inside the default send window. */
export const T0 = Date.parse('2026-03-02T14:00:00.000Z');

/**
 * A server on the real clock in a fresh data directory (SQLite unless `o` names a database), for
 * tests that talk to their own SMTP servers: no dev mail server, logs off, a short poll.
 */
export function startRealClockSeqflow(dirPrefix: string, o: Partial<SeqflowOptions> = {}): Promise<Seqflow> {
  return startSeqflow({
    port: 0,
    host: '127.0.0.1',
    dataDir: fs.mkdtempSync(path.join(os.tmpdir(), dirPrefix)),
    databaseUrl: '',
    devSmtpPort: null,
    adminToken: 'x',
    logger: pino({ level: 'silent' }),
    pollMs: 50,
    ...o,
  });
}

export interface Harness {
  sf: Seqflow;
  /** JSON over HTTP through Fastify's inject (no socket), authenticated as admin unless told otherwise. */
  api<T = any>(method: string, url: string, body?: unknown, opts?: { token?: string | null; headers?: Record<string, string> }): Promise<{ status: number; body: T; headers: Record<string, unknown> }>;
  advance(ms: number): Promise<void>;
  close(): Promise<void>;
}

export async function startHarness(db: TestDatabase, opts: Partial<SeqflowOptions> = {}): Promise<Harness> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'seqflow-test-'));
  const sf = await startSeqflow({
    port: 0,
    host: '127.0.0.1',
    dataDir,
    databaseUrl: db.url,
    fakeClockStart: T0,
    devSmtpPort: 0,
    adminToken: ADMIN_TOKEN,
    logger: pino({ level: process.env.SEQFLOW_TEST_LOG ?? 'silent' }),
    accountTimeZone: 'America/New_York',
    // The background loop would race the test's own clock moves; tests drive work explicitly.
    pollMs: 60_000,
    ...opts,
  });
  const api: Harness['api'] = async (method, url, body, o = {}) => {
    const token = o.token === undefined ? ADMIN_TOKEN : o.token;
    const res = await sf.app!.inject({
      method: method as 'GET',
      url,
      headers: { ...(token && { authorization: `Bearer ${token}` }), ...(body !== undefined && { 'content-type': 'application/json' }), ...o.headers },
      ...(body !== undefined && { payload: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = res.body;
    const parsed = text ? JSON.parse(text) : undefined;
    const problems = undocumented(method, url, res.statusCode, res.headers['content-type'] as string | undefined, parsed);
    if (problems.length) throw new Error(`The answer is not what the OpenAPI document says: fix the route or its schema in src/schemas.\n${problems.join('\n')}`);
    return { status: res.statusCode, body: parsed, headers: res.headers };
  };
  return {
    sf,
    api,
    async advance(ms) {
      const r = await api('POST', '/seqflow/v1/clock/advance', { ms });
      if (r.status !== 200) throw new Error(`advance failed: ${JSON.stringify(r.body)}`);
    },
    async close() {
      await sf.close();
      await db.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A sales rep with a seat and an inbox on the dev mail server, ready to send. */
export async function seedSender(h: Harness, o: { email?: string; seat?: string; dailyLimit?: number; perMinuteLimit?: number; timezone?: string; aliases?: string[] } = {}) {
  const email = o.email ?? 'rep@acme.test';
  const user = await h.api('POST', '/settings/v3/users/', {
    email,
    firstName: 'Rita',
    lastName: 'Rep',
    seat: o.seat ?? 'sales_professional',
    timezone: o.timezone ?? 'America/New_York',
  });
  if (user.status !== 201) throw new Error(JSON.stringify(user.body));
  const inbox = await h.api('POST', `/seqflow/v1/users/${user.body.id}/inboxes`, {
    address: email,
    aliases: o.aliases ?? [],
    provider: 'dev',
    ...(o.dailyLimit && { dailyLimit: o.dailyLimit }),
    ...(o.perMinuteLimit && { perMinuteLimit: o.perMinuteLimit }),
  });
  if (inbox.status !== 201) throw new Error(JSON.stringify(inbox.body));
  return { userId: user.body.id as string, inboxId: inbox.body.id as string, email };
}

export async function seedContact(h: Harness, properties: Record<string, string>) {
  const r = await h.api('POST', '/crm/v3/objects/contacts', { properties });
  if (r.status !== 201) throw new Error(JSON.stringify(r.body));
  return r.body.id as string;
}

export const DAY = 86_400_000;
export const HOUR = 3_600_000;
export const MINUTE = 60_000;

/** Three emails, three days apart, sent any time of day so tests need not mind the window. */
export async function seedSequence(h: Harness, userId: string, o: { settings?: Record<string, unknown>; steps?: unknown[] } = {}) {
  const r = await h.api('POST', '/seqflow/v1/sequences', {
    name: 'Inbound follow-up',
    userId,
    settings: { eligibleFollowUpDays: 'EVERYDAY', sendWindowStartMinute: 0, sendWindowEndMinute: 1440, ...o.settings },
    steps: o.steps ?? [
      { type: 'EMAIL', delayMillis: 0, subject: 'Hi {{ contact.firstname | default: "there" }}', body: '<p>Hello {{ contact.firstname | default: "there" }}, thanks for reaching out.</p>' },
      { type: 'EMAIL', delayMillis: 3 * DAY, subject: '', body: '<p>Following up.</p>' },
      { type: 'EMAIL', delayMillis: 3 * DAY, subject: '', body: '<p>Last note.</p>' },
    ],
  });
  if (r.status !== 201) throw new Error(JSON.stringify(r.body));
  return r.body.id as string;
}
