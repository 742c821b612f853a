import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dialectCases } from '../support/databases.js';
import { seedSender, startHarness, type Harness } from '../support/harness.js';

describe.each(dialectCases)('web sign-in on $dialect', ({ create, skip }) => {
  let h: Harness;
  beforeEach(async (ctx) => {
    if (skip) return ctx.skip();
    h = await startHarness(await create());
  });
  afterEach(async () => h?.close());

  /** As the web app's own fetch sends it: inject's Host is localhost:80, so that is our origin. */
  const SELF = 'http://localhost:80';
  const raw = (method: string, url: string, body?: unknown, cookie?: string, headers: Record<string, string> = { origin: SELF }) =>
    h.sf.app!.inject({
      method: method as 'POST',
      url,
      headers: { ...(body !== undefined && { 'content-type': 'application/json' }), ...(cookie && { cookie }), ...headers },
      ...(body !== undefined && { payload: JSON.stringify(body) }),
    });
  const cookiesOf = (res: { headers: Record<string, unknown> }) => [res.headers['set-cookie']].flat().map((c) => String(c).split(';')[0]);
  const sessionOf = (res: { headers: Record<string, unknown> }) => cookiesOf(res).find((c) => c.startsWith('seqflow_session='))!;
  const deviceOf = (res: { headers: Record<string, unknown> }) => cookiesOf(res).find((c) => c.startsWith('seqflow_device='))!;
  const ADA = { email: 'ada@acme.test', password: 'correct horse battery' };
  /** A sign-in attempt from a given client address, so the per-address limit never decides. */
  const login = (password: string, o: { ip?: string; cookie?: string; email?: string } = {}) =>
    h.sf.app!.inject({
      method: 'POST',
      url: '/seqflow/v1/auth/login',
      remoteAddress: o.ip ?? '203.0.113.1',
      headers: { 'content-type': 'application/json', origin: SELF, ...(o.cookie && { cookie: o.cookie }) },
      payload: JSON.stringify({ email: o.email ?? ADA.email, password }),
    });

  it('should create the first admin once and sign them in with an HttpOnly cookie when the account is new', async () => {
    expect((await raw('GET', '/seqflow/v1/auth/status')).json()).toMatchObject({ needsSetup: true, signedIn: false });
    const setup = await raw('POST', '/seqflow/v1/auth/setup', { email: 'ada@acme.test', password: 'correct horse battery', firstName: 'Ada' });
    expect(setup.statusCode).toBe(201);
    expect(String(setup.headers['set-cookie'])).toMatch(/seqflow_session=.+HttpOnly/i);
    const cookie = sessionOf(setup);
    const status = (await raw('GET', '/seqflow/v1/auth/status', undefined, cookie)).json();
    expect(status).toMatchObject({ needsSetup: false, signedIn: true, user: { email: 'ada@acme.test', superAdmin: true } });
    expect((await raw('GET', '/crm/v3/owners', undefined, cookie)).statusCode).toBe(200);
    const again = await raw('POST', '/seqflow/v1/auth/setup', { email: 'eve@acme.test', password: 'correct horse battery' });
    expect(again.statusCode).toBe(409);
  });

  it('should refuse a wrong password and end the session on sign-out', async () => {
    await raw('POST', '/seqflow/v1/auth/setup', { email: 'ada@acme.test', password: 'correct horse battery' });
    const wrong = await raw('POST', '/seqflow/v1/auth/login', { email: 'ada@acme.test', password: 'wrong password!' });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json()).toMatchObject({ category: 'INVALID_AUTHENTICATION' });
    const ok = await raw('POST', '/seqflow/v1/auth/login', { email: 'ADA@acme.test', password: 'correct horse battery' });
    expect(ok.statusCode).toBe(200);
    const cookie = sessionOf(ok);
    await raw('POST', '/seqflow/v1/auth/logout', undefined, cookie);
    expect((await raw('GET', '/crm/v3/owners', undefined, cookie)).statusCode).toBe(401);
  });

  it("should let a rep read their own inboxes and answer 403 naming seqflow.admin for anyone else's when they are signed in", async () => {
    const setup = await raw('POST', '/seqflow/v1/auth/setup', { email: 'ada@acme.test', password: 'correct horse battery' });
    const ada = setup.json().user.id as string;
    const rita = await seedSender(h, { email: 'rita@acme.test' });
    expect((await h.api('PUT', `/seqflow/v1/users/${rita.userId}/password`, { password: 'rita has a long secret' })).status).toBeLessThan(300);
    const cookie = sessionOf(await raw('POST', '/seqflow/v1/auth/login', { email: 'rita@acme.test', password: 'rita has a long secret' }));

    const own = await raw('GET', `/seqflow/v1/users/${rita.userId}/inboxes`, undefined, cookie);
    expect(own.statusCode).toBe(200);
    expect(own.json().results).toEqual([expect.objectContaining({ userId: String(rita.userId), address: 'rita@acme.test', status: 'connected' })]);
    const other = await raw('GET', `/seqflow/v1/users/${ada}/inboxes`, undefined, cookie);
    expect(other.statusCode).toBe(403);
    expect(other.json()).toMatchObject({ category: 'MISSING_SCOPES', context: { requiredScopes: ['seqflow.admin'] } });
    // Connecting one stays an admin's.
    const connect = await raw('POST', `/seqflow/v1/users/${rita.userId}/inboxes`, { address: 'rita2@acme.test' }, cookie);
    expect(connect.statusCode).toBe(403);
    const asAdmin = sessionOf(await raw('POST', '/seqflow/v1/auth/login', { email: 'ada@acme.test', password: 'correct horse battery' }));
    expect((await raw('GET', `/seqflow/v1/users/${rita.userId}/inboxes`, undefined, asAdmin)).statusCode).toBe(200);
  });

  it("should let a rep read their own mailbox's usage and sign-in state and start its OAuth connection, and answer 403 for anyone else's, when they are signed in", async () => {
    await raw('POST', '/seqflow/v1/auth/setup', { email: 'ada@acme.test', password: 'correct horse battery' });
    const rita = await seedSender(h, { email: 'rita@acme.test' });
    const bob = await seedSender(h, { email: 'bob@acme.test' });
    expect((await h.api('PUT', `/seqflow/v1/users/${rita.userId}/password`, { password: 'rita has a long secret' })).status).toBeLessThan(300);
    const cookie = sessionOf(await raw('POST', '/seqflow/v1/auth/login', { email: 'rita@acme.test', password: 'rita has a long secret' }));
    const refused = { category: 'MISSING_SCOPES', context: { requiredScopes: ['seqflow.admin'] } };

    const usage = await raw('GET', `/seqflow/v1/inboxes/${rita.inboxId}/usage`, undefined, cookie);
    expect(usage.statusCode).toBe(200);
    expect(usage.json()).toMatchObject({ sentLast24h: 0, dailyLimit: expect.any(Number) });
    expect((await raw('GET', `/seqflow/v1/inboxes/${bob.inboxId}/usage`, undefined, cookie)).json()).toMatchObject(refused);
    expect((await raw('GET', '/seqflow/v1/inboxes/999999/usage', undefined, cookie)).statusCode).toBe(403);
    // Her password inbox has no OAuth sign-in to show; Bob's is not hers to look at.
    expect((await raw('GET', `/seqflow/v1/inboxes/${rita.inboxId}/oauth`, undefined, cookie)).statusCode).toBe(400);
    expect((await raw('GET', `/seqflow/v1/inboxes/${bob.inboxId}/oauth`, undefined, cookie)).json()).toMatchObject(refused);
    expect((await raw('GET', '/seqflow/v1/oauth/providers', undefined, cookie)).json()).toEqual({ results: [] });
    // Starting a connection is hers to do (no provider is configured here), and never for Bob.
    const own = await raw('POST', `/seqflow/v1/users/${rita.userId}/inboxes/oauth/google/start`, {}, cookie);
    expect(own.statusCode).not.toBe(403);
    expect(own.statusCode).toBeGreaterThanOrEqual(400);
    expect((await raw('POST', `/seqflow/v1/users/${bob.userId}/inboxes/oauth/google/start`, {}, cookie)).json()).toMatchObject(refused);
  });

  it('should serve the web app for page routes and keep API 404s in HubSpot shape', async () => {
    for (const path of ['/', '/workflows/12/edit']) {
      const page = await raw('GET', path);
      expect(page.statusCode).toBe(200);
      expect(page.headers['content-type']).toMatch(/text\/html/);
    }
    const api = await h.api('GET', '/crm/v3/nothing-here');
    expect(api.status).toBe(404);
    expect(api.body.category).toBe('OBJECT_NOT_FOUND');
  });

  it('should refuse a cookie-authenticated mutation with 403 and write nothing when it comes from another origin', async () => {
    const cookie = sessionOf(await raw('POST', '/seqflow/v1/auth/setup', ADA));
    const create = (headers: Record<string, string>, c: string | undefined = cookie) => raw('POST', '/crm/v3/objects/contacts', { properties: { email: `x${Math.random()}@example.com` } }, c, headers);
    const foreign: Record<string, string>[] = [
      { origin: 'https://evil.example' },
      { origin: 'http://localhost:8080' },
      { origin: 'null' },
      { referer: 'https://evil.example/page' },
      { origin: SELF, 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'same-site' },
      {},
    ];
    for (const headers of foreign) {
      const r = await create(headers);
      expect(r.statusCode, JSON.stringify(headers)).toBe(403);
      expect(r.headers['content-type']).toMatch(/^application\/json/);
      expect(r.json(), JSON.stringify(headers)).toMatchObject({ status: 'error', category: 'FORBIDDEN', subCategory: 'CROSS_ORIGIN_REQUEST', correlationId: expect.any(String) });
    }
    for (const method of ['PUT', 'PATCH', 'DELETE']) expect((await raw(method, '/crm/v3/objects/contacts/1', method === 'DELETE' ? undefined : { properties: {} }, cookie, { origin: 'https://evil.example' })).statusCode, method).toBe(403);
    expect((await h.api('POST', '/crm/v3/objects/contacts/search', { limit: 1 })).body.total).toBe(0);
    // The sign-in endpoints themselves: no signing a browser in (or out) from another site.
    expect((await raw('POST', '/seqflow/v1/auth/login', ADA, undefined, { origin: 'https://evil.example' })).statusCode).toBe(403);
    expect((await raw('POST', '/seqflow/v1/auth/logout', undefined, cookie, { origin: 'https://evil.example' })).statusCode).toBe(403);
    expect((await raw('GET', '/crm/v3/owners', undefined, cookie, {})).statusCode).toBe(200);
  });

  it('should serve a mutation when the cookie comes from the web app itself or a bearer token comes from anywhere', async () => {
    const cookie = sessionOf(await raw('POST', '/seqflow/v1/auth/setup', ADA));
    const body = () => ({ properties: { email: `ok${Math.random()}@example.com` } });
    expect((await raw('POST', '/crm/v3/objects/contacts', body(), cookie, { origin: SELF })).statusCode).toBe(201);
    expect((await raw('POST', '/crm/v3/objects/contacts', body(), cookie, { origin: SELF, 'sec-fetch-site': 'same-origin' })).statusCode).toBe(201);
    expect((await raw('POST', '/crm/v3/objects/contacts', body(), cookie, { referer: `${SELF}/contacts` })).statusCode).toBe(201);
    // Behind a proxy that rewrites Host, the configured public URL is our origin too.
    expect((await raw('POST', '/crm/v3/objects/contacts', body(), cookie, { origin: h.sf.deps.config.publicUrl, host: '10.0.0.2:3000' })).statusCode).toBe(201);
    const bearer = await h.api('POST', '/crm/v3/objects/contacts', body(), { headers: { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' } });
    expect(bearer.status).toBe(201);
    // Public endpoints meant for other sites ignore the session and stay open to them.
    const unsubscribe = await raw('POST', '/seqflow/v1/unsubscribe/nonsense', undefined, cookie, { origin: 'https://evil.example' });
    expect(unsubscribe.statusCode).not.toBe(403);
  });

  it('should answer 429 with Retry-After when one account fails five times from different addresses, and let it try again after the wait', async () => {
    await raw('POST', '/seqflow/v1/auth/setup', ADA);
    for (let i = 1; i <= 5; i++) expect((await login('wrong password!', { ip: `198.51.100.${i}` })).statusCode, `failure ${i}`).toBe(401);
    const blocked = await login(ADA.password, { ip: '198.51.100.77' });
    expect(blocked.statusCode).toBe(429);
    expect(blocked.headers['retry-after']).toBe('1');
    expect(blocked.json()).toMatchObject({ status: 'error', category: 'RATE_LIMITS', subCategory: 'SIGN_IN_BACKOFF' });
    await h.advance(1_000);
    // The sixth failure doubles the wait.
    expect((await login('wrong password!', { ip: '198.51.100.6' })).statusCode).toBe(401);
    const longer = await login(ADA.password, { ip: '198.51.100.78' });
    expect(longer.statusCode).toBe(429);
    expect(longer.headers['retry-after']).toBe('2');
    await h.advance(2_000);
    expect((await login(ADA.password, { ip: '198.51.100.79' })).statusCode).toBe(200);
    // Success starts the count over.
    for (let i = 1; i <= 4; i++) expect((await login('wrong password!', { ip: `198.51.100.${10 + i}` })).statusCode).toBe(401);
    expect((await login(ADA.password, { ip: '198.51.100.80' })).statusCode).toBe(200);
  });

  it('should back off the same way when the email names nobody, so the back-off does not reveal accounts', async () => {
    await raw('POST', '/seqflow/v1/auth/setup', ADA);
    for (let i = 1; i <= 5; i++) expect((await login('wrong password!', { email: 'nobody@acme.test', ip: `198.51.100.${i}` })).statusCode).toBe(401);
    const blocked = await login('wrong password!', { email: 'NOBODY@acme.test' });
    expect(blocked.statusCode).toBe(429);
    expect(blocked.json().message).toBe('Too many failed sign-ins for this account; try again in 1 s.');
  });

  it('should let the browser the user signed in with before sign in when strangers have blocked the account', async () => {
    await raw('POST', '/seqflow/v1/auth/setup', ADA);
    const first = await login(ADA.password);
    expect(first.statusCode).toBe(200);
    const device = deviceOf(first);
    expect(String(first.headers['set-cookie'])).toMatch(/seqflow_device=.+HttpOnly/i);
    for (let i = 1; i <= 8; i++) await login('wrong password!', { ip: `198.51.100.${i}` });
    expect((await login(ADA.password, { ip: '198.51.100.99' })).statusCode).toBe(429);
    expect((await login(ADA.password, { cookie: device })).statusCode).toBe(200);
    // A forged or someone else's device cookie counts for nothing.
    const [id, nonce] = device.split('=')[1].split('.');
    for (let i = 1; i <= 6; i++) await login('wrong password!', { ip: `198.51.100.${20 + i}` });
    expect((await login(ADA.password, { cookie: `seqflow_device=${id}.${nonce}.forged` })).statusCode).toBe(429);
  });
});
