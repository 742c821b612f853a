import { useCallback, useEffect, useRef, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { ApiError, get, onUnauthorized, post, request, token } from './api';
import { Link, match, useRouter } from './router';
import { Loading } from './components/ui';
import { SignIn, Setup } from './pages/SignIn';
import { HOME_ALIASES, ROUTES, type Route } from './routes';
import type { User } from './types';
import { userName } from './lib/format';
import { CurrentUserContext } from './lib/current-user';

export interface AuthStatus {
  needsSetup: boolean;
  user?: User | null;
}

type Auth =
  | { phase: 'checking' }
  | { phase: 'setup' }
  | { phase: 'signin'; passwordLogin: boolean; notice?: string; preferToken?: boolean }
  | { phase: 'in'; via: 'token' | 'session'; user: User | null; passwordLogin: boolean };

/** Asks the server who we are: a session cookie, else a token kept in sessionStorage. */
async function checkAuth(): Promise<Auth> {
  let status: AuthStatus | null = null;
  try {
    status = await request<AuthStatus>('GET', '/seqflow/v1/auth/status', undefined, { quiet401: true });
  } catch {
    status = null; // a server without session sign-in: API tokens only
  }
  const passwordLogin = status !== null;
  if (status?.user) return { phase: 'in', via: 'session', user: status.user, passwordLogin };
  if (token.get()) {
    try {
      await request('GET', '/settings/v3/users?limit=1', undefined, { quiet401: true });
      return { phase: 'in', via: 'token', user: null, passwordLogin };
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) token.clear();
      else return { phase: 'in', via: 'token', user: null, passwordLogin };
    }
  }
  if (status?.needsSetup) return { phase: 'setup' };
  return { phase: 'signin', passwordLogin };
}

export function App() {
  const [auth, setAuth] = useState<Auth>({ phase: 'checking' });
  const queryClient = useQueryClient();
  const recheck = useCallback(async (notice?: string) => {
    const next = await checkAuth();
    setAuth(next.phase === 'signin' && notice ? { ...next, notice } : next);
  }, []);
  useEffect(() => {
    void recheck();
  }, [recheck]);
  useEffect(
    () =>
      onUnauthorized(() => {
        token.clear();
        queryClient.clear();
        setAuth((a) => (a.phase === 'in' ? { phase: 'signin', passwordLogin: a.passwordLogin, notice: 'Your session has ended. Sign in again.' } : a));
      }),
    [queryClient],
  );
  const signOut = async () => {
    if (auth.phase === 'in' && auth.via === 'session') await post('/seqflow/v1/auth/logout').catch(() => undefined);
    token.clear();
    queryClient.clear();
    await recheck();
  };

  if (auth.phase === 'checking') return <Loading what="Seqflow" />;
  if (auth.phase === 'setup') return <Setup onDone={() => void recheck()} onUseToken={() => setAuth({ phase: 'signin', passwordLogin: true, preferToken: true })} />;
  if (auth.phase === 'signin') return <SignIn key={String(auth.preferToken)} passwordLogin={auth.passwordLogin} preferToken={auth.preferToken} notice={auth.notice} onDone={() => void recheck()} />;
  return (
    <CurrentUserContext.Provider value={auth.user}>
      <Shell user={auth.user} onSignOut={signOut}>
        <Routes />
      </Shell>
    </CurrentUserContext.Provider>
  );
}

function Routes() {
  const { path, navigate } = useRouter();
  useEffect(() => {
    if (HOME_ALIASES.includes(path)) navigate('/workflows', { replace: true });
  }, [path, navigate]);
  for (const r of ROUTES) {
    const m = match(r.path, path);
    if (m) return r.page(m);
  }
  if (HOME_ALIASES.includes(path)) return null;
  return (
    <main className="page">
      <h1>Page not found</h1>
      <p>
        <Link to="/workflows">Go to workflows</Link>
      </p>
    </main>
  );
}

const AUTOMATION = ROUTES.filter((r) => r.nav?.menu === 'automation');
const ON_BAR = ROUTES.filter((r) => r.nav && !r.nav.menu);

function Shell({ user, onSignOut, children }: { user: User | null; onSignOut(): void; children: React.ReactNode }) {
  const { path } = useRouter();
  const [menu, setMenu] = useState(false);
  const [navOpen, setNavOpen] = useState(false);
  const menuRef = useRef<HTMLLIElement>(null);
  useEffect(() => {
    setMenu(false);
    setNavOpen(false);
  }, [path]);
  useEffect(() => {
    if (!menu) return;
    const close = (e: MouseEvent) => !menuRef.current?.contains(e.target as Node) && setMenu(false);
    const esc = (e: KeyboardEvent) => e.key === 'Escape' && setMenu(false);
    document.addEventListener('mousedown', close);
    document.addEventListener('keydown', esc);
    return () => {
      document.removeEventListener('mousedown', close);
      document.removeEventListener('keydown', esc);
    };
  }, [menu]);
  const current = (prefix: string) => (path.startsWith(prefix) ? 'page' : undefined);
  const navItem = (r: Route) => (
    <li key={r.path}>
      <Link to={r.path} aria-current={current(r.path)}>
        {r.nav?.label}
      </Link>
    </li>
  );
  const health = useHealth();
  return (
    <div className="shell">
      <header className="topbar">
        <Link to="/workflows" className="brand">
          Seqflow
        </Link>
        <button type="button" className="nav-toggle" aria-expanded={navOpen} aria-controls="main-nav" onClick={() => setNavOpen((o) => !o)}>
          Menu
        </button>
        <nav
          id="main-nav"
          aria-label="Main"
          className={navOpen ? 'open' : ''}
          onClick={(e) => {
            if ((e.target as HTMLElement).closest('a')) {
              setNavOpen(false);
              setMenu(false);
            }
          }}
        >
          <ul>
            <li className="menu" ref={menuRef}>
              <button type="button" aria-expanded={menu} aria-haspopup="true" aria-controls="automation-menu" onClick={() => setMenu((o) => !o)} className={AUTOMATION.some((r) => path.startsWith(r.path)) ? 'active' : ''}>
                Automation ▾
              </button>
              <ul id="automation-menu" className="menu-list" hidden={!menu}>
                {AUTOMATION.map(navItem)}
              </ul>
            </li>
            {ON_BAR.map(navItem)}
          </ul>
        </nav>
        <div className="who">
          {health?.fakeClock && (
            <span className="muted clock" title="The server runs on a fake clock">
              Clock: {new Date(health.now).toLocaleString()}
            </span>
          )}
          <span className="muted">{user ? userName(user) : 'API token'}</span>
          <button type="button" className="link" onClick={onSignOut}>
            Sign out
          </button>
        </div>
      </header>
      {children}
    </div>
  );
}

function useHealth() {
  const [h, setH] = useState<{ now: string; fakeClock: boolean } | null>(null);
  const { path } = useRouter();
  useEffect(() => {
    get<{ now: string; fakeClock: boolean }>('/seqflow/v1/health').then(setH, () => setH(null));
  }, [path]);
  return h;
}
