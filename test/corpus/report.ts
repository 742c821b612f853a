/**
 * Runs the inbound classifier over the real-mail corpus in ../shared/mail-corpus (see its
 * SOURCES.md; the corpus is read in place, never copied into this repository) and prints a table of
 * counts per label vs classification.
 *
 *   npx tsx test/corpus/report.ts            # table
 *   npx tsx test/corpus/report.ts --misses   # also list the messages whose result is not the expected one
 *
 * Also the loader used by test/corpus/classifier-corpus.test.ts.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { simpleParser, type ParsedMail, type SimpleParserOptions } from 'mailparser';
import {
  classifyInbound,
  addressesOf,
  INBOUND_PARSER_OPTIONS,
  type Classification,
  type ClassifierFacts,
} from '../../src/domain/inbound/index.js';

const here = dirname(fileURLToPath(import.meta.url));

/** ../shared/mail-corpus next to the repository, or $SEQFLOW_MAIL_CORPUS. */
export const CORPUS_DIR = process.env.SEQFLOW_MAIL_CORPUS ?? resolve(here, '../../../shared/mail-corpus');

export type Source = 'sisimai' | 'talon' | 'flanker';

/** What the labels say a message is, as one of the report's rows. */
export type Expected =
  | 'bounce 5.x.x'
  | 'bounce 5.x.x (sisimai pseudo code only)'
  | 'bounce 5.x.x (status derived from message)'
  | 'bounce 4.x.x'
  | 'bounce, no status'
  | 'auto-reply (vacation)'
  | 'feedback report (ARF)'
  | 'success DSN (2.x.x)'
  | 'not a bounce'
  | 'human reply'
  | 'mbox message (unlabelled)'
  | 'edge file (not a message)';

export interface CorpusMessage {
  /** Path relative to the corpus, with `#n` for the n-th message of an mbox file. */
  id: string;
  source: Source;
  raw: Buffer;
  expected: Expected;
  /** sisimai's per-recipient statuses, talon/flanker status. */
  statuses: string[];
  /** The file has CR-only line endings (sisimai maildir/mac). */
  crOnly: boolean;
}

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out;
}

/** Minimal RFC 4180 CSV reader (quoted fields, doubled quotes, newlines inside quotes). */
export function parseCsv(text: string): Record<string, string>[] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      field = '';
      if (row.some((f) => f !== '')) rows.push(row);
      row = [];
    } else field += c;
  }
  if (field !== '' || row.length) {
    row.push(field);
    rows.push(row);
  }
  const [head, ...body] = rows;
  return body.map((r) => Object.fromEntries(head.map((h, i) => [h, r[i] ?? ''])));
}

function readLabels(file: string): Record<string, string>[] {
  return existsSync(file) ? parseCsv(readFileSync(file, 'utf8')) : [];
}

/** sisimai's internal codes (5.0.9xx, 5.9.2xx, 4.0.9xx): its own verdict, not a code found in the message. */
export function isPseudoStatus(status: string): boolean {
  return /^[45]\.0\.9\d\d$/.test(status) || /^[45]\.9\.2\d\d$/.test(status);
}

function sisimaiExpected(rows: Record<string, string>[]): { expected: Expected; statuses: string[] } {
  const statuses = rows.map((r) => r.status).filter(Boolean);
  const kind = rows[0]?.message_kind ?? '';
  const classes = new Set(rows.map((r) => r.status_class));
  if (kind === 'auto-reply') return { expected: 'auto-reply (vacation)', statuses };
  if (kind === 'feedback-report') return { expected: 'feedback report (ARF)', statuses };
  if (kind === 'dsn-delivered') return { expected: 'success DSN (2.x.x)', statuses };
  if (kind.startsWith('not-bounce')) return { expected: 'not a bounce', statuses };
  if (kind.startsWith('bounce')) {
    const derived = kind !== 'bounce';
    if (classes.has('5')) {
      if (derived) return { expected: 'bounce 5.x.x (status derived from message)', statuses };
      // 5.0.9xx / 5.9.2xx are sisimai-internal codes that do not occur in the message.
      const real = statuses.some((st) => st.startsWith('5.') && !isPseudoStatus(st));
      return { expected: real ? 'bounce 5.x.x' : 'bounce 5.x.x (sisimai pseudo code only)', statuses };
    }
    if (classes.has('4')) return { expected: 'bounce 4.x.x', statuses };
    return { expected: 'bounce, no status', statuses };
  }
  return { expected: 'bounce, no status', statuses };
}

/** Splits a Unix mbox file on its `From ` separator lines (un-escaping `>From `). */
export function splitMbox(buf: Buffer): Buffer[] {
  const text = buf.toString('latin1');
  if (!text.startsWith('From ')) return [buf];
  const parts = text.split(/\n(?=From )/);
  return parts.map((p) => {
    const body = p.replace(/^From [^\n]*\n/, '').replace(/^>(>*From )/gm, '$1');
    return Buffer.from(body, 'latin1');
  });
}

/** Every message of the corpus with its label; empty when the corpus is absent. */
export function loadCorpus(dir = CORPUS_DIR): CorpusMessage[] {
  if (!existsSync(dir)) return [];
  const labels = new Map<string, Record<string, string>[]>();
  for (const [source, folder] of [
    ['sisimai', 'sisimai-set-of-emails'],
    ['talon', 'mailgun-talon'],
    ['flanker', 'mailgun-flanker'],
  ] as const) {
    for (const row of readLabels(join(dir, folder, 'labels.csv'))) {
      const key = `${source}:${row.file}`;
      labels.set(key, [...(labels.get(key) ?? []), row]);
    }
  }
  const out: CorpusMessage[] = [];
  for (const path of walk(dir)) {
    const rel = relative(dir, path).split(sep).join('/');
    const [folder, ...rest] = rel.split('/');
    const inFolder = rest.join('/');
    const source: Source | null =
      folder === 'sisimai-set-of-emails' ? 'sisimai' : folder === 'mailgun-talon' ? 'talon' : folder === 'mailgun-flanker' ? 'flanker' : null;
    if (!source) continue;
    const raw = readFileSync(path);
    const crOnly = raw.includes(0x0d) && !raw.includes(0x0a);
    if (source === 'sisimai' && inFolder.startsWith('mailbox/')) {
      const messages = splitMbox(raw);
      const edge = !raw.toString('latin1').startsWith('From ');
      messages.forEach((m, i) =>
        out.push({
          id: edge ? rel : `${rel}#${i + 1}`,
          source,
          raw: m,
          expected: edge ? 'edge file (not a message)' : 'mbox message (unlabelled)',
          statuses: [],
          crOnly: false,
        }),
      );
      continue;
    }
    if (!path.endsWith('.eml')) continue;
    const rows = labels.get(`${source}:${inFolder}`) ?? [];
    let expected: Expected;
    let statuses: string[] = [];
    if (source === 'sisimai') ({ expected, statuses } = sisimaiExpected(rows));
    else if (source === 'talon') expected = 'human reply';
    else {
      const r = rows[0];
      statuses = r?.status ? [r.status] : [];
      if (r?.message_kind === 'complaint' || inFolder.startsWith('complaints/')) expected = 'feedback report (ARF)';
      else if (r?.status_class === '5') expected = 'bounce 5.x.x';
      else if (r?.status_class === '4') expected = 'bounce 4.x.x';
      else expected = 'bounce, no status';
    }
    out.push({ id: rel, source, raw, expected, statuses, crOnly });
  }
  return out;
}

/** CR-only files (classic Mac line endings) as an IMAP server would hand them out: CRLF. */
export function toCrlf(raw: Buffer): Buffer {
  return Buffer.from(raw.toString('latin1').replace(/\r(?!\n)/g, '\r\n'), 'latin1');
}

/** The facts the corpus is classified with: nothing is ours; a talon human reply's From is enrolled. */
export function factsFor(msg: CorpusMessage, mail: ParsedMail): ClassifierFacts {
  const enrolled = new Set(msg.expected === 'human reply' ? addressesOf(mail, 'from') : []);
  return { isOurMessageId: () => false, isEnrolledAddress: (a) => enrolled.has(a) };
}

export interface Result {
  msg: CorpusMessage;
  result: Classification;
  /** Classification of the raw bytes when they differ from what was classified (CR-only files). */
  rawResult?: Classification;
}

/** Parses (mailparser defaults, `keepDeliveryStatus` when asked) and classifies every message. */
export async function classifyCorpus(messages: CorpusMessage[], options: SimpleParserOptions = {}): Promise<Result[]> {
  const results: Result[] = [];
  for (const msg of messages) {
    const classify = async (raw: Buffer): Promise<Classification> => {
      const mail = await simpleParser(raw, options);
      return classifyInbound(mail, factsFor(msg, mail));
    };
    if (msg.crOnly) {
      const rawResult = await classify(msg.raw);
      results.push({ msg, result: await classify(toCrlf(msg.raw)), rawResult });
    } else results.push({ msg, result: await classify(msg.raw) });
  }
  return results;
}

export function describeResult(r: Classification): string {
  switch (r.kind) {
    case 'bounce':
      return `bounce ${r.status}`;
    case 'delay':
      return `delay ${r.status}`;
    default:
      return r.kind;
  }
}

const COLUMNS = ['bounce', 'delay', 'complaint', 'auto_reply', 'reply', 'other'] as const;

export function table(results: Result[]): string {
  const rows = new Map<string, Map<string, number>>();
  for (const { msg, result } of results) {
    const row = rows.get(msg.expected) ?? new Map<string, number>();
    row.set(result.kind, (row.get(result.kind) ?? 0) + 1);
    rows.set(msg.expected, row);
  }
  const labelWidth = Math.max(...[...rows.keys()].map((k) => k.length), 'label \\ classification'.length);
  const header = ['label \\ classification'.padEnd(labelWidth), ...COLUMNS.map((c) => c.padStart(10)), 'total'.padStart(7)];
  const lines = [`| ${header.join(' | ')} |`, `|${header.map((h) => '-'.repeat(h.length + 2)).join('|')}|`];
  const order = [...rows.keys()].sort();
  const totals = new Map<string, number>();
  for (const label of order) {
    const row = rows.get(label) as Map<string, number>;
    let total = 0;
    const cells = COLUMNS.map((c) => {
      const n = row.get(c) ?? 0;
      total += n;
      totals.set(c, (totals.get(c) ?? 0) + n);
      return String(n || '·').padStart(10);
    });
    lines.push(`| ${label.padEnd(labelWidth)} | ${cells.join(' | ')} | ${String(total).padStart(7)} |`);
  }
  const all = [...totals.values()].reduce((a, b) => a + b, 0);
  lines.push(
    `| ${'total'.padEnd(labelWidth)} | ${COLUMNS.map((c) => String(totals.get(c) ?? 0).padStart(10)).join(' | ')} | ${String(all).padStart(7)} |`,
  );
  return lines.join('\n');
}

/** Is the result what the label asks for? null when the label sets no expectation. */
export function meetsExpectation(expected: Expected, r: Classification): boolean | null {
  switch (expected) {
    case 'bounce 5.x.x':
    case 'bounce 5.x.x (sisimai pseudo code only)':
    case 'bounce 5.x.x (status derived from message)':
      return r.kind === 'bounce';
    case 'bounce 4.x.x':
      return r.kind === 'delay';
    case 'auto-reply (vacation)':
      return r.kind === 'auto_reply';
    case 'feedback report (ARF)':
      return r.kind === 'complaint';
    case 'success DSN (2.x.x)':
      return r.kind === 'other';
    case 'human reply':
      return r.kind === 'reply';
    case 'not a bounce':
      return r.kind !== 'bounce';
    default:
      return null;
  }
}

function expectationLines(results: Result[]): string[] {
  const byLabel = new Map<string, [number, number]>();
  for (const { msg, result } of results) {
    const ok = meetsExpectation(msg.expected, result);
    if (ok === null) continue;
    const [hit, n] = byLabel.get(msg.expected) ?? [0, 0];
    byLabel.set(msg.expected, [hit + (ok ? 1 : 0), n + 1]);
  }
  const lines = [...byLabel.entries()]
    .sort()
    .map(([k, [hit, n]]) => `  ${k.padEnd(44)} ${String(hit).padStart(4)} / ${String(n).padEnd(4)} ${((100 * hit) / n).toFixed(1)}%`);
  const hard = results.filter(
    (r) => (r.msg.expected === 'bounce 5.x.x' || r.msg.expected === 'bounce 5.x.x (status derived from message)') && r.result.kind === 'bounce',
  );
  const same = hard.filter((r) => r.result.kind === 'bounce' && r.msg.statuses.includes(r.result.status)).length;
  lines.push(`  ${'status equal to the label (bounces above)'.padEnd(44)} ${String(same).padStart(4)} / ${String(hard.length).padEnd(4)} ${((100 * same) / hard.length).toFixed(1)}%`);
  return lines;
}

async function main(): Promise<void> {
  const messages = loadCorpus();
  if (messages.length === 0) {
    console.warn(`mail corpus not found at ${CORPUS_DIR}`);
    process.exitCode = 1;
    return;
  }
  const recommended = await classifyCorpus(messages, { ...INBOUND_PARSER_OPTIONS });
  console.log(
    `Inbound classifier on ${CORPUS_DIR} — ${recommended.length} messages, simpleParser(raw, ${JSON.stringify(INBOUND_PARSER_OPTIONS)})\n`,
  );
  console.log(table(recommended));
  console.log(
    '\nExpected outcome per label (5.x.x → bounce, 4.x.x → delay, vacation → auto_reply, ARF → complaint, 2.x.x → other, human → reply, not a bounce → anything but bounce):',
  );
  for (const line of expectationLines(recommended)) console.log(line);
  const defaults = await classifyCorpus(messages, {});
  console.log('\nThe same with mailparser default options:');
  for (const line of expectationLines(defaults)) console.log(line);
  const found = (rs: Result[], key: 'originalMessageId' | 'failedRecipient') => {
    const b = rs.filter((r) => r.result.kind === 'bounce' || r.result.kind === 'delay');
    return `${b.filter((r) => (r.result as Record<string, unknown>)[key]).length} / ${b.length}`;
  };
  console.log(
    `\nBounces and delays with a failed recipient: ${found(recommended, 'failedRecipient')}; with an original Message-ID: ${found(recommended, 'originalMessageId')} (defaults: ${found(defaults, 'originalMessageId')}).`,
  );
  const cr = recommended.filter((r) => r.rawResult);
  if (cr.length) {
    const rawOther = cr.filter((r) => r.rawResult?.kind === 'other').length;
    console.log(
      `${cr.length} CR-only files (maildir/mac) were classified after CR → CRLF; as raw bytes mailparser finds no header/body split and ${rawOther} of them come out 'other' (no throw).`,
    );
  }
  if (process.argv.includes('--misses')) {
    console.log('\nMisses:');
    for (const { msg, result } of recommended) {
      if (meetsExpectation(msg.expected, result) === false) {
        console.log(`  ${msg.id.padEnd(70)} ${msg.expected.padEnd(44)} → ${describeResult(result)}  [${msg.statuses.join(' ')}]`);
      }
    }
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  await main();
}
