/**
 * Reads one inbound message within INBOUND_LIMITS. Never throws: what cannot be read comes back
 * as a problem (the reason it is quarantined), with the message's headers when those at least
 * could be read, so a reply that is otherwise unreadable can still end its enrollment.
 *
 * The only parsing here is mailparser's; this module only decides how much of the bytes it gets.
 */
import type { ParsedMail } from 'mailparser';
import { INBOUND_PARSER_OPTIONS } from '../domain/inbound/index.js';
import { INBOUND_LIMITS } from '../domain/inbound-limits.js';
import { quarantineText, type InboundQuarantineReason } from '../domain/reasons.js';

export interface InboundProblem {
  reason: InboundQuarantineReason;
  detail: string;
}

export interface InboundRead {
  /** The parsed message (only its header block when `headersOnly`); null when nothing usable could be read. */
  mail: ParsedMail | null;
  headersOnly: boolean;
  /** Why the message goes to quarantine; null for a message read like any other. */
  problem: InboundProblem | null;
}

const BLANK_LINE = Buffer.from('\r\n\r\n');
/** mailparser and its decoders (~6 MB of heap) load with the first message read, not at start. */
const mailparser = () => import('mailparser');

/**
 * `truncated`: `raw` is only the first bytes of a larger message (the watcher fetched no more).
 * A message larger than `maxSourceBytes` is read from its header block only, as if truncated.
 */
export async function readInboundMessage(raw: Buffer, opts: { truncated?: boolean } = {}): Promise<InboundRead> {
  try {
    return await read(raw, opts.truncated === true);
  } catch (err) {
    // Every parser failure is handled below; this is for the one nobody foresaw.
    return { mail: null, headersOnly: true, problem: problemOf(err) };
  }
}

async function read(raw: Buffer, fetchedHeadOnly: boolean): Promise<InboundRead> {
  const headEnd = headerBlockEnd(raw, INBOUND_LIMITS.maxHeaderBytes);
  const truncated = fetchedHeadOnly || raw.length > INBOUND_LIMITS.maxSourceBytes;
  if (headEnd === null && (truncated || raw.length > INBOUND_LIMITS.maxHeaderBytes)) {
    return { mail: null, headersOnly: true, problem: { reason: 'HEADER_TOO_LARGE', detail: `${quarantineText('HEADER_TOO_LARGE')} It does not end within the first ${kib(INBOUND_LIMITS.maxHeaderBytes)}.` } };
  }
  // Too big to parse whole is not a fault: a reply with a large attachment is still a reply.
  if (truncated) return headersOf(raw.subarray(0, headEnd!), null);
  let mail: ParsedMail;
  try {
    mail = await (await mailparser()).simpleParser(raw, INBOUND_PARSER_OPTIONS);
  } catch (err) {
    const problem = problemOf(err);
    return headEnd === null ? { mail: null, headersOnly: true, problem } : headersOf(raw.subarray(0, headEnd), problem);
  }
  return looksLikeMessage(mail) ? { mail, headersOnly: false, problem: null } : { mail: null, headersOnly: false, problem: notAMessage() };
}

/** Parses a header block alone; `problem` is why the whole message could not be read, if it could not. */
async function headersOf(head: Buffer, problem: InboundProblem | null): Promise<InboundRead> {
  try {
    const mail = await (await mailparser()).simpleParser(Buffer.concat([head, BLANK_LINE]), INBOUND_PARSER_OPTIONS);
    if (looksLikeMessage(mail)) return { mail, headersOnly: true, problem };
    return { mail: null, headersOnly: true, problem: problem ?? notAMessage() };
  } catch (err) {
    return { mail: null, headersOnly: true, problem: problem ?? problemOf(err) };
  }
}

/** Where the top-level header block ends (before its blank line), if within `max` bytes. */
export function headerBlockEnd(raw: Buffer, max: number): number | null {
  const window = raw.subarray(0, max + BLANK_LINE.length);
  const ends = [window.indexOf('\r\n\r\n'), window.indexOf('\n\n')].filter((i) => i >= 0 && i <= max);
  return ends.length ? Math.min(...ends) : null;
}

/** Random bytes parse into "headers" too; a message has at least one of these. */
function looksLikeMessage(mail: ParsedMail): boolean {
  return ['from', 'sender', 'message-id', 'date'].some((h) => mail.headers.has(h));
}

const notAMessage = (): InboundProblem => ({ reason: 'NOT_A_MESSAGE', detail: quarantineText('NOT_A_MESSAGE') });

function problemOf(err: unknown): InboundProblem {
  const e = err as { code?: unknown; message?: unknown };
  const message = typeof e?.message === 'string' ? e.message : String(err);
  const reason: InboundQuarantineReason =
    e?.code === 'EMAXLEN' && /child nodes/i.test(message) ? 'TOO_MANY_PARTS' : e?.code === 'EMAXLEN' && /header/i.test(message) ? 'HEADER_TOO_LARGE' : 'UNPARSEABLE';
  const limit = reason === 'TOO_MANY_PARTS' ? ` (limit ${INBOUND_LIMITS.maxParts})` : '';
  return { reason, detail: `${quarantineText(reason)}${limit} ${message}`.slice(0, 1000) };
}

const kib = (bytes: number) => `${Math.round(bytes / 1024)} KiB`;
