import type { Db } from './database.js';
import { containsText } from './text-search.js';

/**
 * Templates and snippets (issue #14 item 1) are one shape: an owner, a name, a body, a folder, a
 * shared flag, soft deletion. A kind adds a few text columns of its own (a template's subject, a
 * snippet's shortcut), stored and answered under the same name.
 */
export interface LibraryKind<Extra extends string> {
  table: 'templates' | 'snippets';
  /** The kind's own text columns, searched by a listing's `q` between name and body. */
  extra: readonly Extra[];
}

export type LibraryItem<Extra extends string> = {
  id: number;
  ownerUserId: number;
  name: string;
  body: string;
  folder: string | null;
  shared: boolean;
  createdAt: number;
  updatedAt: number;
} & Record<Extra, string>;

export type LibraryFields<Extra extends string> = Pick<LibraryItem<Extra>, 'name' | 'body' | 'folder' | 'shared' | Extra>;

export interface LibraryFilter {
  /** null: every owner's private items too (an admin token). */
  visibleTo: number | null;
  q?: string;
  folder?: string;
  ownerId?: number;
  after: number;
  limit: number;
}

interface CommonRow {
  id: number;
  owner_user_id: number;
  name: string;
  body: string;
  folder: string | null;
  shared: number;
  created_at: number;
  updated_at: number;
}

export const TEMPLATE = { table: 'templates', extra: ['subject'] } as const satisfies LibraryKind<'subject'>;
export const SNIPPET = { table: 'snippets', extra: ['shortcut'] } as const satisfies LibraryKind<'shortcut'>;

/**
 * The query builder sees one table: the columns used here are the ones both tables have, and the
 * kind's own columns are named by the kind, so the templates table stands in for either.
 */
const tableOf = <E extends string>(k: LibraryKind<E>): 'templates' => k.table as 'templates';

export function toItem<E extends string>(k: LibraryKind<E>, r: CommonRow): LibraryItem<E> {
  const own = Object.fromEntries(k.extra.map((c) => [c, (r as unknown as Record<string, string>)[c]])) as Record<E, string>;
  return {
    id: r.id,
    ownerUserId: r.owner_user_id,
    name: r.name,
    ...own,
    body: r.body,
    folder: r.folder,
    shared: r.shared === 1,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

function columns<E extends string>(k: LibraryKind<E>, f: LibraryFields<E>) {
  const own = Object.fromEntries(k.extra.map((c) => [c, f[c]]));
  // Typed as a template row for the builder (see tableOf); a snippet's shortcut rides in `own`.
  return { name: f.name, body: f.body, folder: f.folder, shared: f.shared ? 1 : 0, ...own } as { name: string; subject: string; body: string; folder: string | null; shared: number };
}

/** Live items in id order after a cursor: shared ones and the viewer's own, matching the filter. */
export async function listItems<E extends string>(db: Db, k: LibraryKind<E>, f: LibraryFilter): Promise<LibraryItem<E>[]> {
  let q = db.selectFrom(tableOf(k)).selectAll().where('deleted_at', 'is', null).where('id', '>', f.after);
  const viewer = f.visibleTo;
  if (viewer !== null) q = q.where((eb) => eb.or([eb('shared', '=', 1), eb('owner_user_id', '=', viewer)]));
  if (f.ownerId !== undefined) q = q.where('owner_user_id', '=', f.ownerId);
  if (f.folder !== undefined) q = q.where('folder', '=', f.folder);
  const text = f.q;
  if (text) q = q.where((eb) => eb.or(['name', ...k.extra, 'body'].map((c) => containsText(c, text))));
  return (await q.orderBy('id').limit(f.limit).execute()).map((r) => toItem(k, r));
}

export async function getItem<E extends string>(db: Db, k: LibraryKind<E>, id: number): Promise<LibraryItem<E> | null> {
  const r = await db.selectFrom(tableOf(k)).selectAll().where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
  return r ? toItem(k, r) : null;
}

/** Whether an item by this id was ever made (a step may name a removed template). */
export async function itemEverExisted<E extends string>(db: Db, k: LibraryKind<E>, id: number): Promise<boolean> {
  return (await db.selectFrom(tableOf(k)).select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
}

export async function insertItem<E extends string>(db: Db, k: LibraryKind<E>, f: LibraryFields<E> & { ownerUserId: number }, now: number): Promise<LibraryItem<E>> {
  const r = await db
    .insertInto(tableOf(k))
    .values({ owner_user_id: f.ownerUserId, ...columns(k, f), created_at: now, updated_at: now })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toItem(k, r);
}

export async function updateItem<E extends string>(db: Db, k: LibraryKind<E>, id: number, f: LibraryFields<E>, now: number): Promise<LibraryItem<E>> {
  const r = await db
    .updateTable(tableOf(k))
    .set({ ...columns(k, f), updated_at: now })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  return toItem(k, r);
}

export async function markItemDeleted<E extends string>(db: Db, k: LibraryKind<E>, id: number, now: number): Promise<void> {
  await db.updateTable(tableOf(k)).set({ deleted_at: now, updated_at: now }).where('id', '=', id).execute();
}

/** Folder names of the live items the viewer sees, in name order. */
export async function itemFolders<E extends string>(db: Db, k: LibraryKind<E>, visibleTo: number | null): Promise<string[]> {
  let q = db.selectFrom(tableOf(k)).select('folder').distinct().where('deleted_at', 'is', null).where('folder', 'is not', null);
  if (visibleTo !== null) q = q.where((eb) => eb.or([eb('shared', '=', 1), eb('owner_user_id', '=', visibleTo)]));
  return (await q.orderBy('folder').execute()).map((r) => r.folder as string);
}
