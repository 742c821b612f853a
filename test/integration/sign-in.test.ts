import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dialectCases } from '../support/databases.js';
import { startHarness, type Harness } from '../support/harness.js';

describe.each(dialectCases)('web sign-in on $dialect', ({ create, skip }) => {
  let h: Harness;
  beforeEach(async (ctx) => {
    if (skip) return ctx.skip();
    h = await startHarness(await create());
  });
  afterEach(async () => h?.close());

  const raw = (method: string, url: string, body?: unknown, cookie?: string) =>
    h.sf.app!.inject({ method: method as 'POST', url, headers: { ...(body !== undefined && { 'content-type': 'application/json' }), ...(cookie && { cookie }) }, ...(body !== undefined && { payload: JSON.stringify(body) }) });
  const sessionOf = (res: { headers: Record<string, unknown> }) => String(res.headers['set-cookie']).split(';')[0];

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
});
