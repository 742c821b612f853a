#!/usr/bin/env node
import fs from 'node:fs';
import path from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { DateTime } from 'luxon';
import { VERSION, defaultDataDir, openStore, startSeqflow } from '../server.js';
import { DEMO_START, demoLinks, runDemo, runDemoInProcess } from './demo.js';
import { registerTokenCommands } from './commands/token.js';
import { registerSecretCommands } from './commands/secrets.js';

const port = (v: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('a port is a number from 0 to 65535');
  return n;
};
const instant = (v: string): number => {
  const t = DateTime.fromISO(v, { zone: 'utc' });
  if (!t.isValid) throw new InvalidArgumentError('give an ISO-8601 time such as 2026-03-02T09:00:00Z');
  return t.toMillis();
};

const program = new Command()
  .name('seqflow')
  .description('Self-hosted sales sequences and workflows, HubSpot-compatible.')
  .version(VERSION);

const withStorage = (cmd: Command) =>
  cmd
    .option('--data-dir <dir>', 'where the SQLite file and the admin token live', defaultDataDir())
    .option('--database <url>', 'postgres://… to use PostgreSQL (or set DATABASE_URL)');

withStorage(program.command('start'))
  .description('serve the API and run the worker (and the dev mail server)')
  .option('--port <n>', 'HTTP port (0 = any free port)', port, 3000)
  .option('--host <host>', 'address to listen on', 'localhost')
  .option('--fake-clock [start]', 'time moves only through POST /seqflow/v1/clock/advance (optional ISO start)')
  .option('--dev-smtp-port <n>', 'port of the built-in dev mail server (0 = any free port)', port, 2525)
  .option('--no-dev-smtp', 'do not run the dev mail server')
  .option('--role <role>', 'all | api | worker', 'all')
  .option('--lease-ms <ms>', 'how long a worker holds claimed work', (v) => Number(v))
  .option('--demo', 'load the demo (rep, sequence, form, workflow), play it on the fake clock (Mon 2 Mar 2026 unless --fake-clock says otherwise), keep serving')
  .action(async (o) => {
    if (!['all', 'api', 'worker'].includes(o.role)) program.error('--role must be all, api or worker');
    if (o.demo && (o.role !== 'all' || o.devSmtp === false)) program.error('--demo needs --role all and the dev mail server');
    const fake = o.fakeClock === undefined ? (o.demo ? DEMO_START : undefined) : o.fakeClock === true ? Date.now() : instant(o.fakeClock);
    const sf = await startSeqflow({
      port: o.port,
      host: o.host,
      dataDir: o.dataDir,
      databaseUrl: o.database,
      fakeClockStart: fake,
      devSmtpPort: o.devSmtp === false ? null : o.devSmtpPort,
      role: o.role,
      leaseMs: o.leaseMs,
    });
    const lines = [`Seqflow ${VERSION} (${sf.db.dialect}${sf.fakeClock ? ', fake clock' : ''})`];
    if (sf.url) lines.push(`  API      ${sf.url}   health: ${sf.url}/seqflow/v1/health`);
    if (sf.devMail) lines.push(`  Dev SMTP ${sf.devMail.host}:${sf.devMail.port}  (inboxes with provider "dev" send here)`);
    if (sf.worker) lines.push(`  Worker   ${sf.worker.id}`);
    if (sf.createdAdminToken) lines.push(`  Admin token (saved in ${o.dataDir}/admin-token): ${sf.createdAdminToken}`);
    if (sf.createdSecretKeyFile) lines.push(`  Secret key generated in ${sf.createdSecretKeyFile}: back it up; every process sharing this database needs it (SEQFLOW_SECRET_KEY)`);
    // Printed to stdout on purpose: scripts and tests wait for this line.
    console.log(lines.join('\n'));
    const stop = async () => {
      await sf.close();
      process.exit(0);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    if (o.demo) {
      const tokenFile = path.join(o.dataDir, 'admin-token');
      const token = process.env.SEQFLOW_ADMIN_TOKEN || sf.createdAdminToken || (fs.existsSync(tokenFile) ? fs.readFileSync(tokenFile, 'utf8').trim() : '');
      if (!token) program.error('--demo needs an admin token: set SEQFLOW_ADMIN_TOKEN');
      console.log('');
      const result = await runDemo({ baseUrl: sf.url!, token, print: (line) => console.log(line) });
      console.log(['', ...demoLinks(sf.url!, result, token === process.env.SEQFLOW_ADMIN_TOKEN ? '$SEQFLOW_ADMIN_TOKEN' : token)].join('\n'));
    }
  });

program
  .command('demo')
  .description('play the demo on a throwaway server: a form, a workflow and a sequence, a week in seconds')
  .action(async () => {
    await runDemoInProcess((line) => console.log(line));
    process.exit(0);
  });

withStorage(program.command('worker'))
  .description('run only the due-work loop (PostgreSQL: run as many as you like)')
  .option('--lease-ms <ms>', 'how long a worker holds claimed work', (v) => Number(v))
  .option('--watch-lease-ms <ms>', 'how long a worker holds an inbox it watches (another takes over after it dies)', (v) => Number(v))
  .option('--metrics-port <n>', 'serve GET /metrics (bearer token with seqflow.metrics) on this port (0 = any free port)', port)
  .option('--metrics-host <host>', 'address the metrics port listens on', 'localhost')
  .action(async (o) => {
    const sf = await startSeqflow({
      dataDir: o.dataDir,
      databaseUrl: o.database,
      role: 'worker',
      leaseMs: o.leaseMs,
      devSmtpPort: null,
      metricsPort: o.metricsPort,
      metricsHost: o.metricsHost,
      ...(o.watchLeaseMs && { inboxWatch: { leaseMs: o.watchLeaseMs, watcher: { pollMs: 1000, autoIdleDelayMs: 500, backoff: { initialMs: 200, maxMs: 2000 } } } }),
    });
    console.log(`Seqflow worker ${sf.worker!.id} on ${sf.db.dialect}${sf.metricsUrl ? `, metrics at ${sf.metricsUrl}/metrics` : ''}`);
    const stop = async () => {
      await sf.close();
      process.exit(0);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });

withStorage(program.command('migrate'))
  .description('bring the database schema up to date')
  .action(async (o) => {
    const db = await openStore({ dataDir: o.dataDir, databaseUrl: o.database });
    console.log(`Schema is up to date (${db.dialect}).`);
    await db.close();
  });

registerTokenCommands(program);
registerSecretCommands(program);

program.parseAsync().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
