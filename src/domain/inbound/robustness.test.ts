import { describe, it, expect } from 'vitest';
import { simpleParser, type ParsedMail } from 'mailparser';
import { classifyInbound, INBOUND_PARSER_OPTIONS, type ClassifierFacts } from './index.js';
import { OUR_ID, facts, classify, compose } from './test-fixtures.js';

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
