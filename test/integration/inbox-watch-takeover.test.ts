import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Seqflow } from '../../src/server.js';
import { createUser } from '../../src/services/users.js';
import { connectInbox } from '../../src/services/inboxes.js';
import { freshPostgres, postgresAvailable, type TestDatabase } from '../support/databases.js';
import { dovecotAvailable, startDovecot, type Dovecot } from '../support/dovecot.js';
import { eventually, runCli, type CliProcess, startApiOnly } from '../support/processes.js';

describe.skipIf(!postgresAvailable || !dovecotAvailable)('inbox watching across worker processes on postgres', () => {
  let db: TestDatabase;
  let dovecot: Dovecot;
  let api: Seqflow;
  const workers: CliProcess[] = [];
  beforeEach(async () => {
    db = await freshPostgres();
    dovecot = await startDovecot();
    dovecot.addUser('rep@acme.test', 'secret');
    api = await startApiOnly(db);
  });
  afterEach(async () => {
    for (const w of workers.splice(0)) await w.kill('SIGKILL');
    await api?.close();
    await dovecot?.stop();
    await db?.drop();
  });

  const WATCH_LEASE_MS = 2000;
  const lease = () => api.db.kysely.selectFrom('inbox_watch').select(['lease_owner', 'lease_until']).executeTakeFirst();
  const holder = async () => (await lease())?.lease_owner ?? null;
  const startWorker = async () => {
    const w = runCli(['worker', '--database', db.url!, '--watch-lease-ms', String(WATCH_LEASE_MS)]);
    workers.push(w);
    await w.waitFor(/Seqflow worker (\S+)/);
    return { w, id: /Seqflow worker (\S+)/.exec(w.output())![1] };
  };

  it('should let exactly one worker watch an inbox, and another take over when it dies', async () => {
    const user = await createUser(api.deps, { email: 'rep@acme.test', firstName: 'R', lastName: 'R', seat: 'sales_professional', timezone: 'UTC', role: 'user' });
    await connectInbox(api.deps, user.id, {
      address: 'rep@acme.test',
      aliases: [],
      provider: 'imap',
      smtp: { host: '127.0.0.1', port: 9 },
      imap: { host: dovecot.host, port: dovecot.port, auth: { user: 'rep@acme.test', pass: 'secret' } },
    });
    const a = await startWorker();
    const b = await startWorker();
    const first = await eventually(holder);
    expect([a.id, b.id]).toContain(first);
    // It stays with one holder while both live: watch until the holder has renewed the lease after
    // the moment its first claim would have run out (the other worker tries to claim it all along),
    // and find it with the same holder at every look.
    const firstUntil = Number((await lease())!.lease_until);
    await eventually(async () => {
      const now = await lease();
      expect(now?.lease_owner).toBe(first);
      return Number(now!.lease_until) >= firstUntil + WATCH_LEASE_MS;
    }, 15_000);

    const [dead, survivor] = first === a.id ? [a, b] : [b, a];
    await dead.w.kill('SIGKILL');
    expect(await eventually(async () => ((await holder()) === survivor.id ? survivor.id : null), 15_000)).toBe(survivor.id);

    // The survivor processes new mail.
    const raw = await new MailComposer({ from: 'x@example.com', to: 'rep@acme.test', subject: 'after takeover', text: 'hi' }).compile().build();
    await dovecot.deliver('rep@acme.test', 'secret', raw);
    await eventually(async () => (await api.db.kysely.selectFrom('inbound_messages').selectAll().execute()).length === 1, 15_000);
  });
});
