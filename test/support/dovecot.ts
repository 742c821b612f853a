import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ImapFlow } from 'imapflow';

/**
 * A throwaway Dovecot IMAP server on loopback for tests: plaintext auth, passwd-file users,
 * maildir, running in the foreground as a child process. CI installs dovecot-imapd; outside
 * CI the IMAP suites skip (visibly) when it is missing.
 */
export const DOVECOT = ['/usr/sbin/dovecot', '/usr/local/sbin/dovecot'].find((p) => fs.existsSync(p)) ?? null;
const required = process.env.CI === 'true';
if (!DOVECOT && required) throw new Error('Dovecot is required in CI (apt-get install dovecot-imapd) but was not found.');
if (!DOVECOT) console.warn('[seqflow tests] IMAP suite SKIPPED: dovecot is not installed (apt-get install dovecot-imapd).');
export const dovecotAvailable = DOVECOT !== null;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const c = net.connect(port, '127.0.0.1', () => {
        c.destroy();
        resolve(true);
      });
      c.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`Dovecot did not listen on ${port}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Every process below `pid` (Linux /proc): Dovecot's master leaves its imap sessions running when it exits. */
function descendants(pid: number): number[] {
  const parents = new Map<number, number>();
  for (const entry of fs.existsSync('/proc') ? fs.readdirSync('/proc') : []) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // Gone meanwhile.
    }
  }
  const found: number[] = [];
  const walk = (p: number) => {
    for (const [child, parent] of parents) {
      if (parent !== p) continue;
      found.push(child);
      walk(child);
    }
  };
  walk(pid);
  return found;
}

export interface Dovecot {
  host: string;
  port: number;
  addUser(user: string, pass: string): void;
  /** Puts a raw message into a user's mailbox (INBOX unless told), as a delivery would; creates the mailbox if needed. */
  deliver(user: string, pass: string, raw: string | Buffer, mailbox?: string): Promise<void>;
  stop(): Promise<void>;
  restart(): Promise<void>;
  /** Stops serving (an IMAP outage) but keeps every mailbox, for up() to serve again. */
  down(): Promise<void>;
  up(): Promise<void>;
  /** Delivers into a user's INBOX without IMAP, as the MTA would while the IMAP server is down (the user must have signed in once). */
  deliverWhileDown(user: string, raw: string | Buffer): void;
  log(): string;
}

/** Checks XOAUTH2/OAUTHBEARER logins by RFC 7662 introspection (Dovecot 2.3's oauth2 passdb, in dovecot-core). */
export interface DovecotOAuth2 {
  introspectionUrl: string;
  clientId: string;
  clientSecret: string;
  /** A token must carry this scope. */
  scope: string;
  /** Which SASL mechanisms to offer: both by default (imapflow then picks OAUTHBEARER). */
  mechanisms?: ('xoauth2' | 'oauthbearer')[];
}

export async function startDovecot(opts: { oauth2?: DovecotOAuth2 } = {}): Promise<Dovecot> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seqflow-dovecot-'));
  fs.chmodSync(dir, 0o755);
  const port = await freePort();
  const mailUser = process.getuid?.() === 0 ? 'dovecot' : os.userInfo().username;
  const uid = Number(execFileSync('id', ['-u', mailUser]).toString().trim());
  const gid = Number(execFileSync('id', ['-g', mailUser]).toString().trim());
  fs.mkdirSync(path.join(dir, 'mail'));
  fs.mkdirSync(path.join(dir, 'run'));
  fs.mkdirSync(path.join(dir, 'state'));
  if (process.getuid?.() === 0) fs.chownSync(path.join(dir, 'mail'), uid, gid);
  const users = path.join(dir, 'users');
  fs.writeFileSync(users, '');
  const conf = path.join(dir, 'dovecot.conf');
  const oauth = opts.oauth2;
  const oauthMechs = (oauth?.mechanisms ?? ['xoauth2', 'oauthbearer']).join(' ');
  if (oauth) {
    // 2.3.19 posts client_id/client_secret in the body (introspection_mode = post); the URL must
    // be an IP literal or Dovecot resolves it through a dns-client service this setup lacks.
    fs.writeFileSync(
      path.join(dir, 'oauth2.conf.ext'),
      `introspection_mode = post
introspection_url = ${oauth.introspectionUrl}
client_id = ${oauth.clientId}
client_secret = ${oauth.clientSecret}
username_attribute = email
active_attribute = active
active_value = true
scope = ${oauth.scope}
timeout_msecs = 5000
`,
    );
  }
  fs.writeFileSync(
    conf,
    `base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${dir}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login${oauth ? ` ${oauthMechs}` : ''}
${oauth ? 'auth_failure_delay = 0\n' : ''}first_valid_uid = 1
mail_location = maildir:~/Maildir
passdb {
  driver = passwd-file
${oauth ? '  mechanisms = plain login\n' : ''}  args = scheme=PLAIN username_format=%u ${users}
}
${
  oauth
    ? `passdb {
  driver = oauth2
  mechanisms = ${oauthMechs}
  args = ${dir}/oauth2.conf.ext
}
`
    : ''
}userdb {
  driver = static
  args = uid=${uid} gid=${gid} home=${dir}/mail/%u${oauth ? ' allow_all_users=yes' : ''}
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
}
`,
  );
  let child: ChildProcess | null = null;
  const launch = async () => {
    child = spawn(DOVECOT!, ['-F', '-c', conf], { stdio: 'ignore' });
    await waitForPort(port);
  };
  const halt = async () => {
    const c = child;
    child = null;
    if (!c || c.exitCode !== null) return;
    // The master's children outlive it (open IMAP sessions keep being served): end them too, or
    // an "outage" would not end the connections a watcher already has.
    const below = c.pid ? descendants(c.pid) : [];
    const exited = new Promise((r) => c.once('exit', r));
    c.kill('SIGTERM');
    await exited;
    for (const pid of below) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
  };
  await launch();
  return {
    host: '127.0.0.1',
    port,
    addUser(user, pass) {
      fs.appendFileSync(users, `${user}:{PLAIN}${pass}\n`);
    },
    async deliver(user, pass, raw, mailbox = 'INBOX') {
      const c = new ImapFlow({ host: '127.0.0.1', port, secure: false, auth: { user, pass }, logger: false });
      await c.connect();
      if (mailbox !== 'INBOX' && !(await c.list()).some((b) => b.path === mailbox)) await c.mailboxCreate(mailbox);
      await c.append(mailbox, raw);
      await c.logout();
    },
    stop: async () => {
      await halt();
      fs.rmSync(dir, { recursive: true, force: true });
    },
    async restart() {
      await halt();
      await launch();
    },
    down: () => halt(),
    up: () => launch(),
    deliverWhileDown(user, raw) {
      // Maildir delivery: write into tmp/, then rename into new/ (the server picks it up from there).
      const maildir = path.join(dir, 'mail', user, 'Maildir');
      const name = `${Date.now()}.${process.pid}_${Math.random().toString(36).slice(2)}.seqflow-test`;
      fs.writeFileSync(path.join(maildir, 'tmp', name), raw);
      if (process.getuid?.() === 0) fs.chownSync(path.join(maildir, 'tmp', name), uid, gid);
      fs.renameSync(path.join(maildir, 'tmp', name), path.join(maildir, 'new', name));
    },
    log: () => (fs.existsSync(path.join(dir, 'dovecot.log')) ? fs.readFileSync(path.join(dir, 'dovecot.log'), 'utf8') : ''),
  };
}
