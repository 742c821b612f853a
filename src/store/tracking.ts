import { sql } from 'kysely';
import type { Db } from './database.js';
import type { ReportWindow } from './sequence-report.js';

export type TrackingKind = 'OPEN' | 'CLICK';

/** The send a tracking token names, with what its events need: the contact and where it came from. */
export interface TrackedSend {
  sendId: number;
  enrollmentId: number;
  contactId: number;
  sequenceId: number;
  stepOrder: number;
}

/** The links of a tracked email; a send rendered again (a retry) replaces its links. */
export async function saveTrackedLinks(db: Db, sendId: number, links: { index: number; url: string }[]): Promise<void> {
  await db.deleteFrom('tracking_links').where('send_id', '=', sendId).execute();
  for (let i = 0; i < links.length; i += 100) {
    const values = links.slice(i, i + 100).map((l) => ({ send_id: sendId, link_index: l.index, url: l.url }));
    await db.insertInto('tracking_links').values(values).execute();
  }
}

export async function getTrackedLink(db: Db, sendId: number, linkIndex: number): Promise<string | null> {
  const r = await db.selectFrom('tracking_links').select('url').where('send_id', '=', sendId).where('link_index', '=', linkIndex).executeTakeFirst();
  return r?.url ?? null;
}

export async function getTrackedSend(db: Db, sendId: number): Promise<TrackedSend | null> {
  const r = await db
    .selectFrom('sends as s')
    .innerJoin('enrollments as e', 'e.id', 's.enrollment_id')
    .select(['s.id', 's.enrollment_id', 's.step_order', 'e.contact_id', 'e.sequence_id'])
    .where('s.id', '=', sendId)
    .executeTakeFirst();
  return r ? { sendId: r.id, enrollmentId: r.enrollment_id, contactId: r.contact_id, sequenceId: r.sequence_id, stepOrder: r.step_order } : null;
}

export interface NewTrackingEvent {
  sendId: number;
  kind: TrackingKind;
  url: string | null;
  at: number;
  userAgentClass: string;
  proxy: boolean;
}

/** Whether this send already has an event of this kind, URL and proxy flag (the first one goes on the timeline). */
export async function hasTrackingEvent(db: Db, e: Pick<NewTrackingEvent, 'sendId' | 'kind' | 'url' | 'proxy'>): Promise<boolean> {
  let q = db.selectFrom('tracking_events').select('id').where('send_id', '=', e.sendId).where('kind', '=', e.kind).where('proxy', '=', e.proxy ? 1 : 0);
  q = e.url === null ? q.where('url', 'is', null) : q.where('url', '=', e.url);
  return (await q.limit(1).executeTakeFirst()) !== undefined;
}

/** Records the event unless one like it (send, kind, URL, proxy flag) is already in this minute; true when recorded. */
export async function insertTrackingEvent(db: Db, e: NewTrackingEvent): Promise<boolean> {
  const r = await db
    .insertInto('tracking_events')
    .values({ send_id: e.sendId, kind: e.kind, url: e.url, at: e.at, minute: Math.floor(e.at / 60_000), user_agent_class: e.userAgentClass, proxy: e.proxy ? 1 : 0 })
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
}

export interface EngagementCount {
  stepOrder: number;
  senderUserId: number;
  /** Sends opened by a person (at least one open not from a proxy). */
  opened: number;
  /** Sends whose only opens came from mail-privacy proxies. */
  openedByProxy: number;
  /** Sends with a link followed by a person. */
  clicked: number;
}

/** Of the emails sent in the window, how many were opened and clicked (at any time), by step and sender. */
export async function countEngagement(db: Db, w: ReportWindow): Promise<EngagementCount[]> {
  const any = (kind: TrackingKind, proxy: 0 | 1) =>
    sql<number>`case when exists (select 1 from tracking_events t where t.send_id = s.id and t.kind = ${kind} and t.proxy = ${proxy}) then 1 else 0 end`;
  let perSend = db
    .selectFrom('sends as s')
    .innerJoin('enrollments as e', 'e.id', 's.enrollment_id')
    .select(['s.step_order', 'e.sender_user_id', any('OPEN', 0).as('person_open'), any('OPEN', 1).as('proxy_open'), any('CLICK', 0).as('person_click')])
    .where('e.sequence_id', '=', w.sequenceId)
    .where('s.status', '=', 'SENT')
    .where('s.sent_at', '>=', w.from)
    .where('s.sent_at', '<', w.to);
  if (w.senderUserId !== undefined) perSend = perSend.where('e.sender_user_id', '=', w.senderUserId);
  const rows = await db
    .selectFrom(perSend.as('x'))
    .select([
      'x.step_order',
      'x.sender_user_id',
      (eb) => eb.fn.sum<number>('x.person_open').as('opened'),
      (eb) => eb.fn.sum<number>(sql`case when x.person_open = 0 and x.proxy_open = 1 then 1 else 0 end`).as('opened_by_proxy'),
      (eb) => eb.fn.sum<number>('x.person_click').as('clicked'),
    ])
    .groupBy(['x.step_order', 'x.sender_user_id'])
    .execute();
  return rows.map((r) => ({ stepOrder: r.step_order, senderUserId: r.sender_user_id, opened: Number(r.opened), openedByProxy: Number(r.opened_by_proxy), clicked: Number(r.clicked) }));
}
