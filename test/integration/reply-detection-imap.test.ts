import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dialectCases } from '../support/databases.js';
import { dovecotAvailable, startDovecot, type Dovecot } from '../support/dovecot.js';
import { DAY, HOUR, seedContact, seedSequence, startHarness, type Harness } from '../support/harness.js';
import { eventually } from '../support/processes.js';

const REP = 'rep@acme.test';
const PASS = 'secret';
/** Short, on the wall clock, so a real outage trips it in seconds; a healthy watcher reads its mailbox every 300 ms. */
const ALARM_MS = 3_000;

const compose = (o: ConstructorParameters<typeof MailComposer>[0]) => new MailComposer(o).compile().build();

describe.each(dialectCases)('reply-detection alarm over real IMAP on $dialect', ({ create, skip }) => {
  let h: Harness;
  let dovecot: Dovecot;
  beforeEach(async (ctx) => {
    if (skip || !dovecotAvailable) return ctx.skip();
    dovecot = await startDovecot();
    dovecot.addUser(REP, PASS);
    h = await startHarness(await create(), {
      inboxWatch: { leaseMs: 5_000, renewMs: 200, watcher: { pollMs: 300, autoIdleDelayMs: 100, backoff: { initialMs: 100, maxMs: 400 }, connectTimeoutMs: 2_000 } },
      replyDetectionAlarmMs: ALARM_MS,
      replyDetectionCheckMs: 0,
    });
  });
  afterEach(async () => {
    await h?.close();
    await dovecot?.stop();
  });

  const enrollment = async (contactId: string) => (await h.api('GET', `/seqflow/v1/enrollments?contactId=${contactId}`)).body.results[0];
  const sentTo = async (email: string) => (await h.api('GET', `/seqflow/v1/dev-mail/messages?to=${encodeURIComponent(email)}`)).body.results.length;

  it('should end the enrollment without another email when a reply that arrived while the IMAP server was down is read after it recovers', async () => {
    const user = await h.api('POST', '/settings/v3/users/', { email: REP, firstName: 'Rita', lastName: 'Rep', seat: 'sales_professional', timezone: 'UTC' });
    const inbox = await h.api('POST', `/seqflow/v1/users/${user.body.id}/inboxes`, {
      address: REP,
      provider: 'imap',
      smtp: { host: '127.0.0.1', port: h.sf.devMail!.port },
      imap: { host: dovecot.host, port: dovecot.port, auth: { user: REP, pass: PASS } },
    });
    const sequenceId = await seedSequence(h, user.body.id);
    const contactId = await seedContact(h, { email: 'lena@example.com', firstname: 'Lena' });
    expect((await h.api('POST', `/automation/v4/sequences/enrollments?userId=${user.body.id}`, { contactId, sequenceId, senderEmail: REP })).status).toBe(200);
    await h.sf.inboxWatchers!.reconcile();
    await h.advance(0);
    const [first] = (await h.api('GET', '/seqflow/v1/dev-mail/messages?to=lena%40example.com')).body.results;
    const usage = async () => (await h.api('GET', `/seqflow/v1/inboxes/${inbox.body.id}/usage`)).body;
    await eventually(async () => (await usage()).sync?.status === 'ok');

    // The IMAP server goes down; meanwhile Lena answers, and her reply waits in the mailbox.
    await dovecot.down();
    dovecot.deliverWhileDown(REP, await compose({ from: 'lena@example.com', to: REP, subject: `Re: ${first.subject}`, text: 'Yes, call me.', inReplyTo: first.messageId, references: [first.messageId] }));
    await eventually(async () => {
      await h.advance(0);
      return (await enrollment(contactId)).reason === 'REPLY_DETECTION_DOWN';
    }, 20_000, 250);
    expect((await usage()).replyDetection).toMatchObject({ status: 'paused', pausedEnrollments: 1 });

    // The follow-up's day comes and goes: nothing is sent to someone who may have answered.
    await h.advance(3 * DAY + HOUR);
    expect(await sentTo('lena@example.com')).toBe(1);

    // The server is back: the watcher reads the reply before the alarm lets anything go.
    await dovecot.up();
    await eventually(async () => (await enrollment(contactId)).state === 'UNENROLLED', 20_000);
    expect(await enrollment(contactId)).toMatchObject({ state: 'UNENROLLED', reason: 'REPLIED' });
    await eventually(async () => {
      await h.advance(0);
      return (await usage()).replyDetection.status === 'ok';
    }, 20_000, 250);
    await h.advance(DAY);
    expect(await sentTo('lena@example.com')).toBe(1);
    const [n] = (await h.api('GET', '/seqflow/v1/notifications')).body.results;
    expect(n).toMatchObject({ kind: 'REPLY_DETECTION_DOWN', resolvedAt: expect.any(String), resolution: expect.stringContaining('0 enrollment(s) resumed') });
  });
});
