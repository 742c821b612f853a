/**
 * Outbound SMTP through nodemailer: one transport per transportKey (an inbox), re-created when
 * that key's SmtpSettings change. Every failure is classified by whether the server may have
 * accepted the message, which is what the exactly-once send ledger needs (ARCHITECTURE §3.1).
 */
import type { Readable } from 'node:stream';
import nodemailer from 'nodemailer';
import type { NodemailerError, SendMailOptions, SMTPSentMessageInfo, Transporter } from 'nodemailer';
import type { SmtpSettings } from '../domain/glossary.js';
import { DEFAULT_MAIL_HOST_POLICY, resolveMailHost, type MailHostPolicy } from './host-policy.js';

export interface OutgoingEmail {
  from: string;
  to: string;
  subject: string;
  html: string;
  text: string;
  /** '<...@domain>', becomes the Message-ID header verbatim. */
  messageId: string;
  /** The Date header; the sender's clock, so a fake clock shows in the message too. */
  date?: Date;
  inReplyTo?: string;
  references?: string[];
  /** e.g. List-Unsubscribe, List-Unsubscribe-Post */
  headers?: Record<string, string>;
}

export type SendOutcome =
  | { kind: 'accepted'; response: string }
  /** Definitely not accepted (4xx reply, or failed before any message data was sent): safe to retry. */
  | { kind: 'retryable'; error: string; auth?: AuthRefusal }
  /** 5xx reply (or refused by nodemailer itself before sending): permanent failure. */
  | { kind: 'rejected'; error: string; auth?: AuthRefusal }
  /** 5xx saying the recipient's address does not exist or is disabled (5.1.1 and kin): a bounce at send time. */
  | { kind: 'bounced'; error: string }
  /** Lost after message data started, with no reply: the server may have accepted it. */
  | { kind: 'uncertain'; error: string };

/** The server refused the sign-in (nothing was sent): an OAuth inbox refreshes its token or has lost access. */
export interface AuthRefusal {
  responseCode?: number;
  response?: string;
}

export interface SmtpSender {
  send(transportKey: string, smtp: SmtpSettings, email: OutgoingEmail): Promise<SendOutcome>;
  close(): Promise<void>;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const MAX_CONNECTIONS = 2;

export function createSmtpSender(opts: { timeoutMs?: number; pool?: boolean; hostPolicy?: MailHostPolicy } = {}): SmtpSender {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const hostPolicy = opts.hostPolicy ?? DEFAULT_MAIL_HOST_POLICY;
  const pool = opts.pool ?? true;
  const transports = new Map<string, { settingsKey: string; transporter: Transporter<SMTPSentMessageInfo> }>();
  const inFlight = new Set<Promise<SendOutcome>>();
  let closed = false;

  const transportFor = (key: string, smtp: SmtpSettings, servername: string | undefined): Transporter<SMTPSentMessageInfo> => {
    const settingsKey = JSON.stringify([smtp.host, servername ?? null, smtp.port, smtp.secure ?? null, smtp.auth?.user ?? null, smtp.auth?.pass ?? null, smtp.xoauth2 ?? null]);
    const existing = transports.get(key);
    if (existing && existing.settingsKey === settingsKey) return existing.transporter;
    // Not forced: a delivery already running on the old transport finishes on it.
    existing?.transporter.close();
    const transporter = createTransport(smtp, timeoutMs, pool, servername);
    transports.set(key, { settingsKey, transporter });
    return transporter;
  };

  const deliver = async (key: string, smtp: SmtpSettings, email: OutgoingEmail): Promise<SendOutcome> => {
    const tracker: StreamTracker = { streams: [] };
    try {
      // Checked on every send, on the address dialled (src/mail/host-policy.ts); refused means nothing was sent.
      const target = await resolveMailHost(smtp.host, hostPolicy);
      const info = await transportFor(key, { ...smtp, host: target.address }, target.servername).sendMail(mailOptions(email, tracker));
      return { kind: 'accepted', response: info.response };
    } catch (err) {
      return classifySendError(err, tracker.streams.some((s) => s.readableDidRead));
    }
  };

  return {
    send(transportKey, smtp, email) {
      if (closed) return Promise.resolve({ kind: 'retryable', error: 'SMTP sender is closed' });
      const p = deliver(transportKey, smtp, email);
      inFlight.add(p);
      void p.finally(() => inFlight.delete(p));
      return p;
    },
    async close() {
      closed = true;
      for (const { transporter } of transports.values()) transporter.close();
      transports.clear();
      // Let running deliveries end with a real answer rather than cutting them to 'uncertain'.
      await Promise.allSettled([...inFlight]);
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Classification

/**
 * Why not classify from `command` alone: nodemailer (smtp-connection/index.js) reports every
 * socket error, unexpected close and socket timeout with command 'CONN', whatever stage the
 * session is in, including while the message data is being written. So the decisive signal for
 * a failure without a reply code is whether the message stream was read (`readableDidRead`):
 * nodemailer pipes it into the socket only after the server answered DATA with 354. The pool
 * itself uses the same test to decide that a message may be requeued.
 *
 * | error                                                            | outcome    |
 * |------------------------------------------------------------------|------------|
 * | responseCode 4xx (any stage, incl. after the data)               | retryable  |
 * | responseCode 5xx naming the recipient's address (see below)      | bounced    |
 * | responseCode 5xx (any other)                                     | rejected   |
 * | no reply, EENVELOPE/EMESSAGE/EMAXRECIPIENTS/ECONFIG, not sent    | rejected   |
 * | no reply, message data never read (ECONNREFUSED, EDNS, ETLS,     | retryable  |
 * |   EAUTH, connect/greeting timeout, drop before/at MAIL/RCPT/DATA)|            |
 * | no reply, message data started (ETIMEDOUT, ECONNECTION, ESOCKET, | uncertain  |
 * |   ESTREAM during or after the data)                              |            |
 */
export function classifySendError(err: unknown, messageDataStarted: boolean): SendOutcome {
  const e = (typeof err === 'object' && err !== null ? err : { message: String(err) }) as NodemailerError;
  const error = describeError(e);
  const reply = typeof e.responseCode === 'number' ? e.responseCode : 0;
  if (e.code === 'EAUTH') {
    const auth = { responseCode: reply || undefined, response: typeof e.response === 'string' ? e.response : undefined };
    return reply >= 500 ? { kind: 'rejected', error, auth } : { kind: 'retryable', error, auth };
  }
  if (reply >= 400 && reply < 500) return { kind: 'retryable', error };
  if (reply >= 500 && reply < 600) return isRecipientBounce(e, reply) ? { kind: 'bounced', error } : { kind: 'rejected', error };
  // Exactly-once first: once data may have reached the server, only a reply code can settle it.
  if (messageDataStarted) return { kind: 'uncertain', error };
  // Refused by nodemailer before talking (bad address, larger than the server's SIZE): a retry fails the same way.
  if (e.code !== undefined && LOCAL_PERMANENT_CODES.has(e.code)) return { kind: 'rejected', error };
  return { kind: 'retryable', error };
}

const LOCAL_PERMANENT_CODES = new Set(['EENVELOPE', 'EMESSAGE', 'EMAXRECIPIENTS', 'ECONFIG']);

/**
 * Does a 5xx say the recipient's address is bad (a hard bounce), rather than that the message or
 * the sender was refused? By the enhanced status code (RFC 3463) when there is one: 5.1.x is
 * about addresses (but 5.1.7/5.1.8 about the sender's) and 5.2.1 a disabled mailbox; policy and
 * content refusals (5.7.x, 5.6.x) and a full mailbox (5.2.2) are not the contact's fault. Without
 * one, only the classic RCPT TO replies 550/551/553 ("no such user", "user not local",
 * "mailbox name not allowed") count.
 */
function isRecipientBounce(e: NodemailerError, reply: number): boolean {
  const enhanced = /\b5\.(\d{1,3})\.(\d{1,3})\b/.exec(typeof e.response === 'string' ? e.response : '');
  if (enhanced) {
    const [subject, detail] = [Number(enhanced[1]), Number(enhanced[2])];
    return (subject === 1 && detail !== 7 && detail !== 8) || (subject === 2 && detail === 1);
  }
  return e.command === 'RCPT TO' && (reply === 550 || reply === 551 || reply === 553);
}

function describeError(e: NodemailerError): string {
  const parts = [e.code, e.command].filter((x): x is string => typeof x === 'string' && x.length > 0);
  const message = e.message || 'unknown error';
  return parts.length ? `${parts.join(' ')}: ${message}` : message;
}

// ---------------------------------------------------------------------------------------------
// nodemailer wiring

interface StreamTracker {
  streams: Readable[];
}
/** Carried in the mail data (nodemailer copies own string keys) so the plugin finds the send's tracker. */
const TRACKER_KEY = '__seqflowStreamTracker';

/** A password login, or XOAUTH2 with a token the caller refreshed (nodemailer never refreshes it itself). */
export function smtpAuth(smtp: SmtpSettings) {
  if (smtp.xoauth2) return { type: 'OAuth2' as const, user: smtp.xoauth2.user, accessToken: smtp.xoauth2.accessToken };
  return smtp.auth ? { user: smtp.auth.user, pass: smtp.auth.pass } : undefined;
}

const LOOPBACK_V4 = /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || LOOPBACK_V4.test(h);
}

function createTransport(smtp: SmtpSettings, timeoutMs: number, pool: boolean, servername?: string): Transporter<SMTPSentMessageInfo> {
  // By the name given, not the address it resolved to: a name is verified as any remote host's.
  const loopback = isLoopbackHost(servername ?? smtp.host);
  // nodemailer resolves names with dns.resolve4/6 (a network query even for 'localhost'); skip that for loopback.
  const host = loopback && smtp.host.toLowerCase() === 'localhost' ? '127.0.0.1' : smtp.host.replace(/^\[|\]$/g, '');
  const common = {
    host,
    servername,
    port: smtp.port,
    secure: smtp.secure,
    auth: smtpAuth(smtp),
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
    dnsTimeout: timeoutMs,
    // Self-signed certificates are normal on a local relay; never relaxed for a remote host.
    tls: loopback ? { rejectUnauthorized: false } : undefined,
    logger: false,
    // No `proxy` option on purpose: nodemailer only proxies when told to, it reads no env vars.
  };
  const transporter: Transporter<SMTPSentMessageInfo> = pool
    ? nodemailer.createTransport({ ...common, pool: true, maxConnections: MAX_CONNECTIONS, maxRequeues: 2 })
    : nodemailer.createTransport(common);
  transporter.use('stream', (mail, done) => {
    const tracker = (mail.data as Record<string, unknown>)[TRACKER_KEY] as StreamTracker | undefined;
    if (tracker) {
      // Called for every stream the transport creates (again after a pool requeue); kept unchanged.
      mail.message.processFunc((input) => {
        tracker.streams.push(input);
        return input;
      });
    }
    done();
  });
  return transporter;
}

function mailOptions(email: OutgoingEmail, tracker: StreamTracker): SendMailOptions {
  const options: SendMailOptions & { [TRACKER_KEY]: StreamTracker } = {
    from: email.from,
    to: email.to,
    subject: email.subject,
    html: email.html,
    text: email.text,
    messageId: email.messageId,
    ...(email.date && { date: email.date }),
    headers: email.headers ? { ...email.headers } : undefined,
    [TRACKER_KEY]: tracker,
  };
  if (email.inReplyTo) options.inReplyTo = email.inReplyTo;
  if (email.references && email.references.length > 0) options.references = email.references;
  return options;
}
