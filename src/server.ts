import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import pino, { type Logger } from 'pino';
import type { FastifyInstance } from 'fastify';
import type { Clock } from './domain/glossary.js';
import { DEFAULT_SEAT_POLICY } from './domain/seats.js';
import { isValidZone } from './domain/schedule.js';
import { createFakeClock, systemClock, type FakeClock } from './engine/clock.js';
import { createWorker, type Worker } from './engine/worker.js';
import { createInboxWatchers, type InboxWatchers, type InboxWatchersOptions } from './engine/inbox-watchers.js';
import { createTemplateRenderer, type TemplateRendererOptions } from './engine/template-renderer.js';
import { buildApp } from './http/app.js';
import { startMetricsServer } from './http/metrics-server.js';
import { createMetrics } from './services/metrics.js';
import { startDevMailServer, type DevMailServer } from './mail/dev-mail-server.js';
import { createSmtpSender } from './mail/smtp-sender.js';
import { mailHostPolicyFromEnv, type MailHostPolicy } from './mail/host-policy.js';
import type { Config, Deps } from './services/deps.js';
import { publishDevSmtpAddress, receiveDevMail } from './services/dev-mail.js';
import { openDatabase, type Database } from './store/database.js';
import { loadSecretBox, type SecretBox } from './services/secret-box.js';
import { sealSecretsAtRest } from './services/secrets-at-rest.js';
import { migrateToLatest } from './store/migrate.js';
import { countTokens, ensureSetting, insertToken } from './store/tokens.js';

export const VERSION = '0.1.0';

export interface SeqflowOptions {
  /** HTTP port; 0 picks a free one. */
  port?: number;
  host?: string;
  dataDir?: string;
  /** postgres://… selects PostgreSQL; otherwise SQLite in dataDir. */
  databaseUrl?: string;
  /** Run on a fake clock starting at this instant (epoch ms). */
  fakeClockStart?: number;
  /** Dev mail server port; 0 picks a free one; null runs none. */
  devSmtpPort?: number | null;
  /** api: HTTP only; worker: the due-work loop only; all: both (the default). */
  role?: 'all' | 'api' | 'worker';
  adminToken?: string | null;
  leaseMs?: number;
  pollMs?: number;
  logger?: Logger;
  accountTimeZone?: string;
  publicUrl?: string;
  formSubmissionsPer10s?: number;
  /** The key secrets at rest are sealed with (else SEQFLOW_SECRET_KEY, else <dataDir>/secret-key). */
  secretKey?: string;
  /** IMAP watching (workers only): lease, polling and IDLE timings; null turns it off. */
  inboxWatch?: Omit<InboxWatchersOptions, 'worker'> | null;
  /** Where inbox mail connections may go; defaults to SEQFLOW_ALLOW_PRIVATE_MAIL_HOSTS and system DNS. */
  mailHostPolicy?: MailHostPolicy;
  /** Threads, timeout and limits of template rendering (sends, previews, saves). */
  templateRenderer?: TemplateRendererOptions;
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
  fakeClock: FakeClock | null;
  devMail: DevMailServer | null;
  url: string | null;
  /** A worker-only process's /metrics server (--metrics-port), else null. */
  metricsUrl: string | null;
  /** Set when this start created the first admin token. */
  createdAdminToken: string | null;
  /** Set when this start generated the secret key file (no SEQFLOW_SECRET_KEY). */
  createdSecretKeyFile: string | null;
  close(): Promise<void>;
}

/** A number of minutes from the environment, as milliseconds. */
const minutes = (env: string | undefined, fallback: number): number => {
  const n = env === undefined || env === '' ? fallback : Number(env);
  if (!Number.isFinite(n) || n < 0) throw new Error(`Expected a number of minutes (0 or more), got "${env}".`);
  return n * 60_000;
};

export const defaultDataDir = (): string => path.resolve(process.env.SEQFLOW_DATA_DIR ?? 'seqflow-data');

export async function openStore(opts: { dataDir?: string; databaseUrl?: string }): Promise<Database> {
  const url = opts.databaseUrl ?? process.env.DATABASE_URL;
  const db = openDatabase({ url, sqliteFile: path.join(opts.dataDir ?? defaultDataDir(), 'seqflow.db') });
  await migrateToLatest(db);
  return db;
}

/** The composition root: opens storage, then starts the parts this role runs. */
export async function startSeqflow(opts: SeqflowOptions = {}): Promise<Seqflow> {
  const role = opts.role ?? 'all';
  const dataDir = opts.dataDir ?? defaultDataDir();
  const log = opts.logger ?? pino({ level: process.env.SEQFLOW_LOG_LEVEL ?? 'info' });
  const db = await openStore({ dataDir, databaseUrl: opts.databaseUrl });
  const fakeClock = opts.fakeClockStart !== undefined ? createFakeClock(opts.fakeClockStart) : null;
  const clock: Clock = fakeClock ?? systemClock;
  const host = opts.host ?? 'localhost';
  const port = opts.port ?? 3000;

  // Secrets shared by every process on this database, sealed under a key kept outside it.
  let secrets: SecretBox;
  let unsubscribeSecret: string;
  let createdSecretKeyFile: string | null;
  try {
    ({ box: secrets, generatedFile: createdSecretKeyFile } = loadSecretBox({ key: opts.secretKey ?? process.env.SEQFLOW_SECRET_KEY, previousKeys: process.env.SEQFLOW_SECRET_KEY_PREVIOUS, dataDir }));
    ({ unsubscribeSecret } = await sealSecretsAtRest(db, secrets));
  } catch (err) {
    await db.close();
    throw err;
  }
  const accountTimeZone = opts.accountTimeZone ?? process.env.SEQFLOW_TIMEZONE ?? 'UTC';
  // Every schedule falls back to this zone, so a typo must stop the start, not a send later.
  if (!isValidZone(accountTimeZone)) {
    await db.close();
    throw new Error(`SEQFLOW_TIMEZONE "${accountTimeZone}" is not an IANA time zone such as Europe/Warsaw or UTC.`);
  }
  const config: Config = {
    seatPolicy: DEFAULT_SEAT_POLICY,
    accountTimeZone,
    publicUrl: opts.publicUrl ?? process.env.SEQFLOW_PUBLIC_URL ?? `http://localhost:${port}`,
    unsubscribeSecret,
    devSmtp: null,
    portalId: await ensureSetting(db.kysely, 'portal_id', String(crypto.randomInt(10_000_000, 99_999_999))),
    formSubmissionsPer10s: opts.formSubmissionsPer10s ?? Number(process.env.SEQFLOW_FORM_RATE_LIMIT ?? 100),
    mailHosts: opts.mailHostPolicy ?? mailHostPolicyFromEnv(),
    replyDetectionAlarmMs: opts.replyDetectionAlarmMs ?? minutes(process.env.SEQFLOW_REPLY_DETECTION_ALARM_MINUTES, 15),
    replyDetectionCheckMs: opts.replyDetectionCheckMs ?? 30_000,
    healthBacklogMs: opts.healthBacklogMs ?? minutes(process.env.SEQFLOW_HEALTH_BACKLOG_MINUTES, 5),
  };
  const smtp = createSmtpSender({ hostPolicy: config.mailHosts });
  const renderer = createTemplateRenderer(opts.templateRenderer);
  const metrics = createMetrics({ processMetrics: opts.processMetrics });
  const deps: Deps = { db, clock, config, log, smtp, secrets, renderer, metrics };
  metrics.readDatabase(deps);

  let devMail: DevMailServer | null = null;
  if (role !== 'worker' && opts.devSmtpPort !== null) {
    devMail = await startDevMailServer({
      host: '127.0.0.1',
      port: opts.devSmtpPort ?? 2525,
      now: () => clock.now(),
      onMessage: (mail) => receiveDevMail(deps, mail),
    });
    config.devSmtp = { host: devMail.host, port: devMail.port };
    await publishDevSmtpAddress(deps, config.devSmtp);
  }

  const worker = role === 'api' ? null : createWorker(deps, { leaseMs: opts.leaseMs, pollMs: opts.pollMs });

  const adminToken = opts.adminToken !== undefined ? opts.adminToken : (process.env.SEQFLOW_ADMIN_TOKEN ?? null);
  let createdAdminToken: string | null = null;
  let app: FastifyInstance | null = null;
  let url: string | null = null;
  if (role !== 'worker') {
    if (!adminToken && (await countTokens(db.kysely)) === 0) {
      createdAdminToken = `sf-admin-${crypto.randomBytes(24).toString('base64url')}`;
      await insertToken(db.kysely, { name: 'first admin token', token: createdAdminToken, userId: null, scopes: ['*'] }, clock.now());
      if (!opts.databaseUrl && !process.env.DATABASE_URL) {
        fs.mkdirSync(dataDir, { recursive: true });
        fs.writeFileSync(path.join(dataDir, 'admin-token'), `${createdAdminToken}\n`, { mode: 0o600 });
      }
    }
    app = buildApp({ deps, worker, fakeClock, devSmtp: config.devSmtp, version: VERSION, adminToken });
    await app.listen({ port, host });
    const address = app.server.address();
    const actualPort = typeof address === 'object' && address ? address.port : port;
    url = `http://${host}:${actualPort}`;
    if (!opts.publicUrl && !process.env.SEQFLOW_PUBLIC_URL) config.publicUrl = `http://localhost:${actualPort}`;
  }
  let metricsServer: Awaited<ReturnType<typeof startMetricsServer>> | null = null;
  if (role === 'worker' && opts.metricsPort != null) {
    const ctx = { deps, worker, fakeClock, devSmtp: config.devSmtp, version: VERSION, adminToken };
    metricsServer = await startMetricsServer(ctx, { port: opts.metricsPort, host: opts.metricsHost ?? 'localhost' });
  }
  worker?.start();
  const inboxWatchers = worker && opts.inboxWatch !== null ? createInboxWatchers(deps, { worker: worker.id, ...opts.inboxWatch }) : null;

  return {
    deps,
    db,
    app,
    worker,
    inboxWatchers,
    fakeClock,
    devMail,
    url,
    metricsUrl: metricsServer?.url ?? null,
    createdAdminToken,
    createdSecretKeyFile,
    async close() {
      await app?.close();
      await metricsServer?.app.close();
      await inboxWatchers?.stop();
      await worker?.stop();
      await devMail?.close();
      await smtp.close();
      await renderer.close();
      metrics.close();
      await db.close();
    },
  };
}
