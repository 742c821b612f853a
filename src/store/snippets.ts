import type { Db } from './database.js';
import { SNIPPET, toItem, type LibraryFields, type LibraryItem } from './library-items.js';

export type Snippet = LibraryItem<'shortcut'>;
export type SnippetFields = LibraryFields<'shortcut'>;

/** The live snippet with this shortcut (lower case), whoever owns it. */
export async function snippetByShortcut(db: Db, shortcut: string): Promise<Snippet | null> {
  const r = await db.selectFrom('snippets').selectAll().where('shortcut', '=', shortcut).where('deleted_at', 'is', null).executeTakeFirst();
  return r ? toItem(SNIPPET, r) : null;
}
