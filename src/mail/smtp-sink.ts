/**
 * Test helper: an SMTP server on 127.0.0.1 that answers each message (numbered from 1) the way
 * `behaviour` says, after the message data has been read:
 *   accept   → 250, the parsed message is appended to `messages`
 *   tempfail → 451
 *   reject   → 554
 *   hang     → never answers (a server that dies mid-conversation); close() destroys it.
 */
import { envelopeOf, parseReceivedMail, smtpReply, startLoopbackSmtp, type ReceivedMail } from './dev-mail-server.js';

export type SinkBehaviour = 'accept' | 'tempfail' | 'reject' | 'hang';

export interface SmtpSink {
  port: number;
  messages: ReceivedMail[];
  /** Connections opened / closed so far, to observe the sender's connection reuse. */
  stats: { connections: number; closed: number };
  close(): Promise<void>;
}

export async function startSmtpSink(opts: { port?: 0; behaviour?: (n: number) => SinkBehaviour } = {}): Promise<SmtpSink> {
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
      }
    },
  });
  return { port: smtp.port, messages, stats, close: smtp.close };
}
