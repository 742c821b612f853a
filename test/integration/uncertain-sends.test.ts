import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SmtpSender } from '../../src/mail/smtp-sender.js';
import { runSequenceStep } from '../../src/services/run-sequence-step.js';
import { claimDueEnrollments } from '../../src/store/enrollments.js';
import { createContact } from '../../src/services/contacts.js';
import { enrollContact } from '../../src/services/enroll-contact.js';
import { createSequence } from '../../src/services/sequences.js';
import { dialectCases, postgresAvailable } from '../support/databases.js';
import { dovecotAvailable } from '../support/dovecot.js';
import { DAY, seedContact, seedSender, seedSequence, startHarness, type Harness } from '../support/harness.js';
import { eventually } from '../support/processes.js';
import { SENT_FOLDER_REP, useSentFolderStack } from '../support/sent-folder-stack.js';

/**
 * A send whose SMTP conversation was cut off after the message data is UNCERTAIN unless Seqflow
 * can look where the message would be: then it is confirmed and the sequence goes on; otherwise
 * the enrollment pauses with a task. Never a resend.
 */
describe.each(dialectCases)('uncertain sends through the dev mail server on $dialect', ({ create, skip }) => {
  let h: Harness;
  beforeEach(async (ctx) => {
    if (skip) return ctx.skip();
    h = await startHarness(await create());
  });
  afterEach(async () => {
    await h?.close();
  });

  /** The connection breaks after the data: the server got the message (or not) but its reply is lost. */
  function cutAfterData(deliverFirst: boolean) {
    const real = h.sf.deps.smtp;
    const cut: SmtpSender = {
      async send(key, smtp, email) {
        if (deliverFirst) await real.send(key, smtp, email);
        return { kind: 'uncertain', error: 'ECONNECTION CONN: Connection closed unexpectedly' };
      },
      close: () => real.close(),
    };
    h.sf.deps.smtp = cut;
    return () => void (h.sf.deps.smtp = real);
  }

  async function enrollLena() {
    const { userId, email } = await seedSender(h);
    const sequenceId = await seedSequence(h, userId);
    const contactId = await seedContact(h, { email: 'lena@example.com', firstname: 'Lena' });
    const r = await h.api('POST', `/automation/v4/sequences/enrollments?userId=${userId}`, { contactId, sequenceId, senderEmail: email });
    expect(r.status).toBe(200);
    return contactId;
  }
  const enrollment = async (contactId: string) => (await h.api('GET', `/seqflow/v1/enrollments?contactId=${contactId}`)).body.results[0];
  const received = async () => (await h.api('GET', '/seqflow/v1/dev-mail/messages?to=lena%40example.com')).body.results;

  it('should confirm the send from the dev mail server and go on with the sequence when the reply to the data was lost', async () => {
    const contactId = await enrollLena();
    const restore = cutAfterData(true);
    await h.advance(0);
    restore();
    const e = await enrollment(contactId);
    expect(e).toMatchObject({ state: 'ACTIVE', currentStep: 1 });
    expect(e.sends[0]).toMatchObject({ status: 'SENT' });
    const [row] = await h.sf.db.kysely.selectFrom('sends').select(['confirmed_by']).execute();
    expect(row.confirmed_by).toBe('DEV_MAIL');
    expect(await h.sf.db.kysely.selectFrom('tasks').selectAll().execute()).toHaveLength(0);

    await h.advance(3 * DAY);
    const mail = await received();
    expect(mail).toHaveLength(2);
    expect(new Set(mail.map((m: { messageId: string }) => m.messageId)).size).toBe(2);
  });

  it('should resume the enrollment and close the task when the server accepts after another worker took the send for uncertain', async () => {
    const contactId = await enrollLena();
    const real = h.sf.deps.smtp;
    const deps = h.sf.deps;
    let other: string | undefined;
    h.sf.deps.smtp = {
      async send(key, smtp, email) {
        // This worker stalls past its lease; a second worker claims the step, finds it SENDING and
        // nowhere to be seen yet, and pauses it for a person. Then the server answers 250 here.
        await deps.db.kysely.updateTable('enrollments').set({ lease_until: deps.clock.now() - 1 }).execute();
        const [claimed] = await deps.db.transaction((tx) => claimDueEnrollments(tx, deps.db.dialect, { worker: 'other', now: deps.clock.now(), leaseMs: 20_000, limit: 1 }));
        other = await runSequenceStep(deps, claimed, 'other');
        return real.send(key, smtp, email);
      },
      close: () => real.close(),
    };
    await h.advance(0);
    h.sf.deps.smtp = real;
    expect(other).toBe('paused');
    const e = await enrollment(contactId);
    expect(e).toMatchObject({ state: 'ACTIVE', currentStep: 1 });
    expect(e.sends[0].status).toBe('SENT');
    const tasks = await h.sf.db.kysely.selectFrom('tasks').selectAll().execute();
    expect(tasks.map((t) => [t.reason, t.status])).toEqual([['SEND_UNCERTAIN', 'COMPLETED']]);
    await h.advance(3 * DAY);
    expect(await received()).toHaveLength(2);
  });

  it('should pause with one task and never resend when the dev mail server never got the message', async () => {
    const contactId = await enrollLena();
    const restore = cutAfterData(false);
    await h.advance(0);
    restore();
    const e = await enrollment(contactId);
    expect(e).toMatchObject({ state: 'PAUSED', reason: 'SEND_UNCERTAIN' });
    expect(e.sends[0].status).toBe('UNCERTAIN');
    const tasks = await h.sf.db.kysely.selectFrom('tasks').selectAll().execute();
    expect(tasks.map((t) => t.reason)).toEqual(['SEND_UNCERTAIN']);
    await h.advance(10 * DAY);
    expect(await received()).toHaveLength(0);
  });
});

describe.skipIf(!postgresAvailable || !dovecotAvailable)('uncertain sends found in the Sent folder (worker processes, Dovecot)', () => {
  const stack = useSentFolderStack();

  it('should confirm the send from the Sent folder and go on with the sequence when the sending worker was killed', async () => {
    const { sf, userId } = await stack.startRep();
    const { sequence } = await createSequence(sf.deps, {
      name: 'Two emails',
      userId,
      settings: { eligibleFollowUpDays: 'EVERYDAY', sendWindowStartMinute: 0, sendWindowEndMinute: 1440 },
      steps: [
        { type: 'EMAIL', delayMillis: 0, subject: 'Hello', body: '<p>Hi</p>' },
        { type: 'EMAIL', delayMillis: 3 * DAY, subject: '', body: '<p>Following up</p>' },
      ],
    });
    const contact = await createContact(sf.deps, { email: 'lena@example.com' });
    await enrollContact(sf.deps, { contactId: contact.id, sequenceId: sequence.id, senderUserId: userId, senderEmail: SENT_FOLDER_REP, source: 'API' });

    const first = await stack.startWorker();
    await eventually(async () => stack.filed() === 1);
    await first.kill('SIGKILL');
    await stack.startWorker();

    const k = sf.db.kysely;
    const send = await eventually(async () => {
      const r = await k.selectFrom('sends').selectAll().executeTakeFirst();
      return r && r.status !== 'SENDING' && r;
    });
    expect(send).toMatchObject({ status: 'SENT', confirmed_by: 'IMAP_SENT', attempts: 1 });
    const enrollment = await k.selectFrom('enrollments').selectAll().executeTakeFirstOrThrow();
    expect(enrollment).toMatchObject({ state: 'ACTIVE', current_step: 1 });
    expect(await k.selectFrom('tasks').selectAll().execute()).toHaveLength(0);
    expect(stack.filed()).toBe(1);
  }, 60_000);
});
