import type { Db } from './database.js';
import type { Seat, User, UserRole } from '../domain/glossary.js';
import type { UsersTable } from './schema.js';
import type { Selectable } from 'kysely';
import { prepared } from './prepared.js';
import { memoCatalog } from './transaction-memo.js';

const toUser = (r: Selectable<UsersTable>): User => ({
  id: r.id,
  email: r.email,
  firstName: r.first_name,
  lastName: r.last_name,
  role: r.role as UserRole,
  seat: r.seat as Seat,
  timezone: r.timezone,
  signature: r.signature,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  deletedAt: r.deleted_at,
});

export type NewUser = Pick<User, 'email' | 'firstName' | 'lastName' | 'role' | 'seat' | 'timezone'> & { signature?: string };

export async function insertUser(db: Db, u: NewUser, now: number): Promise<User> {
  const row = await db
    .insertInto('users')
    .values({
      email: u.email,
      email_key: u.email.toLowerCase(),
      first_name: u.firstName,
      last_name: u.lastName,
      role: u.role,
      seat: u.seat,
      timezone: u.timezone,
      signature: u.signature ?? '',
      created_at: now,
      updated_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toUser(row);
}

const userById = prepared((db, a: { id: number }) => db.selectFrom('users').selectAll().where('id', '=', a.id).where('deleted_at', 'is', null));

/** Kept across transactions while no user changes (src/store/transaction-memo.ts): every enrollment and send reads its sender. */
export function getUser(db: Db, id: number): Promise<User | null> {
  return memoCatalog(db, 'users', `user:${id}`, async () => {
    const r = (await userById(db, { id })).rows[0];
    return r ? toUser(r) : null;
  });
}

export async function getUserByEmail(db: Db, email: string): Promise<User | null> {
  const r = await db
    .selectFrom('users')
    .selectAll()
    .where('email_key', '=', email.toLowerCase())
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  return r ? toUser(r) : null;
}

export async function listUsers(db: Db, opts: { after: number; limit: number; email?: string }): Promise<User[]> {
  let q = db.selectFrom('users').selectAll().where('deleted_at', 'is', null).where('id', '>', opts.after);
  if (opts.email) q = q.where('email_key', '=', opts.email.toLowerCase());
  const rows = await q.orderBy('id').limit(opts.limit).execute();
  return rows.map(toUser);
}

export async function updateUser(
  db: Db,
  id: number,
  patch: Partial<Pick<User, 'seat' | 'firstName' | 'lastName' | 'timezone' | 'role' | 'signature'>>,
  now: number,
): Promise<User | null> {
  const r = await db
    .updateTable('users')
    .set({
      ...(patch.seat !== undefined && { seat: patch.seat }),
      ...(patch.firstName !== undefined && { first_name: patch.firstName }),
      ...(patch.lastName !== undefined && { last_name: patch.lastName }),
      ...(patch.timezone !== undefined && { timezone: patch.timezone }),
      ...(patch.role !== undefined && { role: patch.role }),
      ...(patch.signature !== undefined && { signature: patch.signature }),
      updated_at: now,
    })
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .returningAll()
    .executeTakeFirst();
  return r ? toUser(r) : null;
}

/** Removal keeps the row (enrollments and history point at it) but frees the email. */
export async function removeUser(db: Db, id: number, now: number): Promise<boolean> {
  const r = await db
    .updateTable('users')
    .set({ deleted_at: now, updated_at: now, email_key: `deleted:${id}:${now}` })
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Ids of the account's admins (users with the admin role who were not removed). */
export async function listAdminIds(db: Db): Promise<number[]> {
  const rows = await db.selectFrom('users').select('id').where('role', '=', 'admin').where('deleted_at', 'is', null).orderBy('id').execute();
  return rows.map((r) => r.id);
}
