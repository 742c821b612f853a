import type { Db } from './database.js';
import { fromJson, toJson } from './json.js';
import { prepared } from './prepared.js';

export interface FormField {
  name: string;
  label: string;
  required: boolean;
}

export interface Form {
  id: number;
  guid: string;
  name: string;
  fields: FormField[];
  createdAt: number;
  updatedAt: number;
}

export async function insertForm(db: Db, f: { guid: string; name: string; fields: FormField[] }, now: number): Promise<Form> {
  const r = await db.insertInto('forms').values({ guid: f.guid, name: f.name, fields: toJson(f.fields), created_at: now, updated_at: now }).returningAll().executeTakeFirstOrThrow();
  return { id: r.id, guid: r.guid, name: r.name, fields: f.fields, createdAt: r.created_at, updatedAt: r.updated_at };
}

const formByGuid = prepared((db, a: { guid: string }) => db.selectFrom('forms').selectAll().where('guid', '=', a.guid).where('deleted_at', 'is', null));

export async function getFormByGuid(db: Db, guid: string): Promise<Form | null> {
  const r = (await formByGuid(db, { guid })).rows[0];
  return r ? { id: r.id, guid: r.guid, name: r.name, fields: fromJson<FormField[]>(r.fields, []), createdAt: r.created_at, updatedAt: r.updated_at } : null;
}

export async function listForms(db: Db): Promise<Form[]> {
  const rows = await db.selectFrom('forms').selectAll().where('deleted_at', 'is', null).orderBy('id').execute();
  return rows.map((r) => ({ id: r.id, guid: r.guid, name: r.name, fields: fromJson<FormField[]>(r.fields, []), createdAt: r.created_at, updatedAt: r.updated_at }));
}

export async function insertMeeting(
  db: Db,
  m: { contactId: number; userId: number | null; properties: Record<string, string | null>; startAt: number | null },
  now: number,
): Promise<number> {
  const r = await db
    .insertInto('meetings')
    .values({ contact_id: m.contactId, user_id: m.userId, properties: toJson(m.properties), start_at: m.startAt, created_at: now, updated_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}
