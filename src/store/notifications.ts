import { sql, type Selectable } from 'kysely';
import type { Db } from './database.js';
import type { NotificationsTable } from './schema.js';

/** A message to a user about no particular contact (a task is always about one): an inbox's reply detection went down. */
export interface Notification {
  id: number;
  userId: number;
  kind: string;
  inboxId: number | null;
  sourceKey: string;
  subject: string;
  body: string;
  createdAt: number;
  resolvedAt: number | null;
  resolution: string | null;
}

const toNotification = (r: Selectable<NotificationsTable>): Notification => ({
  id: r.id,
  userId: r.user_id,
  kind: r.kind,
  inboxId: r.inbox_id,
  sourceKey: r.source_key,
  subject: r.subject,
  body: r.body,
  createdAt: r.created_at,
  resolvedAt: r.resolved_at,
  resolution: r.resolution,
});

/** One notification per person per occurrence (`sourceKey`): a second insert for the same pair is a no-op. */
export async function insertNotification(db: Db, n: Omit<Notification, 'id' | 'resolvedAt' | 'resolution'>): Promise<boolean> {
  const r = await db
    .insertInto('notifications')
    .values({ user_id: n.userId, kind: n.kind, inbox_id: n.inboxId, source_key: n.sourceKey, subject: n.subject, body: n.body, created_at: n.createdAt })
    .onConflict((oc) => oc.columns(['user_id', 'source_key']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return r !== undefined;
}

/**
 * Marks every open notification of an occurrence resolved, saying how. `retireKey` frees a key
 * that names a cause rather than a moment (a provider's fault) for the next time it happens: the
 * resolved rows keep it with the resolution time appended.
 */
export async function resolveNotifications(db: Db, sourceKey: string, resolution: string, now: number, o: { retireKey?: boolean } = {}): Promise<number> {
  const r = await db
    .updateTable('notifications')
    .set({ resolved_at: now, resolution, ...(o.retireKey && { source_key: sql<string>`source_key || ${`@${now}`}` }) })
    .where('source_key', '=', sourceKey)
    .where('resolved_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

export async function listNotifications(db: Db, filter: { userId?: number; open?: boolean; inboxId?: number; limit?: number }): Promise<Notification[]> {
  let q = db.selectFrom('notifications').selectAll();
  if (filter.userId !== undefined) q = q.where('user_id', '=', filter.userId);
  if (filter.inboxId !== undefined) q = q.where('inbox_id', '=', filter.inboxId);
  if (filter.open !== undefined) q = q.where('resolved_at', filter.open ? 'is' : 'is not', null);
  const rows = await q.orderBy('id', 'desc').limit(filter.limit ?? 100).execute();
  return rows.map(toNotification);
}
