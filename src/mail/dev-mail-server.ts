/**
 * The built-in development mail server: SMTP on loopback, no AUTH, no TLS. Every message is
 * read (within INBOUND_LIMITS) and handed to `onMessage`, even one that cannot be read: it comes
 * with `problem` set, because refusing it would only make a client retry or bounce what the
 * inbound path quarantines and shows. When `onMessage` throws (the database is down) the client
 * gets a 451 so it retries.
 *
 * The lower-level `startLoopbackSmtp` is shared with the test sink (smtp-sink.ts).
 */
import type { Socket } from 'node:net';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import type { AddressObject, HeaderValue } from 'mailparser';
import { readInboundMessage, type InboundProblem } from './read-inbound.js';
import { isLoopbackHost } from './smtp-sender.js';

export interface ReceivedMail {
  messageId: string | null;
  from: string;
  to: string[];
  subject: string;
  text: string;
  html: string | null;
  headers: Record<string, string>;
  raw: string;
  /** The bytes as received (`raw` is their UTF-8 reading, for display). */
  source: Buffer;
  inReplyTo: string | null;
  references: string[];
  receivedAt: number;
  /** Why the message could not be read in full; its fields then hold what could be. */
  problem: InboundProblem | null;
}

export interface DevMailServer {
  host: string;
  port: number;
  close(): Promise<void>;
}

const DEFAULT_SIZE = 25 * 1024 * 1024;

export function startDevMailServer(opts: {
  host?: string;
  port: number /* 0 = any free */;
  onMessage: (mail: ReceivedMail) => Promise<void>;
  now?: () => number;
  size?: number;
}): Promise<DevMailServer> {
  const now = opts.now ?? Date.now;
  return startLoopbackSmtp({
    host: opts.host,
    port: opts.port,
    size: opts.size ?? DEFAULT_SIZE,
    closeGraceMs: 2_000,
    async handle(raw, session) {
      const mail = await parseReceivedMail(raw, envelopeOf(session), now());
      try {
        await opts.onMessage(mail);
      } catch (err) {
        throw smtpReply(451, `Temporary failure storing message: ${errorText(err)}`);
      }
    },
  });
}

// ---------------------------------------------------------------------------------------------
// Shared with smtp-sink.ts

/** An error whose responseCode smtp-server sends as the reply to the message data. */
export function smtpReply(code: number, message: string): Error & { responseCode: number } {
  return Object.assign(new Error(message), { responseCode: code });
}

export interface LoopbackSmtp {
  host: string;
  port: number;
  server: SMTPServer;
  close(): Promise<void>;
}

/**
 * Starts smtp-server on a loopback address. `handle` gets each message (raw bytes); resolving
 * answers 250, throwing answers with the error's responseCode (451 if it has none), a promise
 * that never settles never answers. close() stops accepting, lets handlers finish for up to
 * `closeGraceMs`, then destroys every remaining connection so nothing keeps the process alive.
 */
export async function startLoopbackSmtp(opts: {
  host?: string;
  port: number;
  size?: number;
  closeGraceMs: number;
  handle: (raw: Buffer, session: SMTPServerSession) => Promise<void>;
  onConnection?: () => void;
  onConnectionClosed?: () => void;
  /** An error with a responseCode refuses that recipient at RCPT TO (a test sink playing a strict server). */
  checkRecipient?: (address: string) => (Error & { responseCode: number }) | null;
}): Promise<LoopbackSmtp> {
  const requested = opts.host ?? '127.0.0.1';
  if (!isLoopbackHost(requested)) {
    // No auth and no TLS: must never be reachable from another machine.
    throw new Error(`dev mail server must listen on loopback, got ${requested}`);
  }
  // 'localhost' could resolve to either family; pin it so the reported host is what we bound.
  const host = requested.toLowerCase() === 'localhost' ? '127.0.0.1' : requested.replace(/^\[|\]$/g, '');
  const inFlight = new Set<Promise<void>>();
  const sockets = new Set<Socket>();

  const server = new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'],
    authOptional: true,
    disableReverseLookup: true, // no DNS traffic leaving the machine
    logger: false,
    size: opts.size,
    rejectOversized: opts.size !== undefined,
    banner: 'Seqflow development mail server',
    onConnect(_session, callback) {
      opts.onConnection?.();
      callback();
    },
    onClose() {
      opts.onConnectionClosed?.();
    },
    onRcptTo(address, _session, callback) {
      callback(opts.checkRecipient?.(address.address) ?? undefined);
    },
    onData(stream: SMTPServerDataStream, session, callback) {
      const work = (async () => {
        const raw = await readAll(stream, opts.size);
        if (stream.sizeExceeded) throw smtpReply(552, 'Message exceeds fixed maximum message size');
        await opts.handle(raw, session);
      })();
      inFlight.add(work);
      work.then(
        () => callback(null, 'OK: message accepted'),
        (err: unknown) => {
          const code = (err as { responseCode?: unknown }).responseCode;
          callback(typeof code === 'number' ? (err as Error) : smtpReply(451, `Temporary failure: ${errorText(err)}`));
        },
      ).finally(() => inFlight.delete(work));
    },
  });
  // Client resets (e.g. a sender timing out) surface here; an unhandled 'error' would crash.
  server.on('error', () => {});
  server.server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    server.server.once('error', onError);
    server.listen(opts.port, host, () => {
      server.server.off('error', onError);
      resolve();
    });
  });
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;

  let closing: Promise<void> | null = null;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      if (inFlight.size > 0 && opts.closeGraceMs > 0) {
        await Promise.race([Promise.allSettled([...inFlight]), delay(opts.closeGraceMs)]);
      }
      for (const socket of sockets) socket.destroy();
      await closed;
    })();
    return closing;
  };
  return { host, port, server, close };
}

export const envelopeOf = (session: SMTPServerSession) => ({
  from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
  to: session.envelope.rcptTo.map((r) => r.address),
});

/** Turns raw message bytes plus the SMTP envelope into a ReceivedMail; never throws (see `problem`). */
export async function parseReceivedMail(raw: Buffer, envelope: { from: string; to: string[] }, receivedAt: number): Promise<ReceivedMail> {
  const { mail: parsed, problem } = await readInboundMessage(raw);
  const refs = parsed?.references;
  return {
    messageId: parsed?.messageId ?? null,
    from: parsed?.from?.text || envelope.from,
    to: envelope.to.map((a) => a.toLowerCase()),
    subject: parsed?.subject ?? '',
    text: parsed?.text ?? '',
    html: parsed?.html || null,
    headers: parsed ? flattenHeaders(parsed.headerLines, parsed.headers) : {},
    raw: raw.toString('utf8'),
    source: raw,
    inReplyTo: parsed?.inReplyTo ?? null,
    references: refs === undefined ? [] : Array.isArray(refs) ? refs : [refs],
    receivedAt,
    problem,
  };
}

/**
 * One string per lower-case header name. Decoded values where mailparser gives a plain string or
 * an address; otherwise the raw line unfolded (List-* headers are only kept raw by mailparser).
 * Repeated headers (Received…) are joined with newlines, References ids with spaces.
 */
function flattenHeaders(lines: ReadonlyArray<{ key: string; line: string }>, parsed: Map<string, HeaderValue>): Record<string, string> {
  const out: Record<string, string> = {};
  const rawByKey = new Map<string, string[]>();
  for (const { key, line } of lines) {
    const k = key.toLowerCase();
    const colon = line.indexOf(':');
    const value = (colon >= 0 ? line.slice(colon + 1) : line).replace(/\r?\n[ \t]+/g, ' ').trim();
    const list = rawByKey.get(k) ?? [];
    list.push(value);
    rawByKey.set(k, list);
  }
  for (const [k, raws] of rawByKey) {
    const v = parsed.get(k);
    if (typeof v === 'string') out[k] = v;
    else if (Array.isArray(v) && v.every((x) => typeof x === 'string')) out[k] = (v as string[]).join(k === 'references' ? ' ' : '\n');
    else if (isAddressObject(v)) out[k] = v.text;
    else out[k] = raws.join('\n');
  }
  return out;
}

function isAddressObject(v: unknown): v is AddressObject {
  return typeof v === 'object' && v !== null && 'value' in v && 'text' in v && Array.isArray((v as AddressObject).value);
}

/** Reads the DATA stream; stops buffering past `limit` (smtp-server still drains and flags it). */
async function readAll(stream: SMTPServerDataStream, limit: number | undefined): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (limit === undefined || size <= limit) chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    t.unref();
  });
}
