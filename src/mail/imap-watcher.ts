/**
 * Watches one IMAP mailbox for new messages: IDLE for prompt delivery, a poll as the fallback
 * when IDLE is missing or silently dead, and reconnection with backoff when the server goes
 * away. It resumes from a UID watermark the caller stores; the watermark moves past a message
 * only after the caller has handled it, so a crash re-reads rather than loses (the caller dedupes),
 * and a message the caller cannot handle yet is fetched again without re-reading those before it.
 * A message is fetched whole only up to a size cap; past it only its first bytes are fetched, so
 * one gigantic message costs a bounded amount of memory.
 * It knows nothing of sequences: it hands raw messages over.
 */
import type { ImapFlow } from 'imapflow';
import type { ImapSettings } from '../domain/glossary.js';
import { INBOUND_LIMITS } from '../domain/inbound-limits.js';
import { isLoopbackHost } from './smtp-sender.js';
import { imapAuth } from './imap-client.js';
import { DEFAULT_MAIL_HOST_POLICY, resolveMailHost, type MailHostPolicy, type ResolvedHost } from './host-policy.js';

export interface FetchedMessage {
  uid: number;
  /** The whole message, or only its first bytes when `truncated`. */
  source: Buffer;
  /** The message's size on the server (RFC822.SIZE). */
  size: number;
  truncated: boolean;
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
  /**
   * Handles one message; messages come in UID order and the watermark moves past each one as its
   * promise resolves. A rejection ends the sync: the message is fetched again after a reconnect.
   */
  onMessage(message: FetchedMessage, uidValidity: string): Promise<void>;
  /**
   * Stores the watermark: after each message, and with `caughtUp` once a pass has handed over
   * everything the mailbox held when the pass began (only then is nothing unread behind it).
   */
  saveState(state: WatchState, caughtUp: boolean): Promise<void>;
  onError(err: Error): void;
  /** On the first watch of a mailbox, messages older than this are history, not replies. */
  notBefore?: Date;
  /** How often to look for new mail even without IDLE news (the fallback). */
  pollMs?: number;
  /** imapflow enters IDLE only after this much quiet (its default is 15 s). */
  autoIdleDelayMs?: number;
  backoff?: { initialMs: number; maxMs: number };
  connectTimeoutMs?: number;
  /** Larger messages are fetched only up to `headBytes` (defaults: INBOUND_LIMITS). */
  maxSourceBytes?: number;
  headBytes?: number;
  /** Where the connection may go; checked at every (re)connect (src/mail/host-policy.ts). */
  hostPolicy?: MailHostPolicy;
  /**
   * An OAuth inbox's sign-in, asked at every (re)connect (issue #16): settings with a fresh
   * access token, and until when the session may be kept before it reconnects with a newer one
   * (Exchange Online ends IMAP sessions when their token expires).
   */
  signIn?: () => Promise<{ settings: ImapSettings; validUntil: number }>;
}

interface Listed {
  uid: number;
  size: number;
}

/** Messages fetched in one command: consecutive small ones up to the size cap together, a large one alone. */
function fetchGroups(listed: Listed[], maxBytes: number): Listed[][] {
  const groups: Listed[][] = [];
  let group: Listed[] = [];
  let bytes = 0;
  for (const m of listed) {
    const large = m.size > maxBytes;
    if (group.length && (large || bytes + m.size > maxBytes || group.length >= 100)) {
      groups.push(group);
      group = [];
      bytes = 0;
    }
    group.push(m);
    bytes += m.size;
    if (large) {
      groups.push(group);
      group = [];
      bytes = 0;
    }
  }
  if (group.length) groups.push(group);
  return groups;
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

  const maxSourceBytes = opts.maxSourceBytes ?? INBOUND_LIMITS.maxSourceBytes;
  // The header block, its blank line, and what the quarantine keeps of a message.
  const headBytes = opts.headBytes ?? Math.max(INBOUND_LIMITS.maxHeaderBytes + 4, INBOUND_LIMITS.quarantinedRawBytes);
  const reportError = (err: unknown) => {
    try {
      opts.onError(err instanceof Error ? err : new Error(String(err)));
    } catch {
      // A failing error reporter must not end the watch loop.
    }
  };

  /** Sizes first, sources after: nothing is fetched before we know how large it is. */
  const list = async (c: ImapFlow, range: string, since?: Date): Promise<Listed[]> => {
    const listed: Listed[] = [];
    for await (const m of c.fetch(range, { uid: true, size: true, internalDate: true }, { uid: true })) {
      const at = m.internalDate ? new Date(m.internalDate) : null;
      if (!since || !at || at >= since) listed.push({ uid: m.uid, size: Number(m.size ?? 0) });
    }
    return listed.sort((a, b) => a.uid - b.uid);
  };

  const fetchSources = async (c: ImapFlow, group: Listed[]): Promise<Map<number, Buffer>> => {
    const sources = new Map<number, Buffer>();
    if (group.length === 1 && group[0].size > maxSourceBytes) {
      const m = await c.fetchOne(String(group[0].uid), { uid: true, source: { maxLength: headBytes } }, { uid: true });
      if (m && m.source) sources.set(m.uid, m.source);
      return sources;
    }
    for await (const m of c.fetch(group.map((g) => g.uid).join(','), { uid: true, source: true }, { uid: true })) {
      if (m.source) sources.set(m.uid, m.source);
    }
    return sources;
  };

  const syncOnce = async (c: ImapFlow, state: WatchState): Promise<WatchState> => {
    const box = c.mailbox;
    if (!box) throw new Error(`Mailbox ${mailbox} is not open`);
    const validity = String(box.uidValidity);
    let lastUid = state.lastUid;
    pending = false;
    let listed: Listed[] = [];
    if (state.uidValidity === null || state.uidValidity !== validity) {
      // First watch, or UIDs renumbered (every stored UID is now meaningless): read what
      // arrived since the inbox was connected. The caller dedupes by Message-ID, so a re-read
      // processes nothing twice; older mail is history, never a reply to our sequences.
      lastUid = Math.max(0, Number(box.uidNext) - 1);
      const since = opts.notBefore;
      const uids = since && Number(box.exists) > 0 ? ((await c.search({ since }, { uid: true })) || []) : [];
      if (uids.length) listed = await list(c, uids.join(','), since);
    } else if (Number(box.exists) > 0) {
      // `n:*` always returns the last message, even when its UID is below n.
      listed = (await list(c, `${lastUid + 1}:*`)).filter((m) => m.uid > lastUid);
    }
    for (const group of fetchGroups(listed, maxSourceBytes)) {
      const sources = await fetchSources(c, group);
      for (const m of group) {
        const source = sources.get(m.uid);
        // Expunged since it was listed: nothing to hand over.
        if (source) await opts.onMessage({ uid: m.uid, source, size: m.size, truncated: m.size > maxSourceBytes && source.length < m.size }, validity);
        await opts.saveState({ uidValidity: validity, lastUid: m.uid }, false);
      }
    }
    const next = { uidValidity: validity, lastUid: Math.max(lastUid, listed.length ? listed[listed.length - 1].uid : 0) };
    await opts.saveState(next, true);
    return next;
  };

  const run = async () => {
    let delay = backoff.initialMs;
    const hostPolicy = opts.hostPolicy ?? DEFAULT_MAIL_HOST_POLICY;
    while (!signal.stopped) {
      let target: ResolvedHost;
      let settings = opts.settings;
      let validUntil = Number.POSITIVE_INFINITY;
      try {
        if (opts.signIn) ({ settings, validUntil } = await opts.signIn());
        target = await resolveMailHost(settings.host, hostPolicy);
      } catch (err) {
        opts.onError(err instanceof Error ? err : new Error(String(err)));
        await sleep(delay, signal);
        delay = Math.min(backoff.maxMs, delay * 2);
        continue;
      }
      // Loaded on first use, not at start (see imap-client.ts).
      const { ImapFlow } = await import('imapflow');
      const c = new ImapFlow({
        host: target.address,
        servername: target.servername,
        port: settings.port,
        secure: settings.secure ?? false,
        auth: imapAuth(settings),
        logger: false,
        autoIdleDelay: opts.autoIdleDelayMs ?? 15_000,
        connectionTimeout: opts.connectTimeoutMs ?? 30_000,
        tls: isLoopbackHost(target.servername ?? settings.host) ? { rejectUnauthorized: false } : undefined,
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
      c.on('error', (err: Error) => reportError(err));
      try {
        await c.connect();
        await c.mailboxOpen(mailbox);
        let state = await opts.loadState();
        while (!signal.stopped && !closed) {
          state = await syncOnce(c, state);
          delay = backoff.initialMs;
          // The token is about to expire: reconnect with a fresh one rather than be cut off.
          if (Date.now() >= validUntil) break;
          if (!pending) await sleep(Math.min(pollMs, Math.max(0, validUntil - Date.now())), signal);
        }
      } catch (err) {
        if (!signal.stopped) reportError(err);
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
