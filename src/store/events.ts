import type { Db } from './database.js';
import type { ContactEvent } from '../domain/glossary.js';
import { fromJson, toJson } from './json.js';
import { prepared } from './prepared.js';

const insertEvent = prepared((db, a: { contactId: number; type: string; at: number; data: string }) =>
  db.insertInto('events').values({ contact_id: a.contactId, type: a.type, at: a.at, data: a.data }),
);

export async function appendEvent(db: Db, contactId: number, type: string, at: number, data: Record<string, unknown> = {}): Promise<void> {
  await insertEvent(db, { contactId, type, at, data: toJson(data) });
}

export async function listEvents(db: Db, contactId: number): Promise<ContactEvent[]> {
  const rows = await db.selectFrom('events').selectAll().where('contact_id', '=', contactId).orderBy('at').orderBy('id').execute();
  return rows.map((r) => ({ id: r.id, contactId: r.contact_id, type: r.type, at: r.at, data: fromJson(r.data, {}) }));
}

/** Every event of the given types, oldest first, with its data. */
export async function listEventsOfTypes(db: Db, types: string[]): Promise<{ contactId: number; type: string; data: Record<string, unknown> }[]> {
  if (types.length === 0) return [];
  const rows = await db.selectFrom('events').select(['contact_id', 'type', 'data']).where('type', 'in', types).orderBy('id').execute();
  return rows.map((r) => ({ contactId: r.contact_id, type: r.type, data: fromJson<Record<string, unknown>>(r.data, {}) }));
}

/** Ids of the contacts with at least one event of the given types. */
export async function contactIdsWithEventOfTypes(db: Db, types: string[]): Promise<Set<number>> {
  if (types.length === 0) return new Set();
  const rows = await db.selectFrom('events').select('contact_id').distinct().where('type', 'in', types).execute();
  return new Set(rows.map((r) => r.contact_id));
}

/** One event per contact, in one statement per few hundred: what a batch of imported contacts records. */
export async function appendEvents(db: Db, events: { contactId: number; type: string; at: number; data?: Record<string, unknown> }[]): Promise<void> {
  for (let i = 0; i < events.length; i += 500) {
    const values = events.slice(i, i + 500).map((e) => ({ contact_id: e.contactId, type: e.type, at: e.at, data: toJson(e.data ?? {}) }));
    await db.insertInto('events').values(values).execute();
  }
}
