import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSmtpSink, type SmtpSink } from '../../src/mail/smtp-sink.js';
import type { Seqflow } from '../../src/server.js';
import { enrollContact } from '../../src/services/enroll-contact.js';
import { createContact } from '../../src/services/contacts.js';
import { createSequence } from '../../src/services/sequences.js';
import { createUser } from '../../src/services/users.js';
import { connectInbox } from '../../src/services/inboxes.js';
import { dialectCases, postgresAvailable, freshPostgres, type TestDatabase } from '../support/databases.js';
import { eventually, runCli, type CliProcess, startApiOnly } from '../support/processes.js';
import { chain, ENROLL, flow, onFormSubmitted } from '../support/workflows.js';

/** An API-only Seqflow on the real clock, plus a sender whose inbox sends to a sink. */
async function setup(db: TestDatabase, sink: SmtpSink, opts: { perMinuteLimit?: number } = {}) {
  const sf = await startApiOnly(db, { formSubmissionsPer10s: 100_000 });
  const user = await createUser(sf.deps, { email: 'rep@acme.test', firstName: 'R', lastName: 'R', seat: 'sales_professional', timezone: 'UTC', role: 'user' });
  await connectInbox(sf.deps, user.id, {
    address: 'rep@acme.test',
    aliases: [],
    provider: 'imap',
    smtp: { host: '127.0.0.1', port: sink.port },
    imap: null,
    perMinuteLimit: opts.perMinuteLimit ?? 1000,
  });
  const { sequence } = await createSequence(sf.deps, {
    name: 'One email',
    userId: user.id,
    settings: { eligibleFollowUpDays: 'EVERYDAY', sendWindowStartMinute: 0, sendWindowEndMinute: 1440 },
    steps: [{ type: 'EMAIL', delayMillis: 0, subject: 'Hello {{ contact.firstname }}', body: '<p>Hi {{ contact.firstname }}</p>' }],
  });
  const enrollOne = async (email: string, firstname: string) => {
    const c = await createContact(sf.deps, { email, firstname });
    await enrollContact(sf.deps, { contactId: c.id, sequenceId: sequence.id, senderUserId: user.id, senderEmail: 'rep@acme.test', source: 'API' });
  };
  const enroll = async (n: number) => {
    for (let i = 0; i < n; i++) await enrollOne(`lead${i}@example.com`, `Lead${i}`);
  };
  return { sf, user, sequence, enroll, enrollOne };
}

/** A form and a workflow "form submitted → enroll in the sequence", through the API. */
async function formWorkflow(sf: Seqflow, userId: number, sequenceId: number) {
  const call = async (method: string, url: string, body?: unknown) => {
    const r = await sf.app!.inject({ method: method as 'POST', url, headers: { authorization: 'Bearer x', 'content-type': 'application/json' }, payload: JSON.stringify(body) });
    return { status: r.statusCode, body: r.json() };
  };
  const form = (await call('POST', '/seqflow/v1/forms', { name: 'Book a meeting', fields: [{ name: 'email', label: 'Email', required: true }, { name: 'firstname', label: 'First name', required: true }] })).body;
  const wf = await call(
    'POST',
    '/automation/v4/flows',
    flow({
      criteria: onFormSubmitted(form.id),
      actions: chain([{ actionTypeId: ENROLL, fields: { sequenceId: String(sequenceId), senderType: 'SPECIFIC_USER', userId: String(userId) } }]),
    }),
  );
  expect(wf.status).toBe(201);
  return {
    submit: (email: string) =>
      sf.app!.inject({ method: 'POST', url: `/submissions/v3/integration/submit/${form.portalId}/${form.id}`, headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ fields: [{ name: 'email', value: email }, { name: 'firstname', value: 'Pat' }] }) }),
  };
}

const sendRows = (sf: Seqflow) => sf.db.kysely.selectFrom('sends').selectAll().orderBy('id').execute();

describe.each(dialectCases)('enrollment races on $dialect', ({ create, skip }) => {
  let db: TestDatabase;
  let sink: SmtpSink;
  let sf: Seqflow | undefined;
  beforeEach(async (ctx) => {
    if (skip) return ctx.skip();
    db = await create();
    sink = await startSmtpSink();
  });
  afterEach(async () => {
    await sf?.close();
    await sink?.close();
    await db?.drop();
  });

  it('should let exactly one of many concurrent enrollments of one contact win when they race', async () => {
    const s = await setup(db, sink);
    sf = s.sf;
    const seqs = [s.sequence.id];
    for (let i = 0; i < 4; i++) {
      const { sequence } = await createSequence(s.sf.deps, {
        name: `Other ${i}`,
        userId: s.user.id,
        steps: [{ type: 'EMAIL', delayMillis: 0, subject: 'x', body: 'y' }],
      });
      seqs.push(sequence.id);
    }
    const contact = await createContact(s.sf.deps, { email: 'race@example.com' });
    const attempts = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) =>
        enrollContact(s.sf.deps, { contactId: contact.id, sequenceId: seqs[i % seqs.length], senderUserId: s.user.id, senderEmail: 'rep@acme.test', source: 'API' }),
      ),
    );
    expect(attempts.filter((a) => a.status === 'fulfilled')).toHaveLength(1);
    const losers = attempts.filter((a): a is PromiseRejectedResult => a.status === 'rejected');
    expect(losers.map((l) => l.reason.subCategory)).toEqual(Array(9).fill('ALREADY_ENROLLED'));
    const rows = await s.sf.db.kysely.selectFrom('enrollments').selectAll().where('contact_id', '=', contact.id).execute();
    expect(rows).toHaveLength(1);
  });
});

// Each test starts `seqflow worker` processes (tsx compiles each one as it starts: seconds on a busy
// machine) and then waits for them: on a loaded 2-core machine that is minutes, far longer than the 30 s default.
describe.skipIf(!postgresAvailable)('worker processes on postgres', { timeout: 180_000 }, () => {
  let db: TestDatabase;
  let sink: SmtpSink;
  let sf: Seqflow | undefined;
  const workers: CliProcess[] = [];
  let hung = 0;
  let hangFirst = false;
  let slowFirst = false;

  beforeEach(async () => {
    db = await freshPostgres();
    hung = 0;
    hangFirst = false;
    slowFirst = false;
    sink = await startSmtpSink({ slowMs: 4000, behaviour: (n) => (n !== 1 ? 'accept' : hangFirst ? (hung++, 'hang') : slowFirst ? 'slow' : 'accept') });
  });
  afterEach(async () => {
    for (const w of workers.splice(0)) await w.kill('SIGKILL');
    await sf?.close();
    await sink.close();
    await db.drop();
  });

  const startWorker = async (extra: string[] = []) => {
    const w = runCli(['worker', '--database', db.url!, ...extra]);
    workers.push(w);
    await w.waitFor(/Seqflow worker/);
    return w;
  };

  it('should send every email exactly once when two worker processes drain the same due steps', async () => {
    const s = await setup(db, sink);
    sf = s.sf;
    await s.enroll(150);
    await Promise.all([startWorker(), startWorker()]);
    await eventually(async () => (await sendRows(s.sf)).filter((r) => r.status === 'SENT').length === 150, 150_000);
    const recipients = sink.messages.map((m) => m.to[0]);
    expect(recipients).toHaveLength(150);
    expect(new Set(recipients).size).toBe(150);
    const sends = await sendRows(s.sf);
    expect(sends).toHaveLength(150);
    expect(new Set(sink.messages.map((m) => m.messageId)).size).toBe(150);
  });

  it('should enroll each contact once and send each email once when 1,000 form submissions burst in on two workers', async () => {
    const s = await setup(db, sink);
    sf = s.sf;
    const { submit } = await formWorkflow(s.sf, s.user.id, s.sequence.id);
    await Promise.all([startWorker(), startWorker()]);
    // 500 people, each submitting twice, 50 requests in flight at a time.
    const emails = Array.from({ length: 1000 }, (_, i) => `person${i % 500}@example.com`);
    for (let i = 0; i < emails.length; i += 50) {
      const replies = await Promise.all(emails.slice(i, i + 50).map(submit));
      expect(replies.map((r) => r.statusCode)).toEqual(Array(replies.length).fill(200));
    }
    await eventually(async () => (await sendRows(s.sf)).filter((r) => r.status === 'SENT').length >= 500, 120_000, 250);
    const k = s.sf.db.kysely;
    expect(await k.selectFrom('contacts').select('id').execute()).toHaveLength(500);
    expect(await k.selectFrom('workflow_runs').select('id').execute()).toHaveLength(500);
    expect(await k.selectFrom('enrollments').select('id').execute()).toHaveLength(500);
    const log = await k.selectFrom('action_log').selectAll().execute();
    expect(log.filter((e) => e.status === 'EXECUTED')).toHaveLength(500);
    // What is left to prove is that no worker sends anything more. Once every enrollment has
    // finished there is nothing to claim, and a worker told to stop (SIGTERM) ends the batch it
    // holds before it exits cleanly: after both have, no SMTP conversation is under way or can begin.
    await eventually(async () => (await k.selectFrom('enrollments').select('id').where('state', '!=', 'FINISHED').execute()).length === 0);
    await Promise.all(workers.map((w) => w.kill('SIGTERM')));
    expect(workers.map((w) => w.child.exitCode)).toEqual([0, 0]);
    expect(await sendRows(s.sf)).toHaveLength(500);
    const recipients = sink.messages.map((m) => m.to[0]);
    expect(recipients).toHaveLength(500);
    expect(new Set(recipients).size).toBe(500);
  }, 180_000);

  it('should mark the send UNCERTAIN and never resend it when a worker is killed between SENDING and SENT', async () => {
    hangFirst = true;
    const s = await setup(db, sink);
    sf = s.sf;
    await s.enroll(1);
    const first = await startWorker(['--lease-ms', '1500']);
    // The worker is inside the SMTP conversation: the server has the message but never answers.
    await eventually(async () => hung === 1 && (await sendRows(s.sf))[0]?.status === 'SENDING');
    await first.kill('SIGKILL');

    await startWorker(['--lease-ms', '1500']);
    const row = await eventually(async () => {
      const [r] = await sendRows(s.sf);
      return r.status === 'UNCERTAIN' && r;
    });
    expect(row.attempts).toBe(1);
    const enrollment = await s.sf.db.kysely.selectFrom('enrollments').selectAll().executeTakeFirstOrThrow();
    expect(enrollment).toMatchObject({ state: 'PAUSED', reason: 'SEND_UNCERTAIN' });
    const tasks = await s.sf.db.kysely.selectFrom('tasks').selectAll().execute();
    expect(tasks).toHaveLength(1);
    expect(tasks[0].reason).toBe('SEND_UNCERTAIN');
    // The second worker must never try the uncertain send again. It claims due work oldest first,
    // so a retry would go out no later than the first email enrolled after this point; and the
    // second canary is claimed only after the batch that carried the first one has ended.
    await s.enrollOne('canary1@example.com', 'Canary');
    await eventually(async () => sink.messages.length === 1);
    await s.enrollOne('canary2@example.com', 'Canary');
    await eventually(async () => sink.messages.length === 2);
    expect(hung).toBe(1);
    expect(sink.messages.map((m) => m.to[0])).toEqual(['canary1@example.com', 'canary2@example.com']);
    // The sink has the message before the worker commits SENT (and what the send finishes with).
    await eventually(async () => (await sendRows(s.sf)).every((r) => r.status !== 'SENDING'));
    expect(await sendRows(s.sf)).toMatchObject([{ status: 'UNCERTAIN', attempts: 1 }, { status: 'SENT' }, { status: 'SENT' }]);
  });

  it("should take over a killed worker's claimed step within 30 s when the workers run on the default lease", async () => {
    hangFirst = true;
    const s = await setup(db, sink);
    sf = s.sf;
    await s.enroll(1);
    const first = await startWorker();
    await eventually(async () => hung === 1 && (await sendRows(s.sf))[0]?.status === 'SENDING');
    await first.kill('SIGKILL');
    await startWorker();
    // The lease is short and only a live worker's heartbeat renews it: 20 s, not the old 5 minutes.
    const row = await eventually(async () => {
      const [r] = await sendRows(s.sf);
      return r.status !== 'SENDING' && r;
    }, 30_000);
    expect(row.status).toBe('UNCERTAIN');
    expect(hung + sink.messages.length).toBe(1);
  }, 60_000);

  it('should keep its claim and send once when the SMTP server takes longer than the lease to answer', async () => {
    slowFirst = true;
    const s = await setup(db, sink);
    sf = s.sf;
    await s.enroll(1);
    // A 1 s lease and a 4 s answer: without the heartbeat the second worker would take the step
    // over mid-send and mark it UNCERTAIN.
    await Promise.all([startWorker(['--lease-ms', '1000']), startWorker(['--lease-ms', '1000'])]);
    const row = await eventually(async () => {
      const [r] = await sendRows(s.sf);
      return r && r.status !== 'SENDING' && r;
    }, 30_000);
    expect(row.status).toBe('SENT');
    expect(sink.messages).toHaveLength(1);
    const enrollment = await s.sf.db.kysely.selectFrom('enrollments').selectAll().executeTakeFirstOrThrow();
    expect(enrollment.state).toBe('FINISHED');
    expect(await s.sf.db.kysely.selectFrom('tasks').selectAll().execute()).toHaveLength(0);
  });
});
