#!/usr/bin/env node
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { VERSION, openStore, startSeqflow, type Seqflow } from '../server.js';
import { describeSettings, formatSettings } from '../config/config.js';
import { DEMO_START, demoLinks, runDemo, runDemoInProcess } from './demo.js';
import { registerTokenCommands } from './commands/token.js';
import { registerSecretCommands } from './commands/secrets.js';
import { registerImportCommand } from './commands/import.js';
import { registerOAuthCommands } from './commands/oauth.js';
import { settingsOf, withSettingFlags } from './settings-flags.js';
import { useLeanHeap } from './lean-heap.js';

const program = new Command()
  .name('seqflow')
  .description('Self-hosted sales sequences and workflows, HubSpot-compatible.')
  .version(VERSION);

/** Cleanup that would still be running this long after the grace period is abandoned: the process exits anyway. */
const CLEANUP_MS = 10_000;

/**
 * SIGTERM (systemd, a container runtime) and SIGINT (Ctrl-C) stop gracefully: see Seqflow.close.
 * A second signal exits at once. Work still under way after the grace period is left to its
 * lease, exactly as if the process had been killed: another worker settles it.
 */
function stopOnSignals(sf: Seqflow, graceMs: number): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      console.error(`${signal} again: exiting without waiting.`);
      process.exit(128 + (os.constants.signals[signal] ?? 15));
    }
    stopping = true;
    console.log(`${signal}: stopping; work under way may take up to ${graceMs} ms (${signal} again exits at once).`);
    setTimeout(() => {
      console.error(`Still stopping ${CLEANUP_MS} ms after the grace period; exiting.`);
      process.exit(1);
    }, graceMs + CLEANUP_MS).unref();
    sf.close({ graceMs }).then(
      ({ released, abandoned }) => {
        const worker = sf.worker ? `: ${released} claimed item${released === 1 ? '' : 's'} handed back, ${abandoned} left under way` : '';
        console.log(`Stopped${worker}.`);
        process.exit(0);
      },
      (err) => {
        console.error('Stopping failed:', err instanceof Error ? err.message : err);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}

withSettingFlags(program.command('start'), 'start')
  .description('serve the API and run the worker (and the dev mail server)')
  .action(async (_o, cmd: Command) => {
    const loaded = settingsOf(cmd);
    const s = loaded.values;
    if (s.demo && (s.role !== 'all' || !s.devSmtp)) program.error('--demo needs --role all and the dev mail server');
    useLeanHeap(s.leanHeap);
    const sf = await startSeqflow({ settings: s, fakeClockStart: s.fakeClock === undefined && s.demo ? DEMO_START : undefined });
    const lines = [`Seqflow ${VERSION} (${[sf.db.dialect, sf.fakeClock && 'fake clock', s.leanHeap && 'lean heap'].filter(Boolean).join(', ')})`];
    if (sf.url) lines.push(`  API      ${sf.url}   health: ${sf.url}/seqflow/v1/health`);
    if (sf.devMail) lines.push(`  Dev SMTP ${sf.devMail.host}:${sf.devMail.port}  (inboxes with provider "dev" send here)`);
    if (sf.worker) lines.push(`  Worker   ${sf.worker.id}`);
    if (sf.createdAdminToken) lines.push(`  Admin token (saved in ${path.join(s.dataDir, 'admin-token')}): ${sf.createdAdminToken}`);
    if (sf.createdSecretKeyFile) lines.push(`  Secret key generated in ${sf.createdSecretKeyFile}: back it up; every process sharing this database needs it (SEQFLOW_SECRET_KEY)`);
    // Printed to stdout on purpose: scripts and tests wait for this line.
    console.log(lines.join('\n'));
    stopOnSignals(sf, s.shutdownGraceMs);
    if (s.demo) {
      const tokenFile = path.join(s.dataDir, 'admin-token');
      const token = s.adminToken || sf.createdAdminToken || (fs.existsSync(tokenFile) ? fs.readFileSync(tokenFile, 'utf8').trim() : '');
      if (!token) program.error('--demo needs an admin token: set SEQFLOW_ADMIN_TOKEN');
      console.log('');
      const result = await runDemo({ baseUrl: sf.url!, token, print: (line) => console.log(line) });
      console.log(['', ...demoLinks(sf.url!, result, token === s.adminToken ? '$SEQFLOW_ADMIN_TOKEN' : token)].join('\n'));
    }
  });

program
  .command('demo')
  .description('play the demo on a throwaway server: a form, a workflow and a sequence, a week in seconds')
  .action(async (_o, cmd: Command) => {
    await runDemoInProcess((line) => console.log(line), settingsOf(cmd));
    process.exit(0);
  });

withSettingFlags(program.command('worker'), 'worker')
  .description('run only the due-work loop (PostgreSQL: run as many as you like)')
  .action(async (_o, cmd: Command) => {
    const s = settingsOf(cmd).values;
    useLeanHeap(s.leanHeap);
    const sf = await startSeqflow({ settings: s, role: 'worker', devSmtpPort: null });
    console.log(`Seqflow worker ${sf.worker!.id} on ${sf.db.dialect}${s.leanHeap ? ', lean heap' : ''}${sf.metricsUrl ? `, metrics at ${sf.metricsUrl}/metrics` : ''}`);
    stopOnSignals(sf, s.shutdownGraceMs);
  });

withSettingFlags(program.command('migrate'), 'migrate')
  .description('bring the database schema up to date')
  .action(async (_o, cmd: Command) => {
    const s = settingsOf(cmd).values;
    const db = await openStore(s);
    console.log(`Schema is up to date (${db.dialect}).`);
    await db.close();
  });

withSettingFlags(program.command('config'), 'config')
  .description('print the effective configuration, secrets masked, and where each value comes from (flag, env or default)')
  .option('--json', 'print it as JSON')
  .action((o: { json?: boolean }, cmd: Command) => {
    const loaded = settingsOf(cmd);
    console.log(o.json ? JSON.stringify(describeSettings(loaded), null, 2) : formatSettings(loaded));
  });

registerTokenCommands(program);
registerSecretCommands(program);
registerImportCommand(program);
registerOAuthCommands(program);

program.parseAsync().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
