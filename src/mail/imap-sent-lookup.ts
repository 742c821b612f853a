/**
 * Looks for a message in a mailbox's Sent folder by its Message-ID. Gmail, Microsoft 365 and most
 * hosted mail file every message submitted over SMTP there, so finding it settles whether a send
 * whose SMTP conversation was cut off went out. It knows nothing of sequences.
 */
import type { ImapFlow } from 'imapflow';
import type { ImapSettings } from '../domain/glossary.js';
import type { MailHostPolicy } from './host-policy.js';
import { oneOffImapClient } from './imap-client.js';

export interface SentLookupOptions {
  /** The whole lookup (connect, list, search) gives up after this long: an answer later is no answer. */
  timeoutMs?: number;
  /** Where the connection may go (src/mail/host-policy.ts). */
  hostPolicy: MailHostPolicy;
}

/**
 * The internal date of the message with this Message-ID in the Sent folder; null when it is not
 * there or there is no Sent folder. Throws when the server cannot be asked (the caller treats
 * that as "unknown", never as "not sent").
 */
export async function findInSentFolder(settings: ImapSettings, messageId: string, opts: SentLookupOptions): Promise<Date | null> {
  const timeoutMs = opts.timeoutMs ?? 15_000;
  const client = await oneOffImapClient(settings, opts.hostPolicy, timeoutMs);
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      client.close();
      reject(new Error(`Sent folder lookup timed out after ${timeoutMs} ms`));
    }, timeoutMs);
  });
  try {
    return await Promise.race([lookup(client, messageId), deadline]);
  } finally {
    clearTimeout(timer);
    await client.logout().catch(() => client.close());
  }
}

async function lookup(client: ImapFlow, messageId: string): Promise<Date | null> {
  await client.connect();
  // imapflow marks the Sent folder from the server's SPECIAL-USE flag, else from its name in many languages.
  const sent = (await client.list()).find((box) => box.specialUse === '\\Sent');
  if (!sent) return null;
  const lock = await client.getMailboxLock(sent.path, { readOnly: true });
  try {
    const uids = (await client.search({ header: { 'message-id': messageId } }, { uid: true })) || [];
    for (const uid of uids) {
      const m = await client.fetchOne(String(uid), { uid: true, internalDate: true, envelope: true }, { uid: true });
      // SEARCH HEADER is a substring match: keep only the exact id.
      if (m && m.envelope?.messageId === messageId) return m.internalDate ? new Date(m.internalDate) : new Date();
    }
    return null;
  } finally {
    lock.release();
  }
}
