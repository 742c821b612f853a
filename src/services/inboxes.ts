import type { ImapSettings, Inbox, InboxProvider, SmtpSettings } from '../domain/glossary.js';
import { DAY_MS, DEFAULT_PER_MINUTE_LIMIT, defaultDailyLimit, sequenceLimit } from '../domain/send-limits.js';
import * as inboxes from '../store/inboxes.js';
import { countSentAndScheduled } from '../store/sends.js';
import { getInboxWatch } from '../store/inbox-watch.js';
import { listInboxOAuth } from '../store/inbox-oauth.js';
import { isUniqueViolation } from '../store/json.js';
import { refusalAtSave } from '../mail/host-policy.js';
import { testImap, testSmtp, type ConnectionTest } from '../mail/connection-test.js';
import { errors, fieldError, validationError } from './errors.js';
import type { Deps } from './deps.js';
import { openMailServer, sealMailServer } from './secrets-at-rest.js';
import { requireUser } from './users.js';
import { replyDetectionOf } from './reply-detection.js';

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
  await checkMailHosts(deps, input);
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
    if (isUniqueViolation(err)) throw errors.inboxExists({ address: input.address });
    throw err;
  }
}

/** The save-time half of the mail host policy (src/mail/host-policy.ts); every connection checks again. */
async function checkMailHosts(deps: Deps, input: Pick<ConnectInboxInput, 'smtp' | 'imap'>): Promise<void> {
  const errors = [];
  for (const [field, settings] of [['smtp', input.smtp], ['imap', input.imap]] as const) {
    if (!settings) continue;
    const reason = await refusalAtSave(settings.host, deps.config.mailHosts);
    if (reason) errors.push({ message: `${field}.host: ${settings.host} ${reason}.`, in: `${field}.host`, code: 'MAIL_HOST_REFUSED' });
  }
  if (errors.length) throw validationError(`Invalid input (${errors.map((e) => e.message).join('; ')})`, errors, 'MAIL_HOST_REFUSED');
}

export async function disconnectInbox(deps: Deps, id: number): Promise<Inbox> {
  const inbox = await inboxes.setInboxStatus(deps.db.kysely, id, 'disconnected', deps.clock.now());
  if (!inbox) throw errors.inboxNotFound({ id });
  return inbox;
}

/** Whose inbox it is (null: no such inbox): what decides whether a rep may see it. */
export async function inboxOwner(deps: Deps, id: number): Promise<number | null> {
  return (await inboxes.getInbox(deps.db.kysely, id))?.userId ?? null;
}

export async function inboxUsage(deps: Deps, id: number) {
  const db = deps.db.kysely;
  const inbox = await inboxes.getInbox(db, id);
  if (!inbox) throw errors.inboxNotFound({ id });
  const now = deps.clock.now();
  const counts = await countSentAndScheduled(db, id, now - DAY_MS, { from: now, to: now + DAY_MS });
  return {
    sentLast24h: counts.sent,
    scheduledLast24h: counts.scheduled,
    sequenceLimit: sequenceLimit(inbox.dailyLimit),
    dailyLimit: inbox.dailyLimit,
    perMinuteLimit: inbox.perMinuteLimit,
    sync: await inboxSync(deps, inbox),
    replyDetection: await replyDetectionOf(deps, inbox),
  };
}

/** A watcher that has not synced for this long is reported as failing (issue: watchers die silently). */
export const STALE_SYNC_MS = 10 * 60_000;

/** Reply-detection health of an inbox: null when it has no IMAP settings (nothing to watch). */
export async function inboxSync(deps: Deps, inbox: Inbox) {
  if (!inbox.imap) return null;
  const w = await getInboxWatch(deps.db.kysely, inbox.id);
  // Sync times are wall-clock facts about a live connection, not product time.
  const wallNow = Date.now();
  const noRecentSync = !w?.lastSyncAt || wallNow - w.lastSyncAt > STALE_SYNC_MS;
  // Stale (health degrades): no complete read for STALE_SYNC_MS — one never made counts from when
  // a worker first watched the inbox, or, none ever did, from when it was connected.
  const since = w?.lastSyncAt ?? w?.firstSeenAt ?? null;
  const stale = since !== null ? wallNow - since > STALE_SYNC_MS : deps.clock.now() - inbox.createdAt > STALE_SYNC_MS;
  return {
    status: inbox.status !== 'connected' ? 'disconnected' : noRecentSync || (w?.lastErrorAt ?? 0) > (w?.lastSyncAt ?? 0) ? 'error' : 'ok',
    stale: inbox.status === 'connected' && stale,
    lastSyncAt: w?.lastSyncAt ? new Date(w.lastSyncAt).toISOString() : null,
    // The watcher's own error names what answered at the host and port (refused, timed out, a
    // stranger's banner): logged by the watcher, shown here only as "it failed".
    lastError: w?.lastError ? WATCH_FAILED : null,
  };
}

const WATCH_FAILED = 'The reply watcher could not connect to this inbox or read it. The server log has the reason.';
const TEST_TIMEOUT_MS = 10_000;

/** One side of a connection test as the API shows it: the same words for every kind of failure. */
function testResult(deps: Deps, inboxId: number, protocol: 'SMTP' | 'IMAP', result: ConnectionTest) {
  if (result.ok) return { ok: true, message: `Connected to the ${protocol} server and signed in.` };
  deps.log.warn({ inboxId, protocol, detail: result.detail }, 'inbox connection test failed');
  return {
    ok: false,
    message: result.refusedByPolicy
      ? `The ${protocol} host is not allowed: it is, or resolves to, an address mail is never sent to from this server.`
      : `Could not connect to the ${protocol} server and sign in with these settings. The server log has the reason.`,
  };
}

/** Tries the inbox's SMTP (and IMAP) settings now; the dev provider's built-in server is not tested. */
export async function testInbox(deps: Deps, id: number) {
  const inbox = await inboxes.getInbox(deps.db.kysely, id);
  if (!inbox) throw errors.inboxNotFound({ id });
  const policy = deps.config.mailHosts;
  const [smtp, imap] = await Promise.all([
    inbox.smtp && inbox.provider !== 'dev' ? testSmtp(openMailServer(deps.secrets, inbox.smtp), policy, TEST_TIMEOUT_MS) : null,
    inbox.imap ? testImap(openMailServer(deps.secrets, inbox.imap), policy, TEST_TIMEOUT_MS) : null,
  ]);
  return {
    smtp: smtp ? testResult(deps, id, 'SMTP', smtp) : { ok: true, message: 'Sends through the built-in development mail server.' },
    imap: imap ? testResult(deps, id, 'IMAP', imap) : null,
  };
}

/** A user's inboxes (a 404 for an unknown user). */
export async function listUserInboxes(deps: Deps, userId: number): Promise<Inbox[]> {
  // An unknown user has no inboxes because it does not exist: 404 like every other /users/:id route.
  await requireUser(deps, userId);
  const list = await inboxes.listInboxesOfUser(deps.db.kysely, userId);
  // An OAuth mailbox whose access is lost until someone acts (a reconnect, an admin's fix) is
  // connected in name only: it shows as `error`, its OAuth state says why. A provider outage
  // (`retrying`) heals by itself and does not count.
  const lost = new Set((await listInboxOAuth(deps.db.kysely, list.map((i) => i.id))).filter((o) => o.state === 'reconnect' || o.state === 'admin').map((o) => o.inboxId));
  return list.map((i) => (i.status === 'connected' && lost.has(i.id) ? { ...i, status: 'error' } : i));
}

/** Every connected inbox. */
export const connectedInboxes = (deps: Deps): Promise<Inbox[]> => inboxes.listConnectedInboxes(deps.db.kysely);
