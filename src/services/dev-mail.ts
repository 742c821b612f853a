import type { ReceivedMail } from '../mail/dev-mail-server.js';
import { insertDevMail, listDevMail } from '../store/dev-mail.js';
import { toJson } from '../store/json.js';
import type { Deps } from './deps.js';

/** The settings key where the running dev mail server publishes its address to worker processes. */
export const DEV_SMTP_SETTING = 'dev_smtp_address';

export async function publishDevSmtpAddress(deps: Deps, address: { host: string; port: number }): Promise<void> {
  await deps.db.kysely
    .insertInto('settings')
    .values({ key: DEV_SMTP_SETTING, value: toJson(address) })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: toJson(address) }))
    .execute();
}

export async function storeDevMail(deps: Deps, mail: ReceivedMail): Promise<void> {
  await insertDevMail(deps.db.kysely, {
    messageId: mail.messageId,
    from: mail.from,
    to: mail.to,
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
    headers: mail.headers,
    raw: mail.raw,
    receivedAt: mail.receivedAt,
  });
}

export const listDevMessages = (deps: Deps, filter: { to?: string; from?: string; limit?: number }) =>
  listDevMail(deps.db.kysely, { ...filter, limit: Math.min(filter.limit ?? 100, 1000) });
