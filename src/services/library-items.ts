/**
 * One service for the library's kinds (issue #14 item 1): templates and snippets are private to
 * their owner unless shared (src/domain/template-library.ts); what differs per kind is how its
 * fields are checked and written, given by the kind's spec.
 */
import { canEdit, canSee, ownerOf, privateItemsOf, type Viewer } from '../domain/template-library.js';
import * as store from '../store/library-items.js';
import type { LibraryFields, LibraryItem, LibraryKind } from '../store/library-items.js';
import type { Deps } from './deps.js';
import { errors, fieldError } from './errors.js';
import { userExists } from './users.js';

export type LibraryQuery = { q?: string; folder?: string; ownerId?: number; after: number; limit: number };
export type { LibraryFields, LibraryItem } from '../store/library-items.js';

export interface LibrarySpec<E extends string> {
  kind: LibraryKind<E>;
  what: 'template' | 'snippet';
  notFound: (id: number) => Error;
  /** The fields as stored (normalised), or the error that says what is wrong with them. */
  prepare: (deps: Deps, f: LibraryFields<E>) => Promise<LibraryFields<E>>;
  /** Runs a write: a kind with a unique column turns a clash into its own error. */
  write?: (deps: Deps, f: LibraryFields<E>, selfId: number | null, write: () => Promise<LibraryItem<E>>) => Promise<LibraryItem<E>>;
}

/** The owner a new item gets, or the error that says why it gets none. */
async function newOwner(deps: Deps, viewer: Viewer, requested: number | undefined, what: string): Promise<number> {
  const o = ownerOf(viewer, requested);
  if ('refused' in o) {
    if (o.refused === 'OWNER_REQUIRED') throw fieldError('ownerUserId', `An API token that is no user's must name the ${what}'s owner (ownerUserId).`, 'OWNER_REQUIRED');
    throw fieldError('ownerUserId', `Only an admin can create a ${what} for another user.`, 'NOT_OWNER');
  }
  if (!(await userExists(deps, o.ownerUserId))) throw errors.userNotFound({ id: o.ownerUserId, field: 'ownerUserId' });
  return o.ownerUserId;
}

export function libraryService<E extends string>(spec: LibrarySpec<E>) {
  const { kind, what } = spec;
  const write = spec.write ?? ((_deps, _f, _self, w) => w());

  async function get(deps: Deps, viewer: Viewer, id: number): Promise<LibraryItem<E>> {
    const item = await store.getItem(deps.db.kysely, kind, id);
    if (!item || !canSee(viewer, item)) throw spec.notFound(id);
    return item;
  }

  async function editable(deps: Deps, viewer: Viewer, id: number): Promise<LibraryItem<E>> {
    const current = await get(deps, viewer, id);
    if (!canEdit(viewer, current)) throw errors.libraryItemNotYours({ what, id });
    return current;
  }

  return {
    list: (deps: Deps, viewer: Viewer, q: LibraryQuery): Promise<LibraryItem<E>[]> => store.listItems(deps.db.kysely, kind, { ...q, visibleTo: privateItemsOf(viewer) }),
    folders: (deps: Deps, viewer: Viewer): Promise<string[]> => store.itemFolders(deps.db.kysely, kind, privateItemsOf(viewer)),
    get,
    async create(deps: Deps, viewer: Viewer, input: LibraryFields<E> & { ownerUserId?: number }): Promise<LibraryItem<E>> {
      const ownerUserId = await newOwner(deps, viewer, input.ownerUserId, what);
      const f = await spec.prepare(deps, input);
      return write(deps, f, null, () => store.insertItem(deps.db.kysely, kind, { ...f, ownerUserId }, deps.clock.now()));
    },
    async update(deps: Deps, viewer: Viewer, id: number, patch: Partial<LibraryFields<E>>): Promise<LibraryItem<E>> {
      const current = await editable(deps, viewer, id);
      const f = await spec.prepare(deps, { ...current, ...patch });
      return write(deps, f, id, () => store.updateItem(deps.db.kysely, kind, id, f, deps.clock.now()));
    },
    async remove(deps: Deps, viewer: Viewer, id: number): Promise<void> {
      await editable(deps, viewer, id);
      await store.markItemDeleted(deps.db.kysely, kind, id, deps.clock.now());
    },
  };
}
