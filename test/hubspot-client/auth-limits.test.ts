import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@hubspot/api-client';
import { dialectCases } from '../support/databases.js';
import { startHarness, type Harness } from '../support/harness.js';
import { call, checkContractsAfterEachTest, exchanges, failure, hubspot, show } from './client.js';

/**
 * Authentication, scopes and rate limits as the official client surfaces them (hubspot-api.md
 * §3.1, §4). Limited tokens come from Seqflow's POST /seqflow/v1/tokens {name, scopes} → {token}.
 * The server runs with a per-token limit of 3 requests per rolling 10 s and 1 search per second
 * (SEQFLOW_RATE_LIMIT_10S / SEQFLOW_SEARCH_RATE_LIMIT_1S, read when the server starts), so the
 * client's numberOfApiCallRetries can be watched recovering from a 429. The admin token is not limited.
 */
describe.each(dialectCases)('official HubSpot client: auth, scopes and rate limits ($dialect)', ({ create, skip }) => {
  let h: Harness;
  let admin: Client;
  beforeAll(async () => {
    if (skip) return;
    const saved = { ten: process.env.SEQFLOW_RATE_LIMIT_10S, search: process.env.SEQFLOW_SEARCH_RATE_LIMIT_1S };
    process.env.SEQFLOW_RATE_LIMIT_10S = '3';
    process.env.SEQFLOW_SEARCH_RATE_LIMIT_1S = '1';
    try {
      h = await startHarness(await create());
    } finally {
      for (const [k, v] of [['SEQFLOW_RATE_LIMIT_10S', saved.ten], ['SEQFLOW_SEARCH_RATE_LIMIT_1S', saved.search]] as const) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
    admin = hubspot(h);
  });
  afterAll(async () => {
    if (!skip) await h?.close();
  });
  checkContractsAfterEachTest();

  let n = 0;
  const token = async (scopes: string[]) => {
    const r = await call(admin, 'POST', '/seqflow/v1/tokens', { body: { name: `client-test-${++n}`, scopes } });
    // Until the tokens work lands this endpoint is missing; the tests below then fail here, by design.
    if (r.status !== 201 || typeof r.body?.token !== 'string') throw new Error(`POST /seqflow/v1/tokens is not available: ${show()}`);
    return r.body.token as string;
  };

  describe.skipIf(skip)('authentication', () => {
    it('should surface 401 INVALID_AUTHENTICATION when the access token is wrong', async () => {
      const bad = hubspot(h, { accessToken: 'pat-na1-00000000-0000-0000-0000-000000000000' });
      const err = await failure(bad.crm.contacts.basicApi.getPage());
      expect(err.code, show()).toBe(401);
      expect(err.body.category).toBe('INVALID_AUTHENTICATION');
      const owners = await failure(bad.crm.owners.ownersApi.getPage());
      expect(owners.code, show()).toBe(401);
      const raw = await call(bad, 'GET', '/automation/v4/flows');
      expect(raw.status, show()).toBe(401);
      expect(raw.body.category).toBe('INVALID_AUTHENTICATION');
    });
  });

  describe.skipIf(skip)('scopes (needs POST /seqflow/v1/tokens)', () => {
    it('should allow reads and surface 403 MISSING_SCOPES on writes when the token has only the read scope', async () => {
      const limited = hubspot(h, { accessToken: await token(['crm.objects.contacts.read']) });
      const page = await limited.crm.contacts.basicApi.getPage(1);
      expect(Array.isArray(page.results)).toBe(true);
      const err = await failure(limited.crm.contacts.basicApi.create({ properties: { email: 'scoped@client.test' }, associations: [] }));
      expect(err.code, show()).toBe(403);
      expect(err.body.category).toBe('MISSING_SCOPES');
      expect(err.body.message).toMatch(/crm\.objects\.contacts\.write/);
    });

    it('should surface 403 MISSING_SCOPES when a contacts-only token calls sequences', async () => {
      const limited = hubspot(h, { accessToken: await token(['crm.objects.contacts.read']) });
      const r = await call(limited, 'GET', '/automation/v4/sequences', { qs: { userId: '1' } });
      expect(r.status, show()).toBe(403);
      expect(r.body.category).toBe('MISSING_SCOPES');
      expect(r.body.message).toMatch(/automation\.sequences\.read/);
    });

    it('should answer 400 VALIDATION_ERROR naming the scope when a token is asked for an unknown scope', async () => {
      const r = await call(admin, 'POST', '/seqflow/v1/tokens', { body: { name: 'bad-scope', scopes: ['crm.objects.contacts.read', 'crm.objects.unicorns.read'] } });
      expect(r.status, show()).toBe(400);
      expect(r.body.category).toBe('VALIDATION_ERROR');
      expect(r.body.errors.map((e: { in?: string }) => e.in)).toContain('scopes[1]');
    });
  });

  describe.skipIf(skip)('rate limits (needs POST /seqflow/v1/tokens)', () => {
    it('should answer 429 RATE_LIMITS with policyName TEN_SECONDLY_ROLLING when a token passes its 10-second limit', async () => {
      const limited = hubspot(h, { accessToken: await token(['crm.objects.contacts.read']) });
      for (let i = 0; i < 3; i++) await limited.crm.contacts.basicApi.getPage(1);
      const err = await failure(limited.crm.contacts.basicApi.getPage(1));
      expect(err.code, show()).toBe(429);
      expect(err.body).toMatchObject({ category: 'RATE_LIMITS', policyName: 'TEN_SECONDLY_ROLLING' });
      expect(err.headers['x-hubspot-ratelimit-remaining']).toBe('0');
    });

    it(
      'should succeed after waiting when the client retries a 429 with numberOfApiCallRetries',
      async () => {
        const secret = await token(['crm.objects.contacts.read']);
        // The generated APIs take the client's decorators when first used: touch them at once.
        const retrying = hubspot(h, { accessToken: secret, numberOfApiCallRetries: 2 });
        const basicApi = retrying.crm.contacts.basicApi;
        hubspot(h); // restore the shared decorator set (api-client keeps it in a singleton) for later clients
        for (let i = 0; i < 3; i++) await basicApi.getPage(1);
        const mark = exchanges.length;
        const started = Date.now();
        const page = await basicApi.getPage(1);
        expect(Array.isArray(page.results)).toBe(true);
        const statuses = exchanges.slice(mark).map((x) => x.status);
        expect(statuses, show()).toEqual([429, 200]);
        expect(Date.now() - started).toBeGreaterThanOrEqual(9_000);
      },
      40_000,
    );

    it('should retry a search after a second when the search limit answers "You have reached your secondly limit."', async () => {
      const secret = await token(['crm.objects.contacts.read']);
      const retrying = hubspot(h, { accessToken: secret, numberOfApiCallRetries: 2 });
      const searchApi = retrying.crm.contacts.searchApi;
      hubspot(h);
      const req = { filterGroups: [], sorts: [], properties: ['email'], limit: 1, after: '0' } as unknown as Parameters<typeof searchApi.doSearch>[0];
      await searchApi.doSearch(req);
      const mark = exchanges.length;
      const r = await searchApi.doSearch(req);
      expect(typeof r.total).toBe('number');
      const seen = exchanges.slice(mark);
      expect(seen.map((x) => x.status), show()).toEqual([429, 200]);
      expect(JSON.parse(seen[0].text)).toMatchObject({ category: 'RATE_LIMITS', message: 'You have reached your secondly limit.' });
    });
  });
});
