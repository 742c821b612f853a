/**
 * Who sees and who changes a template or snippet of the library (issue #14 item 1). Private to
 * its owner unless shared with the whole team; a signed-in admin changes any they can see; an
 * admin token that is no one's (userId null) sees all of them.
 */

/** The caller, as the HTTP face knows it (src/http/auth.ts Principal). */
export interface Viewer {
  admin: boolean;
  /** null: an API token that belongs to no user. */
  userId: number | null;
}

export interface LibraryItem {
  ownerUserId: number;
  shared: boolean;
}

/** Whether the viewer sees every item, private ones of others included. */
export const seesAll = (v: Viewer): boolean => v.admin && v.userId === null;

/** Never a user id (ids are serial, from 1). */
const NO_USER = 0;
/** Whose private items a listing includes besides the shared ones: null, everyone's (an admin token); a token of no user, no one's. */
export const privateItemsOf = (v: Viewer): number | null => (seesAll(v) ? null : (v.userId ?? NO_USER));

export const canSee = (v: Viewer, item: LibraryItem): boolean => seesAll(v) || item.shared || item.ownerUserId === v.userId;

export const canEdit = (v: Viewer, item: LibraryItem): boolean => canSee(v, item) && (v.admin || item.ownerUserId === v.userId);

/** Whom a new item belongs to: the one asked for, or the caller; null when neither is known. */
export function ownerOf(v: Viewer, requested: number | undefined): { ownerUserId: number } | { refused: 'OWNER_REQUIRED' | 'NOT_YOURS' } {
  if (requested !== undefined && requested !== v.userId && !v.admin) return { refused: 'NOT_YOURS' };
  const owner = requested ?? v.userId;
  return owner === null ? { refused: 'OWNER_REQUIRED' } : { ownerUserId: owner };
}

/** What follows `#` when a rep types a snippet's shortcut; compared in lower case. */
export const SHORTCUT = /^[a-z0-9_-]{1,40}$/;
export const shortcutKey = (shortcut: string): string => shortcut.trim().toLowerCase();
