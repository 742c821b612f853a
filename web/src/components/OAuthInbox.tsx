/**
 * OAuth mailboxes in the inbox settings (issue #16): "Connect Google / Microsoft / …" buttons,
 * an OAuth inbox's access in plain words with one Reconnect button, and the outcome of a connect
 * when the provider sends the browser back here.
 */
import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { ApiError, get, post } from '../api';
import { Badge, ErrorMessage } from './ui';
import type { Inbox, OAuthProviders, OAuthStatus, User } from '../types';

const STATE_TEXT: Record<OAuthStatus['state'], { label: string; kind: 'ok' | 'warn' | 'error' }> = {
  connected: { label: 'Connected', kind: 'ok' },
  retrying: { label: 'Retrying', kind: 'warn' },
  reconnect: { label: 'Reconnect needed', kind: 'error' },
  admin: { label: 'Admin action needed', kind: 'error' },
};

async function goToProvider(userId: string, provider: string, inboxId?: string) {
  const { authorizationUrl } = await post<{ authorizationUrl: string }>(`/seqflow/v1/users/${userId}/inboxes/oauth/${provider}/start`, inboxId ? { inboxId } : {});
  window.location.assign(authorizationUrl);
}

export function OAuthConnectButtons({ user }: { user: User }) {
  const providers = useQuery({ queryKey: ['oauth-providers'], queryFn: () => get<OAuthProviders>('/seqflow/v1/oauth/providers') });
  const [error, setError] = useState<unknown>(null);
  if (!providers.data?.results.length) return null;
  return (
    <>
      {providers.data.results.map((p) => (
        <button
          key={p.id}
          type="button"
          className="small"
          onClick={() => {
            setError(null);
            goToProvider(user.id, p.id).catch(setError);
          }}
        >
          Connect {p.label}
          <span className="sr-only"> for {user.email}</span>
        </button>
      ))}
      <ErrorMessage error={error} />
    </>
  );
}

export function OAuthInboxState({ inbox }: { inbox: Inbox }) {
  const status = useQuery({
    queryKey: ['usage', inbox.id, 'oauth'],
    // A password inbox answers 400: it simply has no OAuth state.
    queryFn: () => get<OAuthStatus>(`/seqflow/v1/inboxes/${inbox.id}/oauth`).catch((err) => (err instanceof ApiError && err.status === 400 ? null : Promise.reject(err))),
  });
  const [error, setError] = useState<unknown>(null);
  const s = status.data;
  if (!s) return null;
  const t = STATE_TEXT[s.state];
  return (
    <div className="oauth-state" role="status" aria-label={`Sign-in of ${inbox.address}`}>
      <Badge kind={t.kind}>{t.label}</Badge> <span className="muted">via {s.providerLabel}</span>
      {s.message && <p>{s.message}</p>}
      {s.waitingEnrollments > 0 && (
        <p>
          <strong>
            {s.waitingEnrollments} email{s.waitingEnrollments === 1 ? '' : 's'} waiting — mailbox disconnected
          </strong>
        </p>
      )}
      {s.state !== 'connected' && s.state !== 'retrying' && (
        <button
          type="button"
          className="small primary"
          onClick={() => {
            setError(null);
            goToProvider(inbox.userId, s.provider, inbox.id).catch(setError);
          }}
        >
          Reconnect<span className="sr-only"> {inbox.address}</span>
        </button>
      )}
      <ErrorMessage error={error} />
    </div>
  );
}

/** What the provider's redirect back says (?oauth=connected|reconnected|failed&message=…). */
export function OAuthOutcome() {
  const params = new URLSearchParams(window.location.search);
  const outcome = params.get('oauth');
  if (!outcome) return null;
  if (outcome === 'failed') {
    return (
      <div className="message error" role="alert">
        The mailbox was not connected: {params.get('message')}
      </div>
    );
  }
  return (
    <div className="message" role="status">
      {outcome === 'reconnected' ? 'Mailbox reconnected.' : 'Mailbox connected: it signed in to send and to read replies.'}
    </div>
  );
}
