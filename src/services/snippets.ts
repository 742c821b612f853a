/**
 * Snippets (issue #14 item 1): short texts a rep inserts into an email body, by picking one or by
 * typing `#shortcut` and Tab. Private to their owner unless shared, as templates are; a live
 * snippet's shortcut is unique for the whole account, compared in lower case.
 */
import { canEdit, canSee, privateItemsOf, SHORTCUT, shortcutKey, type Viewer } from '../domain/template-library.js';
import { isUniqueViolation } from '../store/json.js';
import * as store from '../store/snippets.js';
import type { Snippet, SnippetFields } from '../store/snippets.js';
import type { Deps } from './deps.js';
import { errors, fieldError, validationError } from './errors.js';
import { checkTemplateFields } from './template-check.js';
import { newOwner, type LibraryQuery } from './templates.js';

export type { Snippet } from '../store/snippets.js';

/** The body is checked as a step body is: it ends up in one. */
async function checkSnippet(deps: Deps, s: SnippetFields): Promise<void> {
  if (!SHORTCUT.test(s.shortcut)) throw fieldError('shortcut', 'A shortcut is 1 to 40 letters, digits, _ or -.', 'INVALID_SHORTCUT');
  const problems = await checkTemplateFields(deps, [{ in: 'body', part: 'body', source: s.body }]);
  if (problems.length) throw validationError(problems[0].message, problems);
}

/** Writes under the unique shortcut, answering a taken one (also when a concurrent write takes it first) with a 409. */
async function withShortcut<T>(deps: Deps, s: SnippetFields, selfId: number | null, write: () => Promise<T>): Promise<T> {
  const holder = await store.snippetByShortcut(deps.db.kysely, s.shortcut);
  if (holder && holder.id !== selfId) throw errors.snippetShortcutExists({ shortcut: s.shortcut });
  try {
    return await write();
  } catch (err) {
    if (isUniqueViolation(err, 'snippets')) throw errors.snippetShortcutExists({ shortcut: s.shortcut });
    throw err;
  }
}

export const listSnippets = (deps: Deps, viewer: Viewer, q: LibraryQuery): Promise<Snippet[]> => store.listSnippets(deps.db.kysely, { ...q, visibleTo: privateItemsOf(viewer) });

export const snippetFolders = (deps: Deps, viewer: Viewer): Promise<string[]> => store.snippetFolders(deps.db.kysely, privateItemsOf(viewer));

export async function getSnippet(deps: Deps, viewer: Viewer, id: number): Promise<Snippet> {
  const s = await store.getSnippet(deps.db.kysely, id);
  if (!s || !canSee(viewer, s)) throw errors.snippetNotFound({ id });
  return s;
}

export async function createSnippet(deps: Deps, viewer: Viewer, input: SnippetFields & { ownerUserId?: number }): Promise<Snippet> {
  const ownerUserId = await newOwner(deps, viewer, input.ownerUserId, 'snippet');
  const s = { ...input, shortcut: shortcutKey(input.shortcut) };
  await checkSnippet(deps, s);
  return withShortcut(deps, s, null, () => store.insertSnippet(deps.db.kysely, { ...s, ownerUserId }, deps.clock.now()));
}

export async function updateSnippet(deps: Deps, viewer: Viewer, id: number, patch: Partial<SnippetFields>): Promise<Snippet> {
  const current = await getSnippet(deps, viewer, id);
  if (!canEdit(viewer, current)) throw errors.libraryItemNotYours({ what: 'snippet', id });
  const next = { ...current, ...patch, shortcut: shortcutKey(patch.shortcut ?? current.shortcut) };
  await checkSnippet(deps, next);
  return withShortcut(deps, next, id, () => store.updateSnippet(deps.db.kysely, id, next, deps.clock.now()));
}

export async function deleteSnippet(deps: Deps, viewer: Viewer, id: number): Promise<void> {
  const current = await getSnippet(deps, viewer, id);
  if (!canEdit(viewer, current)) throw errors.libraryItemNotYours({ what: 'snippet', id });
  await store.markSnippetDeleted(deps.db.kysely, id, deps.clock.now());
}
