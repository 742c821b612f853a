import type { Selectable } from 'kysely';
import type { Db } from './database.js';
import type { InboundQuarantineTable } from './schema.js';

export interface QuarantineEntry {
  id: number;
  inboxId: number;
  messageKey: string;
  messageId: string | null;
  from: string | null;
  subject: string | null;
  reason: string;
  detail: string;
  classifiedAs: string | null;
  attempts: number;
  size: number;
  firstSeenAt: number;
  quarantinedAt: number | null;
}

export interface QuarantineInput {
  inboxId: number;
  messageKey: string;
  messageId: string | null;
  from: string | null;
  subject: string | null;
  reason: string;
  detail: string;
  /** What the headers were taken for when only they could be read; null when nothing was. */
  classifiedAs: string | null;
  size: number;
  /** Already capped by the caller. */
  raw: Buffer;
  at: number;
}

// PostgreSQL text cannot hold U+0000, and these strings come from whoever wrote the message.
const text = (s: string, max: number) => s.replace(/\u0000/g, '').slice(0, max);
const textOrNull = (s: string | null, max: number) => (s === null ? null : text(s, max));

const ENTRY_COLUMNS = ['id', 'inbox_id', 'message_key', 'message_id', 'from_address', 'subject', 'reason', 'detail', 'classification', 'attempts', 'size', 'first_seen_at', 'quarantined_at'] as const;

const toEntry = (r: Omit<Selectable<InboundQuarantineTable>, 'raw'>): QuarantineEntry => ({
  id: r.id,
  inboxId: r.inbox_id,
  messageKey: r.message_key,
  messageId: r.message_id,
  from: r.from_address,
  subject: r.subject,
  reason: r.reason,
  detail: r.detail,
  classifiedAs: r.classification,
  attempts: Number(r.attempts),
  size: Number(r.size),
  firstSeenAt: Number(r.first_seen_at),
  quarantinedAt: r.quarantined_at === null ? null : Number(r.quarantined_at),
});

const values = (q: QuarantineInput, quarantinedAt: number | null) => ({
  inbox_id: q.inboxId,
  message_key: text(q.messageKey, 2000),
  message_id: textOrNull(q.messageId, 1000),
  from_address: textOrNull(q.from, 1000),
  subject: textOrNull(q.subject, 1000),
  reason: q.reason,
  detail: text(q.detail, 1000),
  classification: q.classifiedAs,
  attempts: 1,
  size: q.size,
  raw: q.raw,
  first_seen_at: q.at,
  quarantined_at: quarantinedAt,
});

/** Quarantines a message at once; false when the inbox already holds one under that key. */
export async function insertQuarantined(db: Db, q: QuarantineInput): Promise<boolean> {
  const r = await db
    .insertInto('inbound_quarantine')
    .values(values(q, q.at))
    .onConflict((oc) => oc.columns(['inbox_id', 'message_key']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return r !== undefined;
}

/**
 * Counts one more failed attempt at a message (the first creates its row) and quarantines it once
 * the count reaches `maxAttempts`. Returns the row as it now stands.
 */
export async function recordFailedAttempt(db: Db, q: QuarantineInput, maxAttempts: number): Promise<QuarantineEntry> {
  const key = text(q.messageKey, 2000);
  await db
    .insertInto('inbound_quarantine')
    .values(values(q, null))
    .onConflict((oc) =>
      oc
        .columns(['inbox_id', 'message_key'])
        .doUpdateSet((eb) => ({ attempts: eb('inbound_quarantine.attempts', '+', 1), detail: text(q.detail, 1000), reason: q.reason }))
        .where('inbound_quarantine.quarantined_at', 'is', null),
    )
    .execute();
  await db
    .updateTable('inbound_quarantine')
    .set({ quarantined_at: q.at })
    .where('inbox_id', '=', q.inboxId)
    .where('message_key', '=', key)
    .where('quarantined_at', 'is', null)
    .where('attempts', '>=', maxAttempts)
    .execute();
  const row = await db.selectFrom('inbound_quarantine').select(ENTRY_COLUMNS).where('inbox_id', '=', q.inboxId).where('message_key', '=', key).executeTakeFirstOrThrow();
  return toEntry(row);
}

/** Forgets the failed attempts at a message that has now been processed. */
export async function clearFailedAttempts(db: Db, inboxId: number, messageKey: string): Promise<void> {
  await db.deleteFrom('inbound_quarantine').where('inbox_id', '=', inboxId).where('message_key', '=', text(messageKey, 2000)).where('quarantined_at', 'is', null).execute();
}

export async function isQuarantined(db: Db, inboxId: number, messageKey: string): Promise<boolean> {
  const r = await db
    .selectFrom('inbound_quarantine')
    .select('id')
    .where('inbox_id', '=', inboxId)
    .where('message_key', '=', text(messageKey, 2000))
    .where('quarantined_at', 'is not', null)
    .executeTakeFirst();
  return r !== undefined;
}

/** Quarantined messages of an inbox, newest first; `before` is the paging cursor (an id), 0 for the first page. */
export async function listQuarantined(db: Db, inboxId: number, page: { before: number; limit: number }): Promise<QuarantineEntry[]> {
  let q = db.selectFrom('inbound_quarantine').select(ENTRY_COLUMNS).where('inbox_id', '=', inboxId).where('quarantined_at', 'is not', null);
  if (page.before > 0) q = q.where('id', '<', page.before);
  return (await q.orderBy('id', 'desc').limit(page.limit).execute()).map(toEntry);
}

/** How many messages of an inbox are quarantined, and the one quarantined last. */
export async function quarantineSummary(db: Db, inboxId: number): Promise<{ count: number; latest: QuarantineEntry | null }> {
  const listed = db.selectFrom('inbound_quarantine').where('inbox_id', '=', inboxId).where('quarantined_at', 'is not', null);
  const n = await listed.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
  const latest = await listed.select(ENTRY_COLUMNS).orderBy('quarantined_at', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst();
  return { count: Number(n?.n ?? 0), latest: latest ? toEntry(latest) : null };
}

export async function getQuarantinedRaw(db: Db, inboxId: number, id: number): Promise<Buffer | null> {
  const r = await db.selectFrom('inbound_quarantine').select('raw').where('inbox_id', '=', inboxId).where('id', '=', id).where('quarantined_at', 'is not', null).executeTakeFirst();
  return r ? Buffer.from(r.raw) : null;
}
