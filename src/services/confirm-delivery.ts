import type { Inbox, Send, SendConfirmation } from '../domain/glossary.js';
import { findInSentFolder } from '../mail/imap-sent-lookup.js';
import { devMailReceivedAt } from '../store/dev-mail.js';
import type { Deps } from './deps.js';
import { openMailServer } from './secrets-at-rest.js';

export interface Confirmation {
  by: SendConfirmation;
  at: number;
}

/**
 * After a worker died mid-send (or the connection broke after the message data), looks where the
 * message would be had the server accepted it: the dev mail server's store for a `dev` inbox, the
 * Sent folder for an inbox with IMAP. Found → the send is confirmed and the sequence goes on;
 * not found or unknowable → null, and the caller pauses it for a person to check. Never a resend:
 * "not found" is not proof of "not sent" (the server may file it later, or not at all).
 */
export async function confirmDelivery(deps: Deps, inbox: Inbox, send: Send): Promise<Confirmation | null> {
  if (inbox.provider === 'dev') {
    const at = await devMailReceivedAt(deps.db.kysely, send.messageId);
    return at === null ? null : { by: 'DEV_MAIL', at };
  }
  if (!inbox.imap) return null;
  try {
    const found = await findInSentFolder(openMailServer(deps.secrets, inbox.imap), send.messageId, { hostPolicy: deps.config.mailHosts });
    // The Sent folder's date comes from the mail server's clock; the send happened on ours.
    return found ? { by: 'IMAP_SENT', at: Math.min(deps.clock.now(), Math.max(send.createdAt, found.getTime())) } : null;
  } catch (err) {
    deps.log.warn({ err, inboxId: inbox.id, sendId: send.id }, 'could not search the Sent folder for an uncertain send');
    return null;
  }
}
