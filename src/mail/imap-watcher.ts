/**
 * Watches one IMAP mailbox for new messages: IDLE for prompt delivery, a poll as the fallback
 * when IDLE is missing or silently dead, and reconnection with backoff when the server goes
 * away. It resumes from a UID watermark the caller stores; the watermark moves only after the
 * caller has processed a batch, so a crash re-reads rather than loses (the caller dedupes).
 * It knows nothing of sequences: it hands raw messages over.
 */
import { ImapFlow } from 'imapflow';
import type { ImapSettings } from '../domain/glossary.js';
import { isLoopbackHost } from './smtp-sender.js';
import { mailHostPolicyFromEnv, resolveMailHost, type MailHostPolicy, type ResolvedHost } from './host-policy.js';

export interface FetchedMessage {
  uid: number;
  source: Buffer;
}

export interface WatchState {
  uidValidity: string | null;
  lastUid: number;
}

export interface ImapWatcherOptions {
  settings: ImapSettings;
  mailbox?: string;
  /** Where to resume; re-read at every (re)connect. */
  loadState(): Promise<WatchState>;
  /** Processes a batch in UID order; the watcher then saves the new watermark through saveState. */
  onMessages(batch: FetchedMessage[], uidValidity: string): Promise<void>;
  saveState(state: WatchState): Promise<void>;
  onError(err: Error): void;
  /** On the first watch of a mailbox, messages older than this are history, not replies. */
  notBefore?: Date;
  /** How often to look for new mail even without IDLE news (the fallback). */
  pollMs?: number;
  /** imapflow enters IDLE only after this much quiet (its default is 15 s). */
  autoIdleDelayMs?: number;
  backoff?: { initialMs: number; maxMs: number };
  connectTimeoutMs?: number;
  /** Where the connection may go; checked at every (re)connect (src/mail/host-policy.ts). */
  hostPolicy?: MailHostPolicy;
}

export interface ImapWatcher {
  stop(): Promise<void>;
  /** Ask for a sync now (tests, or an operator's "check now"). */
  poke(): void;
}

const sleep = (ms: number, signal: { stopped: boolean; wake?: () => void }) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.wake = undefined;
      resolve();
    }
    signal.wake = done;
  });

export function startImapWatcher(opts: ImapWatcherOptions): ImapWatcher {
  const mailbox = opts.mailbox ?? 'INBOX';
  const pollMs = opts.pollMs ?? 60_000;
  const backoff = opts.backoff ?? { initialMs: 1_000, maxMs: 60_000 };
  const signal: { stopped: boolean; wake?: () => void } = { stopped: false };
  let client: ImapFlow | null = null;
  let pending = false;

  const syncOnce = async (c: ImapFlow, state: WatchState): Promise<WatchState> => {
    const box = c.mailbox;
    if (!box) throw new Error(`Mailbox ${mailbox} is not open`);
    const validity = String(box.uidValidity);
    let lastUid = state.lastUid;
    pending = false;
    const batch: FetchedMessage[] = [];
    if (state.uidValidity === null || state.uidValidity !== validity) {
      // First watch, or UIDs renumbered (every stored UID is now meaningless): read what
      // arrived since the inbox was connected. The caller dedupes by Message-ID, so a re-read
      // processes nothing twice; older mail is history, never a reply to our sequences.
      lastUid = Math.max(0, Number(box.uidNext) - 1);
      const since = opts.notBefore;
      const uids = since && Number(box.exists) > 0 ? ((await c.search({ since }, { uid: true })) || []) : [];
      if (uids.length) {
        for await (const m of c.fetch(uids.join(','), { uid: true, source: true, internalDate: true }, { uid: true })) {
          const at = m.internalDate ? new Date(m.internalDate) : null;
          if (m.source && (!at || !since || at >= since)) batch.push({ uid: m.uid, source: m.source });
        }
      }
    } else if (Number(box.exists) > 0) {
      for await (const m of c.fetch(`${lastUid + 1}:*`, { uid: true, source: true }, { uid: true })) {
        // `n:*` always returns the last message, even when its UID is below n.
        if (m.uid > lastUid && m.source) batch.push({ uid: m.uid, source: m.source });
      }
    }
    batch.sort((a, b) => a.uid - b.uid);
    if (batch.length) await opts.onMessages(batch, validity);
    const next = { uidValidity: validity, lastUid: Math.max(lastUid, batch.length ? batch[batch.length - 1].uid : 0) };
    await opts.saveState(next);
    return next;
  };

  const run = async () => {
    let delay = backoff.initialMs;
    const hostPolicy = opts.hostPolicy ?? mailHostPolicyFromEnv();
    while (!signal.stopped) {
      let target: ResolvedHost;
      try {
        target = await resolveMailHost(opts.settings.host, hostPolicy);
      } catch (err) {
        opts.onError(err instanceof Error ? err : new Error(String(err)));
        await sleep(delay, signal);
        delay = Math.min(backoff.maxMs, delay * 2);
        continue;
      }
      const c = new ImapFlow({
        host: target.address,
        servername: target.servername,
        port: opts.settings.port,
        secure: opts.settings.secure ?? false,
        auth: opts.settings.auth ? { user: opts.settings.auth.user, pass: opts.settings.auth.pass } : undefined,
        logger: false,
        autoIdleDelay: opts.autoIdleDelayMs ?? 15_000,
        connectionTimeout: opts.connectTimeoutMs ?? 30_000,
        tls: isLoopbackHost(target.servername ?? opts.settings.host) ? { rejectUnauthorized: false } : undefined,
      } as ConstructorParameters<typeof ImapFlow>[0]);
      client = c;
      let closed = false;
      c.on('exists', () => {
        pending = true;
        signal.wake?.();
      });
      c.on('close', () => {
        closed = true;
        signal.wake?.();
      });
      c.on('error', (err: Error) => opts.onError(err));
      try {
        await c.connect();
        await c.mailboxOpen(mailbox);
        let state = await opts.loadState();
        while (!signal.stopped && !closed) {
          state = await syncOnce(c, state);
          delay = backoff.initialMs;
          if (!pending) await sleep(pollMs, signal);
        }
      } catch (err) {
        if (!signal.stopped) opts.onError(err instanceof Error ? err : new Error(String(err)));
      } finally {
        client = null;
        await c.logout().catch(() => c.close());
      }
      if (signal.stopped) break;
      await sleep(delay, signal);
      delay = Math.min(backoff.maxMs, delay * 2);
    }
  };
  const done = run();

  return {
    poke() {
      pending = true;
      signal.wake?.();
    },
    async stop() {
      signal.stopped = true;
      signal.wake?.();
      client?.close();
      await done;
    },
  };
}
