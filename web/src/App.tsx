import { useCallback, useEffect, useRef, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { ApiError, get, onUnauthorized, post, request, token } from './api';
import { Link, match, useRouter } from './router';
import { Loading } from './components/ui';
import { SignIn, Setup } from './pages/SignIn';
import { WorkflowsPage } from './pages/Workflows';
import { WorkflowEditor } from './pages/workflow-editor/WorkflowEditor';
import { WorkflowHistory } from './pages/WorkflowHistory';
import { SequencesPage } from './pages/Sequences';
import { SequencePage } from './pages/sequence/SequencePage';
import { ContactsPage } from './pages/Contacts';
import { ContactRecord } from './pages/ContactRecord';
import { SettingsPage } from './pages/Settings';
import { PropertiesPage } from './pages/Properties';
import { HolidaysPage } from './pages/Holidays';
import { TemplatesPage } from './pages/Templates';
import { DevInbox } from './pages/DevInbox';
import { FormsPage } from './pages/Forms';
import { TasksPage } from './pages/Tasks';
import { CompaniesPage } from './pages/Companies';
import { CompanyRecord } from './pages/CompanyRecord';
import { ListsPage } from './pages/Lists';
import { ListRecord } from './pages/ListRecord';
import { ImportPage } from './pages/Import';
import type { User } from './types';
import { userName } from './lib/format';

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
    <Shell user={auth.user} onSignOut={signOut}>
      <Routes />
    </Shell>
  );
}

function Routes() {
  const { path, navigate } = useRouter();
  let m: Record<string, string> | null;
  useEffect(() => {
    if (path === '/' || path === '/sign-in' || path === '/setup' || path === '/automation') navigate('/workflows', { replace: true });
  }, [path, navigate]);
  if ((m = match('/workflows', path))) return <WorkflowsPage />;
  if ((m = match('/workflows/:id/history', path))) return <WorkflowHistory id={m.id} />;
  if ((m = match('/workflows/:id', path))) return <WorkflowEditor key={m.id} id={m.id} />;
  if ((m = match('/sequences', path))) return <SequencesPage />;
  if ((m = match('/sequences/new', path))) return <SequencePage key="new" id={null} />;
  if ((m = match('/sequences/:id', path))) return <SequencePage key={m.id} id={m.id} />;
  if ((m = match('/contacts', path))) return <ContactsPage />;
  if ((m = match('/contacts/:id', path))) return <ContactRecord key={m.id} id={m.id} />;
  if ((m = match('/account', path))) return <SettingsPage />;
  if ((m = match('/web-forms', path))) return <FormsPage />;
  if ((m = match('/tasks', path))) return <TasksPage />;
  if ((m = match('/dev-inbox', path))) return <DevInbox />;
  if ((m = match('/companies', path))) return <CompaniesPage />;
  if ((m = match('/companies/:id', path))) return <CompanyRecord key={m.id} id={m.id} />;
  if ((m = match('/account/properties', path))) return <PropertiesPage />;
  if ((m = match('/account/holidays', path))) return <HolidaysPage />;
  if ((m = match('/templates', path))) return <TemplatesPage />;
  if ((m = match('/lists', path))) return <ListsPage />;
  if ((m = match('/lists/:id', path))) return <ListRecord key={m.id} id={m.id} />;
  if ((m = match('/import', path))) return <ImportPage />;
  if (path === '/' || path === '/sign-in' || path === '/setup' || path === '/automation') return null;
  return (
    <main className="page">
      <h1>Page not found</h1>
      <p>
        <Link to="/workflows">Go to workflows</Link>
      </p>
    </main>
  );
}

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
              <button type="button" aria-expanded={menu} aria-haspopup="true" aria-controls="automation-menu" onClick={() => setMenu((o) => !o)} className={path.startsWith('/workflows') || path.startsWith('/sequences') || path.startsWith('/templates') || path.startsWith('/web-forms') ? 'active' : ''}>
                Automation ▾
              </button>
              <ul id="automation-menu" className="menu-list" hidden={!menu}>
                <li>
                  <Link to="/workflows" aria-current={current('/workflows')}>
                    Workflows
                  </Link>
                </li>
                <li>
                  <Link to="/sequences" aria-current={current('/sequences')}>
                    Sequences
                  </Link>
                </li>
                <li>
                  <Link to="/templates" aria-current={current('/templates')}>
                    Templates
                  </Link>
                </li>
                <li>
                  <Link to="/web-forms" aria-current={current('/web-forms')}>
                    Forms
                  </Link>
                </li>
              </ul>
            </li>
            <li>
              <Link to="/contacts" aria-current={current('/contacts')}>
                Contacts
              </Link>
            </li>
            <li>
              <Link to="/companies" aria-current={current('/companies')}>
                Companies
              </Link>
            </li>
            <li>
              <Link to="/lists" aria-current={current('/lists')}>
                Lists
              </Link>
            </li>
            <li>
              <Link to="/tasks" aria-current={current('/tasks')}>
                Tasks
              </Link>
            </li>
            <li>
              <Link to="/account" aria-current={current('/account')}>
                Settings
              </Link>
            </li>
            <li>
              <Link to="/dev-inbox" aria-current={current('/dev-inbox')}>
                Dev inbox
              </Link>
            </li>
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
