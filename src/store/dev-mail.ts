import type { Selectable } from 'kysely';
import type { Db } from './database.js';
import { fromJson, toJson } from './json.js';
import type { DevMailMessagesTable } from './schema.js';

/** A message the dev mail server caught, as the dev inbox lists it. */
export type StoredDevMail = { id: number } & Pick<DevMail, 'messageId' | 'from' | 'to' | 'subject' | 'text' | 'html' | 'headers' | 'receivedAt'>;
type DevMail = { messageId: string | null; from: string; to: string[]; subject: string; text: string; html: string | null; headers: Record<string, string>; raw: string; receivedAt: number };

// PostgreSQL text cannot hold U+0000, and the dev mail server stores whatever it was sent.
const text = (s: string) => s.replace(/\u0000/g, '\uFFFD');

export async function insertDevMail(db: Db, m: DevMail): Promise<void> {
  await db
    .insertInto('dev_mail_messages')
    .values({
      message_id: m.messageId === null ? null : text(m.messageId),
      from_address: text(m.from),
      to_addresses: toJson(m.to.map(text)),
      subject: text(m.subject),
      text: text(m.text),
      html: m.html === null ? null : text(m.html),
      headers: text(toJson(m.headers)),
      raw: text(m.raw),
      received_at: m.receivedAt,
    })
    .execute();
}

export async function getDevMailByMessageId(db: Db, messageId: string): Promise<StoredDevMail | null> {
  const r = await db.selectFrom('dev_mail_messages').selectAll().where('message_id', '=', text(messageId)).orderBy('id').executeTakeFirst();
  return r ? toStored(r) : null;
}

export async function listDevMail(db: Db, filter: { to?: string; from?: string; limit: number }): Promise<StoredDevMail[]> {
  let q = db.selectFrom('dev_mail_messages').selectAll();
  // Addresses are matched inside the JSON list and the From header text, case-insensitively.
  if (filter.to) q = q.where('to_addresses', 'like', `%"${filter.to.toLowerCase().replace(/[%_"]/g, '')}"%`);
  if (filter.from) q = q.where('from_address', 'like', `%${filter.from.replace(/[%_]/g, '')}%`);
  const rows = await q.orderBy('id', 'desc').limit(filter.limit).execute();
  return rows.map(toStored);
}

/** When the dev mail server received the message with this Message-ID; null when it never did. */
export async function devMailReceivedAt(db: Db, messageId: string): Promise<number | null> {
  const r = await db.selectFrom('dev_mail_messages').select('received_at').where('message_id', '=', messageId).orderBy('id').limit(1).executeTakeFirst();
  return r ? Number(r.received_at) : null;
}

const toStored = (r: Selectable<DevMailMessagesTable>): StoredDevMail => ({
  id: r.id,
  messageId: r.message_id,
  from: r.from_address,
  to: fromJson<string[]>(r.to_addresses, []),
  subject: r.subject,
  text: r.text,
  html: r.html,
  headers: fromJson<Record<string, string>>(r.headers, {}),
  receivedAt: r.received_at,
});

/** Every recipient address of the caught mail, once per message it was sent to. */
export async function listDevMailRecipients(db: Db): Promise<string[]> {
  const rows = await db.selectFrom('dev_mail_messages').select(['to_addresses']).execute();
  return rows.flatMap((r) => fromJson<string[]>(r.to_addresses, []));
}
