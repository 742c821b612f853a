import { describe, it, expect } from 'vitest';
import type { SimpleParserOptions } from 'mailparser';
import { classifyInbound } from './index.js';
import { OUR_ID, facts, nothingIsOurs, PARSER_OPTION_SETS, rawMessage, classify, OUR_SEQUENCE_EMAIL_HEADERS, postfixDsn } from './test-fixtures.js';

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
