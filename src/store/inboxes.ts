import { memoCatalog } from './transaction-memo.js';
import type { Selectable } from 'kysely';
import type { Db } from './database.js';
import type { ImapSettings, Inbox, InboxProvider, InboxStatus, SmtpSettings } from '../domain/glossary.js';
import type { InboxesTable } from './schema.js';
import { fromJson, toJson } from './json.js';
import { prepared } from './prepared.js';

const toInbox = (r: Selectable<InboxesTable>): Inbox => ({
  id: r.id,
  userId: r.user_id,
  address: r.address,
  aliases: fromJson<string[]>(r.aliases, []),
  provider: r.provider as InboxProvider,
  smtp: fromJson<SmtpSettings | null>(r.smtp, null),
  imap: fromJson<ImapSettings | null>(r.imap, null),
  status: r.status as InboxStatus,
  dailyLimit: r.daily_limit,
  perMinuteLimit: r.per_minute_limit,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export type NewInbox = Omit<Inbox, 'id' | 'createdAt' | 'updatedAt'>;

export async function insertInbox(db: Db, i: NewInbox, now: number): Promise<Inbox> {
  const row = await db
    .insertInto('inboxes')
    .values({
      user_id: i.userId,
      address: i.address,
      address_key: i.address.toLowerCase(),
      aliases: toJson(i.aliases),
      provider: i.provider,
      smtp: i.smtp ? toJson(i.smtp) : null,
      imap: i.imap ? toJson(i.imap) : null,
      status: i.status,
      daily_limit: i.dailyLimit,
      per_minute_limit: i.perMinuteLimit,
      created_at: now,
      updated_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toInbox(row);
}

const inboxById = prepared((db, a: { id: number }) => db.selectFrom('inboxes').selectAll().where('id', '=', a.id));

export async function getInbox(db: Db, id: number): Promise<Inbox | null> {
  const r = (await inboxById(db, { id })).rows[0];
  return r ? toInbox(r) : null;
}

/** Kept across transactions while no inbox changes (src/store/transaction-memo.ts): every enrollment reads its sender's inboxes. */
export const listInboxesOfUser = (db: Db, userId: number): Promise<Inbox[]> =>
  memoCatalog(db, 'inboxes', `inboxes:user:${userId}`, async () => {
    const rows = await db.selectFrom('inboxes').selectAll().where('user_id', '=', userId).orderBy('id').execute();
    return rows.map(toInbox);
  });

export async function setInboxStatus(db: Db, id: number, status: InboxStatus, now: number): Promise<Inbox | null> {
  const r = await db
    .updateTable('inboxes')
    .set({ status, updated_at: now })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
  return r ? toInbox(r) : null;
}

/** Disconnects every inbox of a user (the user was removed). */
export async function disconnectInboxesOfUser(db: Db, userId: number, now: number): Promise<void> {
  await db.updateTable('inboxes').set({ status: 'disconnected', updated_at: now }).where('user_id', '=', userId).execute();
}

/** Ids of the connected inboxes with IMAP settings: the ones a reply watcher reads. */
export async function listWatchableInboxIds(db: Db): Promise<number[]> {
  const rows = await db.selectFrom('inboxes').select('id').where('imap', 'is not', null).where('status', '=', 'connected').execute();
  return rows.map((r) => r.id);
}

/**
 * Serialises everything that counts an inbox's sends: the rolling-window arithmetic and the
 * insert it guards happen under this row lock, so two workers cannot both take the last slot.
 * SQLite's IMMEDIATE transactions already serialise writers. On PostgreSQL the lock is FOR NO KEY
 * UPDATE: lockers still exclude each other, but a row inserted with a foreign key to the inbox
 * (its FOR KEY SHARE) does not conflict with it; an enrollment is inserted before the lock is
 * taken, and under FOR UPDATE two such transactions would deadlock on each other's key share.
 */
export async function lockInbox(db: Db, dialect: 'sqlite' | 'postgres', id: number): Promise<void> {
  if (dialect === 'postgres') {
    await db.selectFrom('inboxes').select('id').where('id', '=', id).forNoKeyUpdate().execute();
  }
}

/** lockInbox and getInbox in one statement: the row as it stands under the lock. */
export async function lockAndGetInbox(db: Db, dialect: 'sqlite' | 'postgres', id: number): Promise<Inbox | null> {
  let q = db.selectFrom('inboxes').selectAll().where('id', '=', id);
  if (dialect === 'postgres') q = q.forNoKeyUpdate();
  const r = await q.executeTakeFirst();
  return r ? toInbox(r) : null;
}

export async function listConnectedInboxes(db: Db): Promise<Inbox[]> {
  const rows = await db.selectFrom('inboxes').selectAll().where('status', '=', 'connected').orderBy('id').execute();
  return rows.map(toInbox);
}

/** Rewrites an inbox's server settings (re-sealing its passwords under a new key). */
export async function updateInboxServers(db: Db, id: number, servers: { smtp: SmtpSettings | null; imap: ImapSettings | null }): Promise<void> {
  await db
    .updateTable('inboxes')
    .set({ smtp: servers.smtp ? toJson(servers.smtp) : null, imap: servers.imap ? toJson(servers.imap) : null })
    .where('id', '=', id)
    .execute();
}

export async function listAllInboxes(db: Db): Promise<Inbox[]> {
  const rows = await db.selectFrom('inboxes').selectAll().orderBy('id').execute();
  return rows.map(toInbox);
}
