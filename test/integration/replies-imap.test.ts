import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dialectCases } from '../support/databases.js';
import { dovecotAvailable, startDovecot, type Dovecot } from '../support/dovecot.js';
import { DAY, seedContact, seedSequence, startHarness, type Harness } from '../support/harness.js';
import { eventually } from '../support/processes.js';

const REP = 'rep@acme.test';
const PASS = 'secret';

const compose = (o: ConstructorParameters<typeof MailComposer>[0]) => new MailComposer(o).compile().build();

describe.each(dialectCases)('replies over real IMAP on $dialect', ({ create, skip }) => {
  let h: Harness;
  let dovecot: Dovecot;
  beforeEach(async (ctx) => {
    if (skip || !dovecotAvailable) return ctx.skip();
    dovecot = await startDovecot();
    dovecot.addUser(REP, PASS);
    h = await startHarness(await create(), {
      inboxWatch: { leaseMs: 5_000, renewMs: 200, watcher: { pollMs: 300, autoIdleDelayMs: 100, backoff: { initialMs: 100, maxMs: 400 }, connectTimeoutMs: 2_000 } },
    });
  });
  afterEach(async () => {
    await h?.close();
    await dovecot?.stop();
  });

  /** A rep whose inbox sends through the dev mail server and is read from Dovecot. */
  async function enrolled(contact: Record<string, string>, settings: Record<string, unknown> = {}) {
    const user = await h.api('POST', '/settings/v3/users/', { email: REP, firstName: 'Rita', lastName: 'Rep', seat: 'sales_professional', timezone: 'UTC' });
    const inbox = await h.api('POST', `/seqflow/v1/users/${user.body.id}/inboxes`, {
      address: REP,
      provider: 'imap',
      smtp: { host: '127.0.0.1', port: h.sf.devMail!.port },
      imap: { host: dovecot.host, port: dovecot.port, auth: { user: REP, pass: PASS } },
    });
    expect(inbox.status).toBe(201);
    const sequenceId = await seedSequence(h, user.body.id, { settings });
    const contactId = await seedContact(h, contact);
    const r = await h.api('POST', `/automation/v4/sequences/enrollments?userId=${user.body.id}`, { contactId, sequenceId, senderEmail: REP });
    expect(r.status).toBe(200);
    await h.sf.inboxWatchers!.reconcile();
    await h.advance(0);
    const [first] = (await h.api('GET', `/seqflow/v1/dev-mail/messages?to=${encodeURIComponent(contact.email)}`)).body.results;
    // The watcher has made its first sync, so what is delivered next is new mail.
    await eventually(async () => (await h.api('GET', `/seqflow/v1/inboxes/${inbox.body.id}/usage`)).body.sync?.status === 'ok');
    return { userId: user.body.id as string, inboxId: inbox.body.id as string, contactId, sequenceId, first };
  }
  const enrollment = async (contactId: string) => (await h.api('GET', `/seqflow/v1/enrollments?contactId=${contactId}`)).body.results[0];
  const sentTo = async (email: string) => (await h.api('GET', `/seqflow/v1/dev-mail/messages?to=${encodeURIComponent(email)}`)).body.results.length;
  const processed = () => h.sf.db.kysely.selectFrom('inbound_messages').selectAll().execute();

  it('should unenroll the contact before the next step when a reply lands in the sender’s mailbox', async () => {
    const { contactId, first } = await enrolled({ email: 'lena@example.com', firstname: 'Lena' });
    await dovecot.deliver(REP, PASS, await compose({ from: 'lena@example.com', to: REP, subject: `Re: ${first.subject}`, text: 'Sounds good, call me.', inReplyTo: first.messageId, references: [first.messageId] }));
    await eventually(async () => (await enrollment(contactId)).state === 'UNENROLLED');
    expect(await enrollment(contactId)).toMatchObject({ state: 'UNENROLLED', reason: 'REPLIED' });
    await h.advance(10 * DAY);
    expect(await sentTo('lena@example.com')).toBe(1);
  });

  it('should unenroll when the contact writes from their address without thread headers', async () => {
    const { contactId } = await enrolled({ email: 'lena@example.com' });
    await dovecot.deliver(REP, PASS, await compose({ from: 'Lena <Lena@Example.com>', to: REP, subject: 'Question about pricing', text: 'Hi Rita, a quick question.' }));
    await eventually(async () => (await enrollment(contactId)).state === 'UNENROLLED');
    expect((await enrollment(contactId)).reason).toBe('REPLIED');
  });

  it('should keep the enrollment and note an automatic reply when an out-of-office answers', async () => {
    const { contactId, first } = await enrolled({ email: 'lena@example.com' });
    await dovecot.deliver(REP, PASS, await compose({ from: 'lena@example.com', to: REP, subject: `Automatic reply: ${first.subject}`, text: 'I am out of the office until Monday.', inReplyTo: first.messageId, headers: { 'Auto-Submitted': 'auto-replied' } }));
    await eventually(async () => (await processed()).length === 1);
    expect((await processed())[0].classification).toBe('auto_reply');
    expect((await enrollment(contactId)).state).toBe('ACTIVE');
    await h.advance(3 * DAY);
    expect(await sentTo('lena@example.com')).toBe(2);
  });

  it('should end the enrollment and refuse later enrollments when the email hard-bounces', async () => {
    const { contactId, first, userId, sequenceId } = await enrolled({ email: 'ghost@example.com' });
    const dsn = [
      `From: MAILER-DAEMON@mx.example.com`,
      `To: ${REP}`,
      `Subject: Undelivered Mail Returned to Sender`,
      `Message-ID: <dsn-1@mx.example.com>`,
      `MIME-Version: 1.0`,
      `Content-Type: multipart/report; report-type=delivery-status; boundary="b1"`,
      ``,
      `--b1`,
      `Content-Type: text/plain`,
      ``,
      `The mail system could not deliver your message.`,
      `--b1`,
      `Content-Type: message/delivery-status`,
      ``,
      `Reporting-MTA: dns; mx.example.com`,
      ``,
      `Final-Recipient: rfc822; ghost@example.com`,
      `Action: failed`,
      `Status: 5.1.1`,
      `Diagnostic-Code: smtp; 550 5.1.1 <ghost@example.com>: Recipient address rejected: User unknown`,
      ``,
      `--b1`,
      `Content-Type: text/rfc822-headers`,
      ``,
      `Message-ID: ${first.messageId}`,
      `From: ${REP}`,
      `To: ghost@example.com`,
      `Subject: ${first.subject}`,
      ``,
      `--b1--`,
      ``,
    ].join('\r\n');
    await dovecot.deliver(REP, PASS, dsn);
    await eventually(async () => (await enrollment(contactId)).state === 'UNENROLLED');
    expect((await enrollment(contactId)).reason).toBe('BOUNCED');
    const again = await h.api('POST', `/automation/v4/sequences/enrollments?userId=${userId}`, { contactId, sequenceId, senderEmail: REP });
    expect(again.body.subCategory).toBe('BOUNCED');
  });

  it('should still see a reply sent after the IMAP server restarted, and process nothing twice', async () => {
    const { contactId, first } = await enrolled({ email: 'lena@example.com' });
    await dovecot.deliver(REP, PASS, await compose({ from: 'someone@else.example', to: REP, subject: 'Unrelated', text: 'Hello' }));
    await eventually(async () => (await processed()).length === 1);
    await dovecot.restart();
    await dovecot.deliver(REP, PASS, await compose({ from: 'lena@example.com', to: REP, subject: `Re: ${first.subject}`, text: 'Yes!', inReplyTo: first.messageId }));
    await eventually(async () => (await enrollment(contactId)).state === 'UNENROLLED', 20_000);
    // The watermark must keep old mail from coming back. The watcher reads mail in UID order, so
    // once a message delivered after all this is processed, old mail read again would be too.
    await dovecot.deliver(REP, PASS, await compose({ from: 'someone@else.example', to: REP, subject: 'Automatic reply: Unrelated', text: 'Away', headers: { 'Auto-Submitted': 'auto-replied' } }));
    await eventually(async () => (await processed()).some((r) => r.classification === 'auto_reply'), 20_000);
    const rows = await processed();
    expect(rows.map((r) => r.classification).sort()).toEqual(['auto_reply', 'other', 'reply']);
    const events = await h.sf.db.kysely.selectFrom('events').selectAll().where('type', '=', 'EMAIL_REPLIED').execute();
    expect(events).toHaveLength(1);
  });
});
