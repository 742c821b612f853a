import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { simpleParser, type ParsedMail, type SimpleParserOptions } from 'mailparser';
import MailComposer from 'nodemailer/lib/mail-composer';
import {
  addressesOf,
  classifyInbound,
  INBOUND_PARSER_OPTIONS,
  type Classification,
  type ClassifierFacts,
} from './inbound-classifier.js';

// ---------------------------------------------------------------------------------------------
// Fixtures
// ---------------------------------------------------------------------------------------------

const OUR_ID = '<seqflow.enr-41.step-2.7f3a@mail.acme.example>';
const OUR_OLDER_ID = '<seqflow.enr-41.step-1.1c9d@mail.acme.example>';
const OURS = new Set([OUR_ID, OUR_OLDER_ID]);
/** Enrolled contact Jan Kowalski, with an alias. */
const ENROLLED = new Set(['jan.kowalski@klient.example.pl', 'jan@klient.example.pl', 'anna.schmidt@kunde.example.de']);

const facts: ClassifierFacts = {
  isOurMessageId: (id) => OURS.has(id),
  isEnrolledAddress: (a) => ENROLLED.has(a),
};
const nothingIsOurs: ClassifierFacts = { isOurMessageId: () => false, isEnrolledAddress: () => false };

const PARSER_OPTION_SETS: Array<[string, SimpleParserOptions]> = [
  ['recommended options', INBOUND_PARSER_OPTIONS],
  ['mailparser defaults', {}],
];

/** A raw RFC 5322 message with CRLF line ends. */
function rawMessage(headers: Array<[string, string]>, body: string): string {
  const head = headers.map(([k, v]) => `${k}: ${v}`).join('\r\n');
  return `${head}\r\n\r\n${body.replace(/\r?\n/g, '\r\n')}`;
}

async function classify(raw: string | Buffer, f: ClassifierFacts = facts, options: SimpleParserOptions = INBOUND_PARSER_OPTIONS): Promise<Classification> {
  const mail = await simpleParser(raw, options);
  return classifyInbound(mail, f);
}

async function compose(options: ConstructorParameters<typeof MailComposer>[0]): Promise<Buffer> {
  return new MailComposer(options).compile().build();
}

const OUR_SEQUENCE_EMAIL_HEADERS = [
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
function postfixDsn(status: string, action: string, opts: { inReplyTo?: string; returnedHeadersOnly?: boolean } = {}): string {
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

// ---------------------------------------------------------------------------------------------
// Replies
// ---------------------------------------------------------------------------------------------

describe('classifyInbound — replies (PRODUCT §3.6 REPLIED)', () => {
  it('should be a thread reply when In-Reply-To is one of our Message-IDs', async () => {
    const raw = rawMessage(
      [
        ['From', 'Jan Kowalski <jan.kowalski@klient.example.pl>'],
        ['To', 'Ola Nowak <ola@acme.example>'],
        ['Subject', 'Re: Quick question about your Q3 roadmap'],
        ['Message-ID', '<CAF=abc123@mail.gmail.com>'],
        ['In-Reply-To', OUR_ID],
        ['References', `${OUR_OLDER_ID} ${OUR_ID}`],
        ['Content-Type', 'text/plain; charset=utf-8'],
      ],
      'Sure, let us talk on Thursday.\n\nOn Tue, Ola Nowak wrote:\n> Hi Jan, a quick question.',
    );
    expect(await classify(raw)).toEqual({ kind: 'reply', from: 'jan.kowalski@klient.example.pl', inReplyTo: OUR_ID, matchedBy: 'thread' });
  });

  it('should be a thread reply when only a References id is ours, even from an address that is not enrolled', async () => {
    const raw = rawMessage(
      [
        ['From', 'Piotr Zielinski <piotr@klient.example.pl>'],
        ['To', 'ola@acme.example'],
        ['Subject', 'Re: Fwd: Quick question'],
        ['In-Reply-To', '<internal-forward-77@klient.example.pl>'],
        ['References', `${OUR_ID}\r\n <internal-forward-77@klient.example.pl>`],
      ],
      'Jan forwarded this to me, I am the right person.',
    );
    expect(await classify(raw)).toEqual({ kind: 'reply', from: 'piotr@klient.example.pl', inReplyTo: OUR_ID, matchedBy: 'thread' });
  });

  it('should be an address reply when an enrolled alias writes a new message that quotes nothing and has no thread headers', async () => {
    // Apple-Mail-like multipart/alternative built with nodemailer's MailComposer.
    const raw = await compose({
      from: '"Jan K." <JAN@klient.example.pl>',
      to: 'ola@acme.example',
      subject: 'Meeting',
      text: 'Hi Ola, can we meet next week instead?\n\nJan',
      html: '<div dir="ltr">Hi Ola, can we meet next week instead?<br><br>Jan</div>',
      messageId: '<1A2B3C4D-0000-4000-8000-000000000001@klient.example.pl>',
    });
    expect(await classify(raw)).toEqual({ kind: 'reply', from: 'jan@klient.example.pl', inReplyTo: null, matchedBy: 'address' });
  });

  it('should be other when the sender is neither enrolled nor answering one of our messages', async () => {
    const raw = rawMessage(
      [
        ['From', 'newsletter@vendor.example'],
        ['To', 'ola@acme.example'],
        ['Subject', 'Our spring release'],
        ['In-Reply-To', '<someone-else@vendor.example>'],
      ],
      'Hello!',
    );
    expect(await classify(raw)).toEqual({ kind: 'other' });
  });

  it('should stay a reply when the message only carries X-Auto-Response-Suppress (Outlook sets it on every message)', async () => {
    const raw = rawMessage(
      [
        ['From', 'Anna Schmidt <anna.schmidt@kunde.example.de>'],
        ['To', 'ola@acme.example'],
        ['Subject', 'AW: Quick question about your Q3 roadmap'],
        ['In-Reply-To', OUR_ID],
        ['X-Auto-Response-Suppress', 'All'],
        ['X-MS-Has-Attach', ''],
        ['Content-Type', 'text/plain; charset="iso-8859-1"'],
        ['Content-Transfer-Encoding', 'quoted-printable'],
      ],
      'Gerne, n=E4chste Woche passt gut.',
    );
    expect(await classify(raw)).toMatchObject({ kind: 'reply', matchedBy: 'thread' });
  });

  it('should stay a reply when Auto-Submitted is "no"', async () => {
    const raw = rawMessage(
      [
        ['From', 'jan@klient.example.pl'],
        ['Subject', 'Pricing'],
        ['Auto-Submitted', 'no'],
      ],
      'What does it cost?',
    );
    expect(await classify(raw)).toMatchObject({ kind: 'reply', matchedBy: 'address' });
  });

  it('should stay a reply when an enrolled contact writes a subject that sounds like a bounce', async () => {
    const raw = rawMessage(
      [
        ['From', 'jan.kowalski@klient.example.pl'],
        ['Subject', 'Not delivered yet?'],
      ],
      'The brochure you mentioned has not arrived. Error 550 on our side maybe?',
    );
    expect(await classify(raw)).toMatchObject({ kind: 'reply', matchedBy: 'address' });
  });

  it('should be a thread reply when a person replies to a bounce-like subject with "Re:"', async () => {
    const raw = rawMessage(
      [
        ['From', 'someone@elsewhere.example'],
        ['Subject', 'Re: Undeliverable: Quick question'],
        ['In-Reply-To', OUR_ID],
      ],
      'I think you had my old address.',
    );
    expect(await classify(raw)).toMatchObject({ kind: 'reply', matchedBy: 'thread' });
  });

  it('should not invent a bounce when a human message mentions a version number under a report-like subject', async () => {
    const raw = rawMessage(
      [
        ['From', 'cto@prospect.example'],
        ['Subject', 'Delivery report for sprint 12'],
      ],
      'We shipped version 5.1.1 and 5.2.0 this sprint.',
    );
    expect(await classify(raw)).toEqual({ kind: 'other' });
  });
});

// ---------------------------------------------------------------------------------------------
// Auto-replies
// ---------------------------------------------------------------------------------------------

describe('classifyInbound — out-of-office and auto-replies (do not unenroll)', () => {
  it('should be an auto-reply, not a reply, when an out-of-office answer is threaded under our message', async () => {
    const raw = rawMessage(
      [
        ['From', 'Jan Kowalski <jan.kowalski@klient.example.pl>'],
        ['To', 'ola@acme.example'],
        ['Subject', 'Automatic reply: Quick question about your Q3 roadmap'],
        ['In-Reply-To', OUR_ID],
        ['References', OUR_ID],
        ['Auto-Submitted', 'auto-generated'],
        ['X-Auto-Response-Suppress', 'All'],
        ['X-MS-Exchange-Inbox-Rules-Loop', 'jan.kowalski@klient.example.pl'],
      ],
      'I am out of the office until 20 March with limited access to email.',
    );
    expect(await classify(raw)).toEqual({
      kind: 'auto_reply',
      from: 'jan.kowalski@klient.example.pl',
      inReplyTo: OUR_ID,
      signal: 'Auto-Submitted: auto-generated',
    });
  });

  it('should be an auto-reply when a Polish out-of-office has only its subject (encoded-word, ISO-8859-2 body)', async () => {
    const body = Buffer.from('Dzień dobry, jestem na urlopie do 20 marca. W pilnych sprawach proszę pisać do biura.', 'latin1');
    const raw = Buffer.concat([
      Buffer.from(
        rawMessage(
          [
            ['From', '=?iso-8859-2?Q?Jan_Kowalski?= <jan.kowalski@klient.example.pl>'],
            ['To', 'ola@acme.example'],
            ['Subject', '=?UTF-8?Q?Automatyczna_odpowied=C5=BA:_Quick_question?='],
            ['Content-Type', 'text/plain; charset=iso-8859-2'],
            ['Content-Transfer-Encoding', '8bit'],
          ],
          '',
        ),
      ),
      body,
    ]);
    expect(await classify(raw)).toMatchObject({ kind: 'auto_reply', from: 'jan.kowalski@klient.example.pl', inReplyTo: null });
  });

  it('should be an auto-reply when a Polish "Poza biurem" message comes from an enrolled address without thread headers', async () => {
    const raw = rawMessage(
      [
        ['From', 'jan@klient.example.pl'],
        ['Subject', '=?UTF-8?B?UG96YSBiaXVyZW0gLyBOaWVvYmVjbm/Fm8SH?='], // "Poza biurem / Nieobecność"
      ],
      'Wracam 20 marca.',
    );
    expect(await classify(raw)).toMatchObject({ kind: 'auto_reply', signal: expect.stringMatching(/^subject: Poza biurem/) });
  });

  it('should be an auto-reply when a German Abwesenheitsnotiz carries X-Autoreply', async () => {
    const raw = rawMessage(
      [
        ['From', 'Anna Schmidt <anna.schmidt@kunde.example.de>'],
        ['Subject', 'Abwesenheitsnotiz: Quick question about your Q3 roadmap'],
        ['X-Autoreply', 'yes'],
        ['In-Reply-To', OUR_ID],
        ['Content-Type', 'text/plain; charset=utf-8'],
        ['Content-Transfer-Encoding', 'quoted-printable'],
      ],
      'Ich bin bis einschlie=C3=9Flich 20.03. nicht im B=C3=BCro.',
    );
    expect(await classify(raw)).toEqual({
      kind: 'auto_reply',
      from: 'anna.schmidt@kunde.example.de',
      inReplyTo: OUR_ID,
      signal: 'x-autoreply: yes',
    });
  });

  it('should be an auto-reply when a German "Automatische Antwort" has no auto headers at all', async () => {
    const raw = rawMessage([['From', 'anna.schmidt@kunde.example.de'], ['Subject', 'Automatische Antwort: Ihre Anfrage']], 'Danke für Ihre Nachricht.');
    expect(await classify(raw)).toMatchObject({ kind: 'auto_reply', signal: 'subject: Automatische Antwort' });
  });

  it('should be an auto-reply when the subject is an out-of-office prefix in other languages', async () => {
    const subjects = [
      'Out of Office: Quick question',
      'Réponse automatique : Quick question',
      'Respuesta automática: Quick question',
      'Risposta automatica: Quick question',
      'Fuori sede',
      'Automatisch antwoord: Quick question',
      'Autosvar: Quick question',
      'AUTO: Jan Kowalski is out of the office (returning 20/03/2026)',
      '【不在】Quick question',
      '自動応答: Quick question',
      'RE: Auto-Reply: Quick question',
    ];
    for (const subject of subjects) {
      const raw = rawMessage([['From', 'jan@klient.example.pl'], ['Subject', subject]], 'Away.');
      expect(await classify(raw), subject).toMatchObject({ kind: 'auto_reply' });
    }
  });

  it('should be an auto-reply when Precedence is auto_reply, bulk or junk, and not when it is list', async () => {
    for (const p of ['auto_reply', 'bulk', 'junk']) {
      const raw = rawMessage([['From', 'jan@klient.example.pl'], ['Subject', 'Thanks'], ['Precedence', p]], 'Received.');
      expect(await classify(raw), p).toMatchObject({ kind: 'auto_reply', signal: `Precedence: ${p}` });
    }
    const list = rawMessage([['From', 'jan@klient.example.pl'], ['Subject', 'Thanks'], ['Precedence', 'list']], 'Hi');
    expect(await classify(list)).toMatchObject({ kind: 'reply' });
  });

  it('should be an auto-reply when X-Autorespond is present', async () => {
    const raw = rawMessage([['From', 'info@prospect.example'], ['Subject', 'We got your message'], ['X-Autorespond', 'On']], 'Ticket #1234');
    expect(await classify(raw)).toMatchObject({ kind: 'auto_reply', from: 'info@prospect.example', signal: 'x-autorespond: on' });
  });

  it('should be an auto-reply, not a reply, when a mailing-list robot answers our message', async () => {
    const raw = rawMessage(
      [
        ['From', 'sales-list-admin@klient.example.pl'],
        ['Subject', 'You ola@acme.example are not member (sales ML)'],
        ['References', OUR_ID],
        ['X-MLServer', 'fml [fml 4.0.3 release (20011202/4.0.3)]'],
        ['List-Subscribe', '<mailto:sales-list-ctl@klient.example.pl?body=subscribe>'],
      ],
      'You are not a member of this mailing list <sales-list@klient.example.pl>.',
    );
    expect(await classify(raw)).toMatchObject({ kind: 'auto_reply', inReplyTo: OUR_ID, signal: 'mailing-list robot: sales-list-admin@klient.example.pl' });
  });

  it('should stay a reply when a person answers through a mailing list', async () => {
    const raw = rawMessage(
      [
        ['From', 'Jan Kowalski <jan@klient.example.pl>'],
        ['Subject', 'Re: Quick question'],
        ['In-Reply-To', OUR_ID],
        ['List-Id', '<sales.klient.example.pl>'],
        ['List-Unsubscribe', '<mailto:sales-request@klient.example.pl?subject=unsubscribe>'],
        ['Sender', 'sales-bounces@klient.example.pl'],
      ],
      'Looping in the team.',
    );
    expect(await classify(raw)).toMatchObject({ kind: 'reply', matchedBy: 'thread' });
  });

  it('should not call a human subject that merely contains "absence" an auto-reply', async () => {
    const raw = rawMessage([['From', 'jan@klient.example.pl'], ['Subject', 'Absence of data in the Q3 report']], 'Can you check?');
    expect(await classify(raw)).toMatchObject({ kind: 'reply' });
  });
});

// ---------------------------------------------------------------------------------------------
// Delivery status notifications
// ---------------------------------------------------------------------------------------------

describe('classifyInbound — bounces and delays (PRODUCT §3.6 BOUNCED)', () => {
  for (const [label, options] of PARSER_OPTION_SETS) {
    it(`should be a permanent bounce with the failed recipient and our original Message-ID when a DSN says 5.1.1 (${label})`, async () => {
      expect(await classify(postfixDsn('5.1.1', 'failed'), facts, options)).toEqual({
        kind: 'bounce',
        permanent: true,
        status: '5.1.1',
        failedRecipient: 'jan.kowalski@klient.example.pl',
        originalMessageId: OUR_ID,
        diagnostic: '550 5.1.1 User unknown',
      });
    });

    it(`should be a delay, not a bounce, when a DSN says Action: delayed with 4.2.2 (${label})`, async () => {
      expect(await classify(postfixDsn('4.2.2', 'delayed'), facts, options)).toEqual({
        kind: 'delay',
        status: '4.2.2',
        failedRecipient: 'jan.kowalski@klient.example.pl',
        originalMessageId: OUR_ID,
      });
    });
  }

  it('should read the original Message-ID from a text/rfc822-headers part', async () => {
    expect(await classify(postfixDsn('5.2.1', 'failed', { returnedHeadersOnly: true }))).toMatchObject({
      kind: 'bounce',
      status: '5.2.1',
      originalMessageId: OUR_ID,
    });
  });

  it('should prefer our Message-ID when the DSN names several candidates', async () => {
    const raw = postfixDsn('5.1.1', 'failed', { inReplyTo: '<unrelated@mx.acme.example>' });
    expect(await classify(raw)).toMatchObject({ kind: 'bounce', originalMessageId: OUR_ID });
    // Without the look-up the first candidate (the returned message's own header) is used.
    expect(await classify(raw, nothingIsOurs)).toMatchObject({ kind: 'bounce', originalMessageId: OUR_ID });
  });

  it('should never be a reply when a delay notice carries In-Reply-To of our message', async () => {
    expect(await classify(postfixDsn('4.4.7', 'delayed', { inReplyTo: OUR_ID }))).toMatchObject({ kind: 'delay', status: '4.4.7' });
  });

  it('should be a delay when a 4.x.x DSN gave up (Action: failed) after its queue lifetime', async () => {
    expect(await classify(postfixDsn('4.4.7', 'failed'))).toMatchObject({ kind: 'delay', status: '4.4.7' });
  });

  it('should be other when the DSN reports successful delivery (2.0.0)', async () => {
    const raw = postfixDsn('5.1.1', 'failed').replace('Action: failed', 'Action: delivered').replace('Status: 5.1.1', 'Status: 2.0.0').replace(/550 5\.1\.1 User unknown/g, '250 2.0.0 Ok');
    expect(await classify(raw)).toEqual({ kind: 'other' });
  });

  it('should be a permanent bounce when a qmail "failure notice" quotes a 5.x.x code, taking the Message-ID from the returned copy', async () => {
    const raw = rawMessage(
      [
        ['From', 'MAILER-DAEMON@mx.klient.example.pl'],
        ['To', 'ola@acme.example'],
        ['Subject', 'failure notice'],
      ],
      [
        'Hi. This is the qmail-send program at mx.klient.example.pl.',
        "I'm afraid I wasn't able to deliver your message to the following addresses.",
        "This is a permanent error; I've given up. Sorry it didn't work out.",
        '',
        '<jan.kowalski@klient.example.pl>:',
        '192.0.2.10 does not like recipient.',
        'Remote host said: 550 5.1.1 <jan.kowalski@klient.example.pl>: Recipient address rejected: User unknown',
        'Giving up on 192.0.2.10.',
        '',
        '--- Below this line is a copy of the message.',
        '',
        OUR_SEQUENCE_EMAIL_HEADERS.replace(/\r\n/g, '\n'),
        '',
        'Hi Jan, a quick question. (Tested with release 5.2.3.)',
      ].join('\n'),
    );
    expect(await classify(raw)).toEqual({
      kind: 'bounce',
      permanent: true,
      status: '5.1.1',
      failedRecipient: 'jan.kowalski@klient.example.pl',
      originalMessageId: OUR_ID,
      diagnostic: 'Remote host said: 550 5.1.1 <jan.kowalski@klient.example.pl>: Recipient address rejected: User unknown',
    });
  });

  it('should be a permanent bounce when an Exim notice has X-Failed-Recipients and only a 5xx reply code with a failure phrase', async () => {
    const raw = rawMessage(
      [
        ['From', 'Mail Delivery System <Mailer-Daemon@mail.acme.example>'],
        ['To', 'ola@acme.example'],
        ['Subject', 'Mail delivery failed: returning message to sender'],
        ['X-Failed-Recipients', 'jan.kowalski@klient.example.pl'],
        ['Auto-Submitted', 'auto-replied'],
      ],
      [
        'This message was created automatically by mail delivery software.',
        '',
        'A message that you sent could not be delivered to one or more of its',
        'recipients. The following address(es) failed:',
        '',
        '  jan.kowalski@klient.example.pl',
        '    host mx.klient.example.pl [192.0.2.10]',
        '    SMTP error from remote mail server after RCPT TO:<jan.kowalski@klient.example.pl>:',
        '    550 No such user here',
      ].join('\n'),
    );
    expect(await classify(raw)).toMatchObject({
      kind: 'bounce',
      status: '5.0.0',
      failedRecipient: 'jan.kowalski@klient.example.pl',
      diagnostic: '550 No such user here',
    });
  });

  it('should be a permanent bounce when a Gmail text bounce has a 550 5.1.1 line and In-Reply-To of our message', async () => {
    const raw = rawMessage(
      [
        ['From', 'Mail Delivery Subsystem <mailer-daemon@googlemail.com>'],
        ['To', 'ola@acme.example'],
        ['Subject', 'Delivery Status Notification (Failure)'],
        ['In-Reply-To', OUR_ID],
        ['References', OUR_ID],
        ['X-Failed-Recipients', 'jan.kowalski@klient.example.pl'],
        ['Auto-Submitted', 'auto-replied'],
        ['Content-Type', 'text/plain; charset=ISO-8859-1'],
      ],
      [
        'Delivery to the following recipient failed permanently:',
        '',
        '     jan.kowalski@klient.example.pl',
        '',
        'Technical details of permanent failure:',
        "Google tried to deliver your message, but it was rejected by the server for the recipient domain klient.example.pl by mx.klient.example.pl. [192.0.2.10].",
        '',
        'The error that the other server returned was:',
        "550 5.1.1 <jan.kowalski@klient.example.pl>: Recipient address rejected: User unknown in virtual mailbox table",
      ].join('\n'),
    );
    expect(await classify(raw)).toMatchObject({
      kind: 'bounce',
      status: '5.1.1',
      failedRecipient: 'jan.kowalski@klient.example.pl',
      originalMessageId: OUR_ID,
    });
  });

  it('should be a permanent bounce when an HTML-only Office 365 style NDR in windows-1252 carries the code', async () => {
    const html =
      '<html><body><p><b><font color="#000066" size="3">Your message to jan.kowalski@klient.example.pl couldn\x92t be delivered.</font></b></p>' +
      '<p>jan.kowalski wasn\x92t found at klient.example.pl.</p>' +
      '<p>Remote Server returned \x91550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup\x92</p></body></html>';
    const raw = Buffer.concat([
      Buffer.from(
        rawMessage(
          [
            ['From', 'Microsoft Outlook <postmaster@klient.example.pl>'],
            ['To', 'ola@acme.example'],
            ['Subject', 'Undeliverable: Quick question about your Q3 roadmap'],
            ['Content-Type', 'text/html; charset="windows-1252"'],
            ['Content-Transfer-Encoding', '8bit'],
          ],
          '',
        ),
      ),
      Buffer.from(html, 'latin1'),
    ]);
    for (const [label, options] of [...PARSER_OPTION_SETS, ['skipHtmlToText', { skipHtmlToText: true }] as [string, SimpleParserOptions]]) {
      expect(await classify(raw, facts, options), label).toMatchObject({ kind: 'bounce', status: '5.1.10', failedRecipient: 'jan.kowalski@klient.example.pl' });
    }
  });

  it('should be other, never a reply, when a mail-system notice has no code even though it is threaded under our message', async () => {
    const raw = rawMessage(
      [
        ['From', 'postmaster@klient.example.pl'],
        ['Subject', 'Undeliverable message'],
        ['In-Reply-To', OUR_ID],
      ],
      'Your message was not delivered to jan.kowalski@klient.example.pl because the recipient is not listed in the directory.',
    );
    expect(await classify(raw)).toEqual({ kind: 'other' });
  });

  it('should be a permanent bounce with status 5.0.0 when the mail system says the error is permanent without a code', async () => {
    const raw = rawMessage(
      [
        ['From', 'Mail Delivery System <MAILER-DAEMON@mx.acme.example>'],
        ['Subject', 'Mail delivery failed: returning message to sender'],
      ],
      'A message that you sent could not be delivered to one or more of its\nrecipients. This is a permanent error. The following address(es) failed:\n\n  jan.kowalski@klient.example.pl\n    Unrouteable address',
    );
    expect(await classify(raw)).toMatchObject({ kind: 'bounce', status: '5.0.0', failedRecipient: 'jan.kowalski@klient.example.pl' });
  });

  it('should be a delay when Exim gave up after the retry timeout', async () => {
    const raw = rawMessage(
      [
        ['From', 'Mail Delivery System <MAILER-DAEMON@mx.acme.example>'],
        ['Subject', 'Mail delivery failed: returning message to sender'],
      ],
      'A message that you sent could not be delivered to one or more of its\nrecipients. This is a permanent error. The following address(es) failed:\n\n  jan.kowalski@klient.example.pl\n    retry timeout exceeded',
    );
    expect(await classify(raw)).toMatchObject({ kind: 'delay', status: '4.4.7' });
  });

  it('should be a delay when a text warning says the message is still being retried with a 4xx code', async () => {
    const raw = rawMessage(
      [
        ['From', 'Mail Delivery Subsystem <MAILER-DAEMON@mx.acme.example>'],
        ['Subject', 'Warning: could not send message for past 4 hours'],
      ],
      '    **********************************************\n    **      THIS IS A WARNING MESSAGE ONLY      **\n    **  YOU DO NOT NEED TO RESEND YOUR MESSAGE  **\n    **********************************************\n\nThe original message was received at Tue, 10 Mar 2026 09:00:00 +0100\n\n   ----- Transcript of session follows -----\n<jan.kowalski@klient.example.pl>... Deferred: 421 Service temporarily unavailable\nWarning: message still undelivered after 4 hours\nWill keep trying until message is 5 days old',
    );
    expect(await classify(raw)).toMatchObject({ kind: 'delay', failedRecipient: 'jan.kowalski@klient.example.pl' });
  });

  it('should be a permanent bounce when a headerless delivery-status fragment says 5.x.x', async () => {
    const raw = 'Reporting-MTA: dns; mx.acme.example\n\nFinal-Recipient: rfc822; jan@klient.example.pl\nAction: failed\nStatus: 5.1.1\n';
    expect(await classify(raw, nothingIsOurs)).toMatchObject({ kind: 'bounce', status: '5.1.1', failedRecipient: 'jan@klient.example.pl' });
  });
});

// ---------------------------------------------------------------------------------------------
// Complaints
// ---------------------------------------------------------------------------------------------

describe('classifyInbound — ARF complaints', () => {
  it('should be a complaint with the recipient and our original Message-ID when an ARF report arrives', async () => {
    const boundary = 'ARF_BOUNDARY_1';
    const raw = [
      'From: <abuse-report@isp.example>',
      'To: <abuse@acme.example>',
      'Subject: Abuse report',
      'MIME-Version: 1.0',
      `Content-Type: multipart/report; report-type=feedback-report; boundary="${boundary}"`,
      '',
      `--${boundary}`,
      'Content-Type: text/plain; charset="US-ASCII"',
      '',
      'This is an email abuse report for an email message received from IP 192.0.2.1.',
      '',
      `--${boundary}`,
      'Content-Type: message/feedback-report',
      '',
      'Feedback-Type: abuse',
      'User-Agent: SomeGenerator/1.0',
      'Version: 1',
      'Original-Mail-From: <ola@acme.example>',
      'Original-Rcpt-To: <jan.kowalski@klient.example.pl>',
      'Source-IP: 192.0.2.1',
      '',
      `--${boundary}`,
      'Content-Type: message/rfc822',
      'Content-Disposition: inline',
      '',
      OUR_SEQUENCE_EMAIL_HEADERS,
      '',
      'Hi Jan, a quick question.',
      `--${boundary}--`,
      '',
    ].join('\r\n');
    expect(await classify(raw)).toEqual({ kind: 'complaint', originalMessageId: OUR_ID, recipient: 'jan.kowalski@klient.example.pl' });
  });

  it('should still be a complaint, without the original Message-ID, when mailparser defaults fold the inline message/rfc822 part into the text', async () => {
    // mailparser parses an inline embedded message and keeps only From/To/Subject/Date of it in
    // `text`: the reason for INBOUND_PARSER_OPTIONS.ignoreEmbedded.
    const raw = [
      'From: <abuse-report@isp.example>',
      'Subject: Abuse report',
      'MIME-Version: 1.0',
      'Content-Type: multipart/report; report-type=feedback-report; boundary="b"',
      '',
      '--b',
      'Content-Type: message/feedback-report',
      '',
      'Feedback-Type: abuse',
      'Original-Rcpt-To: <jan.kowalski@klient.example.pl>',
      '',
      '--b',
      'Content-Type: message/rfc822',
      'Content-Disposition: inline',
      '',
      OUR_SEQUENCE_EMAIL_HEADERS,
      '',
      'Hi Jan.',
      '--b--',
      '',
    ].join('\r\n');
    expect(await classify(raw, facts, {})).toEqual({ kind: 'complaint', originalMessageId: null, recipient: 'jan.kowalski@klient.example.pl' });
  });
});

// ---------------------------------------------------------------------------------------------
// Robustness
// ---------------------------------------------------------------------------------------------

describe('classifyInbound — malformed input never throws', () => {
  it('should classify messages with broken headers, unknown charsets and broken MIME without throwing', async () => {
    const samples: Array<string | Buffer> = [
      '',
      '\r\n\r\n',
      'no colon header line\r\nanother one\r\n\r\nbody',
      'From: <<<>>>\r\nSubject: =?x-unknown?Q?=FF=FE?=\r\nIn-Reply-To: <unterminated\r\nReferences: ,,, <> <@> <a@b\r\n\r\nbody',
      'Content-Type: multipart/report; report-type=delivery-status\r\n\r\n--nobody\r\nStatus: 5.1.1\r\n',
      'Content-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\nContent-Type: message/delivery-status\r\n\r\nStatus: 9.9.9.9\r\nAction: \r\nFinal-Recipient: ;;;\r\n--b\r\nContent-Type: message/rfc822\r\n\r\n--b--',
      'Content-Type: text/plain; charset=utf-7\r\nFrom: a@b\r\n\r\n+ZeVnLIqe-',
      Buffer.from([0xff, 0xfe, 0x00, 0x0d, 0x0a, 0x0d, 0x0a, 0x80, 0x81]),
      'From: MAILER-DAEMON\r\nSubject: failure notice\r\n\r\n' + '5'.repeat(10_000),
    ];
    for (const raw of samples) {
      const mail = await simpleParser(raw, INBOUND_PARSER_OPTIONS);
      expect(() => classifyInbound(mail, facts)).not.toThrow();
    }
  });

  it('should return other for values that are not a parsed mail and survive throwing look-ups', () => {
    const throwing: ClassifierFacts = {
      isOurMessageId: () => {
        throw new Error('db down');
      },
      isEnrolledAddress: () => {
        throw new Error('db down');
      },
    };
    const odd: unknown[] = [
      null,
      undefined,
      42,
      'text',
      {},
      { headers: 'not a map' },
      { headers: new Map<string, unknown>([['content-type', { value: 42 }], ['from', [{ value: [null, { address: 7 }] }]]]) },
      { headers: new Map(), attachments: [null, { contentType: 'message/delivery-status', content: 'Status: 5.1.1\nAction: failed' }] },
      { headers: new Map(), text: 42, html: {}, subject: [], inReplyTo: {}, references: [1, 2, 3] },
    ];
    for (const v of odd) {
      expect(() => classifyInbound(v as ParsedMail, throwing)).not.toThrow();
      expect(() => classifyInbound(v as ParsedMail, undefined as unknown as ClassifierFacts)).not.toThrow();
    }
    expect(classifyInbound(null as unknown as ParsedMail, facts)).toEqual({ kind: 'other' });
  });

  it('should classify a reply with a 12 MB attachment quickly', async () => {
    const raw = await compose({
      from: 'jan@klient.example.pl',
      to: 'ola@acme.example',
      subject: 'Re: Quick question',
      inReplyTo: OUR_ID,
      text: 'Deck attached.',
      attachments: [{ filename: 'deck.pdf', content: Buffer.alloc(12 * 1024 * 1024, 0x25), contentType: 'application/pdf' }],
    });
    const mail = await simpleParser(raw, INBOUND_PARSER_OPTIONS);
    const started = performance.now();
    expect(classifyInbound(mail, facts)).toMatchObject({ kind: 'reply', matchedBy: 'thread' });
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('should stay fast on pathological text (long runs without separators, many blank lines, unclosed tags)', () => {
    const big = 200_000;
    const bodies = [
      'a'.repeat(big),
      '\n'.repeat(big),
      '-'.repeat(big),
      ' '.repeat(big) + 'x',
      '<'.repeat(big),
      '550 '.repeat(big / 4),
      '5.1.'.repeat(big / 4),
      'Message-ID: <' + 'a'.repeat(big),
      'x@'.repeat(big / 2),
      ' \n'.repeat(big / 2),
      '\t \t'.repeat(big / 3),
      'a: b\n '.repeat(big / 6),
      'Status: 5.'.repeat(big / 10),
    ];
    for (const text of bodies) {
      const mail = {
        headers: new Map<string, unknown>([
          ['from', { value: [{ address: 'MAILER-DAEMON@mx.example', name: '' }], text: 'MAILER-DAEMON@mx.example', html: '' }],
          ['subject', 'failure notice'],
          ['content-type', { value: 'multipart/report', params: { 'report-type': 'delivery-status' } }],
        ]),
        subject: 'failure notice',
        text,
        html: text,
        attachments: [{ contentType: 'message/rfc822', content: Buffer.from(text) }],
      } as unknown as ParsedMail;
      const started = performance.now();
      classifyInbound(mail, facts);
      expect(performance.now() - started, JSON.stringify(text.slice(0, 12))).toBeLessThan(2000);
    }
  });
});

describe('addressesOf', () => {
  it('should list lower-case mailbox addresses of an address header with groups flattened', async () => {
    const mail = await simpleParser(
      rawMessage(
        [
          ['From', '"Kowalski, Jan" <Jan.Kowalski@Klient.Example.PL>'],
          ['To', 'Team: a@x.example, B@Y.example;, c@z.example'],
        ],
        'x',
      ),
    );
    expect(addressesOf(mail)).toEqual(['jan.kowalski@klient.example.pl']);
    expect(addressesOf(mail, 'to')).toEqual(['a@x.example', 'b@y.example', 'c@z.example']);
    expect(addressesOf(mail, 'cc')).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// Fuzzing
// ---------------------------------------------------------------------------------------------

const KINDS = ['reply', 'auto_reply', 'bounce', 'delay', 'complaint', 'other'];

const headerName = fc.oneof(
  fc.constantFrom(
    'From',
    'To',
    'Subject',
    'In-Reply-To',
    'References',
    'Message-ID',
    'Content-Type',
    'Content-Transfer-Encoding',
    'Auto-Submitted',
    'X-Autoreply',
    'X-Autorespond',
    'Precedence',
    'X-Failed-Recipients',
    'Return-Path',
    'MIME-Version',
  ),
  fc.stringMatching(/^[A-Za-z][A-Za-z0-9-]{0,20}$/),
);
const headerValue = fc.oneof(
  fc.string({ maxLength: 80 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom(
    OUR_ID,
    'MAILER-DAEMON@mx.example',
    'jan@klient.example.pl',
    'multipart/report; report-type=delivery-status; boundary="b"',
    'multipart/report; report-type=feedback-report; boundary="b"',
    'multipart/mixed; boundary="b"',
    'text/html; charset=iso-2022-jp',
    'text/plain; charset=x-unknown',
    'base64',
    'quoted-printable',
    'auto-replied',
    'Undelivered Mail Returned to Sender',
    '=?UTF-8?B?QXV0b21hdHljem5hIG9kcG93aWVkxbo=?=',
    '=?broken?Q?=ZZ?=',
  ),
);
const bodyPart = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.constantFrom(
    '--b\r\nContent-Type: message/delivery-status\r\n\r\nFinal-Recipient: rfc822; jan@klient.example.pl\r\nAction: failed\r\nStatus: 5.1.1\r\n',
    '--b\r\nContent-Type: message/rfc822\r\n\r\nMessage-ID: ' + OUR_ID + '\r\n\r\nhi\r\n',
    '--b\r\nContent-Type: text/rfc822-headers\r\n\r\nMessage-ID: <x@y>\r\n',
    '--b\r\nContent-Type: message/feedback-report\r\n\r\nFeedback-Type: abuse\r\nOriginal-Rcpt-To: a@b\r\n',
    '--b\r\nContent-Type: text/html\r\n\r\n<p>550 5.1.1 user unknown</p>\r\n',
    '--b--\r\n',
    '550 5.1.1 <jan@klient.example.pl>... User unknown\r\n',
    '=?utf-8?q?broken',
  ),
);

describe('classifyInbound — fuzzing (fast-check)', () => {
  it('should never throw when random headers and bodies are parsed by simpleParser and classified', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(headerName, headerValue), { maxLength: 12 }),
        fc.array(bodyPart, { maxLength: 6 }),
        fc.constantFrom('\r\n', '\n', '\r'),
        fc.boolean(),
        async (headers, parts, eol, useDefaults) => {
          const raw = headers.map(([k, v]) => `${k}: ${v}`).join(eol) + eol + eol + parts.join(eol);
          const mail = await simpleParser(raw, useDefaults ? {} : INBOUND_PARSER_OPTIONS);
          const result = classifyInbound(mail, facts);
          expect(KINDS).toContain(result.kind);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('should never throw on random bytes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 2000 }), async (bytes) => {
        const mail = await simpleParser(Buffer.from(bytes), INBOUND_PARSER_OPTIONS);
        expect(KINDS).toContain(classifyInbound(mail, facts).kind);
      }),
      { numRuns: 300 },
    );
  });

  it('should never throw on arbitrary values shaped like a parsed mail', () => {
    const anyValue = fc.anything({ maxDepth: 3 });
    fc.assert(
      fc.property(
        fc.record(
          {
            headers: fc.oneof(anyValue, fc.array(fc.tuple(fc.string({ maxLength: 20 }), anyValue), { maxLength: 8 }).map((e) => new Map(e))),
            attachments: fc.oneof(anyValue, fc.array(fc.record({ contentType: anyValue, content: fc.oneof(anyValue, fc.uint8Array().map((b) => Buffer.from(b))) }), { maxLength: 4 })),
            text: anyValue,
            html: anyValue,
            subject: anyValue,
            inReplyTo: anyValue,
            references: anyValue,
            from: anyValue,
          },
          { requiredKeys: [] },
        ),
        (mail) => {
          expect(KINDS).toContain(classifyInbound(mail as unknown as ParsedMail, facts).kind);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('should classify every RFC 3464 DSN whose per-recipient Status is 5.x.x as a permanent bounce with that status', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 7 }),
        fc.integer({ min: 0, max: 999 }),
        fc.constantFrom('failed', 'Failed'),
        fc.stringMatching(/^[a-z][a-z0-9.]{0,15}$/),
        fc.string({ maxLength: 60 }).filter((s) => !/[\r\n]/.test(s)),
        fc.boolean(),
        async (subject, detail, action, local, diagnostic, useDefaults) => {
          const status = `5.${subject}.${detail}`;
          const raw = [
            'From: MAILER-DAEMON@mx.example',
            'Subject: Delivery Status Notification (Failure)',
            'Content-Type: multipart/report; report-type=delivery-status; boundary="b"',
            '',
            '--b',
            'Content-Type: text/plain',
            '',
            'Delivery failed.',
            '--b',
            'Content-Type: message/delivery-status',
            '',
            'Reporting-MTA: dns; mx.example',
            '',
            `Final-Recipient: rfc822; ${local}@klient.example.pl`,
            `Action: ${action}`,
            `Status: ${status}`,
            `Diagnostic-Code: smtp; ${diagnostic}`,
            '--b--',
            '',
          ].join('\r\n');
          const mail = await simpleParser(raw, useDefaults ? {} : INBOUND_PARSER_OPTIONS);
          expect(classifyInbound(mail, facts)).toMatchObject({ kind: 'bounce', status, failedRecipient: `${local}@klient.example.pl` });
        },
      ),
      { numRuns: 200 },
    );
  });

  it('should never call a message with an auto-reply header a reply, whatever its thread headers say', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(['Auto-Submitted', 'auto-replied'], ['Auto-Submitted', 'auto-generated'], ['X-Autoreply', 'yes'], ['X-Autorespond', 'on'], ['Precedence', 'auto_reply']),
        fc.string({ maxLength: 60 }).filter((s) => !/[\r\n]/.test(s)),
        fc.string({ maxLength: 200 }),
        async ([name, value], subject, body) => {
          const raw = rawMessage(
            [
              ['From', 'jan@klient.example.pl'],
              ['Subject', subject],
              ['In-Reply-To', OUR_ID],
              [name, value],
            ],
            body,
          );
          const result = await classify(raw);
          expect(result.kind).not.toBe('reply');
        },
      ),
      { numRuns: 200 },
    );
  });
});
