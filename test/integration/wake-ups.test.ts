import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSmtpSink, type SmtpSink } from '../../src/mail/smtp-sink.js';
import type { Seqflow, SeqflowOptions } from '../../src/server.js';
import { connectInbox } from '../../src/services/inboxes.js';
import { createSequence } from '../../src/services/sequences.js';
import { createUser } from '../../src/services/users.js';
import { dialectCases, type TestDatabase } from '../support/databases.js';
import { startRealClockSeqflow } from '../support/harness.js';
import { eventually } from '../support/processes.js';
import { chain, ENROLL, flow, onFormSubmitted } from '../support/workflows.js';

/** Far longer than the test: whatever runs, runs because a wake-up said so. */
const HOUR = 3_600_000;

const start = (db: TestDatabase, o: Partial<SeqflowOptions>) =>
  startRealClockSeqflow('seqflow-wake-', { databaseUrl: db.url, formSubmissionsPer10s: 100_000, pollMs: HOUR, inboxWatch: null, ...o });

/** A form whose submission starts a workflow that enrolls the contact in a one-email sequence. */
async function formPipeline(sf: Seqflow, sink: SmtpSink) {
  const user = await createUser(sf.deps, { email: 'rep@acme.test', firstName: 'R', lastName: 'R', seat: 'sales_professional', timezone: 'UTC', role: 'user' });
  await connectInbox(sf.deps, user.id, { address: 'rep@acme.test', aliases: [], provider: 'imap', smtp: { host: '127.0.0.1', port: sink.port }, imap: null, perMinuteLimit: 1000 });
  const { sequence } = await createSequence(sf.deps, {
    name: 'One email',
    userId: user.id,
    settings: { eligibleFollowUpDays: 'EVERYDAY', sendWindowStartMinute: 0, sendWindowEndMinute: 1440 },
    steps: [{ type: 'EMAIL', delayMillis: 0, subject: 'Hello', body: '<p>Hi</p>' }],
  });
  const call = async (method: string, url: string, body?: unknown) => {
    const r = await sf.app!.inject({ method: method as 'POST', url, headers: { authorization: 'Bearer x', 'content-type': 'application/json' }, payload: JSON.stringify(body) });
    return { status: r.statusCode, body: r.json() };
  };
  const form = (await call('POST', '/seqflow/v1/forms', { name: 'Demo', fields: [{ name: 'email', label: 'Email', required: true }] })).body;
  const wf = await call(
    'POST',
    '/automation/v4/flows',
    flow({
      criteria: onFormSubmitted(form.id),
      actions: chain([{ actionTypeId: ENROLL, fields: { sequenceId: String(sequence.id), senderType: 'SPECIFIC_USER', userId: String(user.id) } }]),
    }),
  );
  expect(wf.status).toBe(201);
  return async (email: string) => {
    const r = await sf.app!.inject({
      method: 'POST',
      url: `/submissions/v3/integration/submit/${form.portalId}/${form.id}`,
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ fields: [{ name: 'email', value: email }] }),
    });
    expect(r.statusCode).toBe(200);
  };
}

const received = (sink: SmtpSink, to: string) => () => Promise.resolve(sink.messages.some((m) => m.to.includes(to)));

describe.each(dialectCases)('wake-ups on $dialect', ({ dialect, create, skip }) => {
  let db: TestDatabase;
  let sink: SmtpSink;
  const running: Seqflow[] = [];
  beforeEach(async (ctx) => {
    if (skip) return ctx.skip();
    db = await create();
    sink = await startSmtpSink();
  });
  afterEach(async () => {
    for (const sf of running.splice(0).reverse()) await sf.close();
    await sink?.close();
    await db?.drop();
  });

  it('should send a submitted form\'s email without waiting for the poll when the worker is woken', async () => {
    // PostgreSQL: the API and the worker share nothing but the database, so only NOTIFY can wake
    // the worker. SQLite: one process, woken in-process.
    const api = await start(db, { role: dialect === 'postgres' ? 'api' : 'all' });
    running.push(api);
    if (dialect === 'postgres') running.push(await start(db, { role: 'worker' }));
    const submit = await formPipeline(api, sink);

    await submit('first@example.com');
    await eventually(received(sink, 'first@example.com'), 20_000, 20);
    // The worker is idle again, its next poll an hour away: a second submission wakes it too.
    await submit('second@example.com');
    await eventually(received(sink, 'second@example.com'), 20_000, 20);
    expect(sink.messages).toHaveLength(2);
  });
});
