import type { Db } from './database.js';

export interface InboxWatch {
  inboxId: number;
  uidValidity: string | null;
  lastUid: number;
  lastSyncAt: number | null;
  lastError: string | null;
  lastErrorAt: number | null;
}

export async function getInboxWatch(db: Db, inboxId: number): Promise<InboxWatch | null> {
  const r = await db.selectFrom('inbox_watch').selectAll().where('inbox_id', '=', inboxId).executeTakeFirst();
  return r
    ? { inboxId: r.inbox_id, uidValidity: r.uid_validity, lastUid: Number(r.last_uid), lastSyncAt: r.last_sync_at, lastError: r.last_error, lastErrorAt: r.last_error_at }
    : null;
}

/**
 * Claims (or renews) the right to watch an inbox. Only one worker holds an unexpired lease;
 * a dead worker's lease runs out and another claims it.
 */
export async function claimInboxWatch(db: Db, inboxId: number, worker: string, now: number, leaseMs: number): Promise<boolean> {
  await db.insertInto('inbox_watch').values({ inbox_id: inboxId }).onConflict((oc) => oc.column('inbox_id').doNothing()).execute();
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

export async function recordSync(db: Db, inboxId: number, patch: { uidValidity?: string; lastUid?: number; at: number }): Promise<void> {
  await db
    .updateTable('inbox_watch')
    .set({
      last_sync_at: patch.at,
      last_error: null,
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
