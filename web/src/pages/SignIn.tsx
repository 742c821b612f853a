import { useState, type FormEvent } from 'react';
import { ApiError, post, request, token } from '../api';
import { ErrorMessage } from '../components/ui';

export function SignIn({ passwordLogin, preferToken, notice, onDone }: { passwordLogin: boolean; preferToken?: boolean; notice?: string; onDone(): void }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [apiToken, setApiToken] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [useToken, setUseToken] = useState(!passwordLogin || !!preferToken);

  const withPassword = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await request('POST', '/seqflow/v1/auth/login', { email, password }, { quiet401: true });
      onDone();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const withToken = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    token.set(apiToken.trim());
    try {
      await request('GET', '/settings/v3/users?limit=1', undefined, { quiet401: true });
      onDone();
    } catch (err) {
      token.clear();
      setError(err instanceof ApiError && err.status === 401 ? new Error('That API token is not valid.') : err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="auth-page">
      <div className="auth-card">
        <h1>Sign in to Seqflow</h1>
        {notice && (
          <p className="message info" role="status">
            {notice}
          </p>
        )}
        <ErrorMessage error={error} />
        {passwordLogin && !useToken ? (
          <form onSubmit={withPassword}>
            <label htmlFor="email">Email</label>
            <input id="email" type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} />
            <label htmlFor="password">Password</label>
            <input id="password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
            <button type="submit" className="primary" disabled={busy}>
              Sign in
            </button>
            <p>
              <button type="button" className="link" onClick={() => setUseToken(true)}>
                Sign in with an API token instead
              </button>
            </p>
          </form>
        ) : (
          <form onSubmit={withToken}>
            <label htmlFor="token">API token</label>
            <input id="token" type="password" autoComplete="off" required value={apiToken} onChange={(e) => setApiToken(e.target.value)} />
            <p className="hint">The admin token printed by <code>seqflow start</code>, or a token made with <code>seqflow token create</code>. It is kept for this browser tab only.</p>
            <button type="submit" className="primary" disabled={busy}>
              Sign in
            </button>
            {passwordLogin && (
              <p>
                <button type="button" className="link" onClick={() => setUseToken(false)}>
                  Sign in with email and password instead
                </button>
              </p>
            )}
          </form>
        )}
      </div>
    </main>
  );
}

/** First run: the first admin user, who is then signed in. */
export function Setup({ onDone, onUseToken }: { onDone(): void; onUseToken(): void }) {
  const [form, setForm] = useState({ email: '', password: '', firstName: '', lastName: '' });
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [k]: e.target.value }));
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await post('/seqflow/v1/auth/setup', form);
      onDone();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <main className="auth-page">
      <div className="auth-card">
        <h1>Welcome to Seqflow</h1>
        <p>Create the first administrator account.</p>
        <ErrorMessage error={error} />
        <form onSubmit={submit}>
          <label htmlFor="s-first">First name</label>
          <input id="s-first" required value={form.firstName} onChange={set('firstName')} autoComplete="given-name" />
          <label htmlFor="s-last">Last name</label>
          <input id="s-last" value={form.lastName} onChange={set('lastName')} autoComplete="family-name" />
          <label htmlFor="s-email">Email</label>
          <input id="s-email" type="email" required value={form.email} onChange={set('email')} autoComplete="username" />
          <label htmlFor="s-password">Password</label>
          <input id="s-password" type="password" required minLength={8} value={form.password} onChange={set('password')} autoComplete="new-password" />
          <button type="submit" className="primary" disabled={busy}>
            Create account and sign in
          </button>
        </form>
        <p>
          <button type="button" className="link" onClick={onUseToken}>
            Sign in with an API token instead
          </button>
        </p>
      </div>
    </main>
  );
}
