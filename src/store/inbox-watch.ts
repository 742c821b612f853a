import type { Db, DialectName } from './database.js';
import { prepared } from './prepared.js';

export interface InboxWatch {
  inboxId: number;
  uidValidity: string | null;
  lastUid: number;
  lastSyncAt: number | null;
  lastError: string | null;
  lastErrorAt: number | null;
  /** When Seqflow first looked after the inbox (wall clock). */
  firstSeenAt: number | null;
  /** When the reply-detection alarm was raised (wall clock); null while detection works. */
  alarmSince: number | null;
}

const watchOf = prepared((db, a: { inboxId: number }) => db.selectFrom('inbox_watch').selectAll().where('inbox_id', '=', a.inboxId));

export async function getInboxWatch(db: Db, inboxId: number): Promise<InboxWatch | null> {
  const r = (await watchOf(db, { inboxId })).rows[0];
  return r
    ? {
        inboxId: r.inbox_id,
        uidValidity: r.uid_validity,
        lastUid: Number(r.last_uid),
        lastSyncAt: r.last_sync_at,
        lastError: r.last_error,
        lastErrorAt: r.last_error_at,
        firstSeenAt: r.first_seen_at,
        alarmSince: r.alarm_since,
      }
    : null;
}

/**
 * Claims (or renews) the right to watch an inbox. Only one worker holds an unexpired lease;
 * a dead worker's lease runs out and another claims it.
 */
export async function claimInboxWatch(db: Db, inboxId: number, worker: string, now: number, leaseMs: number): Promise<boolean> {
  await db.insertInto('inbox_watch').values({ inbox_id: inboxId, first_seen_at: now }).onConflict((oc) => oc.column('inbox_id').doNothing()).execute();
  const r = await db
    .updateTable('inbox_watch')
    .set({ lease_owner: worker, lease_until: now + leaseMs })
    .where('inbox_id', '=', inboxId)
    .where((eb) => eb.or([eb('lease_owner', 'is', null), eb('lease_owner', '=', worker), eb('lease_until', '<', now)]))
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function releaseInboxWatch(db: Db, inboxId: number, worker: string): Promise<void> {
  await db.updateTable('inbox_watch').set({ lease_owner: null, lease_until: null }).where('inbox_id', '=', inboxId).where('lease_owner', '=', worker).execute();
}

/**
 * Saves the watcher's progress. `at` is given when a pass has read everything the mailbox held
 * when it began: only then is the inbox "synced" (health, lag, the reply-detection alarm), so a
 * watcher halfway through a backlog of unread replies does not count as caught up.
 */
export async function recordSync(db: Db, inboxId: number, patch: { uidValidity?: string; lastUid?: number; at?: number }): Promise<void> {
  await db
    .updateTable('inbox_watch')
    .set({
      ...(patch.at !== undefined && { last_sync_at: patch.at, last_error: null }),
      ...(patch.uidValidity !== undefined && { uid_validity: patch.uidValidity }),
      ...(patch.lastUid !== undefined && { last_uid: patch.lastUid }),
    })
    .where('inbox_id', '=', inboxId)
    .execute();
}

export async function recordWatchError(db: Db, inboxId: number, error: string, at: number): Promise<void> {
  await db.updateTable('inbox_watch').set({ last_error: error.slice(0, 1000), last_error_at: at }).where('inbox_id', '=', inboxId).execute();
}

/** Marks a message processed; false when it already was (the unique key decides). */
export async function markInboundProcessed(
  db: Db,
  m: { inboxId: number; key: string; classification: string; contactId: number | null; enrollmentId: number | null; at: number },
): Promise<boolean> {
  const r = await db
    .insertInto('inbound_messages')
    .values({ inbox_id: m.inboxId, message_key: m.key, classification: m.classification, contact_id: m.contactId, enrollment_id: m.enrollmentId, received_at: m.at })
    .onConflict((oc) => oc.columns(['inbox_id', 'message_key']).doNothing())
    .returning('inbox_id')
    .executeTakeFirst();
  return r !== undefined;
}

/** An inbox whose replies are read over IMAP, with the times its reply-detection alarm works from (wall clock). */
export interface ReplyWatch {
  inboxId: number;
  userId: number;
  address: string;
  connected: boolean;
  lastSyncAt: number | null;
  firstSeenAt: number | null;
  alarmSince: number | null;
}

/** Inboxes with IMAP settings that are connected, or whose alarm is still raised. */
export async function listReplyWatches(db: Db): Promise<ReplyWatch[]> {
  const rows = await db
    .selectFrom('inboxes')
    .leftJoin('inbox_watch', 'inbox_watch.inbox_id', 'inboxes.id')
    .select(['inboxes.id', 'inboxes.user_id', 'inboxes.address', 'inboxes.status', 'inbox_watch.last_sync_at', 'inbox_watch.first_seen_at', 'inbox_watch.alarm_since'])
    .where('inboxes.imap', 'is not', null)
    .where((eb) => eb.or([eb('inboxes.status', '=', 'connected'), eb('inbox_watch.alarm_since', 'is not', null)]))
    .orderBy('inboxes.id')
    .execute();
  return rows.map((r) => ({
    inboxId: r.id,
    userId: r.user_id,
    address: r.address,
    connected: r.status === 'connected',
    lastSyncAt: r.last_sync_at ?? null,
    firstSeenAt: r.first_seen_at ?? null,
    alarmSince: r.alarm_since ?? null,
  }));
}

/** Notes when Seqflow first looked after an inbox (the watch row may not exist yet: no worker claimed it). */
export async function noteFirstSeen(db: Db, inboxId: number, wallNow: number): Promise<void> {
  await db.insertInto('inbox_watch').values({ inbox_id: inboxId, first_seen_at: wallNow }).onConflict((oc) => oc.column('inbox_id').doNothing()).execute();
  await db.updateTable('inbox_watch').set({ first_seen_at: wallNow }).where('inbox_id', '=', inboxId).where('first_seen_at', 'is', null).execute();
}

/**
 * Raises the alarm when it is not raised and the inbox has had no complete sync (nor, never
 * synced, been looked after) since `downBefore`. Conditional, so a sync recorded meanwhile or
 * another worker raising it first wins cleanly: true only for the one caller that raised it.
 */
export async function raiseReplyAlarm(db: Db, inboxId: number, wallNow: number, downBefore: number): Promise<boolean> {
  const r = await db
    .updateTable('inbox_watch')
    .set({ alarm_since: wallNow })
    .where('inbox_id', '=', inboxId)
    .where('alarm_since', 'is', null)
    .where((eb) => eb(eb.fn.coalesce('last_sync_at', 'first_seen_at'), '<', downBefore))
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/**
 * Clears the alarm raised at `since`: once a complete sync happened after it, or at once when
 * `syncedAfter` is false (the alarm was turned off). True only for the one caller that cleared it.
 */
export async function clearReplyAlarm(db: Db, inboxId: number, since: number, o: { syncedAfter: boolean }): Promise<boolean> {
  let q = db.updateTable('inbox_watch').set({ alarm_since: null }).where('inbox_id', '=', inboxId).where('alarm_since', '=', since);
  if (o.syncedAfter) q = q.where('last_sync_at', '>', since);
  const r = await q.executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/**
 * The inbox's alarm state, locking its watch row on PostgreSQL until the transaction ends (SQLite
 * transactions are serial already): a worker raising the alarm at the same moment waits, so what
 * is decided from the answer stays true.
 */
export async function lockReplyAlarm(db: Db, dialect: DialectName, inboxId: number): Promise<number | null> {
  let q = db.selectFrom('inbox_watch').select('alarm_since').where('inbox_id', '=', inboxId);
  if (dialect === 'postgres') q = q.forUpdate();
  return (await q.executeTakeFirst())?.alarm_since ?? null;
}
