/**
 * Every setting Seqflow reads from its environment or its command line, in one table: adding a
 * setting is adding one entry here (the CLI flags, `seqflow config`, the README's table and the
 * typed `Settings` all follow from it). Nothing else reads `process.env` (src/config/config.ts
 * does, once).
 *
 * A value is parsed from text (an environment variable or a flag) by the entry's zod schema; a
 * boolean flag (`--demo`, `--no-dev-smtp`, `--fake-clock` without a value) arrives as a boolean.
 * Messages read after the setting's name: "SEQFLOW_PORT must be a whole number from 0 to 65535".
 */
import path from 'node:path';
import { z } from 'zod';
import { isValidZone } from '../domain/schedule.js';
import { parseSecretKey } from '../services/secret-box.js';

/** Commands whose command line accepts a setting's flag (every command reads every variable). */
export type CommandName = 'start' | 'worker' | 'migrate' | 'token' | 'config' | 'import';

export interface SettingSpec<S extends z.ZodType = z.ZodType, D extends string | boolean | undefined = string | boolean | undefined> {
  /** The environment variable, if the setting has one. */
  env?: string;
  /** The flag in commander's syntax (`--port <n>`, `--no-dev-smtp`, `--fake-clock [start]`). */
  flag?: string;
  /** Where the flag is accepted; `config` accepts every flag, to show what a start would use. */
  commands?: readonly Exclude<CommandName, 'config'>[];
  /** Raw default, parsed by the schema like any value; undefined = not set. */
  default: D;
  /** The default as the README shows it, when the raw default is not self-explanatory. */
  defaultText?: string;
  meaning: string;
  /** Secrets are masked by `seqflow config` (a URL keeps everything but its password). */
  secret?: boolean | 'url-password';
  schema: S;
}

const setting = <S extends z.ZodType, D extends string | boolean | undefined>(s: SettingSpec<S, D>): SettingSpec<S, D> => s;

// ---------------------------------------------------------------------------------------------
// Value parsers: text in, typed value out, and a message that reads after the setting's name.

const whole = (min: number, max?: number) => {
  const error = max === undefined ? `must be a whole number ≥ ${min}` : `must be a whole number from ${min} to ${max}`;
  return z
    .string({ error })
    .trim()
    .regex(/^\d+$/, { error })
    .transform(Number)
    .pipe(z.number().min(min, { error }).max(max ?? Number.MAX_SAFE_INTEGER, { error }));
};

const TRUE = new Set(['true', '1', 'yes', 'on']);
const FALSE = new Set(['false', '0', 'no', 'off']);
const bool = z.union([z.boolean(), z.string()]).transform((v, ctx) => {
  if (typeof v === 'boolean') return v;
  const s = v.trim().toLowerCase();
  if (TRUE.has(s)) return true;
  if (FALSE.has(s)) return false;
  ctx.issues.push({ code: 'custom', message: 'must be true or false (or 1/0, yes/no, on/off)', input: v });
  return z.NEVER;
});

const nonEmpty = (what: string) => z.string({ error: `must be ${what}` }).trim().min(1, { error: `must be ${what}` });

const httpUrl = z.string().trim().refine(
  (s) => {
    try {
      return ['http:', 'https:'].includes(new URL(s).protocol);
    } catch {
      return false;
    }
  },
  { error: 'must be an http:// or https:// URL' },
);

const postgresUrl = z
  .string()
  .trim()
  .refine(
    (s) => {
      try {
        return /^postgres(ql)?:$/.test(new URL(s).protocol);
      } catch {
        return false;
      }
    },
    { error: 'must be a postgres:// URL (leave it unset for SQLite)' },
  );

const secretKey = (name: string) =>
  z.string().refine(
    (s) => {
      try {
        parseSecretKey(s, name);
        return true;
      } catch {
        return false;
      }
    },
    { error: 'must be 32 random bytes written as base64 or hex (seqflow secrets new-key prints one)' },
  );

const secretKeyList = z
  .string()
  .transform((s) =>
    s
      .split(',')
      .map((k) => k.trim())
      .filter(Boolean),
  )
  .pipe(z.array(secretKey('SEQFLOW_SECRET_KEY_PREVIOUS')));

const instant = z.union([z.literal(true), z.string()]).transform((v, ctx): number | 'now' => {
  if (v === true) return 'now';
  const t = Date.parse(v);
  if (!/^\d{4}-\d\d-\d\d/.test(v.trim()) || Number.isNaN(t)) {
    ctx.issues.push({ code: 'custom', message: 'must be an ISO-8601 time such as 2026-03-02T09:00:00Z', input: v });
    return z.NEVER;
  }
  return t;
});

/** `imaps://host:993` → { host, port, secure: true }. */
const mailServerUrl = (protocols: string[]) =>
  z
    .string()
    .trim()
    .transform((s, ctx) => {
      try {
        const u = new URL(s);
        if (!protocols.includes(u.protocol) || !u.hostname || !u.port) throw new Error();
        return { host: u.hostname.replace(/^\[|\]$/g, ''), port: Number(u.port), secure: u.protocol.endsWith('s:') };
      } catch {
        ctx.issues.push({ code: 'custom', message: `must look like ${protocols[1]}//host:port or ${protocols[0]}//host:port`, input: s });
        return z.NEVER;
      }
    });

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

// ---------------------------------------------------------------------------------------------
// The table. Order is the README's order.

export const SETTINGS = {
  databaseUrl: setting({
    env: 'DATABASE_URL',
    flag: '--database <url>',
    commands: ['start', 'worker', 'migrate', 'token', 'import'],
    default: undefined,
    defaultText: 'SQLite in the data dir',
    meaning: '`postgres://…` selects PostgreSQL; every process of one installation points at the same database',
    secret: 'url-password',
    schema: postgresUrl,
  }),
  dataDir: setting({
    env: 'SEQFLOW_DATA_DIR',
    flag: '--data-dir <dir>',
    commands: ['start', 'worker', 'migrate', 'token', 'import'],
    default: 'seqflow-data',
    defaultText: '`./seqflow-data`',
    meaning: 'the SQLite file, the first admin token and the generated secret key',
    schema: nonEmpty('a directory').transform((d) => path.resolve(d)),
  }),
  port: setting({
    env: 'SEQFLOW_PORT',
    flag: '--port <n>',
    commands: ['start'],
    default: '3000',
    meaning: 'HTTP port (0 picks a free one)',
    schema: whole(0, 65535),
  }),
  host: setting({
    env: 'SEQFLOW_HOST',
    flag: '--host <host>',
    commands: ['start'],
    default: 'localhost',
    meaning: 'address the HTTP server listens on (`0.0.0.0` in a container)',
    schema: nonEmpty('a host name or address'),
  }),
  role: setting({
    env: 'SEQFLOW_ROLE',
    flag: '--role <role>',
    commands: ['start'],
    default: 'all',
    meaning: '`all` (API, worker, dev mail server), `api` (HTTP only) or `worker` (the due-work loop only); `seqflow worker` is `worker`',
    schema: z.enum(['all', 'api', 'worker'], { error: 'must be all, api or worker' }),
  }),
  devSmtp: setting({
    env: 'SEQFLOW_DEV_SMTP',
    flag: '--no-dev-smtp',
    commands: ['start'],
    default: true,
    defaultText: 'on',
    meaning: 'run the development mail server (inboxes with provider `dev` send to it)',
    schema: bool,
  }),
  devSmtpPort: setting({
    env: 'SEQFLOW_DEV_SMTP_PORT',
    flag: '--dev-smtp-port <n>',
    commands: ['start'],
    default: '2525',
    meaning: 'port of the development mail server on 127.0.0.1 (0 picks a free one)',
    schema: whole(0, 65535),
  }),
  fakeClock: setting({
    flag: '--fake-clock [start]',
    commands: ['start'],
    default: undefined,
    defaultText: 'off',
    meaning: 'time moves only via `POST /seqflow/v1/clock/advance {ms}`, from the given ISO time or now (demos, tests)',
    schema: instant,
  }),
  demo: setting({
    flag: '--demo',
    commands: ['start'],
    default: false,
    defaultText: 'off',
    meaning: 'load the demo and play it on the fake clock (Mon 2 Mar 2026 unless `--fake-clock` says otherwise), then keep serving',
    schema: bool,
  }),
  leaseMs: setting({
    env: 'SEQFLOW_LEASE_MS',
    flag: '--lease-ms <ms>',
    commands: ['start', 'worker'],
    default: '20000',
    meaning: "how long a worker's claim on due work lasts without its heartbeat (a killed worker's work is taken over after it)",
    schema: whole(100),
  }),
  watchLeaseMs: setting({
    env: 'SEQFLOW_WATCH_LEASE_MS',
    flag: '--watch-lease-ms <ms>',
    commands: ['start', 'worker'],
    default: '60000',
    meaning: 'how long a worker holds an inbox it watches (another takes over after it dies)',
    schema: whole(500),
  }),
  shutdownGraceMs: setting({
    env: 'SEQFLOW_SHUTDOWN_GRACE_MS',
    flag: '--shutdown-grace-ms <ms>',
    commands: ['start', 'worker'],
    default: '20000',
    meaning: 'on SIGTERM/SIGINT, how long sends already under way may take to finish before the process exits anyway',
    schema: whole(0),
  }),
  metricsPort: setting({
    env: 'SEQFLOW_METRICS_PORT',
    flag: '--metrics-port <n>',
    commands: ['worker'],
    default: undefined,
    defaultText: 'none',
    meaning: 'a worker-only process serves `GET /metrics` (bearer token with `seqflow.metrics`) on this port (0 picks a free one)',
    schema: whole(0, 65535),
  }),
  metricsHost: setting({
    env: 'SEQFLOW_METRICS_HOST',
    flag: '--metrics-host <host>',
    commands: ['worker'],
    default: 'localhost',
    meaning: 'address the worker\'s metrics port listens on',
    schema: nonEmpty('a host name or address'),
  }),
  replyDetectionAlarmMinutes: setting({
    env: 'SEQFLOW_REPLY_DETECTION_ALARM_MINUTES',
    default: '15',
    meaning: 'an inbox whose replies have not been read for this long pauses its sequences (`REPLY_DETECTION_DOWN`) until they are; `0` turns it off',
    schema: whole(0),
  }),
  healthBacklogMinutes: setting({
    env: 'SEQFLOW_HEALTH_BACKLOG_MINUTES',
    default: '5',
    meaning: 'health is `degraded` when the oldest due work has waited longer',
    schema: whole(1),
  }),
  publicUrl: setting({
    env: 'SEQFLOW_PUBLIC_URL',
    default: undefined,
    defaultText: '`http://localhost:<port>`',
    meaning: 'base of unsubscribe links in emails; also an origin the web app may be served from behind a proxy',
    schema: httpUrl,
  }),
  accountTimeZone: setting({
    env: 'SEQFLOW_TIMEZONE',
    default: 'UTC',
    meaning: "account time zone (when neither the contact's nor the sender's applies)",
    schema: z.string().trim().refine(isValidZone, { error: 'must be an IANA time zone such as Europe/Warsaw or UTC' }),
  }),
  adminToken: setting({
    env: 'SEQFLOW_ADMIN_TOKEN',
    default: undefined,
    defaultText: '—',
    meaning: 'a bearer token accepted as admin (without it, a first start creates one and prints it)',
    secret: true,
    schema: nonEmpty('a token'),
  }),
  secretKey: setting({
    env: 'SEQFLOW_SECRET_KEY',
    default: undefined,
    defaultText: 'generated into `<data dir>/secret-key`',
    meaning:
      '32 random bytes (base64 or hex; `seqflow secrets new-key`) sealing mailbox passwords and the unsubscribe secret in the database; every process sharing a database needs the same key',
    secret: true,
    schema: secretKey('SEQFLOW_SECRET_KEY'),
  }),
  secretKeyPrevious: setting({
    env: 'SEQFLOW_SECRET_KEY_PREVIOUS',
    default: '',
    defaultText: '—',
    meaning: 'comma-separated old keys, during a rotation',
    secret: true,
    schema: secretKeyList,
  }),
  formSubmissionsPer10s: setting({
    env: 'SEQFLOW_FORM_RATE_LIMIT',
    default: '100',
    meaning: 'public form submissions per client address per 10 s',
    schema: whole(0),
  }),
  apiRateLimit10s: setting({
    env: 'SEQFLOW_RATE_LIMIT_10S',
    default: '190',
    meaning: 'API requests per token per rolling 10 s (0 turns the limit off)',
    schema: whole(0),
  }),
  searchRateLimit1s: setting({
    env: 'SEQFLOW_SEARCH_RATE_LIMIT_1S',
    default: '4',
    meaning: 'CRM searches per token per second (0 turns the limit off)',
    schema: whole(0),
  }),
  pgPreparedStatements: setting({
    env: 'SEQFLOW_PG_PREPARED_STATEMENTS',
    default: 'true',
    meaning:
      'PostgreSQL: name the statements Seqflow repeats so each connection plans them once; turn off behind a connection pooler in transaction mode that cannot keep prepared statements (PgBouncer before 1.21)',
    schema: bool,
  }),
  leanHeap: setting({
    env: 'SEQFLOW_LEAN_HEAP',
    flag: '--lean-heap',
    commands: ['start', 'worker'],
    default: false,
    defaultText: 'off',
    meaning:
      "collect garbage sooner (V8's `--optimize-for-size`, which `NODE_OPTIONS` cannot carry): under a burst the process peaks ~45 MB lower (~110 MB lower after 2,000 submissions) for up to a third fewer pipelines per second",
    schema: bool,
  }),
  allowPrivateMailHosts: setting({
    env: 'SEQFLOW_ALLOW_PRIVATE_MAIL_HOSTS',
    default: 'true',
    meaning:
      'whether inbox SMTP/IMAP hosts may be private addresses (10/8, 172.16/12, 192.168/16, fc00::/7); link-local and cloud metadata addresses are always refused',
    schema: bool,
  }),
  allowPrivateWebhookHosts: setting({
    env: 'SEQFLOW_ALLOW_PRIVATE_WEBHOOK_HOSTS',
    default: 'false',
    meaning:
      'whether workflow webhooks may call loopback and private addresses (127/8, 10/8, 172.16/12, 192.168/16, fc00::/7); link-local and cloud metadata addresses are always refused',
    schema: bool,
  }),
  systemSmtpUrl: setting({
    env: 'SEQFLOW_SYSTEM_SMTP_URL',
    default: undefined,
    defaultText: 'the dev mail server',
    meaning: "where Seqflow's own mail (workflow internal email notifications) goes: smtp://user:pass@host:587 or smtps://…:465; the From address is SEQFLOW_SYSTEM_MAIL_FROM",
    secret: 'url-password',
    schema: z.string().trim().regex(/^smtps?:\/\/[^/]+/, { error: 'must be an smtp:// or smtps:// URL' }),
  }),
  systemMailFrom: setting({
    env: 'SEQFLOW_SYSTEM_MAIL_FROM',
    default: 'seqflow@localhost',
    meaning: "the From address of Seqflow's own mail",
    schema: z.string().trim().min(3, { error: 'must be an email address' }),
  }),
  logLevel: setting({
    env: 'SEQFLOW_LOG_LEVEL',
    default: 'info',
    meaning: 'pino log level: fatal, error, warn, info, debug, trace or silent',
    schema: z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }),
  }),
  googleClientId: setting({
    env: 'SEQFLOW_GOOGLE_CLIENT_ID',
    default: undefined,
    defaultText: '—',
    meaning: 'OAuth client id of the Google Cloud "Web application" client; with its secret, reps get "Connect Google" (README: Connecting Google and Microsoft mailboxes)',
    schema: nonEmpty('a client id'),
  }),
  googleClientSecret: setting({
    env: 'SEQFLOW_GOOGLE_CLIENT_SECRET',
    default: undefined,
    defaultText: '—',
    meaning: 'that client\'s secret',
    secret: true,
    schema: nonEmpty('a client secret'),
  }),
  microsoftClientId: setting({
    env: 'SEQFLOW_MICROSOFT_CLIENT_ID',
    default: undefined,
    defaultText: '—',
    meaning: 'Application (client) id of the Microsoft Entra app registration; with its secret, reps get "Connect Microsoft"',
    schema: nonEmpty('a client id'),
  }),
  microsoftClientSecret: setting({
    env: 'SEQFLOW_MICROSOFT_CLIENT_SECRET',
    default: undefined,
    defaultText: '—',
    meaning: 'a client secret value of that app registration (it expires: renew it before)',
    secret: true,
    schema: nonEmpty('a client secret'),
  }),
  microsoftTenant: setting({
    env: 'SEQFLOW_MICROSOFT_TENANT',
    default: 'organizations',
    meaning: 'the app\'s tenant id or domain for a single-tenant app, `organizations` (any work account) or `common` (work and personal accounts)',
    schema: z.string().trim().regex(/^[A-Za-z0-9.-]+$/, { error: 'must be a tenant id, a tenant domain, organizations or common' }),
  }),
  oidcIssuer: setting({
    env: 'SEQFLOW_OIDC_ISSUER',
    default: undefined,
    defaultText: '—',
    meaning: 'issuer URL of your own OpenID Connect provider in front of your IMAP/SMTP servers (XOAUTH2); with the client, imap and smtp settings below, reps get "Connect" for it',
    schema: httpUrl,
  }),
  oidcName: setting({
    env: 'SEQFLOW_OIDC_NAME',
    default: 'Company mail',
    meaning: 'what the button and messages call that provider',
    schema: nonEmpty('a name'),
  }),
  oidcClientId: setting({
    env: 'SEQFLOW_OIDC_CLIENT_ID',
    default: undefined,
    defaultText: '—',
    meaning: 'client id at that provider',
    schema: nonEmpty('a client id'),
  }),
  oidcClientSecret: setting({
    env: 'SEQFLOW_OIDC_CLIENT_SECRET',
    default: undefined,
    defaultText: '—',
    meaning: 'client secret at that provider',
    secret: true,
    schema: nonEmpty('a client secret'),
  }),
  oidcMailScopes: setting({
    env: 'SEQFLOW_OIDC_MAIL_SCOPES',
    default: 'mail',
    meaning: 'space-separated scopes the mail servers require (asked for besides `openid email offline_access`)',
    schema: nonEmpty('one or more scopes').transform((s) => s.split(/\s+/).filter(Boolean)),
  }),
  oidcImap: setting({
    env: 'SEQFLOW_OIDC_IMAP',
    default: undefined,
    defaultText: '—',
    meaning: 'IMAP server of those mailboxes: `imaps://host:993` or `imap://host:143` (STARTTLS when offered)',
    schema: mailServerUrl(['imap:', 'imaps:']),
  }),
  oidcSmtp: setting({
    env: 'SEQFLOW_OIDC_SMTP',
    default: undefined,
    defaultText: '—',
    meaning: 'SMTP server of those mailboxes: `smtps://host:465` or `smtp://host:587` (STARTTLS when offered)',
    schema: mailServerUrl(['smtp:', 'smtps:']),
  }),
  oauthAllowHttp: setting({
    env: 'SEQFLOW_OAUTH_ALLOW_HTTP',
    default: 'false',
    meaning: 'lets the OpenID provider be a plain-http loopback address (127.0.0.1, localhost): for tests and local trials, never for a remote provider',
    schema: bool,
  }),
  oauthWaitHorizonHours: setting({
    env: 'SEQFLOW_OAUTH_WAIT_HORIZON_HOURS',
    default: '72',
    meaning: 'emails that waited longer than this for a disconnected mailbox are skipped with a reason after the reconnect, not sent in a burst',
    schema: whole(1),
  }),
} satisfies Record<string, SettingSpec>;

export type SettingKey = keyof typeof SETTINGS;

type ValueOf<X> = X extends SettingSpec<infer S, infer D> ? z.output<S> | (D extends undefined ? undefined : never) : never;

/** The effective settings, typed: what the CLI loads once and startSeqflow and the services use. */
export type Settings = { -readonly [K in SettingKey]: ValueOf<(typeof SETTINGS)[K]> };
