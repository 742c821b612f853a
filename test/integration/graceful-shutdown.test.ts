import { afterEach, describe, expect, it } from 'vitest';
import { startSmtpSink, type SmtpSink } from '../../src/mail/smtp-sink.js';
import type { Seqflow } from '../../src/server.js';
import { createContact } from '../../src/services/contacts.js';
import { enrollContact } from '../../src/services/enroll-contact.js';
import { connectInbox } from '../../src/services/inboxes.js';
import { createSequence } from '../../src/services/sequences.js';
import { createUser } from '../../src/services/users.js';
import { freshPostgres, postgresAvailable, type TestDatabase } from '../support/databases.js';
import { startRealClockSeqflow } from '../support/harness.js';
import { eventually, runCli, type CliProcess, startApiOnly } from '../support/processes.js';

const CONTACTS = 200;
const GRACE_MS = 15_000;

/**
 * SIGTERM — what systemd, Docker and Kubernetes send — in the middle of a drain: the worker stops
 * claiming, lets the sends it started finish, hands back what it had claimed but not started,
 * and exits 0. Nothing is left SENDING, so nothing ever becomes UNCERTAIN.
 */
describe.skipIf(!postgresAvailable)('graceful shutdown on postgres', () => {
  let db: TestDatabase | undefined;
  let sink: SmtpSink | undefined;
  let sf: Seqflow | undefined;
  const workers: CliProcess[] = [];
  afterEach(async () => {
    for (const w of workers.splice(0)) await w.kill('SIGKILL');
    await sf?.close();
    await sink?.close();
    await db?.drop();
  });

  it('should finish the sends under way, hand back the rest and exit 0 with nothing UNCERTAIN when a draining worker gets SIGTERM', async () => {
    db = await freshPostgres();
    // A server that takes its time: a drain of 200 emails lasts many seconds.
    sink = await startSmtpSink({ behaviour: () => 'slow', slowMs: 100 });
    sf = await startApiOnly(db);
    const deps = sf.deps;
    const user = await createUser(deps, { email: 'rep@acme.test', firstName: 'R', lastName: 'R', seat: 'sales_professional', timezone: 'UTC', role: 'user' });
    await connectInbox(deps, user.id, { address: 'rep@acme.test', aliases: [], provider: 'imap', smtp: { host: '127.0.0.1', port: sink.port }, imap: null, perMinuteLimit: 100_000 });
    const { sequence } = await createSequence(deps, {
      name: 'One email',
      userId: user.id,
      settings: { eligibleFollowUpDays: 'EVERYDAY', sendWindowStartMinute: 0, sendWindowEndMinute: 1440 },
      steps: [{ type: 'EMAIL', delayMillis: 0, subject: 'Hello {{ contact.firstname }}', body: '<p>Hi {{ contact.firstname }}</p>' }],
    });
    const enroll = async (i: number) => {
      const c = await createContact(deps, { email: `lead${i}@example.com`, firstname: `Lead${i}` });
      await enrollContact(deps, { contactId: c.id, sequenceId: sequence.id, senderUserId: user.id, senderEmail: 'rep@acme.test', source: 'API' });
    };
    for (let i = 0; i < CONTACTS; i += 25) await Promise.all(Array.from({ length: 25 }, (_, j) => enroll(i + j)));

    const first = runCli(['worker', '--database', db.url!, '--shutdown-grace-ms', String(GRACE_MS)]);
    workers.push(first);
    await first.waitFor(/Seqflow worker/);
    await eventually(async () => sink!.messages.length >= 30, 60_000, 20);

    const t0 = Date.now();
    first.child.kill('SIGTERM');
    const exit = await first.exit;
    const stopMs = Date.now() - t0;

    const k = sf.db.kysely;
    const sends = await k.selectFrom('sends').selectAll().execute();
    const enrollments = await k.selectFrom('enrollments').selectAll().execute();
    const sent = new Set(sends.filter((s) => s.status === 'SENT').map((s) => s.enrollment_id));
    const stillDue = enrollments.filter((e) => e.state === 'ACTIVE' && e.lease_owner === null && e.lease_until === null && e.next_due_at !== null && !sent.has(e.id));
    console.log(`[graceful shutdown] stopped in ${stopMs} ms after ${sent.size} of ${CONTACTS} sends; ${stillDue.length} handed back due; ${/Stopped: .*/.exec(first.output())?.[0]}`);

    expect(exit).toEqual({ code: 0, signal: null });
    expect(stopMs).toBeLessThan(GRACE_MS);
    expect(sends.filter((s) => s.status !== 'SENT')).toEqual([]);
    // Mid-drain: some were sent, the rest are due again for anyone, unclaimed.
    expect(sent.size).toBeGreaterThan(0);
    expect(stillDue.length).toBeGreaterThan(0);
    expect(sent.size + stillDue.length).toBe(CONTACTS);
    expect(sink.messages).toHaveLength(sent.size);

    // Another worker finishes the rest: every email once.
    const second = runCli(['worker', '--database', db.url!]);
    workers.push(second);
    await eventually(async () => (await k.selectFrom('sends').select('id').where('status', '=', 'SENT').execute()).length === CONTACTS, 90_000, 250);
    const all = await k.selectFrom('sends').selectAll().execute();
    expect(all.filter((s) => s.status !== 'SENT')).toEqual([]);
    expect(await k.selectFrom('tasks').selectAll().execute()).toEqual([]);
    const recipients = sink.messages.map((m) => m.to[0]);
    expect(recipients).toHaveLength(CONTACTS);
    expect(new Set(recipients).size).toBe(CONTACTS);
  }, 180_000);
});

describe('graceful shutdown bound', () => {
  let sink: SmtpSink | undefined;
  let sf: Seqflow | undefined;
  afterEach(async () => {
    await sf?.close({ graceMs: 0 });
    await sink?.close();
  });

  it('should return within the grace period and leave the send to its lease when the SMTP server never answers', async () => {
    sink = await startSmtpSink({ behaviour: () => 'hang' });
    sf = await startRealClockSeqflow('seqflow-graceful-');
    const deps = sf.deps;
    const user = await createUser(deps, { email: 'rep@acme.test', firstName: 'R', lastName: 'R', seat: 'sales_professional', timezone: 'UTC', role: 'user' });
    await connectInbox(deps, user.id, { address: 'rep@acme.test', aliases: [], provider: 'imap', smtp: { host: '127.0.0.1', port: sink.port }, imap: null });
    const { sequence } = await createSequence(deps, {
      name: 'One email',
      userId: user.id,
      settings: { eligibleFollowUpDays: 'EVERYDAY', sendWindowStartMinute: 0, sendWindowEndMinute: 1440 },
      steps: [{ type: 'EMAIL', delayMillis: 0, subject: 'Hello', body: '<p>Hi</p>' }],
    });
    const c = await createContact(deps, { email: 'lena@example.com' });
    await enrollContact(deps, { contactId: c.id, sequenceId: sequence.id, senderUserId: user.id, senderEmail: 'rep@acme.test', source: 'API' });
    // The message is on the server, which never answers: the send can only end by a timeout.
    await eventually(async () => (await deps.db.kysely.selectFrom('sends').select('status').executeTakeFirst())?.status === 'SENDING');

    const t0 = Date.now();
    const report = await sf.close({ graceMs: 300 });
    const ms = Date.now() - t0;
    expect(report).toEqual({ released: 0, abandoned: 1 });
    // The grace period, then at most the short cleanup of the pools.
    expect(ms).toBeGreaterThanOrEqual(300);
    expect(ms).toBeLessThan(5_000);
  });
});
