import { useEffect, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { get, post, q } from '../api';
import { useRouter } from '../router';
import { Empty, ErrorMessage, Loading } from '../components/ui';
import { dateTime, reasonText } from '../lib/format';
import type { DevMessage, Enrollment } from '../types';

/** The built-in development mail server's mailboxes: what Seqflow sent, and replies simulated from here. */
export function DevInbox() {
  const { search, navigate } = useRouter();
  const address = search.get('to') ?? '';
  const [selected, setSelected] = useState<string | null>(null);
  const inboxes = useQuery({ queryKey: ['dev-inboxes'], queryFn: async () => (await get<{ results: { address: string; messages: number }[] }>('/seqflow/v1/dev-mail/inboxes')).results });
  const messages = useQuery({
    queryKey: ['dev-messages', address],
    enabled: !!address,
    queryFn: async () => (await get<{ results: DevMessage[] }>(`/seqflow/v1/dev-mail/messages${q({ to: address, limit: 200 })}`)).results,
  });
  useEffect(() => setSelected(null), [address]);
  const message = messages.data?.find((m) => m.id === selected) ?? null;
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['dev-inboxes'] }).then(() => queryClient.invalidateQueries({ queryKey: ['dev-messages'] }));

  return (
    <main className="page">
      <div className="page-head">
        <h1>Dev inbox</h1>
        <button type="button" onClick={refresh}>
          Refresh
        </button>
      </div>
      <p className="hint">Mail sent through the built-in development mail server. Open a message to reply as the contact, or bounce it as the contact's server, and see the sequence react.</p>
      <ErrorMessage error={inboxes.error ?? messages.error} />
      <div className="mail">
        <nav className="mailboxes" aria-label="Mailboxes">
          <h2>Mailboxes</h2>
          {inboxes.isLoading && <Loading />}
          {inboxes.data?.length === 0 && <Empty>No mail yet.</Empty>}
          <ul>
            {inboxes.data?.map((i) => (
              <li key={i.address}>
                <a
                  href={`/dev-inbox?to=${encodeURIComponent(i.address)}`}
                  aria-current={i.address === address ? 'page' : undefined}
                  onClick={(e) => {
                    e.preventDefault();
                    navigate(`/dev-inbox?to=${encodeURIComponent(i.address)}`);
                  }}
                >
                  {i.address} <span className="count">{i.messages}</span>
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <section className="messages" aria-label={address ? `Messages to ${address}` : 'Messages'}>
          {!address && <Empty>Choose a mailbox.</Empty>}
          {messages.isLoading && <Loading what="messages" />}
          {messages.data && (
            <ul className="message-list">
              {messages.data.map((m) => (
                <li key={m.id}>
                  <button type="button" className={`message-row${m.id === selected ? ' selected' : ''}`} onClick={() => setSelected(m.id)} aria-pressed={m.id === selected}>
                    <span className="subject">{m.subject || '(no subject)'}</span>
                    <span className="from">{m.from}</span>
                    <span className="when">{dateTime(m.receivedAt)}</span>
                  </button>
                </li>
              ))}
            </ul>
          )}
        </section>
        {message && <MessageView key={message.id} message={message} onReplied={refresh} />}
      </div>
    </main>
  );
}

const OUTCOME: Record<string, string> = {
  reply: 'Reply received: it matched no enrollment of this contact.',
  auto_reply: 'Auto-reply received: the contact stays enrolled.',
  bounce: 'Bounced: the contact is marked bounced and unenrolled; later enrollments are refused.',
  delay: 'Delay reported: the contact stays enrolled and the delay is on the timeline.',
};

/** What the reply did to the enrollment it answered, read back rather than assumed. */
async function replyOutcome(r: { contactId?: string; enrollmentId?: string }): Promise<string | null> {
  if (!r.contactId || !r.enrollmentId) return null;
  const { results } = await get<{ results: Enrollment[] }>(`/seqflow/v1/enrollments${q({ contactId: r.contactId })}`);
  const e = results.find((x) => x.id === r.enrollmentId);
  if (!e) return null;
  if (e.state === 'ACTIVE' || e.state === 'PAUSED') return 'Reply received: the contact stays enrolled, because this sequence does not unenroll on reply.';
  return `Reply received: the contact was unenrolled from the sequence (${reasonText(e.reason)}).`;
}

function MessageView({ message, onReplied }: { message: DevMessage; onReplied(): void }) {
  const [text, setText] = useState('Thanks, I am interested. Can we talk on Thursday?');
  const [result, setResult] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  /** Replies and bounces both come back through the inbound path; the answer says what it did. */
  const answer = async (path: string, body: Record<string, unknown>) => {
    if (!message.messageId) return;
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      const r = await post<{ classification: string; contactId?: string; enrollmentId?: string }>(path, { messageId: message.messageId, ...body });
      setResult((r.classification === 'reply' && (await replyOutcome(r))) || (OUTCOME[r.classification] ?? `Received (classified as ${r.classification}).`));
      onReplied();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const reply = (auto: boolean) =>
    answer('/seqflow/v1/dev-mail/reply', { text: auto ? 'I am out of the office until Monday and will reply when I am back.' : text, auto });
  const bounce = (permanent: boolean) => answer('/seqflow/v1/dev-mail/bounce', { permanent });
  return (
    <article className="message-view" aria-label={`Message: ${message.subject}`}>
      <h2>{message.subject || '(no subject)'}</h2>
      <dl className="headers">
        <dt>From</dt>
        <dd>{message.from}</dd>
        <dt>To</dt>
        <dd>{message.to.join(', ')}</dd>
        <dt>Date</dt>
        <dd>{dateTime(message.receivedAt)}</dd>
      </dl>
      {message.html ? (
        <iframe title="Message body" className="mail-body" sandbox="" srcDoc={message.html} />
      ) : (
        <pre className="mail-text">{message.text}</pre>
      )}
      {message.messageId && (
        <div className="reply-box">
          <label htmlFor="reply-text">Reply as the contact</label>
          <textarea id="reply-text" rows={3} value={text} onChange={(e) => setText(e.target.value)} />
          <div className="row">
            <button type="button" className="primary" disabled={busy || !text.trim()} onClick={() => reply(false)}>
              Send reply
            </button>
            <button type="button" disabled={busy} onClick={() => reply(true)}>
              Send auto-reply
            </button>
          </div>
          <div className="row">
            <button type="button" disabled={busy} onClick={() => bounce(true)} title="The recipient's server answers with a delivery failure (550 5.1.1)">
              Bounce
            </button>
            <button type="button" disabled={busy} onClick={() => bounce(false)} title="The recipient's server reports a delay (4.4.1)">
              Delay
            </button>
          </div>
        </div>
      )}
      {result && (
        <p className="message ok" role="status">
          {result}
        </p>
      )}
      <ErrorMessage error={error} />
    </article>
  );
}
