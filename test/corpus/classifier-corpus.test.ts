/**
 * The inbound classifier against real mail: ../shared/mail-corpus (sisimai set-of-emails, mailgun
 * talon and flanker fixtures; see its SOURCES.md for licences and labels). The corpus is read in
 * place at test time and never copied into this repository. Without it the suite is skipped with a
 * warning. `npx tsx test/corpus/report.ts` prints the full label × classification table.
 */
import { describe, it, expect, beforeAll } from 'vitest';
import { existsSync } from 'node:fs';
import { simpleParser, type SimpleParserOptions } from 'mailparser';
import { classifyInbound, INBOUND_PARSER_OPTIONS, type ClassificationKind, type ClassifierFacts } from '../../src/domain/inbound/index.js';
import { CORPUS_DIR, classifyCorpus, describeResult, factsFor, loadCorpus, toCrlf, type CorpusMessage, type Result } from './report.js';

const present = existsSync(CORPUS_DIR);
if (!present) {
  console.warn(`[classifier-corpus] ${CORPUS_DIR} is absent: the real-mail corpus suite is skipped.`);
}

const OPTION_SETS: Array<[string, SimpleParserOptions]> = [
  ['INBOUND_PARSER_OPTIONS', INBOUND_PARSER_OPTIONS],
  ['mailparser defaults', {}],
];

function share(results: Result[], ok: (r: Result) => boolean): { hit: number; total: number; misses: string[] } {
  const misses = results.filter((r) => !ok(r)).map((r) => `${r.msg.id} → ${describeResult(r.result)} [${r.msg.statuses.join(' ')}]`);
  return { hit: results.length - misses.length, total: results.length, misses };
}

/** A real ARF message: multipart/report; report-type=feedback-report, or a message/feedback-report part. */
function isArfFormat(msg: CorpusMessage): boolean {
  const text = msg.raw.toString('latin1');
  return /report-type\s*=\s*"?feedback-report/i.test(text) || /content-type:\s*message\/feedback-report/i.test(text);
}

describe.skipIf(!present)('inbound classifier on the real-mail corpus (../shared/mail-corpus)', () => {
  let messages: CorpusMessage[] = [];
  const results = new Map<string, Result[]>();

  beforeAll(async () => {
    messages = loadCorpus();
    for (const [label, options] of OPTION_SETS) results.set(label, await classifyCorpus(messages, options));
  }, 120_000);

  it('should load at least 200 messages, .eml files and split mbox files, with labels', () => {
    expect(messages.length).toBeGreaterThanOrEqual(200);
    expect(messages.filter((m) => m.id.includes('#')).length).toBeGreaterThanOrEqual(30); // mbox-0 and mbox-1
    expect(messages.filter((m) => m.expected === 'human reply').length).toBe(13);
    expect(messages.filter((m) => m.expected === 'bounce 5.x.x').length).toBeGreaterThan(400);
  });

  it('should parse and classify every message without a throw, raw bytes included, with both parser option sets', async () => {
    let classified = 0;
    for (const [, options] of OPTION_SETS) {
      for (const msg of messages) {
        // Raw bytes as stored (CR-only files included), and CR-only files also as CRLF.
        for (const raw of msg.crOnly ? [msg.raw, toCrlf(msg.raw)] : [msg.raw]) {
          const mail = await simpleParser(raw, options);
          const everythingOurs: ClassifierFacts = { isOurMessageId: () => true, isEnrolledAddress: () => true };
          expect(() => classifyInbound(mail, factsFor(msg, mail)), msg.id).not.toThrow();
          expect(() => classifyInbound(mail, everythingOurs), msg.id).not.toThrow();
          classified++;
        }
      }
    }
    expect(classified).toBeGreaterThanOrEqual(2 * 200);
  }, 120_000);

  for (const [label] of OPTION_SETS) {
    describe(`parsed with ${label}`, () => {
      const get = (): Result[] => results.get(label) ?? [];

      it('should classify at least 95% of the sisimai/flanker bounces whose 5.x.x status occurs in the message as permanent bounces', () => {
        // "bounce 5.x.x": sisimai's expected status is a real code found in the message (or flanker's
        // Status:), plus the sisimai files whose label was derived from their own Status: field.
        // sisimai's pseudo codes 5.0.9xx / 5.9.2xx are its own verdict on code-less notices, which
        // the classifier deliberately does not call hard bounces (a permanent failure needs a code
        // or the mail system's own "permanent error" statement); they are reported separately.
        const hard = get().filter((r) => r.msg.expected === 'bounce 5.x.x' || r.msg.expected === 'bounce 5.x.x (status derived from message)');
        const { hit, total, misses } = share(hard, (r) => r.result.kind === 'bounce');
        expect(total).toBeGreaterThan(500);
        expect(hit / total, misses.join('\n')).toBeGreaterThanOrEqual(0.95);
      });

      it('should report the status of the label for at least 90% of those bounces', () => {
        const hard = get().filter(
          (r) => (r.msg.expected === 'bounce 5.x.x' || r.msg.expected === 'bounce 5.x.x (status derived from message)') && r.result.kind === 'bounce',
        );
        const { hit, total, misses } = share(hard, (r) => r.result.kind === 'bounce' && r.msg.statuses.includes(r.result.status));
        expect(hit / total, misses.join('\n')).toBeGreaterThanOrEqual(0.9);
      });

      it('should never call a bounce with only a sisimai pseudo code a reply or a complaint', () => {
        const pseudo = get().filter((r) => r.msg.expected === 'bounce 5.x.x (sisimai pseudo code only)');
        expect(pseudo.length).toBeGreaterThan(100);
        const kinds = new Set<ClassificationKind>(pseudo.map((r) => r.result.kind));
        expect(kinds.has('reply')).toBe(false);
        expect(kinds.has('complaint')).toBe(false);
      });

      it('should classify at least 90% of the 4.x.x bounces as delays and none as replies', () => {
        const soft = get().filter((r) => r.msg.expected === 'bounce 4.x.x');
        const { hit, total, misses } = share(soft, (r) => r.result.kind === 'delay');
        expect(hit / total, misses.join('\n')).toBeGreaterThanOrEqual(0.9);
        expect(soft.some((r) => r.result.kind === 'reply')).toBe(false);
      });

      it('should classify every talon human reply as a reply, never as a bounce or an auto-reply', () => {
        const human = get().filter((r) => r.msg.expected === 'human reply');
        expect(human).toHaveLength(13);
        for (const r of human) {
          expect(['bounce', 'auto_reply'], r.msg.id).not.toContain(r.result.kind);
          expect(r.result, r.msg.id).toMatchObject({ kind: 'reply', matchedBy: 'address' });
        }
      });

      it('should classify every RFC 3834 vacation sample as an auto-reply', () => {
        const vacation = get().filter((r) => r.msg.expected === 'auto-reply (vacation)');
        expect(vacation.length).toBeGreaterThanOrEqual(5);
        for (const r of vacation) expect(r.result.kind, r.msg.id).toBe('auto_reply');
        // rfc3834-06: a Mimecast "mailbox no longer in use" auto-response (sisimai: suspend).
        const mimecast = get().find((r) => r.msg.id.endsWith('maildir/bsd/rfc3834-06.eml'));
        expect(['auto_reply', 'bounce']).toContain(mimecast?.result.kind);
      });

      it('should classify every ARF-format feedback report as a complaint', () => {
        // Two sisimai "feedback" samples are not ARF: an Amazon SES SNS JSON notification and an
        // Apple Mail unsubscribe request; they are counted in the report, not asserted here.
        const arf = get().filter((r) => r.msg.expected === 'feedback report (ARF)' && (isArfFormat(r.msg) || r.msg.source === 'flanker'));
        expect(arf.length).toBeGreaterThanOrEqual(15);
        for (const r of arf) expect(r.result.kind, r.msg.id).toBe('complaint');
        // Microsoft JMRP reports (multipart/mixed, not ARF) are recognised too.
        const jmrp = get().filter((r) => /maildir\/bsd\/arf-2[234]\.eml$/.test(r.msg.id));
        for (const r of jmrp) expect(r.result.kind, r.msg.id).toBe('complaint');
      });

      it('should never classify a success DSN or a non-bounce sample as a bounce', () => {
        for (const r of get().filter((x) => x.msg.expected === 'success DSN (2.x.x)' || x.msg.expected === 'not a bounce')) {
          expect(r.result.kind, r.msg.id).not.toBe('bounce');
        }
      });
    });
  }

  it('should never turn a bounce, delay notice, complaint or auto-reply into a reply even when every Message-ID is ours', async () => {
    const everythingOurs: ClassifierFacts = { isOurMessageId: () => true, isEnrolledAddress: () => false };
    const offenders: string[] = [];
    for (const msg of messages) {
      if (msg.source === 'talon' || msg.expected === 'not a bounce' || msg.expected === 'edge file (not a message)') continue;
      const mail = await simpleParser(msg.crOnly ? toCrlf(msg.raw) : msg.raw, INBOUND_PARSER_OPTIONS);
      // A bounce that a person forwarded ("Fwd: Returned mail: …", sendmail-14, make-test-36) is a
      // message from that person: answering our thread with it is a reply.
      if (/^\s*(?:fwd?|fw)\s*:/i.test(mail.subject ?? '')) continue;
      const result = classifyInbound(mail, everythingOurs);
      if (result.kind === 'reply') offenders.push(`${msg.id} (${msg.expected})`);
    }
    expect(offenders).toEqual([]);
  }, 120_000);
});
