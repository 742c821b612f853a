import { afterEach, describe, expect, it } from 'vitest';
import { startSmtpSink, type SmtpSink } from '../../src/mail/smtp-sink.js';
import type { Seqflow } from '../../src/server.js';
import type { Deps } from '../../src/services/deps.js';
import { createContact } from '../../src/services/contacts.js';
import { enrollContact } from '../../src/services/enroll-contact.js';
import { connectInbox } from '../../src/services/inboxes.js';
import { createSequence } from '../../src/services/sequences.js';
import { createUser } from '../../src/services/users.js';
import { startRealClockSeqflow } from '../support/harness.js';
import { eventually } from '../support/processes.js';

/**
 * One rep's mail server that never answers must not hold the other reps' emails: the worker
 * claims new work for its free lanes while that send waits for its timeout (30 s here).
 */
describe('a slow SMTP server', () => {
  const sinks: SmtpSink[] = [];
  let sf: Seqflow | undefined;
  afterEach(async () => {
    await sf?.close({ graceMs: 0 });
    for (const s of sinks.splice(0)) await s.close();
  });

  const repWithSequence = async (deps: Deps, name: string, sink: SmtpSink) => {
    const email = `${name}@acme.test`;
    const user = await createUser(deps, { email, firstName: name, lastName: 'Rep', seat: 'sales_professional', timezone: 'UTC', role: 'user' });
    await connectInbox(deps, user.id, { address: email, aliases: [], provider: 'imap', smtp: { host: '127.0.0.1', port: sink.port }, imap: null });
    const { sequence } = await createSequence(deps, {
      name: `${name}'s one email`,
      userId: user.id,
      settings: { eligibleFollowUpDays: 'EVERYDAY', sendWindowStartMinute: 0, sendWindowEndMinute: 1440 },
      steps: [{ type: 'EMAIL', delayMillis: 0, subject: 'Hello', body: '<p>Hi</p>' }],
    });
    return async (contactEmail: string) => {
      const c = await createContact(deps, { email: contactEmail });
      await enrollContact(deps, { contactId: c.id, sequenceId: sequence.id, senderUserId: user.id, senderEmail: email, source: 'API' });
    };
  };

  it("should send another rep's emails at once when one rep's SMTP server never answers", async () => {
    const hanging = await startSmtpSink({ behaviour: () => 'hang' });
    const fine = await startSmtpSink();
    sinks.push(hanging, fine);
    sf = await startRealClockSeqflow('seqflow-slow-smtp-');
    const deps = sf.deps;
    const enrollWithAda = await repWithSequence(deps, 'ada', hanging);
    const enrollWithBo = await repWithSequence(deps, 'bo', fine);

    await enrollWithAda('stuck@example.com');
    await eventually(async () => (await deps.db.kysely.selectFrom('sends').select('status').executeTakeFirst())?.status === 'SENDING');
    const others = ['one@example.com', 'two@example.com', 'three@example.com'];
    for (const email of others) await enrollWithBo(email);

    // Well inside the hanging send's 30 s timeout.
    await eventually(async () => fine.messages.length === others.length, 10_000);
    expect(fine.messages.flatMap((m) => m.to).sort()).toEqual([...others].sort());
    const stuck = await deps.db.kysely.selectFrom('sends').select('status').where('status', '=', 'SENDING').execute();
    expect(stuck).toHaveLength(1);
  });
});
