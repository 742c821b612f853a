import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { apiRoutes } from '../../src/http/openapi.js';
import { ROUTES, routeDoc } from '../../src/http/scopes.js';
import { dialectCases, type TestDatabase } from '../support/databases.js';
import { startHarness, type Harness } from '../support/harness.js';

/**
 * API tokens, scopes, HubSpot's rate limits and the OpenAPI document (PRODUCT §7,
 * hubspot-api.md §0, §3.1–3.2, §4).
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '..', '..');

/** Starts a harness with these environment variables set while the app is built. */
async function withEnv<T>(env: Record<string, string>, fn: () => Promise<T>): Promise<T> {
  const before = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  try {
    return await fn();
  } finally {
    for (const [k, v] of Object.entries(before)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

describe.each(dialectCases)('API tokens, scopes and rate limits on $dialect', ({ create, skip }) => {
  let h: Harness;
  const extra: Harness[] = [];
  beforeEach(async (ctx) => {
    if (skip) return ctx.skip();
    h = await startHarness(await create());
  });
  afterEach(async () => {
    for (const x of extra.splice(0)) await x.close();
    await h?.close();
  });

  const newToken = async (scopes: string[], name = 'integration', harness = h) => {
    const r = await harness.api('POST', '/seqflow/v1/tokens', { name, scopes });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body as { id: string; name: string; scopes: string[]; token: string };
  };

  it('should create a token shown once, list it without secrets and revoke it when an admin manages tokens', async () => {
    const created = await h.api('POST', '/seqflow/v1/tokens', { name: 'crm sync', scopes: ['crm.objects.contacts.read', 'crm.objects.contacts.write'] });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: expect.any(String), name: 'crm sync', scopes: ['crm.objects.contacts.read', 'crm.objects.contacts.write'], token: expect.stringMatching(/^pat-[a-z0-9]+-[0-9a-f-]{36}$/) });
    const token = created.body.token as string;
    expect((await h.api('GET', '/crm/v3/objects/contacts', undefined, { token })).status).toBe(200);

    const list = await h.api('GET', '/seqflow/v1/tokens');
    expect(list.status).toBe(200);
    const listed = list.body.results.find((t: { id: string }) => t.id === created.body.id);
    expect(listed).toMatchObject({ name: 'crm sync', scopes: ['crm.objects.contacts.read', 'crm.objects.contacts.write'], createdAt: expect.any(String) });
    expect(JSON.stringify(list.body)).not.toContain(token);
    expect(JSON.stringify(list.body)).not.toContain(crypto.createHash('sha256').update(token).digest('hex'));
    expect(listed).not.toHaveProperty('token');

    const revoked = await h.api('DELETE', `/seqflow/v1/tokens/${created.body.id}`);
    expect(revoked.status).toBe(204);
    const after = await h.api('GET', '/crm/v3/objects/contacts', undefined, { token });
    expect(after.status).toBe(401);
    expect(after.body).toMatchObject({ status: 'error', category: 'INVALID_AUTHENTICATION', correlationId: expect.stringMatching(UUID) });
    expect((await h.api('GET', '/seqflow/v1/tokens')).body.results.map((t: { id: string }) => t.id)).not.toContain(created.body.id);
    expect((await h.api('DELETE', `/seqflow/v1/tokens/${created.body.id}`)).status).toBe(404);
  });

  it('should keep only a hash of the token when it is stored', async () => {
    const { token } = await newToken(['automation']);
    const rows = await h.sf.db.kysely.selectFrom('api_tokens').selectAll().execute();
    expect(JSON.stringify(rows)).not.toContain(token);
    expect(rows.map((r) => r.token_hash)).toContain(crypto.createHash('sha256').update(token).digest('hex'));
  });

  it('should answer 400 naming scopes[i] when a scope name is unknown', async () => {
    const r = await h.api('POST', '/seqflow/v1/tokens', { name: 'typo', scopes: ['crm.objects.contacts.read', 'contacts'] });
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ category: 'VALIDATION_ERROR', errors: [{ in: 'scopes[1]', message: expect.stringContaining('contacts') }] });
    expect(r.body.message).toMatch(/scopes\[1\]/);
    const empty = await h.api('POST', '/seqflow/v1/tokens', { name: 'none', scopes: [] });
    expect(empty.status).toBe(400);
    expect(empty.body.errors[0].in).toBe('scopes');
  });

  it('should answer 403 MISSING_SCOPES naming the scope when a token lacks it', async () => {
    const { token } = await newToken(['crm.objects.contacts.read']);
    expect((await h.api('POST', '/crm/v3/objects/contacts/search', {}, { token })).status).toBe(200);
    const write = await h.api('POST', '/crm/v3/objects/contacts', { properties: { email: 'no@scope.test' } }, { token });
    expect(write.status).toBe(403);
    expect(write.headers['content-type']).toMatch(/^application\/json/);
    expect(write.body).toMatchObject({ status: 'error', category: 'MISSING_SCOPES', correlationId: expect.stringMatching(UUID), context: { requiredScopes: ['crm.objects.contacts.write'] } });
    expect(write.body.message).toContain('crm.objects.contacts.write');
    // Nothing was written.
    expect((await h.api('POST', '/crm/v3/objects/contacts/search', { limit: 1 })).body.total).toBe(0);

    for (const [method, url, scope] of [
      ['GET', '/crm/v3/owners', 'crm.objects.owners.read'],
      ['GET', '/settings/v3/users', 'settings.users.read'],
      ['GET', '/automation/v4/sequences?userId=1', 'automation.sequences.read'],
      ['POST', '/automation/v4/sequences/enrollments?userId=1', 'automation.sequences.enrollments.write'],
      ['GET', '/automation/v4/flows', 'automation'],
      ['POST', '/seqflow/v1/sequences', 'seqflow.sequences.write'],
      ['GET', '/seqflow/v1/tokens', 'seqflow.admin'],
      ['POST', '/seqflow/v1/clock/advance', 'seqflow.admin'],
    ]) {
      const r = await h.api(method, url, method === 'POST' ? {} : undefined, { token });
      expect(r.status, `${method} ${url}`).toBe(403);
      expect(r.body.context.requiredScopes, `${method} ${url}`).toEqual([scope]);
    }
  });

  it('should let a seqflow.admin token mint tokens with scopes it holds but not every scope when it is not an admin', async () => {
    const { token } = await newToken(['seqflow.admin', 'automation.sequences.read']);
    const made = await h.api('POST', '/seqflow/v1/tokens', { name: 'reader', scopes: ['automation.sequences.read'] }, { token });
    expect(made.status).toBe(201);
    const all = await h.api('POST', '/seqflow/v1/tokens', { name: 'root', scopes: ['*'] }, { token });
    expect(all.status).toBe(403);
    expect(all.body).toMatchObject({ category: 'MISSING_SCOPES', errors: [{ in: 'scopes[0]' }], context: { requiredScopes: ['*'] } });
  });

  it('should answer 403 MISSING_SCOPES naming the scopes and create nothing when a token asks for scopes it does not hold', async () => {
    const { token } = await newToken(['seqflow.admin', 'crm.objects.contacts.read']);
    const before = (await h.api('GET', '/seqflow/v1/tokens')).body.results.length;
    const r = await h.api('POST', '/seqflow/v1/tokens', { name: 'wider', scopes: ['crm.objects.contacts.read', 'crm.objects.contacts.write', 'settings.users.write'] }, { token });
    expect(r.status).toBe(403);
    expect(r.headers['content-type']).toMatch(/^application\/json/);
    expect(r.body).toMatchObject({
      status: 'error',
      category: 'MISSING_SCOPES',
      correlationId: expect.stringMatching(UUID),
      context: { requiredScopes: ['crm.objects.contacts.write', 'settings.users.write'] },
      errors: [
        { in: 'scopes[1]', code: 'MISSING_SCOPES', message: expect.stringContaining('crm.objects.contacts.write') },
        { in: 'scopes[2]', code: 'MISSING_SCOPES', message: expect.stringContaining('settings.users.write') },
      ],
    });
    expect(r.body.message).toContain('crm.objects.contacts.write, settings.users.write');
    expect((await h.api('GET', '/seqflow/v1/tokens')).body.results).toHaveLength(before);
  });

  it('should answer 401 INVALID_AUTHENTICATION when the token is missing, unknown or malformed', async () => {
    for (const token of [null, 'pat-sf1-00000000-0000-0000-0000-000000000000', 'nonsense']) {
      const r = await h.api('GET', '/seqflow/v1/tokens', undefined, { token });
      expect(r.status, String(token)).toBe(401);
      expect(r.body).toMatchObject({ status: 'error', category: 'INVALID_AUTHENTICATION', message: expect.any(String), correlationId: expect.stringMatching(UUID) });
      expect(r.headers['content-type']).toMatch(/^application\/json/);
    }
  });

  it('should list exactly the registered API routes in the scope table when the app is built', async () => {
    const routes = apiRoutes(h.sf.app!);
    expect(routes.length).toBeGreaterThan(40);
    const unmapped = routes.filter((r) => !routeDoc(r.method, r.url)).map((r) => `${r.method} ${r.url}`);
    expect(unmapped, 'add these to ROUTES in src/http/scopes.ts').toEqual([]);
    const registered = new Set(routes.map((r) => `${r.method} ${r.url}`));
    const unserved = ROUTES.filter((d) => !registered.has(`${d.method} ${d.url}`)).map((d) => `${d.method} ${d.url}`);
    expect(unserved, 'ROUTES in src/http/scopes.ts lists routes nobody serves: serve them or drop them').toEqual([]);
  });

  it('should send the X-HubSpot-RateLimit headers when a token makes a request', async () => {
    const { token } = await newToken(['crm.objects.contacts.read']);
    const first = await h.api('GET', '/crm/v3/objects/contacts', undefined, { token });
    expect(first.headers).toMatchObject({
      'x-hubspot-ratelimit-max': '190',
      'x-hubspot-ratelimit-remaining': '189',
      'x-hubspot-ratelimit-interval-milliseconds': '10000',
      'x-hubspot-ratelimit-secondly': expect.any(String),
      'x-hubspot-ratelimit-secondly-remaining': expect.any(String),
    });
    const second = await h.api('GET', '/crm/v3/objects/contacts', undefined, { token });
    expect(second.headers['x-hubspot-ratelimit-remaining']).toBe('188');
    // Errors carry them too.
    const denied = await h.api('GET', '/crm/v3/owners', undefined, { token });
    expect(denied.status).toBe(403);
    expect(denied.headers['x-hubspot-ratelimit-remaining']).toBe('187');
    const search = await h.api('POST', '/crm/v3/objects/contacts/search', {}, { token });
    expect(search.headers).toMatchObject({ 'x-hubspot-ratelimit-secondly': '4', 'x-hubspot-ratelimit-secondly-remaining': '3' });
  });

  it('should answer 429 TEN_SECONDLY_ROLLING with Retry-After when a token passes its 10-second limit', async () => {
    const limited = await withEnv({ SEQFLOW_RATE_LIMIT_10S: '3' }, async () => startHarness(await create()));
    extra.push(limited);
    const { token } = await newToken(['crm.objects.contacts.read'], 'busy', limited);
    const { token: other } = await newToken(['crm.objects.contacts.read'], 'quiet', limited);
    for (let i = 0; i < 3; i++) {
      const ok = await limited.api('GET', '/crm/v3/objects/contacts', undefined, { token });
      expect(ok.status).toBe(200);
      expect(ok.headers['x-hubspot-ratelimit-max']).toBe('3');
      expect(ok.headers['x-hubspot-ratelimit-remaining']).toBe(String(2 - i));
    }
    const over = await limited.api('GET', '/crm/v3/objects/contacts', undefined, { token });
    expect(over.status).toBe(429);
    expect(over.headers['content-type']).toMatch(/^application\/json/);
    expect(over.body).toEqual({
      status: 'error',
      message: 'You have reached your ten_secondly_rolling limit.',
      errorType: 'RATE_LIMIT',
      correlationId: expect.stringMatching(UUID),
      category: 'RATE_LIMITS',
      policyName: 'TEN_SECONDLY_ROLLING',
    });
    expect(Number(over.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(over.headers['retry-after'])).toBeLessThanOrEqual(10);
    expect(over.headers['x-hubspot-ratelimit-remaining']).toBe('0');
    // The limit is per token: another token is not affected.
    expect((await limited.api('GET', '/crm/v3/objects/contacts', undefined, { token: other })).status).toBe(200);
  });

  it('should answer 429 when a token makes a fifth search within a second', async () => {
    const { token } = await newToken(['crm.objects.contacts.read']);
    const t0 = Date.now();
    const statuses: number[] = [];
    let last: Awaited<ReturnType<Harness['api']>> | undefined;
    for (let i = 0; i < 5; i++) {
      last = await h.api('POST', '/crm/v3/objects/contacts/search', {}, { token });
      statuses.push(last.status);
    }
    // The limit is a rolling second of wall-clock time; only meaningful when the five fit in it.
    if (Date.now() - t0 < 1000) {
      expect(statuses).toEqual([200, 200, 200, 200, 429]);
      expect(last!.body).toMatchObject({ category: 'RATE_LIMITS', errorType: 'RATE_LIMIT', message: 'You have reached your secondly limit.' });
      expect(last!.headers['retry-after']).toBe('1');
    }
    // Other endpoints are still open to the token.
    expect((await h.api('GET', '/crm/v3/objects/contacts', undefined, { token })).status).toBe(200);
  });

  it('should serve the OpenAPI document and a browsable /docs page without a token', async () => {
    const doc = await h.api('GET', '/seqflow/v1/openapi.json', undefined, { token: null });
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toMatch(/^3\./);
    const paths = doc.body.paths as Record<string, Record<string, { tags: string[]; summary: string; security: unknown[] }>>;
    for (const [p, method] of [
      ['/crm/v3/objects/contacts', 'post'],
      ['/crm/v3/objects/contacts/search', 'post'],
      ['/crm/v3/owners', 'get'],
      ['/settings/v3/users', 'get'],
      ['/automation/v4/sequences', 'get'],
      ['/automation/v4/sequences/enrollments', 'post'],
      ['/automation/v4/sequences/enrollments/contact/{contactId}', 'get'],
      ['/automation/v4/flows', 'post'],
      ['/seqflow/v1/tokens', 'post'],
      ['/seqflow/v1/sequences', 'post'],
    ]) {
      expect(paths[p]?.[method], `${method} ${p}`).toBeDefined();
      expect(paths[p][method].summary).toEqual(expect.any(String));
      expect(paths[p][method].security).toEqual([{ bearerAuth: [] }]);
    }
    expect(paths['/crm/v3/objects/contacts'].post.tags).toEqual(['HubSpot-compatible']);
    expect(paths['/seqflow/v1/tokens'].post.tags).toEqual(['Seqflow extension']);
    expect(paths['/seqflow/v1/health'].get.security).toEqual([]);
    expect(doc.body.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });

    const page = await h.sf.app!.inject({ method: 'GET', url: '/docs' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.body).toMatch(/swagger/i);
  });

  it('should print a working token when `seqflow token create` runs on the same database', async () => {
    const db: TestDatabase = await create();
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'seqflow-token-cli-'));
    try {
      const args = ['--import', 'tsx', path.join(ROOT, 'src/cli/main.ts'), 'token', 'create', '--name', 'cli', '--scopes', 'crm.objects.owners.read, settings.users.read', '--data-dir', dataDir];
      if (db.url) args.push('--database', db.url);
      const { stdout } = await run(process.execPath, args, { cwd: ROOT, env: { ...process.env, DATABASE_URL: '' } });
      const token = stdout.trim();
      expect(token).toMatch(/^pat-/);
      const other = await startHarness(db, { dataDir });
      extra.push(other);
      expect((await other.api('GET', '/crm/v3/owners', undefined, { token })).status).toBe(200);
      expect((await other.api('GET', '/crm/v3/objects/contacts', undefined, { token })).status).toBe(403);
      const bad = await run(process.execPath, [...args.slice(0, 7), '--scopes', 'bogus', ...args.slice(9)], { cwd: ROOT, env: { ...process.env, DATABASE_URL: '' } }).catch((e: { code: number; stderr: string }) => e);
      expect(bad).toMatchObject({ code: 1, stderr: expect.stringContaining('scopes[0]') });
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
