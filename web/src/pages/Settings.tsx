import { useState, type FormEvent } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { get, post, put } from '../api';
import { Badge, Dialog, Empty, ErrorMessage, Field, Loading } from '../components/ui';
import { Link } from '../router';
import { useInboxes, useUsers } from '../lib/data';
import { SEAT_LABELS, SEATS, userName, WORKFLOW_SENDER_SEATS } from '../lib/format';
import type { Inbox, InboxUsage, User } from '../types';
import { OAuthConnectButtons, OAuthInboxState, OAuthOutcome } from '../components/OAuthInbox';
import { useCurrentUser } from '../lib/current-user';

export function SettingsPage() {
  const me = useCurrentUser();
  // Users, seats and password inboxes are an admin's; a rep connects and reconnects their own mailbox.
  return me && !me.superAdmin ? <MyMailboxes me={me} /> : <AccountSettings />;
}

/** The account's pages a rep uses as well as an admin. */
const SettingsLinks = () => (
  <>
    <Link to="/account/properties">Properties</Link>
    <Link to="/account/holidays">Holidays</Link>
    <Link to="/account/schedules">Schedules</Link>
  </>
);

/** A rep's own mailboxes: usage, sign-in state with its Reconnect button, and Connect with a provider. */
function MyMailboxes({ me }: { me: User }) {
  const inboxes = useInboxes([me]);
  const list = inboxes.data?.[me.id] ?? [];
  return (
    <main className="page">
      <div className="page-head">
        <h1>Settings</h1>
        <SettingsLinks />
      </div>
      <OAuthOutcome />
      <ErrorMessage error={inboxes.error} />
      <section aria-label="Your mailboxes">
        <h2>Your mailboxes</h2>
        {inboxes.isLoading && <Loading what="your mailboxes" />}
        {inboxes.data && list.length === 0 && <p className="muted">No mailbox connected yet: connect yours to send sequences from it.</p>}
        {list.map((i) => (
          <InboxRow key={i.id} inbox={i} />
        ))}
        <OAuthConnectButtons user={me} />
      </section>
    </main>
  );
}

function AccountSettings() {
  const users = useUsers();
  const inboxes = useInboxes(users.data);
  const queryClient = useQueryClient();
  const [error, setError] = useState<unknown>(null);
  const [adding, setAdding] = useState(false);
  const [connecting, setConnecting] = useState<User | null>(null);
  const refresh = async () => {
    await queryClient.invalidateQueries({ queryKey: ['users'] });
    await queryClient.invalidateQueries({ queryKey: ['inboxes'] });
    await queryClient.invalidateQueries({ queryKey: ['usage'] });
  };
  const setSeat = async (u: User, seat: string) => {
    setError(null);
    try {
      await put(`/seqflow/v1/users/${u.id}/seat`, { seat });
      await refresh();
    } catch (err) {
      setError(err);
    }
  };
  const disconnect = async (i: Inbox) => {
    setError(null);
    try {
      await post(`/seqflow/v1/inboxes/${i.id}/disconnect`);
      await refresh();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <main className="page">
      <div className="page-head">
        <h1>Settings</h1>
        <SettingsLinks />
        <button type="button" className="primary" onClick={() => setAdding(true)}>
          Add user
        </button>
      </div>
      <p className="hint">
        Workflow senders need a Sales Hub Professional or Enterprise seat, or a Service Hub Enterprise seat, and a connected inbox. Sequences stop sending at 90% of an inbox's daily limit
        (a rolling 24 hours).
      </p>
      <OAuthOutcome />
      <ErrorMessage error={error ?? users.error ?? inboxes.error} />
      {users.isLoading && <Loading what="users" />}
      {users.data?.length === 0 && <Empty>No users yet.</Empty>}
      {users.data && users.data.length > 0 && (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">User</th>
                <th scope="col">Seat</th>
                <th scope="col">Inboxes, limits and usage (last 24 h)</th>
              </tr>
            </thead>
            <tbody>
              {users.data.map((u) => {
                const list = inboxes.data?.[u.id] ?? [];
                const canSend = WORKFLOW_SENDER_SEATS.includes(u.seat) && list.some((i) => i.status === 'connected');
                return (
                  <tr key={u.id}>
                    <th scope="row">
                      {userName(u)}
                      <div className="muted" style={{ fontWeight: 'normal' }}>
                        {u.email}
                        {u.superAdmin && ' · admin'}
                      </div>
                      {canSend ? <Badge kind="ok">Workflow sender</Badge> : <Badge kind="off">Not a workflow sender</Badge>}
                    </th>
                    <td>
                      <label className="sr-only" htmlFor={`seat-${u.id}`}>
                        Seat of {u.email}
                      </label>
                      <select id={`seat-${u.id}`} value={u.seat} onChange={(e) => setSeat(u, e.target.value)}>
                        {SEATS.map((s) => (
                          <option key={s} value={s}>
                            {SEAT_LABELS[s]}
                          </option>
                        ))}
                      </select>
                    </td>
                    <td>
                      {list.length === 0 && <span className="muted">No inbox connected. </span>}
                      {list.map((i) => (
                        <InboxRow key={i.id} inbox={i} onDisconnect={() => disconnect(i)} />
                      ))}
                      <button type="button" className="small" onClick={() => setConnecting(u)}>
                        Connect inbox<span className="sr-only"> for {u.email}</span>
                      </button>
                      <OAuthConnectButtons user={u} />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {adding && <AddUser onClose={() => setAdding(false)} onDone={refresh} />}
      {connecting && <ConnectInbox user={connecting} onClose={() => setConnecting(null)} onDone={refresh} />}
    </main>
  );
}

/** `onDisconnect` is an admin's: without it the row has no Disconnect button. */
function InboxRow({ inbox, onDisconnect }: { inbox: Inbox; onDisconnect?(): void }) {
  const usage = useQuery({ queryKey: ['usage', inbox.id], queryFn: () => get<InboxUsage>(`/seqflow/v1/inboxes/${inbox.id}/usage`) });
  const u = usage.data;
  const scale = u ? Math.max(u.dailyLimit, u.sentLast24h + u.scheduledLast24h, 1) : 1;
  const pct = (n: number) => `${Math.min(100, (100 * n) / scale)}%`;
  return (
    <div className="inbox" style={{ marginBottom: '0.75rem' }} aria-label={`Inbox ${inbox.address}`} role="group">
      <div>
        <strong>{inbox.address}</strong>{' '}
        <Badge kind={inbox.status === 'connected' ? 'ok' : 'error'}>{inbox.status}</Badge> <span className="muted">{inbox.provider}</span>
        {inbox.aliases.length > 0 && <div className="muted">Aliases: {inbox.aliases.join(', ')}</div>}
      </div>
      <OAuthInboxState inbox={inbox} />
      {u && (
        <div className="usage">
          <div
            className="bar"
            role="meter"
            aria-label={`Sends in the last 24 hours from ${inbox.address}`}
            aria-valuemin={0}
            aria-valuemax={u.sequenceLimit}
            aria-valuenow={u.sentLast24h + u.scheduledLast24h}
            aria-valuetext={`${u.sentLast24h} sent and ${u.scheduledLast24h} scheduled of ${u.sequenceLimit} allowed for sequences`}
          >
            <span className="sent" style={{ width: pct(u.sentLast24h) }} />
            <span className="scheduled" style={{ left: pct(u.sentLast24h), width: pct(u.scheduledLast24h) }} />
            <span className="limit" style={{ left: pct(u.sequenceLimit) }} />
          </div>
          <span className="hint">
            {u.sentLast24h} sent, {u.scheduledLast24h} scheduled · sequence limit {u.sequenceLimit} of {u.dailyLimit} a day · {u.perMinuteLimit} a minute
            {u.sync && ` · reply detection: ${u.sync.status}`}
          </span>
        </div>
      )}
      {onDisconnect && inbox.status !== 'disconnected' && (
        <button type="button" className="small secondary" onClick={onDisconnect}>
          Disconnect<span className="sr-only"> {inbox.address}</span>
        </button>
      )}
    </div>
  );
}

/** IANA zones as this browser knows them, UTC first. */
const TIME_ZONES = ['UTC', ...Intl.supportedValuesOf('timeZone').filter((z) => z.includes('/'))];

function AddUser({ onClose, onDone }: { onClose(): void; onDone(): Promise<void> }) {
  const [v, setV] = useState({ email: '', firstName: '', lastName: '', seat: 'sales_professional', timezone: Intl.DateTimeFormat().resolvedOptions().timeZone, password: '' });
  const [error, setError] = useState<unknown>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      const { password, ...user } = v;
      const created = await post<User>('/settings/v3/users', { ...user, timezone: user.timezone || null });
      // The rep signs in with this password (they can change it later); without one, only an API token reaches them.
      if (password) await put(`/seqflow/v1/users/${created.id}/password`, { password });
      await onDone();
      onClose();
    } catch (err) {
      setError(err);
    }
  };
  const input = (k: keyof typeof v, label: string, type = 'text') => (
    <Field label={label}>{(id) => <input id={id} type={type} required={k === 'email'} value={v[k]} onChange={(e) => setV((x) => ({ ...x, [k]: e.target.value }))} />}</Field>
  );
  return (
    <Dialog
      title="Add user"
      onClose={onClose}
      actions={
        <>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" form="add-user" className="primary">
            Add user
          </button>
        </>
      }
    >
      <form id="add-user" onSubmit={submit}>
        <ErrorMessage error={error} />
        {input('email', 'Email', 'email')}
        {input('firstName', 'First name')}
        {input('lastName', 'Last name')}
        <Field label="Seat">
          {(id) => (
            <select id={id} value={v.seat} onChange={(e) => setV((x) => ({ ...x, seat: e.target.value }))}>
              {SEATS.map((s) => (
                <option key={s} value={s}>
                  {SEAT_LABELS[s]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Time zone">
          {(id) => (
            <select id={id} value={v.timezone} onChange={(e) => setV((x) => ({ ...x, timezone: e.target.value }))}>
              {TIME_ZONES.map((z) => (
                <option key={z} value={z}>
                  {z.replaceAll('_', ' ')}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Password" hint="So the rep can sign in to the web app. At least 10 characters; leave empty to set one later.">
          {(id) => <input id={id} type="password" autoComplete="new-password" minLength={10} value={v.password} onChange={(e) => setV((x) => ({ ...x, password: e.target.value }))} />}
        </Field>
      </form>
    </Dialog>
  );
}

function ConnectInbox({ user, onClose, onDone }: { user: User; onClose(): void; onDone(): Promise<void> }) {
  const [v, setV] = useState({ address: user.email, aliases: '', provider: 'dev', dailyLimit: '', smtpHost: '', smtpPort: '587', imapHost: '', imapPort: '993', username: '', password: '' });
  const [error, setError] = useState<unknown>(null);
  const dev = v.provider === 'dev';
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    const auth = v.username ? { user: v.username, pass: v.password } : undefined;
    try {
      await post(`/seqflow/v1/users/${user.id}/inboxes`, {
        address: v.address,
        aliases: v.aliases.split(/[\s,]+/).filter(Boolean),
        provider: v.provider,
        ...(v.dailyLimit && { dailyLimit: Number(v.dailyLimit) }),
        ...(!dev && v.smtpHost && { smtp: { host: v.smtpHost, port: Number(v.smtpPort), secure: v.smtpPort === '465', auth } }),
        ...(!dev && v.imapHost && { imap: { host: v.imapHost, port: Number(v.imapPort), secure: v.imapPort === '993', auth } }),
      });
      await onDone();
      onClose();
    } catch (err) {
      setError(err);
    }
  };
  const input = (k: keyof typeof v, label: string, type = 'text', hint?: string) => (
    <Field label={label} hint={hint}>
      {(id) => <input id={id} type={type} value={v[k]} onChange={(e) => setV((x) => ({ ...x, [k]: e.target.value }))} />}
    </Field>
  );
  return (
    <Dialog
      title={`Connect an inbox for ${userName(user)}`}
      onClose={onClose}
      actions={
        <>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" form="connect-inbox" className="primary">
            Connect
          </button>
        </>
      }
    >
      <form id="connect-inbox" onSubmit={submit}>
        <ErrorMessage error={error} />
        {input('address', 'Email address', 'email')}
        {input('aliases', 'Aliases', 'text', 'Other addresses of this mailbox, separated by commas.')}
        <Field label="Provider">
          {(id) => (
            <select id={id} value={v.provider} onChange={(e) => setV((x) => ({ ...x, provider: e.target.value }))}>
              <option value="dev">Development mail server (built in)</option>
              <option value="google_workspace">Google Workspace</option>
              <option value="gmail_free">Gmail (free)</option>
              <option value="office365">Microsoft 365</option>
              <option value="exchange">Exchange</option>
              <option value="imap">Other (SMTP + IMAP)</option>
            </select>
          )}
        </Field>
        {input('dailyLimit', 'Daily send limit', 'number', 'Leave empty for the provider default (1,000; Gmail free 350).')}
        {!dev && (
          <>
            <div className="row">
              {input('smtpHost', 'SMTP host')}
              {input('smtpPort', 'SMTP port', 'number')}
            </div>
            <div className="row">
              {input('imapHost', 'IMAP host')}
              {input('imapPort', 'IMAP port', 'number')}
            </div>
            {input('username', 'Username')}
            {input('password', 'Password or app password', 'password')}
          </>
        )}
      </form>
    </Dialog>
  );
}
