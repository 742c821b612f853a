/**
 * Watching an OAuth inbox for replies (issue #16): every (re)connect signs in with a fresh token,
 * and the session is recycled shortly before that token expires. A refused sign-in is retried
 * once with a token refreshed for it; refused again, the inbox has lost access (recorded once).
 */
import type { ImapSettings, Inbox } from '../domain/glossary.js';
import { classifyAccessFailure } from '../domain/oauth-errors.js';
import { REFRESH_MARGIN_MS } from '../domain/oauth-providers.js';
import { getInboxOAuth } from '../store/inbox-oauth.js';
import type { Deps } from './deps.js';
import { recordAccessLoss } from './oauth-incidents.js';
import { accessTokenFor, oauthProvider } from './oauth-tokens.js';

const MIN_SESSION_MS = 60_000;

export interface ImapAuthFailures {
  note(err: Error): void;
  last(): { count: number; err: Error | null };
  reset(): void;
}

/** Sign-ins the IMAP server refused in a row (reset by the next sign-in that works). */
export function imapAuthFailures(): ImapAuthFailures {
  let count = 0;
  let lastErr: Error | null = null;
  return {
    note(err) {
      count++;
      lastErr = err;
    },
    last: () => ({ count, err: lastErr }),
    reset() {
      count = 0;
      lastErr = null;
    },
  };
}

export function oauthSignIn(deps: Deps, inbox: Inbox, worker: string, failures: ImapAuthFailures): () => Promise<{ settings: ImapSettings; validUntil: number }> {
  let seenVersion: number | undefined;
  return async () => {
    const { count, err } = failures.last();
    if (count >= 2) {
      const e = err as Error & { serverResponseCode?: string; response?: string };
      const row = await getInboxOAuth(deps.db.kysely, inbox.id);
      const label = (row && oauthProvider(deps, row.provider)?.label) ?? 'The mail provider';
      const loss = classifyAccessFailure(label, { kind: 'imap', authenticationFailed: true, serverResponseCode: e.serverResponseCode, response: e.response });
      failures.reset();
      if (loss.state !== 'retrying') await recordAccessLoss(deps, inbox.id, loss);
    }
    const t = await accessTokenFor(deps, inbox.id, { owner: worker, force: count === 1, seenVersion });
    seenVersion = t.version;
    return {
      settings: { ...inbox.imap!, auth: undefined, xoauth2: { user: t.login, accessToken: t.accessToken } },
      // Never sooner than a minute: a provider issuing short-lived tokens must not cause a reconnect loop.
      validUntil: Math.max(t.expiresAt - REFRESH_MARGIN_MS / 2, Date.now() + MIN_SESSION_MS),
    };
  };
}
