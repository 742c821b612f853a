import type { Inbox } from '../domain/glossary.js';
import { INBOUND_LIMITS } from '../domain/inbound-limits.js';
import { quarantineText } from '../domain/reasons.js';
import type { InboundProblem, InboundRead } from '../mail/read-inbound.js';
import type { Db } from '../store/database.js';
import { getInbox } from '../store/inboxes.js';
import * as store from '../store/inbound-quarantine.js';
import type { Deps } from './deps.js';
import { errors } from './errors.js';

/** One inbound message as read, under the key it is deduplicated and counted by. */
export interface InboundMessage {
  key: string;
  /** What was fetched: the whole message, or its first bytes when it was too large to fetch. */
  bytes: Buffer;
  /** The message's full size in bytes. */
  size: number;
  read: InboundRead;
}

function entryOf(inbox: Inbox, m: InboundMessage, reason: InboundProblem['reason'], detail: string, classifiedAs: string | null, at: number): store.QuarantineInput {
  const mail = m.read.mail;
  return {
    inboxId: inbox.id,
    messageKey: m.key,
    messageId: mail?.messageId ?? null,
    from: mail?.from?.value[0]?.address?.toLowerCase() ?? null,
    subject: mail?.subject ?? null,
    reason,
    detail,
    classifiedAs,
    size: m.size,
    raw: m.bytes.subarray(0, INBOUND_LIMITS.quarantinedRawBytes),
    at,
  };
}

/**
 * Quarantines a message that could not be read in full. `classifiedAs` is what its headers were
 * taken for, when they could be read and were acted on. Idempotent per inbox and message key.
 */
export async function quarantineMessage(db: Db, inbox: Inbox, m: InboundMessage, problem: InboundProblem, classifiedAs: string | null, at: number): Promise<void> {
  await store.insertQuarantined(db, entryOf(inbox, m, problem.reason, problem.detail, classifiedAs, at));
}

/**
 * Counts a failed attempt at a message that broke processing for no reason we could name (a
 * database error specific to it, a bug). True once it is quarantined (it then is skipped), after
 * INBOUND_LIMITS.maxAttempts attempts; until then the caller retries it.
 */
export async function noteFailedAttempt(deps: Deps, inbox: Inbox, m: InboundMessage, err: unknown): Promise<boolean> {
  const message = err instanceof Error ? err.message : String(err);
  const entry = await store.recordFailedAttempt(
    deps.db.kysely,
    entryOf(inbox, m, 'PROCESSING_FAILED', `${quarantineText('PROCESSING_FAILED')} Last error: ${message}`, null, deps.clock.now()),
    INBOUND_LIMITS.maxAttempts,
  );
  if (entry.quarantinedAt === null) deps.log.warn({ err, inboxId: inbox.id, messageKey: m.key, attempts: entry.attempts }, 'inbound message failed; it will be retried');
  else deps.log.error({ err, inboxId: inbox.id, messageKey: m.key, attempts: entry.attempts }, 'inbound message quarantined after repeated failures');
  return entry.quarantinedAt !== null;
}

export const isQuarantined = (db: Db, inbox: Inbox, key: string) => store.isQuarantined(db, inbox.id, key);
export const clearFailedAttempts = (db: Db, inbox: Inbox, key: string) => store.clearFailedAttempts(db, inbox.id, key);

async function requireInbox(deps: Deps, inboxId: number): Promise<void> {
  if (!(await getInbox(deps.db.kysely, inboxId))) throw errors.inboxNotFound({ id: inboxId });
}

/** An inbox's quarantined messages, newest first; `after` is the id the previous page ended with (0: from the newest). */
export async function listInboxQuarantine(deps: Deps, inboxId: number, page: { after: number; limit: number }) {
  await requireInbox(deps, inboxId);
  const rows = await store.listQuarantined(deps.db.kysely, inboxId, { before: page.after, limit: page.limit + 1 });
  const results = rows.slice(0, page.limit);
  return { results, nextAfter: rows.length > page.limit ? results[results.length - 1].id : null };
}

/** The inbox health line for quarantine: how many, and why the last one was. */
export async function inboxQuarantineSummary(deps: Deps, inboxId: number) {
  const { count, latest } = await store.quarantineSummary(deps.db.kysely, inboxId);
  return { count, latestReason: latest?.reason ?? null, latestAt: latest?.quarantinedAt ?? null };
}

/** The bytes kept of a quarantined message (its first INBOUND_LIMITS.quarantinedRawBytes). */
export async function quarantinedRaw(deps: Deps, inboxId: number, id: number): Promise<Buffer> {
  await requireInbox(deps, inboxId);
  const raw = await store.getQuarantinedRaw(deps.db.kysely, inboxId, id);
  if (!raw) throw errors.quarantinedMessageNotFound({ id });
  return raw;
}

export type { QuarantineEntry } from '../store/inbound-quarantine.js';
