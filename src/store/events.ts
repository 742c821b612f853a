import type { Db } from './database.js';
import type { ContactEvent } from '../domain/glossary.js';
import { fromJson, toJson } from './json.js';

export async function appendEvent(db: Db, contactId: number, type: string, at: number, data: Record<string, unknown> = {}): Promise<void> {
  await db.insertInto('events').values({ contact_id: contactId, type, at, data: toJson(data) }).execute();
}

export async function listEvents(db: Db, contactId: number): Promise<ContactEvent[]> {
  const rows = await db.selectFrom('events').selectAll().where('contact_id', '=', contactId).orderBy('at').orderBy('id').execute();
  return rows.map((r) => ({ id: r.id, contactId: r.contact_id, type: r.type, at: r.at, data: fromJson(r.data, {}) }));
}
