/** Messages and look-ups shared by the classifier's tests: one enrolled contact and two of our Message-IDs. */
import { simpleParser, type SimpleParserOptions } from 'mailparser';
import MailComposer from 'nodemailer/lib/mail-composer';
import { classifyInbound, INBOUND_PARSER_OPTIONS, type Classification, type ClassifierFacts } from './index.js';

export const OUR_ID = '<seqflow.enr-41.step-2.7f3a@mail.acme.example>';
export const OUR_OLDER_ID = '<seqflow.enr-41.step-1.1c9d@mail.acme.example>';
const OURS = new Set([OUR_ID, OUR_OLDER_ID]);
/** Enrolled contact Jan Kowalski, with an alias. */
const ENROLLED = new Set(['jan.kowalski@klient.example.pl', 'jan@klient.example.pl', 'anna.schmidt@kunde.example.de']);

export const facts: ClassifierFacts = {
  isOurMessageId: (id) => OURS.has(id),
  isEnrolledAddress: (a) => ENROLLED.has(a),
};
export const nothingIsOurs: ClassifierFacts = { isOurMessageId: () => false, isEnrolledAddress: () => false };

export const PARSER_OPTION_SETS: Array<[string, SimpleParserOptions]> = [
  ['recommended options', INBOUND_PARSER_OPTIONS],
  ['mailparser defaults', {}],
];

/** A raw RFC 5322 message with CRLF line ends. */
export function rawMessage(headers: Array<[string, string]>, body: string): string {
  const head = headers.map(([k, v]) => `${k}: ${v}`).join('\r\n');
  return `${head}\r\n\r\n${body.replace(/\r?\n/g, '\r\n')}`;
}

export async function classify(raw: string | Buffer, f: ClassifierFacts = facts, options: SimpleParserOptions = INBOUND_PARSER_OPTIONS): Promise<Classification> {
  const mail = await simpleParser(raw, options);
  return classifyInbound(mail, f);
}

export async function compose(options: ConstructorParameters<typeof MailComposer>[0]): Promise<Buffer> {
  return new MailComposer(options).compile().build();
}

export const OUR_SEQUENCE_EMAIL_HEADERS = [
  'Return-Path: <ola@acme.example>',
  'From: Ola Nowak <ola@acme.example>',
  'To: Jan Kowalski <jan.kowalski@klient.example.pl>',
  'Subject: Quick question about your Q3 roadmap',
  'Date: Tue, 10 Mar 2026 09:00:00 +0100',
  `Message-ID: ${OUR_ID}`,
  'MIME-Version: 1.0',
  'Content-Type: text/plain; charset=utf-8',
].join('\r\n');

/** A Postfix-style RFC 3464 DSN whose returned message is one we sent. */
export function postfixDsn(status: string, action: string, opts: { inReplyTo?: string; returnedHeadersOnly?: boolean } = {}): string {
  const boundary = 'A1B2C3D4E5.1741600000/mx.acme.example';
  const returnedPart = opts.returnedHeadersOnly
    ? `Content-Description: Undelivered Message Headers\r\nContent-Type: text/rfc822-headers\r\n\r\n${OUR_SEQUENCE_EMAIL_HEADERS}\r\n`
    : `Content-Description: Undelivered Message\r\nContent-Type: message/rfc822\r\n\r\n${OUR_SEQUENCE_EMAIL_HEADERS}\r\n\r\nHi Jan, a quick question.\r\n`;
  const failed = action === 'failed';
  return [
    'Return-Path: <>',
    'Date: Tue, 10 Mar 2026 09:00:05 +0100 (CET)',
    'From: MAILER-DAEMON@mx.acme.example (Mail Delivery System)',
    failed ? 'Subject: Undelivered Mail Returned to Sender' : 'Subject: Delayed Mail (still being retried)',
    'To: ola@acme.example',
    'Auto-Submitted: auto-replied',
    ...(opts.inReplyTo ? [`In-Reply-To: ${opts.inReplyTo}`] : []),
    'MIME-Version: 1.0',
    `Content-Type: multipart/report; report-type=delivery-status;\r\n\tboundary="${boundary}"`,
    'Message-Id: <20260310080005.A1B2C3D4E5@mx.acme.example>',
    '',
    'This is a MIME-encapsulated message.',
    '',
    `--${boundary}`,
    'Content-Description: Notification',
    'Content-Type: text/plain; charset=us-ascii',
    '',
    'This is the mail system at host mx.acme.example.',
    '',
    failed
      ? "I'm sorry to have to inform you that your message could not\r\nbe delivered to one or more recipients. It's attached below."
      : '####################################################################\r\n# THIS IS A WARNING ONLY.  YOU DO NOT NEED TO RESEND YOUR MESSAGE. #\r\n####################################################################\r\n\r\nYour message could not be delivered for 4.0 hours.\r\nIt will be retried until it is 5.0 days old.',
    '',
    '<jan.kowalski@klient.example.pl>: host mx.klient.example.pl[192.0.2.10] said:',
    `    ${failed ? '550' : '452'} ${status} ${failed ? 'User unknown' : 'Mailbox over quota, try again later'} (in reply to RCPT TO command)`,
    '',
    `--${boundary}`,
    'Content-Description: Delivery report',
    'Content-Type: message/delivery-status',
    '',
    'Reporting-MTA: dns; mx.acme.example',
    'X-Postfix-Queue-ID: A1B2C3D4E5',
    'X-Postfix-Sender: rfc822; ola@acme.example',
    'Arrival-Date: Tue, 10 Mar 2026 09:00:00 +0100 (CET)',
    '',
    'Final-Recipient: rfc822; jan.kowalski@mail.klient.example.pl',
    'Original-Recipient: rfc822;jan.kowalski@klient.example.pl',
    `Action: ${action}`,
    `Status: ${status}`,
    'Remote-MTA: dns; mx.klient.example.pl',
    `Diagnostic-Code: smtp; ${failed ? '550' : '452'} ${status} ${failed ? 'User unknown' : 'Mailbox over quota, try again later'}`,
    ...(failed ? [] : ['Will-Retry-Until: Sun, 15 Mar 2026 09:00:00 +0100 (CET)']),
    '',
    `--${boundary}`,
    returnedPart,
    `--${boundary}--`,
    '',
  ].join('\r\n');
}
