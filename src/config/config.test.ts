import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigError, describeSettings, formatSettings, loadSettings, withSettingsTable } from './config.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const KEY = 'c2VxZmxvdy10ZXN0LWtleS1ub3QtYS1zZWNyZXQtISE';
const OLD_KEY = 'b2xkLWtleS1vbGQta2V5LW9sZC1rZXktb2xkLWtleSE';

const problemsOf = (f: () => unknown): string[] => {
  try {
    f();
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  throw new Error('expected a ConfigError');
};

describe('loadSettings', () => {
  it('should give every default when nothing is set', () => {
    const { values, sources } = loadSettings({ env: {} });
    expect(values).toMatchObject({ port: 3000, host: 'localhost', role: 'all', devSmtp: true, devSmtpPort: 2525, leaseMs: 20_000, accountTimeZone: 'UTC', formSubmissionsPer10s: 100, apiRateLimit10s: 190, searchRateLimit1s: 4, allowPrivateMailHosts: true, logLevel: 'info', secretKeyPrevious: [] });
    expect(values.dataDir).toBe(path.resolve('seqflow-data'));
    expect(values.databaseUrl).toBeUndefined();
    expect(new Set(Object.values(sources))).toEqual(new Set(['default']));
  });

  it('should stop with a message naming the variable when SEQFLOW_FORM_RATE_LIMIT is not a number', () => {
    expect(() => loadSettings({ env: { SEQFLOW_FORM_RATE_LIMIT: 'abc' } })).toThrow("SEQFLOW_FORM_RATE_LIMIT must be a whole number ≥ 0, got 'abc'");
  });

  it('should report every bad value at once, each by the name it was given under, when several are wrong', () => {
    const problems = problemsOf(() =>
      loadSettings({ env: { SEQFLOW_PORT: '80', SEQFLOW_RATE_LIMIT_10S: '1.5', SEQFLOW_ROLE: 'boss', SEQFLOW_LEASE_MS: '2e4' }, flags: { port: '70000', devSmtpPort: '-1' } }),
    );
    expect(problems).toEqual([
      "--port must be a whole number from 0 to 65535, got '70000'",
      "SEQFLOW_ROLE must be all, api or worker, got 'boss'",
      "--dev-smtp-port must be a whole number from 0 to 65535, got '-1'",
      "SEQFLOW_LEASE_MS must be a whole number ≥ 100, got '2e4'",
      "SEQFLOW_RATE_LIMIT_10S must be a whole number ≥ 0, got '1.5'",
    ]);
  });

  it('should take the flag over the variable and the variable over the default when a setting is given twice', () => {
    const { values, sources } = loadSettings({ env: { SEQFLOW_PORT: '9090', SEQFLOW_HOST: '0.0.0.0' }, flags: { port: '8080' } });
    expect([values.port, sources.port]).toEqual([8080, 'flag']);
    expect([values.host, sources.host]).toEqual(['0.0.0.0', 'env']);
    expect([values.role, sources.role]).toEqual(['all', 'default']);
  });

  it('should treat an empty variable as unset when the environment has one', () => {
    const { values, sources } = loadSettings({ env: { DATABASE_URL: '', SEQFLOW_ADMIN_TOKEN: '  ', SEQFLOW_PORT: '' } });
    expect(values.databaseUrl).toBeUndefined();
    expect(values.adminToken).toBeUndefined();
    expect([values.port, sources.port]).toEqual([3000, 'default']);
  });

  it('should parse switches from the command line and words from the environment when a setting is boolean', () => {
    expect(loadSettings({ env: {}, flags: { devSmtp: false } }).values.devSmtp).toBe(false);
    for (const [text, value] of [['false', false], ['0', false], ['off', false], ['YES', true], ['1', true]] as const) {
      expect(loadSettings({ env: { SEQFLOW_ALLOW_PRIVATE_MAIL_HOSTS: text } }).values.allowPrivateMailHosts).toBe(value);
    }
    expect(problemsOf(() => loadSettings({ env: { SEQFLOW_ALLOW_PRIVATE_MAIL_HOSTS: 'maybe' } }))).toEqual([
      "SEQFLOW_ALLOW_PRIVATE_MAIL_HOSTS must be true or false (or 1/0, yes/no, on/off), got 'maybe'",
    ]);
  });

  it('should take an ISO time or now when --fake-clock is given', () => {
    expect(loadSettings({ env: {}, flags: { fakeClock: '2026-03-02T09:00:00Z' } }).values.fakeClock).toBe(Date.parse('2026-03-02T09:00:00Z'));
    expect(loadSettings({ env: {}, flags: { fakeClock: true } }).values.fakeClock).toBe('now');
    expect(problemsOf(() => loadSettings({ env: {}, flags: { fakeClock: 'tuesday' } }))[0]).toMatch(/^--fake-clock must be an ISO-8601 time/);
  });

  it('should refuse an unknown zone and a URL that is not http when SEQFLOW_TIMEZONE and SEQFLOW_PUBLIC_URL are read', () => {
    expect(problemsOf(() => loadSettings({ env: { SEQFLOW_TIMEZONE: 'Europe/Warsow', SEQFLOW_PUBLIC_URL: 'seqflow.example.com' } }))).toEqual([
      "SEQFLOW_PUBLIC_URL must be an http:// or https:// URL, got 'seqflow.example.com'",
      "SEQFLOW_TIMEZONE must be an IANA time zone such as Europe/Warsaw or UTC, got 'Europe/Warsow'",
    ]);
  });

  it('should refuse a DATABASE_URL that is not PostgreSQL without echoing its password when the URL has one', () => {
    const problems = problemsOf(() => loadSettings({ env: { DATABASE_URL: 'mysql://app:hunter2@db/seqflow' } }));
    expect(problems).toEqual(["DATABASE_URL must be a postgres:// URL (leave it unset for SQLite), got 'mysql://app:****@db/seqflow'"]);
  });

  it('should name a malformed key without showing it when SEQFLOW_SECRET_KEY or SEQFLOW_SECRET_KEY_PREVIOUS is wrong', () => {
    const problems = problemsOf(() => loadSettings({ env: { SEQFLOW_SECRET_KEY: 'too-short-secret', SEQFLOW_SECRET_KEY_PREVIOUS: `${OLD_KEY}, also-short-secret` } }));
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^SEQFLOW_SECRET_KEY must be 32 random bytes/);
    expect(problems[1]).toMatch(/^SEQFLOW_SECRET_KEY_PREVIOUS must be 32 random bytes/);
    expect(problems.join('\n')).not.toMatch(/short-secret/);
    expect(loadSettings({ env: { SEQFLOW_SECRET_KEY_PREVIOUS: ` ${OLD_KEY} ,, ${KEY}` } }).values.secretKeyPrevious).toEqual([OLD_KEY, KEY]);
  });
});

describe('printing the configuration', () => {
  it('should mask the keys, the admin token and the database password and say where each value came from when printed', () => {
    const loaded = loadSettings({
      env: { DATABASE_URL: 'postgres://seqflow:hunter2@db.internal:5432/seqflow', SEQFLOW_SECRET_KEY: KEY, SEQFLOW_SECRET_KEY_PREVIOUS: OLD_KEY, SEQFLOW_ADMIN_TOKEN: 'sf-admin-topsecret', SEQFLOW_TIMEZONE: 'Europe/Warsaw' },
      flags: { port: '8080' },
    });
    const rows = Object.fromEntries(describeSettings(loaded).map((r) => [r.key, r]));
    expect(rows.databaseUrl).toMatchObject({ value: 'postgres://seqflow:****@db.internal:5432/seqflow', source: 'env', secret: true });
    expect(rows.secretKey).toMatchObject({ value: '****', source: 'env' });
    expect(rows.secretKeyPrevious).toMatchObject({ value: '**** (1 key)', source: 'env' });
    expect(rows.adminToken).toMatchObject({ value: '****', source: 'env' });
    expect(rows.port).toMatchObject({ value: '8080', source: 'flag', env: 'SEQFLOW_PORT', flag: '--port' });
    expect(rows.accountTimeZone).toMatchObject({ value: 'Europe/Warsaw', source: 'env' });
    expect(rows.publicUrl).toMatchObject({ value: '(unset: http://localhost:<port>)', source: 'default' });
    const text = formatSettings(loaded);
    for (const secret of ['hunter2', KEY, OLD_KEY, 'topsecret']) expect(text).not.toContain(secret);
    expect(text).toMatch(/^SEQFLOW_PORT, --port\s+8080\s+flag$/m);
  });
});

describe('the README', () => {
  it('should show exactly the generated settings table when README.md is read', () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    // On a mismatch: npm run docs:config
    expect(readme).toBe(withSettingsTable(readme));
  });
});

describe('one config module', () => {
  it('should read process.env only in src/config when the server sources are scanned', () => {
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const file = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(file);
        else if (/\.ts$/.test(entry.name) && !/\.test\.ts$/.test(entry.name) && /process\.env/.test(fs.readFileSync(file, 'utf8'))) offenders.push(path.relative(ROOT, file));
      }
    };
    walk(path.join(ROOT, 'src'));
    expect(offenders.filter((f) => !f.startsWith(`src${path.sep}config${path.sep}`))).toEqual([]);
  });
});
