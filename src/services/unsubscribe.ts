import { verifyUnsubscribeToken } from '../domain/unsubscribe-token.js';
import { getContact, markContact } from '../store/contacts.js';
import { recordEvent } from './events.js';
import { errors } from './errors.js';
import type { Deps } from './deps.js';
import { atNow, endRunningEnrollments } from './unenroll-contact.js';

export function checkUnsubscribeToken(deps: Deps, token: string): { contactId: number; enrollmentId: number } {
  const claims = verifyUnsubscribeToken(deps.config.unsubscribeSecret, token);
  if (!claims) throw errors.unsubscribeLinkInvalid();
  return claims;
}

/** One-click unsubscribe (RFC 8058): the contact is opted out and its enrollment ends. Idempotent. */
export async function unsubscribe(deps: Deps, token: string): Promise<void> {
  const { contactId } = checkUnsubscribeToken(deps, token);
  await deps.db.transaction(async (tx) => {
    const at = atNow(deps);
    const now = at.now;
    const contact = await getContact(tx, contactId, { includeArchived: true });
    if (!contact || contact.unsubscribedAt !== null) return;
    await markContact(tx, contactId, 'unsubscribed', now);
    await recordEvent(tx, at, contactId, 'UNSUBSCRIBED');
    await endRunningEnrollments(tx, { contactId }, 'UNSUBSCRIBED', at);
  });
}
