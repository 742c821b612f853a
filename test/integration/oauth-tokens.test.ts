import { sql } from 'kysely';
/**
 * Tokens of OAuth inboxes: one refresh however many workers ask at once (with rotation and reuse
 * detection on, a second refresh with the old token would be refused and revoke the grant), and
 * no token text in the database or the logs.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { accessTokenFor, keepOAuthAlive } from '../../src/services/oauth-tokens.js';
import { dialectCases, type TestDatabase } from '../support/databases.js';
import { startSeqflow } from '../../src/server.js';
import { dovecotAvailable } from '../support/dovecot.js';
import { seedContact, seedSequence, startHarness, type Harness } from '../support/harness.js';
import { connectMailbox, startOAuthStack, type OAuthStack } from '../support/oauth-stack.js';

const ALICE = 'alice@example.test';

describe.each(dialectCases)('OAuth tokens on $dialect', ({ dialect, create, skip }) => {
  let stack: OAuthStack;
  let h: Harness;
  let userId: string;
  let logs: string[];
  let db: TestDatabase;

  beforeAll(async () => {
    if (skip || !dovecotAvailable) return;
    stack = await startOAuthStack({ rotateRefreshToken: true });
  });
  afterAll(async () => {
    await stack?.stop();
  });
  beforeEach(async (ctx) => {
    if (skip || !dovecotAvailable) return ctx.skip();
    stack.as.setAccessTokenTtl(120);
    logs = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, cb) {
        logs.push(chunk.toString());
        cb();
      },
    });
    db = await create();
    h = await startHarness(db, { settings: stack.settings(), inboxWatch: null, logger: pino({ level: 'trace' }, sink) });
    userId = (await h.api('POST', '/settings/v3/users/', { email: ALICE, firstName: 'Alice', lastName: 'Rep', seat: 'sales_professional', timezone: 'UTC' })).body.id;
  });
  afterEach(async () => {
    await h?.close();
  });

  it('should refresh exactly once, with the rotated refresh token saved, when workers of two Seqflow instances need a token at the same time', async () => {
    // Tokens live an hour, as real providers' do: a token refreshed by one caller is fresh for the
    // others (a 2-minute token would be inside the refresh margin, and every late caller would refresh it again).
    stack.as.setAccessTokenTtl(3600);
    const landed = await connectMailbox(h, stack, userId, ALICE);
    const inboxId = Number(landed.searchParams.get('inbox'));
    // The connection's token has expired while nothing was sending.
    await h.sf.db.kysely.updateTable('inbox_oauth').set({ access_expires_at: Date.now() - 60_000 }).where('inbox_id', '=', inboxId).execute();
    // A second Seqflow worker on the same database (its own connection pool), as a second process would be.
    const other = await startSeqflow({
      settings: stack.settings(),
      role: 'worker',
      dataDir: h.sf.deps.settings.dataDir,
      databaseUrl: db.url ?? '',
      devSmtpPort: null,
      inboxWatch: null,
      pollMs: 60_000,
      logger: pino({ level: 'silent' }),
    });
    const before = stack.as.refreshes;
    let got;
    try {
      got = await Promise.all(Array.from({ length: 8 }, (_, i) => accessTokenFor((i % 2 ? other : h.sf).deps, inboxId, { owner: `worker-${i}` })));
    } finally {
      await other.close();
    }
    expect(stack.as.refreshes).toBe(before + 1);
    expect(stack.as.refreshErrors).toEqual([]);
    expect(new Set(got.map((t) => t.accessToken)).size).toBe(1);
    expect(stack.as.refreshes).toBe(before + 1);
    // The rotated refresh token was saved: the next refresh works too.
    await accessTokenFor(h.sf.deps, inboxId, { owner: 'worker-0', force: true, seenVersion: got[0].version });
    expect(stack.as.refreshes).toBe(before + 2);
    expect(stack.as.refreshErrors).toEqual([]);
  });

  it('should refresh credentials nobody used for a week, once, when the keep-alive round runs', async () => {
    stack.as.setAccessTokenTtl(3600);
    const landed = await connectMailbox(h, stack, userId, ALICE);
    const inboxId = Number(landed.searchParams.get('inbox'));
    const before = stack.as.refreshes;
    expect(await keepOAuthAlive(h.sf.deps, 'keepalive-test')).toBe(0);
    // A week and a day without use.
    await h.sf.db.kysely.updateTable('inbox_oauth').set({ updated_at: Date.now() - 8 * 24 * 3_600_000 }).where('inbox_id', '=', inboxId).execute();
    expect(await keepOAuthAlive(h.sf.deps, 'keepalive-test')).toBe(1);
    expect(await keepOAuthAlive(h.sf.deps, 'keepalive-test')).toBe(0);
    expect(stack.as.refreshes).toBe(before + 1);
    expect(stack.as.refreshErrors).toEqual([]);
  });

  it('should keep every token out of the database and the logs after connecting, refreshing and sending', async () => {
    const landed = await connectMailbox(h, stack, userId, ALICE);
    const inboxId = Number(landed.searchParams.get('inbox'));
    const sequenceId = await seedSequence(h, userId);
    const contactId = await seedContact(h, { email: 'lena@example.com', firstname: 'Lena' });
    await h.api('POST', `/automation/v4/sequences/enrollments?userId=${userId}`, { contactId, sequenceId, senderEmail: ALICE });
    await h.advance(0);
    expect(stack.smtp.messages.some((m) => JSON.stringify(m.to).includes('lena@example.com'))).toBe(true);
    const row = await h.sf.db.kysely.selectFrom('inbox_oauth').selectAll().where('inbox_id', '=', inboxId).executeTakeFirstOrThrow();
    const secrets = [h.sf.deps.secrets.open(row.access_token!), h.sf.deps.secrets.open(row.refresh_token!)];
    await h.sf.db.kysely.selectFrom('inbox_oauth').select('inbox_id').execute();
    if (dialect === 'sqlite') {
      // The database files themselves, WAL included.
      const dataDir = h.sf.deps.settings.dataDir;
      const files = fs.readdirSync(dataDir).filter((f) => f.includes('sqlite') || f.endsWith('.db') || f.endsWith('-wal'));
      expect(files.length).toBeGreaterThan(0);
      for (const f of files) {
        const bytes = fs.readFileSync(path.join(dataDir, f)).toString('latin1');
        for (const s of secrets) expect(bytes.includes(s)).toBe(false);
      }
    } else {
      // Every row of every table, as text.
      const tables = await sql<{ tablename: string }>`select tablename from pg_tables where schemaname = current_schema()`.execute(h.sf.db.kysely);
      expect(tables.rows.length).toBeGreaterThan(10);
      for (const { tablename } of tables.rows) {
        const dump = await sql<{ t: string }>`select coalesce(string_agg(x::text, ' '), '') as t from ${sql.table(tablename)} x`.execute(h.sf.db.kysely);
        for (const s of secrets) expect(dump.rows[0].t.includes(s), tablename).toBe(false);
      }
    }
    const logText = logs.join('');
    expect(logText).toMatch(/OAuth access token refreshed/);
    for (const s of secrets) expect(logText.includes(s)).toBe(false);
  });
});
