/**
 * The template library (issue #14 item 1): email subjects and bodies reps start steps from.
 * Private to their owner unless shared (src/domain/template-library.ts); a sequence step copies
 * a template when it is made from one, so editing the template later changes no saved step.
 */
import { canEdit, canSee, ownerOf, privateItemsOf, type Viewer } from '../domain/template-library.js';
import * as store from '../store/templates.js';
import type { Template, TemplateFields } from '../store/templates.js';
import type { Deps } from './deps.js';
import { errors, fieldError, validationError } from './errors.js';
import { checkTemplateFields } from './template-check.js';
import { userExists } from './users.js';

export type { Template } from '../store/templates.js';
export type LibraryQuery = { q?: string; folder?: string; ownerId?: number; after: number; limit: number };

/** The owner a new template or snippet gets, or the error that says why it gets none. */
export async function newOwner(deps: Deps, viewer: Viewer, requested: number | undefined, what: 'template' | 'snippet'): Promise<number> {
  const o = ownerOf(viewer, requested);
  if ('refused' in o) {
    if (o.refused === 'OWNER_REQUIRED') throw fieldError('ownerUserId', `An API token that is no user's must name the ${what}'s owner (ownerUserId).`, 'OWNER_REQUIRED');
    throw fieldError('ownerUserId', `Only an admin can create a ${what} for another user.`, 'NOT_OWNER');
  }
  if (!(await userExists(deps, o.ownerUserId))) throw errors.userNotFound({ id: o.ownerUserId, field: 'ownerUserId' });
  return o.ownerUserId;
}

async function checkEmail(deps: Deps, t: Pick<TemplateFields, 'subject' | 'body'>): Promise<void> {
  const problems = await checkTemplateFields(deps, [
    { in: 'subject', part: 'subject', source: t.subject },
    { in: 'body', part: 'body', source: t.body },
  ]);
  if (problems.length) throw validationError(problems[0].message, problems);
}

export const listTemplates = (deps: Deps, viewer: Viewer, q: LibraryQuery): Promise<Template[]> => store.listTemplates(deps.db.kysely, { ...q, visibleTo: privateItemsOf(viewer) });

export const templateFolders = (deps: Deps, viewer: Viewer): Promise<string[]> => store.templateFolders(deps.db.kysely, privateItemsOf(viewer));

export async function getTemplate(deps: Deps, viewer: Viewer, id: number): Promise<Template> {
  const t = await store.getTemplate(deps.db.kysely, id);
  if (!t || !canSee(viewer, t)) throw errors.templateNotFound({ id });
  return t;
}

export async function createTemplate(deps: Deps, viewer: Viewer, input: TemplateFields & { ownerUserId?: number }): Promise<Template> {
  const ownerUserId = await newOwner(deps, viewer, input.ownerUserId, 'template');
  await checkEmail(deps, input);
  return store.insertTemplate(deps.db.kysely, { ...input, ownerUserId }, deps.clock.now());
}

export async function updateTemplate(deps: Deps, viewer: Viewer, id: number, patch: Partial<TemplateFields>): Promise<Template> {
  const current = await getTemplate(deps, viewer, id);
  if (!canEdit(viewer, current)) throw errors.libraryItemNotYours({ what: 'template', id });
  const next = { ...current, ...patch };
  await checkEmail(deps, next);
  return store.updateTemplate(deps.db.kysely, id, next, deps.clock.now());
}

export async function deleteTemplate(deps: Deps, viewer: Viewer, id: number): Promise<void> {
  const current = await getTemplate(deps, viewer, id);
  if (!canEdit(viewer, current)) throw errors.libraryItemNotYours({ what: 'template', id });
  await store.markTemplateDeleted(deps.db.kysely, id, deps.clock.now());
}
