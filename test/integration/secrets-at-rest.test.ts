import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { SMTPServer } from 'smtp-server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSeqflow, type Seqflow } from '../../src/server.js';
import { newSecretKey } from '../../src/services/secret-box.js';
import { dialectCases, type TestDatabase } from '../support/databases.js';
import { seedContact, seedSequence } from '../support/harness.js';

const PASSWORD = 'Tr0ub4dor&3-smtp';
const IMAP_PASSWORD = 'c0rrect-h0rse-imap';

/** Everything the database holds, as a backup would: pg_dump, or the SQLite file and its WAL. */
function dump(db: TestDatabase, dataDir: string): string {
  if (db.url) return execFileSync('pg_dump', ['--no-owner', db.url], { maxBuffer: 256 * 1024 * 1024 }).toString('utf8');
  return ['seqflow.db', 'seqflow.db-wal']
    .map((f) => path.join(dataDir, f))
    .filter((f) => fs.existsSync(f))
    .map((f) => fs.readFileSync(f).toString('latin1'))
    .join('\n');
}

/** An SMTP server that insists on AUTH with one password, to prove the opened password is what is sent. */
async function authSmtp(): Promise<{ port: number; received: string[]; close(): Promise<void> }> {
  const received: string[] = [];
  const server = new SMTPServer({
    authOptional: false,
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onAuth(auth, _s, cb) {
      cb(auth.password === PASSWORD ? null : new Error('Invalid credentials'), auth.password === PASSWORD ? { user: auth.username } : undefined);
    },
    onData(stream, _s, cb) {
      let raw = '';
      stream.on('data', (d: Buffer) => (raw += d.toString()));
      stream.on('end', () => {
        received.push(raw);
        cb();
      });
    },
  });
  server.on('error', () => undefined);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.server.address() as { port: number }).port;
  return { port, received, close: () => new Promise<void>((r) => server.close(() => r())) };
}

describe.each(dialectCases)('secrets at rest on $dialect', ({ create, skip }) => {
  let db: TestDatabase;
  let dataDir: string;
  let sf: Seqflow | undefined;
  let smtp: Awaited<ReturnType<typeof authSmtp>>;
  beforeEach(async (ctx) => {
    if (skip) return ctx.skip();
    db = await create();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'seqflow-secrets-'));
    smtp = await authSmtp();
  });
  afterEach(async () => {
    await sf?.close();
    sf = undefined;
    await smtp?.close();
    await db?.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const start = async (secretKey: string, previous?: string) => {
    const before = process.env.SEQFLOW_SECRET_KEY_PREVIOUS;
    if (previous) process.env.SEQFLOW_SECRET_KEY_PREVIOUS = previous;
    try {
      return await startSeqflow({ port: 0, host: '127.0.0.1', dataDir, databaseUrl: db.url, fakeClockStart: Date.parse('2026-03-02T14:00:00Z'), devSmtpPort: 0, adminToken: 'x', logger: pino({ level: 'silent' }), secretKey, pollMs: 60_000 });
    } finally {
      if (before === undefined) delete process.env.SEQFLOW_SECRET_KEY_PREVIOUS;
      else process.env.SEQFLOW_SECRET_KEY_PREVIOUS = before;
    }
  };
  const api = async (method: string, url: string, body?: unknown) => {
    const r = await sf!.app!.inject({ method: method as 'POST', url, headers: { authorization: 'Bearer x', 'content-type': 'application/json' }, ...(body !== undefined && { payload: JSON.stringify(body) }) });
    return { status: r.statusCode, body: r.body ? r.json() : undefined };
  };
  const sendOne = async (email: string) => {
    const user = await api('GET', '/settings/v3/users/');
    const userId = user.body.results[0].id;
    const sequenceId = await seedSequence({ api } as never, userId);
    const contactId = await seedContact({ api } as never, { email, firstname: 'Lena' });
    const r = await api('POST', `/automation/v4/sequences/enrollments?userId=${userId}`, { contactId, sequenceId, senderEmail: 'rep@acme.test' });
    expect(r.status).toBe(200);
    await api('POST', '/seqflow/v1/clock/advance', { ms: 0 });
  };

  it('should keep no mailbox password or unsubscribe secret in a dump and still log in with them when an inbox is connected', async () => {
    sf = await start(newSecretKey());
    const user = await api('POST', '/settings/v3/users/', { email: 'rep@acme.test', firstName: 'Rita', lastName: 'Rep', seat: 'sales_professional', timezone: 'UTC' });
    const inbox = await api('POST', `/seqflow/v1/users/${user.body.id}/inboxes`, {
      address: 'rep@acme.test',
      provider: 'imap',
      smtp: { host: '127.0.0.1', port: smtp.port, auth: { user: 'rep', pass: PASSWORD } },
      imap: { host: '127.0.0.1', port: 9, auth: { user: 'rep', pass: IMAP_PASSWORD } },
    });
    expect(inbox.status).toBe(201);
    expect(JSON.stringify(inbox.body)).not.toContain(PASSWORD);
    await sendOne('lena@example.com');
    expect(smtp.received).toHaveLength(1);

    const unsubscribeSecret = sf.deps.config.unsubscribeSecret;
    await sf.close();
    sf = undefined;
    const backup = dump(db, dataDir);
    expect(backup).toContain('rep@acme.test');
    expect(backup).not.toContain(PASSWORD);
    expect(backup).not.toContain(IMAP_PASSWORD);
    expect(backup).not.toContain(unsubscribeSecret);
  });

  it('should seal what an older version stored in plaintext, re-seal under a rotated key, and refuse to start with a foreign key', async () => {
    const keyA = newSecretKey();
    sf = await start(keyA);
    const user = await api('POST', '/settings/v3/users/', { email: 'rep@acme.test', firstName: 'Rita', lastName: 'Rep', seat: 'sales_professional', timezone: 'UTC' });
    // As a version before sealing wrote them.
    const k = sf.db.kysely;
    await k
      .insertInto('inboxes')
      .values({
        user_id: Number(user.body.id),
        address: 'rep@acme.test',
        address_key: 'rep@acme.test',
        aliases: '[]',
        provider: 'imap',
        smtp: JSON.stringify({ host: '127.0.0.1', port: smtp.port, auth: { user: 'rep', pass: PASSWORD } }),
        imap: null,
        status: 'connected',
        daily_limit: 1000,
        per_minute_limit: 10,
        created_at: Date.now(),
        updated_at: Date.now(),
      })
      .execute();
    await k.updateTable('settings').set({ value: 'legacy-plain-unsubscribe-secret' }).where('key', '=', 'unsubscribe_secret').execute();
    await sf.close();

    sf = await start(keyA);
    expect(sf.deps.config.unsubscribeSecret).toBe('legacy-plain-unsubscribe-secret');
    await sf.close();
    sf = undefined;
    let backup = dump(db, dataDir);
    expect(backup).not.toContain(PASSWORD);
    expect(backup).not.toContain('legacy-plain-unsubscribe-secret');

    const keyB = newSecretKey();
    sf = await start(keyB, keyA);
    await sendOne('lena@example.com');
    expect(smtp.received).toHaveLength(1);
    await sf.close();
    sf = undefined;

    // Rotated: key B alone now opens everything; a server with neither key does not start.
    sf = await start(keyB);
    await sendOne('max@example.com');
    expect(smtp.received).toHaveLength(2);
    await sf.close();
    sf = undefined;
    await expect(start(newSecretKey())).rejects.toThrow(/sealed with another key.*SEQFLOW_SECRET_KEY/s);
    backup = dump(db, dataDir);
    expect(backup).not.toContain(PASSWORD);
  });
});
