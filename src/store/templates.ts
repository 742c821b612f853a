import type { Selectable } from 'kysely';
import type { Db } from './database.js';
import type { TemplatesTable } from './schema.js';
import { containsText } from './text-search.js';

export interface Template {
  id: number;
  ownerUserId: number;
  name: string;
  subject: string;
  body: string;
  folder: string | null;
  shared: boolean;
  createdAt: number;
  updatedAt: number;
}

export interface LibraryFilter {
  /** null: every owner's private items too (an admin token). */
  visibleTo: number | null;
  q?: string;
  folder?: string;
  ownerId?: number;
  after: number;
  limit: number;
}

const toTemplate = (r: Selectable<TemplatesTable>): Template => ({
  id: r.id,
  ownerUserId: r.owner_user_id,
  name: r.name,
  subject: r.subject,
  body: r.body,
  folder: r.folder,
  shared: r.shared === 1,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** Live templates in id order after a cursor: shared ones and the viewer's own, matching the filter. */
export async function listTemplates(db: Db, f: LibraryFilter): Promise<Template[]> {
  let q = db.selectFrom('templates').selectAll().where('deleted_at', 'is', null).where('id', '>', f.after);
  const viewer = f.visibleTo;
  if (viewer !== null) q = q.where((eb) => eb.or([eb('shared', '=', 1), eb('owner_user_id', '=', viewer)]));
  if (f.ownerId !== undefined) q = q.where('owner_user_id', '=', f.ownerId);
  if (f.folder !== undefined) q = q.where('folder', '=', f.folder);
  const text = f.q;
  if (text) q = q.where((eb) => eb.or([containsText('name', text), containsText('subject', text), containsText('body', text)]));
  return (await q.orderBy('id').limit(f.limit).execute()).map(toTemplate);
}

export async function getTemplate(db: Db, id: number): Promise<Template | null> {
  const r = await db.selectFrom('templates').selectAll().where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
  return r ? toTemplate(r) : null;
}

/** Whether a template by this id was ever made (a step may name a removed one). */
export async function templateEverExisted(db: Db, id: number): Promise<boolean> {
  return (await db.selectFrom('templates').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
}

export type TemplateFields = Pick<Template, 'name' | 'subject' | 'body' | 'folder' | 'shared'>;

export async function insertTemplate(db: Db, t: TemplateFields & { ownerUserId: number }, now: number): Promise<Template> {
  const r = await db
    .insertInto('templates')
    .values({ owner_user_id: t.ownerUserId, name: t.name, subject: t.subject, body: t.body, folder: t.folder, shared: t.shared ? 1 : 0, created_at: now, updated_at: now })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toTemplate(r);
}

export async function updateTemplate(db: Db, id: number, t: TemplateFields, now: number): Promise<Template> {
  const r = await db
    .updateTable('templates')
    .set({ name: t.name, subject: t.subject, body: t.body, folder: t.folder, shared: t.shared ? 1 : 0, updated_at: now })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  return toTemplate(r);
}

export async function markTemplateDeleted(db: Db, id: number, now: number): Promise<void> {
  await db.updateTable('templates').set({ deleted_at: now, updated_at: now }).where('id', '=', id).execute();
}

/** Folder names of the live templates the viewer sees, in name order. */
export async function templateFolders(db: Db, visibleTo: number | null): Promise<string[]> {
  let q = db.selectFrom('templates').select('folder').distinct().where('deleted_at', 'is', null).where('folder', 'is not', null);
  if (visibleTo !== null) q = q.where((eb) => eb.or([eb('shared', '=', 1), eb('owner_user_id', '=', visibleTo)]));
  return (await q.orderBy('folder').execute()).map((r) => r.folder as string);
}
