import type { Inbox } from '../domain/glossary.js';
import { startImapWatcher, type ImapWatcher, type ImapWatcherOptions } from '../mail/imap-watcher.js';
import type { Deps } from '../services/deps.js';
import { handleInboundMessage } from '../services/handle-inbound-message.js';
import { openMailServer } from '../services/secrets-at-rest.js';
import { imapAuthFailures, oauthSignIn } from '../services/oauth-watch.js';
import { getInboxOAuth } from '../store/inbox-oauth.js';
import { getInbox, listWatchableInboxIds } from '../store/inboxes.js';
import { claimInboxWatch, getInboxWatch, recordSync, recordWatchError, releaseInboxWatch } from '../store/inbox-watch.js';

export interface InboxWatchersOptions {
  worker: string;
  /** A watcher's claim on an inbox; another worker takes over this long after its holder dies. */
  leaseMs?: number;
  /** How often leases are renewed and new inboxes picked up. */
  renewMs?: number;
  watcher?: Pick<ImapWatcherOptions, 'pollMs' | 'autoIdleDelayMs' | 'backoff' | 'connectTimeoutMs'>;
}

export interface InboxWatchers {
  /** Runs one round of claim/renew/start/stop now. */
  reconcile(): Promise<void>;
  /** Asks every running watcher to sync now. */
  pokeAll(): void;
  stop(): Promise<void>;
}

/**
 * Keeps exactly one IMAP watcher per connected inbox with IMAP settings across all workers:
 * each inbox is leased in the database; this worker watches the inboxes it holds, renews
 * their leases, and claims inboxes whose holder stopped renewing.
 */
export function createInboxWatchers(deps: Deps, opts: InboxWatchersOptions): InboxWatchers {
  const leaseMs = opts.leaseMs ?? 60_000;
  const renewMs = opts.renewMs ?? Math.floor(leaseMs / 3);
  const running = new Map<number, { watcher: ImapWatcher; settings: string }>();
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  // Real time: leases coordinate live processes, so they run on the wall clock even under --fake-clock.
  const wall = () => Date.now();

  const start = (inbox: Inbox, isOAuth: boolean) => {
    const db = deps.db.kysely;
    const authFailures = imapAuthFailures();
    const watcher = startImapWatcher({
      settings: openMailServer(deps.secrets, inbox.imap!),
      ...(isOAuth && { signIn: oauthSignIn(deps, inbox, opts.worker, authFailures) }),
      notBefore: new Date(inbox.createdAt),
      hostPolicy: deps.config.mailHosts,
      ...opts.watcher,
      loadState: async () => {
        const w = await getInboxWatch(db, inbox.id);
        return { uidValidity: w?.uidValidity ?? null, lastUid: w?.lastUid ?? 0 };
      },
      // Synced (health, lag, the reply-detection alarm) only when a pass has read the mailbox to the end.
      saveState: (s, caughtUp) => {
        if (caughtUp) authFailures.reset();
        return recordSync(db, inbox.id, { uidValidity: s.uidValidity ?? undefined, lastUid: s.lastUid, ...(caughtUp && { at: wall() }) });
      },
      // Throws only while the message may yet succeed (database down, attempts left): the watcher
      // then keeps its watermark before this message and fetches it again.
      onMessage: async (m, uidValidity) => {
        await handleInboundMessage(deps, inbox, m.source, `uid:${uidValidity}:${m.uid}`, { size: m.size, truncated: m.truncated });
      },
      onError: (err) => {
        if ((err as { authenticationFailed?: boolean }).authenticationFailed) authFailures.note(err);
        deps.log.warn({ err, inboxId: inbox.id }, 'IMAP watcher error');
        void recordWatchError(db, inbox.id, err.message, wall()).catch(() => undefined);
      },
    });
    running.set(inbox.id, { watcher, settings: JSON.stringify(inbox.imap) });
  };

  const reconcile = async () => {
    if (stopped) return;
    const db = deps.db.kysely;
    const ids = await listWatchableInboxIds(db);
    const wanted = new Set(ids);
    for (const [id, w] of running) {
      if (!wanted.has(id)) {
        running.delete(id);
        await w.watcher.stop();
        await releaseInboxWatch(db, id, opts.worker);
      }
    }
    for (const id of ids) {
      const held = await claimInboxWatch(db, id, opts.worker, wall(), leaseMs);
      const current = running.get(id);
      const fresh = await getInbox(db, id);
      if (!held || !fresh?.imap) {
        if (current) {
          running.delete(id);
          await current.watcher.stop();
        }
        continue;
      }
      if (current && current.settings !== JSON.stringify(fresh.imap)) {
        running.delete(id);
        await current.watcher.stop();
      }
      if (!running.has(id)) start(fresh, (await getInboxOAuth(db, id)) !== null);
    }
  };

  // The round under way, so stop() can wait for it: a round still running could otherwise claim
  // and start a watcher after stop() released them all.
  let round: Promise<void> = Promise.resolve();
  const loop = () => {
    round = (async () => {
      try {
        await reconcile();
      } catch (err) {
        deps.log.error({ err }, 'inbox watcher reconcile failed');
      }
      if (!stopped) timer = setTimeout(loop, renewMs);
    })();
  };
  loop();

  return {
    reconcile,
    pokeAll: () => running.forEach((w) => w.watcher.poke()),
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await round;
      for (const [id, w] of running) {
        await w.watcher.stop();
        await releaseInboxWatch(deps.db.kysely, id, opts.worker).catch(() => undefined);
      }
      running.clear();
    },
  };
}
