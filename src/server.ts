import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import pino, { type Logger } from 'pino';
import type { FastifyInstance } from 'fastify';
import type { Clock } from './domain/glossary.js';
import { DEFAULT_SEAT_POLICY } from './domain/seats.js';
import { loadSettings } from './config/config.js';
import type { Settings } from './config/settings.js';
import { isValidZone } from './domain/schedule.js';
import { createFakeClock, systemClock, type FakeClock } from './engine/clock.js';
import { createWorker, type Worker, type WorkerStopReport } from './engine/worker.js';
import { createImportRunner, type ImportRunner } from './engine/import-runner.js';
import { createInboxWatchers, type InboxWatchers, type InboxWatchersOptions } from './engine/inbox-watchers.js';
import { createTemplateRenderer, type TemplateRendererOptions } from './engine/template-renderer.js';
import { buildApp } from './http/app.js';
import { startMetricsServer } from './http/metrics-server.js';
import { createMetrics } from './services/metrics.js';
import { startDevMailServer, type DevMailServer } from './mail/dev-mail-server.js';
import { createSmtpSender } from './mail/smtp-sender.js';
import type { MailHostPolicy } from './mail/host-policy.js';
import type { Config, Deps } from './services/deps.js';
import { publishDevSmtpAddress, receiveDevMail } from './services/dev-mail.js';
import { isPostgresUrl, openDatabase, type Database } from './store/database.js';
import { loadSecretBox, type SecretBox } from './services/secret-box.js';
import { sealSecretsAtRest } from './services/secrets-at-rest.js';
import { webhookHostPolicy } from './services/webhook-call.js';
import { oauthProvidersOf } from './config/oauth-providers.js';
import { migrateToLatest } from './store/migrate.js';
import { countTokens, ensureSetting, insertToken } from './store/tokens.js';

export const VERSION = '0.1.0';

/**
 * What to start. Every field is optional: `settings` is what the CLI loaded once
 * (src/config/settings.ts); without it the settings are loaded from the environment here. Each
 * other field overrides its setting (tests pass explicit values).
 */
export interface SeqflowOptions {
  settings?: Settings;
  /** HTTP port; 0 picks a free one. */
  port?: number;
  host?: string;
  dataDir?: string;
  /** postgres://… selects PostgreSQL; otherwise SQLite in dataDir ('' ignores DATABASE_URL). */
  databaseUrl?: string;
  /** Run on a fake clock starting at this instant (epoch ms). */
  fakeClockStart?: number;
  /** Dev mail server port; 0 picks a free one; null runs none. */
  devSmtpPort?: number | null;
  /** api: HTTP only; worker: the due-work loop only; all: both (the default). */
  role?: 'all' | 'api' | 'worker';
  adminToken?: string | null;
  leaseMs?: number;
  /** The worker's fallback poll (default 500 ms); wake-ups on due work make it rarely matter. */
  pollMs?: number;
  /**
   * Steps the worker runs at once (default 8). One makes the order of sends, and so which tied
   * email a send limit holds back, exactly the claim order (tests comparing a forecast with a run).
   */
  workerConcurrency?: number;
  /**
   * Wake the worker as soon as a write makes work due (NOTIFY on PostgreSQL, in-process on
   * SQLite). Default: on with the real clock, off with a fake one, whose tests and demos move
   * work by moving time.
   */
  wakeOnDue?: boolean;
  logger?: Logger;
  accountTimeZone?: string;
  publicUrl?: string;
  formSubmissionsPer10s?: number;
  /** The key secrets at rest are sealed with (else SEQFLOW_SECRET_KEY, else <dataDir>/secret-key). */
  secretKey?: string;
  /** IMAP watching (workers only): lease, polling and IDLE timings; null turns it off. */
  inboxWatch?: Omit<InboxWatchersOptions, 'worker'> | null;
  /** Whether workflow webhooks may call loopback and private addresses (default SEQFLOW_ALLOW_PRIVATE_WEBHOOK_HOSTS). */
  allowPrivateWebhookHosts?: boolean;
  /** Where inbox mail connections may go; defaults to SEQFLOW_ALLOW_PRIVATE_MAIL_HOSTS and system DNS. */
  mailHostPolicy?: MailHostPolicy;
  /** Threads, timeout and limits of template rendering (sends, previews, saves). */
  templateRenderer?: TemplateRendererOptions;
  /** How long close() lets work under way finish (default: the shutdownGraceMs setting). */
  shutdownGraceMs?: number;
  /** Pause an inbox's sequences after its reply watcher has not synced for this long (default SEQFLOW_REPLY_DETECTION_ALARM_MINUTES, 15 min; 0 = off). */
  replyDetectionAlarmMs?: number;
  /** How often workers check for that, on the (possibly fake) clock (default 30 s). */
  replyDetectionCheckMs?: number;
  /** Health is degraded when the oldest due work is older than this (default SEQFLOW_HEALTH_BACKLOG_MINUTES, 5 min). */
  healthBacklogMs?: number;
  /** Worker role only: serve GET /metrics on this port (0 = any free port); null/undefined = none. */
  metricsPort?: number | null;
  metricsHost?: string;
  /** Node process metrics (CPU, memory, event loop) in /metrics; default true. */
  processMetrics?: boolean;
}

export interface Seqflow {
  deps: Deps;
  db: Database;
  app: FastifyInstance | null;
  worker: Worker | null;
  inboxWatchers: InboxWatchers | null;
  /** The API process's CSV import runner (null in a worker-only process). */
  imports: ImportRunner | null;
  fakeClock: FakeClock | null;
  devMail: DevMailServer | null;
  url: string | null;
  /** A worker-only process's /metrics server (--metrics-port), else null. */
  metricsUrl: string | null;
  /** Set when this start created the first admin token. */
  createdAdminToken: string | null;
  /** Set when this start generated the secret key file (no SEQFLOW_SECRET_KEY). */
  createdSecretKeyFile: string | null;
  /**
   * Stops gracefully. At once and side by side, within `graceMs`: the HTTP server stops accepting
   * and finishes its requests, inbox watchers stop and release their inboxes, and the worker stops
   * claiming, hands back what it has not started and lets what it started finish. Then the dev
   * mail server, the SMTP pools, the render threads and the database pool close. Calling it again
   * returns the same promise.
   */
  close(opts?: { graceMs?: number }): Promise<WorkerStopReport>;
}

/** Resolves when p settles or after ms, whichever comes first; true when p settled in time. */
async function within(p: Promise<unknown> | undefined, ms: number): Promise<boolean> {
  if (!p) return true;
  let timer: NodeJS.Timeout | undefined;
  const settled = p.then(
    () => true,
    () => true,
  );
  const late = new Promise<boolean>((resolve) => (timer = setTimeout(resolve, ms, false)));
  try {
    return await Promise.race([settled, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Opens (and migrates) the database the settings name (the environment's when none are given). */
export async function openStore(
  s: { dataDir: string; databaseUrl?: string; pgPreparedStatements?: boolean } = loadSettings().values,
  log?: Pick<Logger, 'warn'>,
): Promise<Database> {
  const db = openDatabase({
    url: s.databaseUrl,
    sqliteFile: path.join(s.dataDir, 'seqflow.db'),
    preparedStatements: s.pgPreparedStatements,
    // Not fatal: the connection's own checkpoint still bounds the log, inside a commit.
    onBackgroundError: (message) => log?.warn({ message }, 'SQLite checkpoint thread failed'),
  });
  await migrateToLatest(db);
  return db;
}

/** The settings with the options' explicit values laid over them. */
function effectiveSettings(opts: SeqflowOptions): Settings {
  const base = opts.settings ?? loadSettings().values;
  const given: Partial<Settings> = {
    port: opts.port,
    host: opts.host,
    dataDir: opts.dataDir === undefined ? undefined : path.resolve(opts.dataDir),
    databaseUrl: opts.databaseUrl,
    role: opts.role,
    leaseMs: opts.leaseMs,
    accountTimeZone: opts.accountTimeZone,
    publicUrl: opts.publicUrl,
    formSubmissionsPer10s: opts.formSubmissionsPer10s,
    secretKey: opts.secretKey,
    shutdownGraceMs: opts.shutdownGraceMs,
  };
  if (opts.adminToken !== undefined) given.adminToken = opts.adminToken ?? undefined;
  if (opts.devSmtpPort !== undefined) Object.assign(given, opts.devSmtpPort === null ? { devSmtp: false } : { devSmtp: true, devSmtpPort: opts.devSmtpPort });
  const defined = Object.fromEntries(Object.entries(given).filter(([k, v]) => v !== undefined || k === 'adminToken')) as Partial<Settings>;
  return { ...base, ...defined };
}

/**
 * IMAP watching on a lease of `leaseMs`: the watcher's own timings from the default lease (60 s)
 * up; a shorter lease (quicker takeovers, tests) polls and backs off proportionally faster, so a
 * survivor that takes an inbox over also notices new mail on that scale.
 */
function watchOptions(leaseMs: number): Omit<InboxWatchersOptions, 'worker'> {
  if (leaseMs >= 60_000) return { leaseMs };
  const f = Math.floor;
  return { leaseMs, watcher: { pollMs: Math.max(1_000, f(leaseMs / 2)), autoIdleDelayMs: Math.max(500, f(leaseMs / 4)), backoff: { initialMs: Math.max(200, f(leaseMs / 10)), maxMs: Math.max(2_000, leaseMs) } } };
}

/** The composition root: opens storage, then starts the parts this role runs. */
export async function startSeqflow(opts: SeqflowOptions = {}): Promise<Seqflow> {
  const settings = effectiveSettings(opts);
  const { role, dataDir, host, port } = settings;
  // A half-configured OAuth provider stops the start here, with the missing setting named.
  oauthProvidersOf(settings);
  const log = opts.logger ?? pino({ level: settings.logLevel });
  const db = await openStore(settings, log);
  const fakeClockStart = opts.fakeClockStart ?? (settings.fakeClock === 'now' ? Date.now() : settings.fakeClock);
  const fakeClock = fakeClockStart !== undefined ? createFakeClock(fakeClockStart) : null;
  const clock: Clock = fakeClock ?? systemClock;

  // Secrets shared by every process on this database, sealed under a key kept outside it.
  let secrets: SecretBox;
  let unsubscribeSecret: string;
  let createdSecretKeyFile: string | null;
  try {
    ({ box: secrets, generatedFile: createdSecretKeyFile } = loadSecretBox({ key: settings.secretKey, previousKeys: settings.secretKeyPrevious.join(','), dataDir }));
    ({ unsubscribeSecret } = await sealSecretsAtRest(db, secrets));
  } catch (err) {
    await db.close();
    throw err;
  }
  const { accountTimeZone } = settings;
  // Every schedule falls back to this zone, so a typo must stop the start, not a send later.
  if (!isValidZone(accountTimeZone)) {
    await db.close();
    throw new Error(`SEQFLOW_TIMEZONE "${accountTimeZone}" is not an IANA time zone such as Europe/Warsaw or UTC.`);
  }
  const config: Config = {
    seatPolicy: DEFAULT_SEAT_POLICY,
    accountTimeZone,
    publicUrl: settings.publicUrl ?? `http://localhost:${port}`,
    unsubscribeSecret,
    devSmtp: null,
    portalId: await ensureSetting(db.kysely, 'portal_id', String(crypto.randomInt(10_000_000, 99_999_999))),
    formSubmissionsPer10s: settings.formSubmissionsPer10s,
    mailHosts: opts.mailHostPolicy ?? { allowPrivate: settings.allowPrivateMailHosts },
    webhookHosts: webhookHostPolicy(opts.allowPrivateWebhookHosts ?? settings.allowPrivateWebhookHosts),
    systemSmtp: { url: settings.systemSmtpUrl ?? null, from: settings.systemMailFrom },
    apiRateLimits: { per10s: settings.apiRateLimit10s, searchPer1s: settings.searchRateLimit1s },
    replyDetectionAlarmMs: opts.replyDetectionAlarmMs ?? settings.replyDetectionAlarmMinutes * 60_000,
    replyDetectionCheckMs: opts.replyDetectionCheckMs ?? 30_000,
    healthBacklogMs: opts.healthBacklogMs ?? settings.healthBacklogMinutes * 60_000,
  };
  const smtp = createSmtpSender({ hostPolicy: config.mailHosts });
  const renderer = createTemplateRenderer(opts.templateRenderer);
  const metrics = createMetrics({ processMetrics: opts.processMetrics });
  const deps: Deps = { db, clock, config, log, smtp, secrets, renderer, settings, metrics };
  metrics.readDatabase(deps);

  let devMail: DevMailServer | null = null;
  if (role !== 'worker' && settings.devSmtp) {
    devMail = await startDevMailServer({
      host: '127.0.0.1',
      port: settings.devSmtpPort,
      now: () => clock.now(),
      onMessage: (mail) => receiveDevMail(deps, mail),
    });
    config.devSmtp = { host: devMail.host, port: devMail.port };
    await publishDevSmtpAddress(deps, config.devSmtp);
  }

  const worker = role === 'api' ? null : createWorker(deps, { leaseMs: settings.leaseMs, pollMs: opts.pollMs, concurrency: opts.workerConcurrency });

  const adminToken = settings.adminToken ?? null;
  let createdAdminToken: string | null = null;
  let app: FastifyInstance | null = null;
  let url: string | null = null;
  // CSV imports run where their upload was stored: in the API process.
  let imports: ImportRunner | null = null;
  if (role !== 'worker') {
    if (!adminToken && (await countTokens(db.kysely)) === 0) {
      createdAdminToken = `sf-admin-${crypto.randomBytes(24).toString('base64url')}`;
      await insertToken(db.kysely, { name: 'first admin token', token: createdAdminToken, userId: null, scopes: ['*'] }, clock.now());
      if (!isPostgresUrl(settings.databaseUrl)) {
        fs.mkdirSync(dataDir, { recursive: true });
        fs.writeFileSync(path.join(dataDir, 'admin-token'), `${createdAdminToken}\n`, { mode: 0o600 });
      }
    }
    imports = createImportRunner(deps);
    app = buildApp({ deps, worker, fakeClock, devSmtp: config.devSmtp, version: VERSION, adminToken, imports });
    await app.listen({ port, host });
    const address = app.server.address();
    const actualPort = typeof address === 'object' && address ? address.port : port;
    url = `http://${host}:${actualPort}`;
    if (!settings.publicUrl) config.publicUrl = `http://localhost:${actualPort}`;
  }
  let metricsServer: Awaited<ReturnType<typeof startMetricsServer>> | null = null;
  const metricsPort = opts.metricsPort !== undefined ? opts.metricsPort : (settings.metricsPort ?? null);
  if (role === 'worker' && metricsPort !== null) {
    const ctx = { deps, worker, fakeClock, devSmtp: config.devSmtp, version: VERSION, adminToken };
    metricsServer = await startMetricsServer(ctx, { port: metricsPort, host: opts.metricsHost ?? settings.metricsHost });
  }
  worker?.start();
  const stopListening =
    worker && (opts.wakeOnDue ?? fakeClock === null)
      ? db.listenForDue(
          (dueAt) => {
            if (dueAt <= clock.now()) worker.wake();
          },
          (err) => log.warn({ err }, 'the due-work listener lost its connection; reconnecting (polling meanwhile)'),
        )
      : null;
  await imports?.resume();
  const inboxWatch = opts.inboxWatch !== undefined ? opts.inboxWatch : watchOptions(settings.watchLeaseMs);
  const inboxWatchers = worker && inboxWatch !== null ? createInboxWatchers(deps, { worker: worker.id, ...inboxWatch }) : null;

  let closing: Promise<WorkerStopReport> | null = null;
  const shutdown = async (graceMs: number): Promise<WorkerStopReport> => {
    const deadline = Date.now() + graceMs;
    // Cleanup after the grace period still gets a moment, so a quiet pool closes properly.
    const left = () => Math.max(1_000, deadline - Date.now());
    const [, , , , report] = await Promise.all([
      within(app?.close(), graceMs),
      within(metricsServer?.app.close(), graceMs),
      within(inboxWatchers?.stop(), graceMs),
      within(imports?.stop(), graceMs),
      worker ? worker.stop({ graceMs }) : { released: 0, abandoned: 0 },
      within(stopListening?.(), graceMs),
    ]);
    await within(devMail?.close(), left());
    // Waits for sends still under way (none, unless the grace period ran out).
    await within(smtp.close(), left());
    await within(renderer.close(), left());
    metrics.close();
    await within(db.close(), left());
    return report;
  };

  return {
    deps,
    db,
    app,
    worker,
    inboxWatchers,
    imports,
    fakeClock,
    devMail,
    url,
    metricsUrl: metricsServer?.url ?? null,
    createdAdminToken,
    createdSecretKeyFile,
    close({ graceMs = settings.shutdownGraceMs } = {}) {
      closing ??= shutdown(graceMs);
      return closing;
    },
  };
}
