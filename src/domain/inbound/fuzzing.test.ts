import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { simpleParser, type ParsedMail } from 'mailparser';
import { classifyInbound, INBOUND_PARSER_OPTIONS } from './index.js';
import { OUR_ID, facts, rawMessage, classify } from './test-fixtures.js';

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
