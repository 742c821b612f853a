import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { compiledCli, eventually, ROOT, runCli, type CliProcess } from '../support/processes.js';

/**
 * The entry points an operator (or the Dockerfile) uses, as real processes: the compiled
 * bin/seqflow.js of a checkout, and a production install of the packed package — its
 * dependencies without the dev ones, so no TypeScript, no tsx, no Vite.
 */
const run = promisify(execFile);
const running: CliProcess[] = [];
const temp: string[] = [];
afterEach(async () => {
  for (const p of running.splice(0)) await p.kill('SIGKILL');
  for (const d of temp.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
const tempDir = (prefix: string) => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  temp.push(d);
  return d;
};

/** `seqflow start` through a bin/seqflow.js, on SQLite with nothing configured but ports. */
async function start(bin: string, cwd: string, flags: string[] = []) {
  const dataDir = tempDir('seqflow-built-');
  // An empty variable counts as unset: whatever the test's environment says, zero configuration.
  const p = runCli(['start', '--port', '0', '--host', '127.0.0.1', '--dev-smtp-port', '0', '--data-dir', dataDir, ...flags], { SEQFLOW_ADMIN_TOKEN: '', DATABASE_URL: '' }, { bin, cwd });
  running.push(p);
  await p.waitFor(/Admin token/, 60_000);
  const url = /API\s+(http:\/\/\S+)/.exec(p.output())![1];
  const token = fs.readFileSync(path.join(dataDir, 'admin-token'), 'utf8').trim();
  return { p, url, token };
}

/** One email through the API and the dev mail server: a template rendered on the render threads, sent by the worker. */
async function sendOneEmail(url: string, token: string) {
  const call = async (method: string, route: string, body?: unknown) => {
    const r = await fetch(`${url}${route}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    const json = await r.json();
    if (!r.ok) throw new Error(`${method} ${route}: ${r.status} ${JSON.stringify(json)}`);
    return json;
  };
  const user = await call('POST', '/settings/v3/users/', { email: 'rita@acme.test', firstName: 'Rita', lastName: 'Rep', seat: 'sales_professional', timezone: 'Europe/Warsaw' });
  await call('POST', `/seqflow/v1/users/${user.id}/inboxes`, { address: 'rita@acme.test', provider: 'dev' });
  const sequence = await call('POST', '/seqflow/v1/sequences', {
    name: 'Follow-up',
    userId: Number(user.id),
    settings: { eligibleFollowUpDays: 'EVERYDAY', sendWindowStartMinute: 0, sendWindowEndMinute: 1440 },
    steps: [{ type: 'EMAIL', delayMillis: 0, subject: 'Hi {{ contact.firstname | default: "there" }}', body: '<p>Thanks, {{ contact.firstname }}.</p>' }],
  });
  const contact = await call('POST', '/crm/v3/objects/contacts', { properties: { email: 'lena@example.com', firstname: 'Lena' } });
  await call('POST', `/automation/v4/sequences/enrollments?userId=${user.id}`, { contactId: String(contact.id), sequenceId: String(sequence.id), senderEmail: 'rita@acme.test' });
  const [message] = await eventually(async () => {
    const { results } = await call('GET', '/seqflow/v1/dev-mail/messages');
    return results.length > 0 && results;
  });
  return message as { subject: string; to: string[] };
}

/** SIGTERM, and how long until the process is gone. */
async function stop(p: CliProcess) {
  const t0 = Date.now();
  p.child.kill('SIGTERM');
  const exit = await p.exit;
  return { ...exit, ms: Date.now() - t0 };
}

describe('the compiled server', () => {
  it('should serve health, send a rendered email and exit 0 promptly when bin/seqflow runs and gets SIGTERM', async () => {
    const { p, url, token } = await start(compiledCli(), ROOT);
    const health = await (await fetch(`${url}/seqflow/v1/health`)).json();
    expect(health).toMatchObject({ status: 'ok', database: 'sqlite' });
    // Rendering runs on worker threads: from dist/ they must load the compiled .js thread module.
    expect(await sendOneEmail(url, token)).toMatchObject({ subject: 'Hi Lena' });

    const exit = await stop(p);
    // The signal reached the server itself (not a wrapper that dies and leaves it running).
    expect(exit).toMatchObject({ code: 0, signal: null });
    expect(exit.ms).toBeLessThan(10_000);
    expect(p.output()).toMatch(/SIGTERM: stopping/);
    await expect(fetch(`${url}/seqflow/v1/health`)).rejects.toThrow();
  }, 90_000);

  it('should say so and still render and send when started with --lean-heap', async () => {
    const { p, url, token } = await start(compiledCli(), ROOT, ['--lean-heap']);
    expect(p.output()).toMatch(/Seqflow \S+ \(sqlite, lean heap\)/);
    // The flag is the whole process's, render threads included.
    expect(await sendOneEmail(url, token)).toMatchObject({ subject: 'Hi Lena' });
    expect(await stop(p)).toMatchObject({ code: 0, signal: null });
  }, 90_000);
});

describe('a production install', () => {
  it('should serve the API and the web app and send an email when the packed package is installed without dev dependencies', async () => {
    compiledCli();
    if (!fs.existsSync(path.join(ROOT, 'web', 'dist', 'index.html'))) throw new Error('web/dist is not built: run `npm run build:web` (npm install does it)');
    const dir = tempDir('seqflow-pack-');
    // The build is fresh (checked above), so pack's own prepare (a full rebuild) is skipped.
    const packed = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { cwd: ROOT });
    const [{ filename, files }] = JSON.parse(packed.stdout) as { filename: string; files: { path: string }[] }[];
    const shipped = files.map((f) => f.path);
    expect(shipped).toEqual(expect.arrayContaining(['bin/seqflow.js', 'dist/cli/main.js', 'dist/engine/template-render-thread.js', 'web/dist/index.html', 'scripts/prepare.js']));
    expect(shipped.filter((f) => f.startsWith('src/') || f.startsWith('test/'))).toEqual([]);

    // As the Dockerfile's runtime stage does: the package, its lockfile, `npm ci --omit=dev`.
    await run('tar', ['-xzf', path.join(dir, filename), '-C', dir]);
    const app = path.join(dir, 'package');
    fs.copyFileSync(path.join(ROOT, 'package-lock.json'), path.join(app, 'package-lock.json'));
    // better-sqlite3 has no download here (only the npm registry is reachable): its installer
    // takes the checkout's compiled addon as a local prebuild instead of compiling SQLite again.
    const prebuilds = path.join(dir, 'prebuilds');
    fs.mkdirSync(prebuilds);
    const sqlite = JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules/better-sqlite3/package.json'), 'utf8')) as { version: string };
    const prebuild = `better-sqlite3-v${sqlite.version}-node-v${process.versions.modules}-${process.platform}-${process.arch}.tar.gz`;
    await run('tar', ['-czf', path.join(prebuilds, prebuild), 'build/Release/better_sqlite3.node'], { cwd: path.join(ROOT, 'node_modules/better-sqlite3') });
    const install = await run('npm', ['ci', '--omit=dev', '--no-audit', '--no-fund', '--prefer-offline', '--foreground-scripts'], {
      cwd: app,
      env: { ...process.env, npm_config_better_sqlite3_local_prebuilds: prebuilds },
      maxBuffer: 16 * 1024 * 1024,
    });
    // prepare ran and found no build tools, so it used the build in the package.
    expect(install.stdout).toMatch(/no dev dependencies here/);
    for (const dev of ['typescript', 'tsx', 'vite', 'vitest', 'react']) expect(fs.existsSync(path.join(app, 'node_modules', dev)), dev).toBe(false);

    const { p, url, token } = await start(path.join(app, 'bin', 'seqflow.js'), app);
    expect((await fetch(`${url}/seqflow/v1/health`)).status).toBe(200);
    const page = await (await fetch(`${url}/`)).text();
    expect(page).toMatch(/<div id="root"><\/div>/);
    expect(await sendOneEmail(url, token)).toMatchObject({ subject: 'Hi Lena' });
    expect(await stop(p)).toMatchObject({ code: 0, signal: null });
  }, 180_000);
});
