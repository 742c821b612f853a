/**
 * The sink both Seqflow and the graphile-worker baseline send to: accepts everything and notes,
 * per recipient, when it answered 250. It does not parse the messages (the dev sink does), so
 * its cost per message is the same small amount for either side and stays out of the figures.
 */
import { startLoopbackSmtp } from '../src/mail/dev-mail-server.js';

export interface TimingSink {
  port: number;
  /** Recipient (lower case) → epoch ms of the 250 reply; the first delivery wins. */
  acceptedAt: Map<string, number>;
  duplicates: number;
  connections: number;
  close(): Promise<void>;
}

export async function startTimingSink(): Promise<TimingSink> {
  const state = { acceptedAt: new Map<string, number>(), duplicates: 0, connections: 0 };
  const smtp = await startLoopbackSmtp({
    host: '127.0.0.1',
    port: 0,
    closeGraceMs: 0,
    onConnection: () => void state.connections++,
    handle: async (_raw, session) => {
      const at = Date.now();
      for (const r of session.envelope.rcptTo) {
        const to = r.address.toLowerCase();
        if (state.acceptedAt.has(to)) state.duplicates++;
        else state.acceptedAt.set(to, at);
      }
    },
  });
  return {
    port: smtp.port,
    get acceptedAt() {
      return state.acceptedAt;
    },
    get duplicates() {
      return state.duplicates;
    },
    get connections() {
      return state.connections;
    },
    close: smtp.close,
  };
}
