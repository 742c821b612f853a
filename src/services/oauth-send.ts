/**
 * Sending from an OAuth inbox (issue #16): the SMTP settings get a fresh access token (XOAUTH2)
 * just before the send; a sign-in the server refuses is retried once with a token refreshed for
 * it, and a second refusal is an access loss — recorded once, and the send waits (its Message-ID
 * kept, so it goes out exactly once after the reconnect) instead of failing.
 */
import type { Enrollment, Inbox, SmtpSettings } from '../domain/glossary.js';
import { classifyAccessFailure, type AccessLoss } from '../domain/oauth-errors.js';
import type { OutgoingEmail, SendOutcome } from '../mail/smtp-sender.js';
import { pauseActiveEnrollments, updateEnrollment } from '../store/enrollments.js';
import { appendEvent } from '../store/events.js';
import { getInboxOAuth } from '../store/inbox-oauth.js';
import type { Deps } from './deps.js';
import { INBOX_DISCONNECTED, recordAccessLoss, recordAccessWorks } from './oauth-incidents.js';
import { accessTokenFor, isOAuthAccessError, oauthProvider } from './oauth-tokens.js';

export type OAuthSmtp = { kind: 'ready'; smtp: SmtpSettings; version: number } | { kind: 'wait'; loss: AccessLoss };

/** How long a send waits while the provider is unreachable ("retrying"), before it tries again. */
export const PROVIDER_RETRY_MS = 5 * 60_000;

/** An OAuth inbox's SMTP settings signed in with a fresh token (the caller knows it has an OAuth row). */
export async function oauthSmtpFor(deps: Deps, inboxId: number, smtp: SmtpSettings, worker: string): Promise<OAuthSmtp> {
  try {
    const t = await accessTokenFor(deps, inboxId, { owner: worker });
    return { kind: 'ready', smtp: { ...smtp, auth: undefined, xoauth2: { user: t.login, accessToken: t.accessToken } }, version: t.version };
  } catch (err) {
    if (isOAuthAccessError(err)) return { kind: 'wait', loss: err.loss };
    throw err;
  }
}

/** The claimed enrollment waits for its mailbox: a while when the provider is down, until the reconnect otherwise. */
export async function waitForMailbox(deps: Deps, claimed: Enrollment, worker: string, loss: AccessLoss): Promise<'deferred' | 'paused' | 'lost'> {
  const now = deps.clock.now();
  if (loss.state === 'retrying') {
    const held = await updateEnrollment(deps.db.kysely, claimed.id, { next_due_at: now + PROVIDER_RETRY_MS, lease_owner: null, lease_until: null, updated_at: now }, { leaseOwner: worker });
    return held ? 'deferred' : 'lost';
  }
  return deps.db.transaction(async (tx) => {
    const [held] = await pauseActiveEnrollments(tx, { id: claimed.id }, INBOX_DISCONNECTED, now);
    if (!held) return 'lost';
    await appendEvent(tx, claimed.contactId, 'SEQUENCE_PAUSED', now, { enrollmentId: claimed.id, reason: INBOX_DISCONNECTED });
    return 'paused';
  });
}

/**
 * Sends through an OAuth inbox. A refused sign-in is retried once with a refreshed token; if the
 * server still refuses, the loss is recorded (pausing the inbox's enrollments) and the outcome
 * becomes retryable: nothing was sent, so the same Message-ID goes out after the reconnect.
 */
export async function sendWithOAuth(
  deps: Deps,
  inbox: Inbox,
  ready: Extract<OAuthSmtp, { kind: 'ready' }>,
  email: OutgoingEmail,
  worker: string,
): Promise<SendOutcome> {
  const key = `inbox:${inbox.id}`;
  let outcome = await deps.smtp.send(key, ready.smtp, email);
  if (outcome.kind === 'accepted') {
    await recordAccessWorks(deps, inbox.id);
    return outcome;
  }
  if (!('auth' in outcome) || !outcome.auth) return outcome;
  try {
    const t = await accessTokenFor(deps, inbox.id, { owner: worker, force: true, seenVersion: ready.version });
    outcome = await deps.smtp.send(key, { ...ready.smtp, xoauth2: { user: t.login, accessToken: t.accessToken } }, email);
  } catch (err) {
    if (!isOAuthAccessError(err)) throw err;
    return { kind: 'retryable', error: `OAuth: ${err.loss.code}` };
  }
  if (outcome.kind === 'accepted') {
    await recordAccessWorks(deps, inbox.id);
    return outcome;
  }
  if (!('auth' in outcome) || !outcome.auth) return outcome;
  const label = oauthProvider(deps, (await getInboxOAuth(deps.db.kysely, inbox.id))!.provider)?.label ?? 'The mail provider';
  const loss = classifyAccessFailure(label, { kind: 'smtp', responseCode: outcome.auth.responseCode, response: outcome.auth.response });
  deps.log.warn({ inboxId: inbox.id, state: loss.state, code: loss.code }, 'OAuth inbox: SMTP refused a fresh token');
  await recordAccessLoss(deps, inbox.id, loss);
  return { kind: 'retryable', error: `OAuth: ${loss.code}` };
}
