import type { ImapSettings, Inbox, InboxProvider, SmtpSettings } from '../domain/glossary.js';
import { DAY_MS, DEFAULT_PER_MINUTE_LIMIT, defaultDailyLimit, sequenceLimit } from '../domain/send-limits.js';
import * as inboxes from '../store/inboxes.js';
import { countScheduledEmails } from '../store/enrollments.js';
import { countAttemptedSince } from '../store/sends.js';
import { isUniqueViolation } from '../store/json.js';
import { conflict, fieldError, notFound } from './errors.js';
import type { Deps } from './deps.js';
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
        smtp: input.smtp,
        imap: input.imap,
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
  };
}
