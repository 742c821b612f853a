import { describe, it, expect } from 'vitest';
import { classifyInbound, INBOUND_PARSER_OPTIONS } from './index.js';
import { OUR_ID, facts, classify, OUR_SEQUENCE_EMAIL_HEADERS } from './test-fixtures.js';

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
