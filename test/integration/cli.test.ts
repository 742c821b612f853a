import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli, type CliProcess } from '../support/processes.js';

const running: CliProcess[] = [];
afterEach(async () => {
  for (const p of running.splice(0)) await p.kill();
});

async function start(args: string[]) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'seqflow-cli-'));
  const p = runCli(['start', '--port', '0', '--host', '127.0.0.1', '--dev-smtp-port', '0', '--data-dir', dataDir, ...args], { SEQFLOW_ADMIN_TOKEN: '' });
  running.push(p);
  await p.waitFor(/Admin token/);
  const url = /API\s+(http:\/\/\S+)/.exec(p.output())![1];
  const token = fs.readFileSync(path.join(dataDir, 'admin-token'), 'utf8').trim();
  return { p, url, token, dataDir };
}

describe('seqflow start', () => {
  it('should serve health and create a first admin token when started with no configuration', async () => {
    const { url, token, dataDir } = await start([]);
    const health = await (await fetch(`${url}/seqflow/v1/health`)).json();
    expect(health).toMatchObject({ status: 'ok', version: expect.any(String), database: 'sqlite', devSmtp: { host: '127.0.0.1', port: expect.any(Number) } });
    expect(fs.existsSync(path.join(dataDir, 'seqflow.db'))).toBe(true);
    const owners = await fetch(`${url}/crm/v3/owners/`, { headers: { authorization: `Bearer ${token}` } });
    expect(owners.status).toBe(200);
    expect((await fetch(`${url}/crm/v3/owners/`)).status).toBe(401);
    // The clock endpoints exist only with --fake-clock.
    expect((await fetch(`${url}/seqflow/v1/clock`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(404);
  });

  it('should move time only through the API when started with --fake-clock', async () => {
    const { url, token } = await start(['--fake-clock', '2026-03-02T09:00:00Z']);
    const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    expect(await (await fetch(`${url}/seqflow/v1/clock`, { headers: auth })).json()).toEqual({ now: '2026-03-02T09:00:00.000Z' });
    const advanced = await fetch(`${url}/seqflow/v1/clock/advance`, { method: 'POST', headers: auth, body: JSON.stringify({ ms: 3_600_000 }) });
    expect(await advanced.json()).toEqual({ now: '2026-03-02T10:00:00.000Z' });
  });

  it('should bring an empty database up to date when running migrate', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'seqflow-cli-'));
    const p = runCli(['migrate', '--data-dir', dataDir]);
    running.push(p);
    await p.waitFor(/Schema is up to date \(sqlite\)/);
    expect(fs.existsSync(path.join(dataDir, 'seqflow.db'))).toBe(true);
  });
});

describe('seqflow configuration', () => {
  it('should refuse to start and name the variable when an environment variable has a bad value', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'seqflow-cli-'));
    const p = runCli(['start', '--port', '0', '--host', '127.0.0.1', '--dev-smtp-port', '0', '--data-dir', dataDir], { SEQFLOW_FORM_RATE_LIMIT: 'abc', SEQFLOW_LEASE_MS: '20s' });
    running.push(p);
    expect(await p.exit).toEqual({ code: 1, signal: null });
    expect(p.output()).toContain("SEQFLOW_FORM_RATE_LIMIT must be a whole number ≥ 0, got 'abc'");
    expect(p.output()).toContain("SEQFLOW_LEASE_MS must be a whole number ≥ 100, got '20s'");
    expect(p.output()).not.toMatch(/API\s+http/);
    expect(fs.existsSync(path.join(dataDir, 'seqflow.db'))).toBe(false);
  });

  it('should print every setting with its source and the secrets masked when running config', async () => {
    const p = runCli(['config', '--port', '8080'], {
      DATABASE_URL: 'postgres://seqflow:hunter2@db.internal:5432/seqflow',
      SEQFLOW_ADMIN_TOKEN: 'sf-admin-topsecret',
      SEQFLOW_TIMEZONE: 'Europe/Warsaw',
    });
    running.push(p);
    expect(await p.exit).toEqual({ code: 0, signal: null });
    const out = p.output();
    expect(out).toMatch(/^SEQFLOW_PORT, --port\s+8080\s+flag$/m);
    expect(out).toMatch(/^SEQFLOW_TIMEZONE\s+Europe\/Warsaw\s+env$/m);
    expect(out).toMatch(/^DATABASE_URL, --database\s+postgres:\/\/seqflow:\*\*\*\*@db\.internal:5432\/seqflow\s+env$/m);
    expect(out).toMatch(/^SEQFLOW_ADMIN_TOKEN\s+\*\*\*\*\s+env$/m);
    expect(out).toMatch(/^SEQFLOW_HOST, --host\s+localhost\s+default$/m);
    // The test environment sets SEQFLOW_SECRET_KEY (vitest.config.ts).
    expect(out).toMatch(/^SEQFLOW_SECRET_KEY\s+\*\*\*\*\s+env$/m);
    for (const secret of ['hunter2', 'topsecret', process.env.SEQFLOW_SECRET_KEY!]) expect(out).not.toContain(secret);
  });
});
