import type { ImapSettings, Inbox, InboxProvider, SmtpSettings } from '../domain/glossary.js';
import { DAY_MS, DEFAULT_PER_MINUTE_LIMIT, defaultDailyLimit, sequenceLimit } from '../domain/send-limits.js';
import * as inboxes from '../store/inboxes.js';
import { countScheduledEmails } from '../store/enrollments.js';
import { countAttemptedSince } from '../store/sends.js';
import { getInboxWatch } from '../store/inbox-watch.js';
import { isUniqueViolation } from '../store/json.js';
import { conflict, fieldError, notFound } from './errors.js';
import type { Deps } from './deps.js';
import { sealMailServer } from './secrets-at-rest.js';
import { requireUser } from './users.js';

export interface ConnectInboxInput {
  address: string;
  aliases: string[];
  provider: InboxProvider;
  smtp: SmtpSettings | null;
  imap: ImapSettings | null;
  dailyLimit?: number;
  perMinuteLimit?: number;
}

export async function connectInbox(deps: Deps, userId: number, input: ConnectInboxInput): Promise<Inbox> {
  await requireUser(deps, userId);
  if (!input.smtp && input.provider !== 'dev') {
    throw fieldError('smtp', 'SMTP settings are required unless the provider is "dev" (the built-in dev mail server).');
  }
  const providerDefault = defaultDailyLimit(input.provider);
  // HubSpot lets an admin lower the daily limit, never raise it above the provider's.
  if (input.dailyLimit !== undefined && input.dailyLimit > providerDefault) {
    throw fieldError('dailyLimit', `dailyLimit may not exceed the provider default of ${providerDefault}.`);
  }
  try {
    return await inboxes.insertInbox(
      deps.db.kysely,
      {
        userId,
        address: input.address,
        aliases: input.aliases,
        provider: input.provider,
        smtp: sealMailServer(deps.secrets, input.smtp),
        imap: sealMailServer(deps.secrets, input.imap),
        status: 'connected',
        dailyLimit: input.dailyLimit ?? providerDefault,
        perMinuteLimit: input.perMinuteLimit ?? DEFAULT_PER_MINUTE_LIMIT,
      },
      deps.clock.now(),
    );
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict(`The inbox ${input.address} is already connected.`, 'INBOX_EXISTS');
    throw err;
  }
}

export async function disconnectInbox(deps: Deps, id: number): Promise<Inbox> {
  const inbox = await inboxes.setInboxStatus(deps.db.kysely, id, 'disconnected', deps.clock.now());
  if (!inbox) throw notFound('Inbox', id);
  return inbox;
}

export async function inboxUsage(deps: Deps, id: number) {
  const db = deps.db.kysely;
  const inbox = await inboxes.getInbox(db, id);
  if (!inbox) throw notFound('Inbox', id);
  const now = deps.clock.now();
  return {
    sentLast24h: await countAttemptedSince(db, id, now - DAY_MS),
    scheduledLast24h: await countScheduledEmails(db, id, now, now + DAY_MS),
    sequenceLimit: sequenceLimit(inbox.dailyLimit),
    dailyLimit: inbox.dailyLimit,
    perMinuteLimit: inbox.perMinuteLimit,
    sync: await inboxSync(deps, inbox),
  };
}

/** A watcher that has not synced for this long is reported as failing (issue: watchers die silently). */
export const STALE_SYNC_MS = 10 * 60_000;

/** Reply-detection health of an inbox: null when it has no IMAP settings (nothing to watch). */
export async function inboxSync(deps: Deps, inbox: Inbox) {
  if (!inbox.imap) return null;
  const w = await getInboxWatch(deps.db.kysely, inbox.id);
  // Sync times are wall-clock facts about a live connection, not product time.
  const stale = !w?.lastSyncAt || Date.now() - w.lastSyncAt > STALE_SYNC_MS;
  return {
    status: inbox.status !== 'connected' ? 'disconnected' : stale || (w?.lastErrorAt ?? 0) > (w?.lastSyncAt ?? 0) ? 'error' : 'ok',
    lastSyncAt: w?.lastSyncAt ? new Date(w.lastSyncAt).toISOString() : null,
    lastError: w?.lastError ?? null,
  };
}
