/**
 * Test helper: an SMTP server on 127.0.0.1 that answers each message (numbered from 1) the way
 * `behaviour` says, after the message data has been read:
 *   accept   → 250, the parsed message is appended to `messages`
 *   tempfail → 451
 *   reject   → 554
 *   hang     → never answers (a server that dies mid-conversation); close() destroys it.
 *   slow     → 250 after `slowMs` (a server that takes its time), the message appended
 */
import { envelopeOf, parseReceivedMail, smtpReply, startLoopbackSmtp, type ReceivedMail } from './dev-mail-server.js';

export type SinkBehaviour = 'accept' | 'tempfail' | 'reject' | 'hang' | 'slow';

export interface SmtpSink {
  port: number;
  messages: ReceivedMail[];
  /** Connections opened / closed so far, to observe the sender's connection reuse. */
  stats: { connections: number; closed: number };
  close(): Promise<void>;
}

export async function startSmtpSink(
  opts: {
    port?: 0;
    behaviour?: (n: number) => SinkBehaviour;
    slowMs?: number;
    /** Recipients refused at RCPT TO with this reply, e.g. { 'gone@example.com': '550 5.1.1 No such user' }. */
    refuseRecipients?: Record<string, string>;
  } = {},
): Promise<SmtpSink> {
  const behaviour = opts.behaviour ?? (() => 'accept');
  const messages: ReceivedMail[] = [];
  const stats = { connections: 0, closed: 0 };
  let count = 0;
  const smtp = await startLoopbackSmtp({
    host: '127.0.0.1',
    port: opts.port ?? 0,
    closeGraceMs: 0,
    onConnection: () => void stats.connections++,
    onConnectionClosed: () => void stats.closed++,
    checkRecipient: (address) => {
      const reply = opts.refuseRecipients?.[address.toLowerCase()];
      return reply ? smtpReply(Number(reply.slice(0, 3)), reply.slice(4)) : null;
    },
    async handle(raw, session) {
      const n = ++count;
      switch (behaviour(n)) {
        case 'accept':
          messages.push(await parseReceivedMail(raw, envelopeOf(session), Date.now()));
          return;
        case 'tempfail':
          throw smtpReply(451, 'Sink: try again later');
        case 'reject':
          throw smtpReply(554, 'Sink: message rejected');
        case 'hang':
          return new Promise<void>(() => {});
        case 'slow':
          await new Promise((r) => setTimeout(r, opts.slowMs ?? 1000));
          messages.push(await parseReceivedMail(raw, envelopeOf(session), Date.now()));
          return;
      }
    },
  });
  return { port: smtp.port, messages, stats, close: smtp.close };
}
