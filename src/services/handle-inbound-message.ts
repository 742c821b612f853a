import crypto from 'node:crypto';
import type { ParsedMail } from 'mailparser';
import type { Enrollment, Inbox } from '../domain/glossary.js';
import { classifyInbound, type Classification } from '../domain/inbound/index.js';
import type { InboundQuarantineReason } from '../domain/reasons.js';
import { readInboundMessage } from '../mail/read-inbound.js';
import { findContactsByAdditionalEmail, getContactByEmail, markContact } from '../store/contacts.js';
import type { Tx } from '../store/database.js';
import { getEnrollment, getRunningEnrollment } from '../store/enrollments.js';
import { markInboundProcessed } from '../store/inbox-watch.js';
import { enrollmentsByMessageId } from '../store/sends.js';
import { getSequence } from '../store/sequences.js';
import { isTransientStoreError } from '../store/transient-errors.js';
import type { Deps } from './deps.js';
import { recordEvent, type At } from './events.js';
import { clearFailedAttempts, noteFailedAttempt, quarantineMessage, type InboundMessage } from './inbound-quarantine.js';
import { atNow, endEnrollment } from './unenroll-contact.js';
import { endCompanyEnrollmentsOnReply } from './account-based.js';

export type InboundResult = {
  /** What the message was taken for; `quarantined` when nothing of it could be used. */
  kind: Classification['kind'] | 'duplicate' | 'quarantined';
  contactId: number | null;
  enrollmentId: number | null;
  /** Set when the message went to quarantine (its headers may still have been acted on: see `kind`). */
  quarantined?: InboundQuarantineReason;
};

export interface InboundSource {
  /** The message's full size, when `raw` is only its first bytes. */
  size?: number;
  /** `raw` is only the first bytes of the message: it was too large to fetch whole. */
  truncated?: boolean;
}

/** Strings from a message end up in queries, and PostgreSQL text cannot hold NUL. */
const usable = (s: string) => !s.includes('\u0000');
const angle = (id: string): string => (id.startsWith('<') ? id : `<${id}>`);
// In-Reply-To, then the newest References (ours are the latest in a thread); a header of thousands
// of ids must not become a query of thousands of parameters.
const threadIds = (mail: ParsedMail): string[] => {
  const refs = Array.isArray(mail.references) ? mail.references : mail.references ? mail.references.split(/\s+/) : [];
  const ids = [mail.inReplyTo, ...refs.slice(-100)].filter((x): x is string => !!x && usable(x) && x.length <= 998);
  return [...new Set(ids.map((x) => angle(x.trim())))];
};
const fromAddress = (mail: ParsedMail): string | null => {
  const a = mail.from?.value[0]?.address?.toLowerCase() ?? null;
  return a && usable(a) && a.length <= 320 ? a : null;
};
/** The dedupe key: the Message-ID when there is a sane one, else what the caller names the message by. */
const keyOf = (mail: ParsedMail | null, fallbackKey: string): string => {
  const id = mail?.messageId?.trim();
  if (!id || !usable(id)) return fallbackKey;
  return id.length <= 500 ? angle(id) : `<sha256:${crypto.createHash('sha256').update(id).digest('hex')}>`;
};


/**
 * Applies one message that arrived in a sender's inbox (PRODUCT §3.6): a reply ends the
 * enrollment, an out-of-office only goes on the timeline, a hard bounce ends it and marks the
 * contact. The message is recorded as processed in the same transaction as its effects, so a
 * re-read (reconnect, UIDVALIDITY change, a second watcher) changes nothing.
 *
 * Every inbound path comes through here, and nothing about a message makes it throw (issue #9): a
 * message that cannot be read is quarantined (its headers still acted on when they could be read),
 * and one that keeps failing is quarantined after INBOUND_LIMITS.maxAttempts attempts. It throws
 * only while processing can still succeed later (the database is unavailable, or attempts remain);
 * the caller then retries the message and must not move past it.
 */
export async function handleInboundMessage(deps: Deps, inbox: Inbox, raw: Buffer | string, fallbackKey: string, source: InboundSource = {}): Promise<InboundResult> {
  const bytes = typeof raw === 'string' ? Buffer.from(raw) : raw;
  const read = await readInboundMessage(bytes, { truncated: source.truncated });
  const message: InboundMessage = { key: keyOf(read.mail, fallbackKey), bytes, size: source.size ?? bytes.length, read };
  try {
    return counted(deps, await processMessage(deps, inbox, message));
  } catch (err) {
    if (isTransientStoreError(err)) throw err;
    if (await noteFailedAttempt(deps, inbox, message, err)) return counted(deps, { kind: 'quarantined', contactId: null, enrollmentId: null, quarantined: 'PROCESSING_FAILED' });
    throw err;
  }
}

/** Counts a handled message by what it was taken for, and its quarantine by reason (seqflow_inbound_*). */
function counted(deps: Deps, result: InboundResult): InboundResult {
  deps.metrics.inbound.inc({ class: result.kind });
  if (result.quarantined) deps.metrics.inboundQuarantined.inc({ reason: result.quarantined });
  return result;
}

async function processMessage(deps: Deps, inbox: Inbox, message: InboundMessage): Promise<InboundResult> {
  const { mail, problem } = message.read;
  const db = deps.db.kysely;
  if (!mail) {
    await quarantineMessage(db, inbox, message, problem!, null, deps.clock.now());
    return { kind: 'quarantined', contactId: null, enrollmentId: null, quarantined: problem!.reason };
  }
  const ids = threadIds(mail);
  const key = message.key;
  const lookup = key.startsWith('<') ? [...ids, key] : ids;
  const sentIds = await enrollmentsByMessageId(db, lookup);
  const from = fromAddress(mail);
  const byAddress = from ? await runningEnrollmentFrom(db, inbox, from) : null;

  // A copy of our own email (a rep who enrolled their own address, a Sent copy in the inbox)
  // threads under our earlier sends, yet nobody answered.
  const ownCopy = sentIds.has(key) && !ids.includes(key);
  const classification: Classification = ownCopy
    ? { kind: 'other' }
    : classifyInbound(mail, {
        isOurMessageId: (id) => sentIds.has(angle(id)),
        isEnrolledAddress: (address) => byAddress !== null && address.toLowerCase() === from,
      });
  const quarantined = problem ? { quarantined: problem.reason } : {};

  return deps.db.transaction(async (tx) => {
    const at = atNow(deps);
    const target = await locate(tx, inbox, classification, sentIds, ids, byAddress);
    const fresh = await markInboundProcessed(tx, {
      inboxId: inbox.id,
      key,
      classification: classification.kind,
      contactId: target.contactId,
      enrollmentId: target.enrollment?.id ?? null,
      at: at.now,
    });
    if (problem) await quarantineMessage(tx, inbox, message, problem, classification.kind, at.now);
    else await clearFailedAttempts(tx, inbox, key);
    if (!fresh) return { kind: 'duplicate', contactId: target.contactId, enrollmentId: target.enrollment?.id ?? null, ...quarantined };
    await apply(tx, at, classification, target, { messageId: key, subject: (mail.subject ?? '').slice(0, 1000) });
    return { kind: classification.kind, contactId: target.contactId, enrollmentId: target.enrollment?.id ?? null, ...quarantined };
  });
}

interface Target {
  contactId: number | null;
  enrollment: Enrollment | null;
}

/** The running enrollment of the contact who wrote from this address (or an alias) to this inbox. */
async function runningEnrollmentFrom(db: Tx, inbox: Inbox, address: string): Promise<Enrollment | null> {
  // hs_additional_emails: HubSpot's list of a contact's other addresses, indexed one by one.
  const contact = (await getContactByEmail(db, address)) ?? (await findContactsByAdditionalEmail(db, address, 1))[0];
  if (!contact) return null;
  const running = await getRunningEnrollment(db, contact.id);
  return running && running.inboxId === inbox.id ? running : null;
}

async function locate(
  tx: Tx,
  inbox: Inbox,
  c: Classification,
  sentIds: Map<string, number>,
  ids: string[],
  byAddress: Enrollment | null,
): Promise<Target> {
  const viaThread = async (messageIds: (string | null)[]) => {
    for (const id of messageIds) {
      const enrollmentId = id ? sentIds.get(angle(id)) : undefined;
      if (enrollmentId !== undefined) return getEnrollment(tx, enrollmentId);
    }
    return null;
  };
  let enrollment: Enrollment | null = null;
  if (c.kind === 'reply' || c.kind === 'auto_reply') {
    enrollment = (await viaThread(ids)) ?? byAddress;
  } else if (c.kind === 'bounce' || c.kind === 'delay' || c.kind === 'complaint') {
    if (c.originalMessageId) {
      const sent = (await enrollmentsByMessageId(tx, [angle(c.originalMessageId)])).values().next();
      if (!sent.done) enrollment = await getEnrollment(tx, sent.value);
    }
    const recipient = c.kind === 'complaint' ? c.recipient : c.failedRecipient;
    if (!enrollment && recipient) {
      const contact = await getContactByEmail(tx, recipient);
      const running = contact ? await getRunningEnrollment(tx, contact.id) : null;
      enrollment = running && running.inboxId === inbox.id ? running : null;
    }
  }
  return { contactId: enrollment?.contactId ?? null, enrollment };
}

async function apply(tx: Tx, at: At, c: Classification, t: Target, message: { messageId: string; subject: string }): Promise<void> {
  const e = t.enrollment;
  if (!e || t.contactId === null) return;
  const data = { enrollmentId: e.id, sequenceId: e.sequenceId, messageId: message.messageId, subject: message.subject };
  switch (c.kind) {
    case 'reply': {
      await recordEvent(tx, at, e.contactId, 'EMAIL_REPLIED', data, { hs_sequence_id: String(e.sequenceId) });
      const sequence = await getSequence(tx, e.sequenceId, { includeDeleted: true });
      if (sequence?.settings.unenrollOnReply === false) return;
      await endEnrollment(tx, e, 'REPLIED', at);
      if (sequence?.settings.sellingStrategy === 'ACCOUNT_BASED') await endCompanyEnrollmentsOnReply(tx, at, e);
      return;
    }
    case 'auto_reply':
      await recordEvent(tx, at, e.contactId, 'EMAIL_REPLIED_AUTO', { ...data, signal: c.signal });
      return;
    case 'bounce':
      await markContact(tx, e.contactId, 'bounced', at.now);
      await recordEvent(tx, at, e.contactId, 'EMAIL_BOUNCED', { ...data, status: c.status, diagnostic: c.diagnostic });
      await endEnrollment(tx, e, 'BOUNCED', at);
      return;
    case 'complaint':
      // A spam complaint is the strongest "stop": treat it as an unsubscribe.
      await markContact(tx, e.contactId, 'unsubscribed', at.now);
      await recordEvent(tx, at, e.contactId, 'UNSUBSCRIBED', { ...data, via: 'complaint' });
      await endEnrollment(tx, e, 'UNSUBSCRIBED', at);
      return;
    case 'delay':
      await recordEvent(tx, at, e.contactId, 'EMAIL_DELAYED', { ...data, status: c.status });
      return;
    case 'other':
      return;
  }
}

