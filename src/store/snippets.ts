import type { Selectable } from 'kysely';
import type { Db } from './database.js';
import type { SnippetsTable } from './schema.js';
import { containsText } from './text-search.js';
import type { LibraryFilter } from './templates.js';

export interface Snippet {
  id: number;
  ownerUserId: number;
  name: string;
  /** Lower case. */
  shortcut: string;
  body: string;
  folder: string | null;
  shared: boolean;
  createdAt: number;
  updatedAt: number;
}

const toSnippet = (r: Selectable<SnippetsTable>): Snippet => ({
  id: r.id,
  ownerUserId: r.owner_user_id,
  name: r.name,
  shortcut: r.shortcut,
  body: r.body,
  folder: r.folder,
  shared: r.shared === 1,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** Live snippets in id order after a cursor: shared ones and the viewer's own, matching the filter. */
export async function listSnippets(db: Db, f: LibraryFilter): Promise<Snippet[]> {
  let q = db.selectFrom('snippets').selectAll().where('deleted_at', 'is', null).where('id', '>', f.after);
  const viewer = f.visibleTo;
  if (viewer !== null) q = q.where((eb) => eb.or([eb('shared', '=', 1), eb('owner_user_id', '=', viewer)]));
  if (f.ownerId !== undefined) q = q.where('owner_user_id', '=', f.ownerId);
  if (f.folder !== undefined) q = q.where('folder', '=', f.folder);
  const text = f.q;
  if (text) q = q.where((eb) => eb.or([containsText('name', text), containsText('shortcut', text), containsText('body', text)]));
  return (await q.orderBy('id').limit(f.limit).execute()).map(toSnippet);
}

export async function getSnippet(db: Db, id: number): Promise<Snippet | null> {
  const r = await db.selectFrom('snippets').selectAll().where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
  return r ? toSnippet(r) : null;
}

/** The live snippet with this shortcut (lower case), whoever owns it. */
export async function snippetByShortcut(db: Db, shortcut: string): Promise<Snippet | null> {
  const r = await db.selectFrom('snippets').selectAll().where('shortcut', '=', shortcut).where('deleted_at', 'is', null).executeTakeFirst();
  return r ? toSnippet(r) : null;
}

export type SnippetFields = Pick<Snippet, 'name' | 'shortcut' | 'body' | 'folder' | 'shared'>;

export async function insertSnippet(db: Db, s: SnippetFields & { ownerUserId: number }, now: number): Promise<Snippet> {
  const r = await db
    .insertInto('snippets')
    .values({ owner_user_id: s.ownerUserId, name: s.name, shortcut: s.shortcut, body: s.body, folder: s.folder, shared: s.shared ? 1 : 0, created_at: now, updated_at: now })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toSnippet(r);
}

export async function updateSnippet(db: Db, id: number, s: SnippetFields, now: number): Promise<Snippet> {
  const r = await db
    .updateTable('snippets')
    .set({ name: s.name, shortcut: s.shortcut, body: s.body, folder: s.folder, shared: s.shared ? 1 : 0, updated_at: now })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  return toSnippet(r);
}

export async function markSnippetDeleted(db: Db, id: number, now: number): Promise<void> {
  await db.updateTable('snippets').set({ deleted_at: now, updated_at: now }).where('id', '=', id).execute();
}

/** Folder names of the live snippets the viewer sees, in name order. */
export async function snippetFolders(db: Db, visibleTo: number | null): Promise<string[]> {
  let q = db.selectFrom('snippets').select('folder').distinct().where('deleted_at', 'is', null).where('folder', 'is not', null);
  if (visibleTo !== null) q = q.where((eb) => eb.or([eb('shared', '=', 1), eb('owner_user_id', '=', visibleTo)]));
  return (await q.orderBy('folder').execute()).map((r) => r.folder as string);
}
