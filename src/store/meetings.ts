import type { Db } from './database.js';
import { fromJson } from './json.js';

export interface Meeting {
  id: number;
  contactId: number;
  userId: number | null;
  properties: Record<string, string | null>;
  startAt: number | null;
  createdAt: number;
  updatedAt: number;
}

type Row = { id: number; contact_id: number; user_id: number | null; properties: string; start_at: number | null; created_at: number; updated_at: number };

const toMeeting = (r: Row): Meeting => ({
  id: r.id,
  contactId: r.contact_id,
  userId: r.user_id,
  properties: fromJson<Record<string, string | null>>(r.properties, {}),
  startAt: r.start_at === null ? null : Number(r.start_at),
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
});

export async function getMeeting(db: Db, id: number): Promise<Meeting | null> {
  const r = await db.selectFrom('meetings').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? toMeeting(r) : null;
}

/** Meetings in id order after the cursor (the last id of the previous page). */
export async function listMeetings(db: Db, o: { after: number; limit: number }): Promise<Meeting[]> {
  const rows = await db.selectFrom('meetings').selectAll().where('id', '>', o.after).orderBy('id').limit(o.limit).execute();
  return rows.map(toMeeting);
}

/** Meetings logged for these contacts, in id order. */
export async function listMeetingsOfContacts(db: Db, contactIds: number[]): Promise<Meeting[]> {
  if (!contactIds.length) return [];
  const rows = await db.selectFrom('meetings').selectAll().where('contact_id', 'in', contactIds).orderBy('id').execute();
  return rows.map(toMeeting);
}
