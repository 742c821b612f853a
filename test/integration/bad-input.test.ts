import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { dialectCases } from '../support/databases.js';
import { ADMIN_TOKEN, DAY, seedContact, seedSender, seedSequence, startHarness, type Harness } from '../support/harness.js';

/**
 * Bad input, endpoint by endpoint (PRODUCT §7, hubspot-api.md §4.2). Every rejection must be a
 * 4xx, never a 500; carry HubSpot's error body `{status:"error", message, correlationId,
 * category, subCategory?, errors?:[{message, in?, code?}]}` as application/json; name the
 * problem in `message` and the field at fault in `errors[].in`; and write nothing.
 *
 * One server per dialect serves every case (there are hundreds): each case writes only rows with
 * names of its own and checks what it could have written against the state before it.
 *
 * Tests marked `// BUG:` assert the correct behaviour that src/ does not have yet.
 */

type Res = { status: number; body: any; headers: Record<string, unknown> };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A well-formed id that names nothing. */
const NO_SUCH = '987654321';
/** One past PostgreSQL's 32-bit `integer` ids: still a safe JS integer and a plausible HubSpot id. */
const PAST_INT32 = '2147483648';
const MB = 1024 * 1024;
const SEQUENCE_BASES = ['/automation/v4/sequences', '/automation/sequences/2025-09', '/automation/sequences/2026-03', '/automation/sequences/2026-09'];

let counter = 0;
/** A name no other case uses. */
const uid = (prefix: string) => `${prefix}${++counter}`;

// ---------------------------------------------------------------------------------------------
// Assertions on HubSpot's error shape

function expectError(r: Res, status: number, category?: string, label = '') {
  const where = `${label} ${JSON.stringify(r.body)?.slice(0, 400)}`;
  expect(r.status, where).toBe(status);
  expect(String(r.headers['content-type']), where).toMatch(/^application\/json/);
  expect(r.body, where).toMatchObject({
    status: 'error',
    message: expect.any(String),
    correlationId: expect.stringMatching(UUID),
    category: category ?? expect.any(String),
  });
  expect(r.body.message.trim(), where).not.toBe('');
  for (const e of r.body.errors ?? []) expect(e, where).toMatchObject({ message: expect.any(String) });
}

/** 400 VALIDATION_ERROR whose errors[].in names `field` and whose message names the problem. */
function expectInvalid(r: Res, field: string | RegExp, message?: RegExp, label = '') {
  expectError(r, 400, 'VALIDATION_ERROR', label);
  const ins: string[] = (r.body.errors ?? []).map((e: { in?: string }) => e.in ?? '');
  if (typeof field === 'string') expect(ins, `${label} errors[].in`).toContain(field);
  else expect(ins.some((i) => field.test(i)), `${label} errors[].in ${JSON.stringify(ins)} should match ${field}`).toBe(true);
  if (message) expect(r.body.message, label).toMatch(message);
}

const expectNotFound = (r: Res, label = '') => expectError(r, 404, 'OBJECT_NOT_FOUND', label);

// ---------------------------------------------------------------------------------------------

describe.each(dialectCases)('bad input on $dialect', ({ create, skip }) => {
  let h: Harness;
  beforeAll(async () => {
    if (!skip) h = await startHarness(await create());
  });
  afterAll(async () => h?.close());
  beforeEach((ctx) => {
    if (skip) ctx.skip();
  });

  /** One request through Fastify's inject with full control of body, Content-Type and token. */
  const send = async (
    method: string,
    url: string,
    o: { body?: unknown; raw?: string | Buffer; contentType?: string; token?: string | null; headers?: Record<string, string> } = {},
  ): Promise<Res> => {
    const token = o.token === undefined ? ADMIN_TOKEN : o.token;
    const payload = o.raw ?? (o.body === undefined ? undefined : JSON.stringify(o.body));
    const res = await h.sf.app!.inject({
      method: method as 'GET',
      url,
      headers: {
        ...(token !== null && { authorization: `Bearer ${token}` }),
        ...(payload !== undefined && { 'content-type': o.contentType ?? 'application/json' }),
        ...o.headers,
      },
      ...(payload !== undefined && { payload }),
    });
    let body: unknown = res.body;
    try {
      body = res.body ? JSON.parse(res.body) : undefined;
    } catch {
      // not JSON: the assertions on the shape will say so
    }
    return { status: res.statusCode, body, headers: res.headers };
  };

  /** Rows in a paged HubSpot collection, following paging.next.after. */
  const countAll = async (path: string) => {
    let n = 0;
    for (let after: string | null = null; ; ) {
      const r = await send('GET', `${path}?limit=100${after === null ? '' : `&after=${after}`}`);
      n += r.body.results.length;
      if (!r.body.paging) return n;
      after = r.body.paging.next.after;
    }
  };
  const contactCount = async () => (await send('POST', '/crm/v3/objects/contacts/search', { body: { limit: 1 } })).body.total as number;
  const now = async () => (await send('GET', '/seqflow/v1/clock')).body.now as string;
  /** Everything a bad request could have written without naming an existing row. */
  const world = async () => ({ contacts: await contactCount(), users: await countAll('/settings/v3/users'), flows: await countAll('/automation/v4/flows'), now: await now() });
  const sequencesOf = async (userId: string) => (await send('GET', `/automation/v4/sequences?userId=${userId}`)).body;
  const enrollmentsOf = async (contactId: string) => (await send('GET', `/seqflow/v1/enrollments?contactId=${contactId}`)).body.results as any[];
  const contactByEmail = (email: string) => send('GET', `/crm/v3/objects/contacts/${encodeURIComponent(email)}?idProperty=email`);
  const userByEmail = (email: string) => send('GET', `/settings/v3/users/${encodeURIComponent(email)}?idProperty=EMAIL`);

  const newRep = (o: Parameters<typeof seedSender>[1] = {}) => seedSender(h, { email: `${uid('rep')}@acme.test`, ...o });
  const newContact = (properties: Record<string, string> = {}) => seedContact(h, { email: `${uid('lead')}@example.com`, ...properties });
  /** A rep with an alias, a three-email sequence, and a contact with an email address. */
  const newEnrollmentSetup = async () => {
    const rep = await newRep({ aliases: [`${uid('sales')}@acme.test`] });
    const sequenceId = await seedSequence(h, rep.userId);
    const contactId = await newContact();
    return { rep, sequenceId, contactId };
  };
  const enroll = (userId: string, body: Record<string, unknown>) => send('POST', `/automation/v4/sequences/enrollments?userId=${userId}`, { body });

  /** Ids that name nothing must be 404 OBJECT_NOT_FOUND (hubspot-api.md §3.3), never a 400 or a 500. */
  function missingIdTests(call: (id: string) => Promise<Res>) {
    it.each([NO_SUCH, '0'])('should answer 404 OBJECT_NOT_FOUND when the id %s names nothing', async (id) => {
      expectNotFound(await call(id));
    });
    // BUG: outside the contact routes a non-numeric path id is a 400 "id: must be a numeric id"
    // (idParam and numericId in src/http/validate.ts, used with parse(…, 'path')), not the
    // 404 OBJECT_NOT_FOUND HubSpot answers ("Object not found. objectId are usually numeric.").
    it.each(['abc', '-1', '1.5'])('should answer 404 OBJECT_NOT_FOUND when the id %j is not numeric', async (id) => {
      expectNotFound(await call(id));
    });
    // BUG: on PostgreSQL an id past 2^31-1 overflows the `integer` id columns and the driver error
    // becomes a 500 (idParam/numericId in src/http/validate.ts accept any digit string, and the
    // fallback branch of installErrorHandling in src/http/errors.ts turns the driver error into a 500).
    it('should answer 404 OBJECT_NOT_FOUND when the id is past the 32-bit range', async () => {
      expectNotFound(await call(PAST_INT32));
    });
  }

  const emailStep = (o: Record<string, unknown> = {}) => ({ type: 'EMAIL', delayMillis: 0, subject: 'Hi', body: '<p>Hello</p>', ...o });
  const flowBody = (o: Record<string, unknown> = {}) => ({
    type: 'CONTACT_FLOW',
    objectTypeId: '0-1',
    flowType: 'WORKFLOW',
    name: uid('Flow '),
    isEnabled: false,
    actions: [],
    timeWindows: [],
    blockedDates: [],
    suppressionListIds: [],
    customProperties: {},
    dataSources: [],
    canEnrollFromSalesforce: false,
    ...o,
  });

  // ===========================================================================================
  describe('any JSON endpoint', () => {
    const BODY_ROUTES = [
      { name: 'POST /crm/v3/objects/contacts', method: 'POST', url: '/crm/v3/objects/contacts' },
      { name: 'PATCH /crm/v3/objects/contacts/:id', method: 'PATCH', url: '/crm/v3/objects/contacts/1' },
      { name: 'POST /crm/v3/objects/contacts/search', method: 'POST', url: '/crm/v3/objects/contacts/search' },
      { name: 'POST /settings/v3/users', method: 'POST', url: '/settings/v3/users' },
      { name: 'PUT /seqflow/v1/users/:id/seat', method: 'PUT', url: '/seqflow/v1/users/1/seat' },
      { name: 'POST /seqflow/v1/users/:id/inboxes', method: 'POST', url: '/seqflow/v1/users/1/inboxes' },
      { name: 'POST /seqflow/v1/sequences', method: 'POST', url: '/seqflow/v1/sequences' },
      { name: 'PUT /seqflow/v1/sequences/:id', method: 'PUT', url: '/seqflow/v1/sequences/1' },
      { name: 'POST /automation/v4/sequences/enrollments', method: 'POST', url: '/automation/v4/sequences/enrollments?userId=1' },
      { name: 'POST /seqflow/v1/blocklist', method: 'POST', url: '/seqflow/v1/blocklist' },
      { name: 'POST /seqflow/v1/clock/advance', method: 'POST', url: '/seqflow/v1/clock/advance' },
      { name: 'POST /automation/v4/flows', method: 'POST', url: '/automation/v4/flows' },
      { name: 'PUT /automation/v4/flows/:id', method: 'PUT', url: '/automation/v4/flows/1' },
      { name: 'POST /automation/v4/flows/batch/read', method: 'POST', url: '/automation/v4/flows/batch/read' },
      { name: 'POST /seqflow/v1/forms', method: 'POST', url: '/seqflow/v1/forms' },
      { name: 'POST /crm/v3/objects/meetings', method: 'POST', url: '/crm/v3/objects/meetings' },
      { name: 'POST /crm/v3/properties/contacts', method: 'POST', url: '/crm/v3/properties/contacts' },
      { name: 'PATCH /crm/v3/properties/companies/:propertyName', method: 'PATCH', url: '/crm/v3/properties/companies/name' },
      { name: 'POST /crm/v3/properties/contacts/groups', method: 'POST', url: '/crm/v3/properties/contacts/groups' },
    ];
    const ODD_BODIES: { what: string; raw?: string; message?: RegExp }[] = [
      { what: 'malformed JSON', raw: '{"properties": {"email": ', message: /JSON/i },
      { what: 'JSON with a trailing comma', raw: '{"a": 1,}', message: /JSON/i },
      { what: 'NaN', raw: '{"ms": NaN}', message: /JSON/i },
      { what: 'an empty body', raw: '', message: /empty/i },
      { what: 'no body at all' },
      { what: 'null', raw: 'null' },
      { what: 'an array', raw: '[{"properties":{}}]', message: /array|object/i },
      { what: 'a string', raw: '"hello"', message: /string|object/i },
      { what: 'a number', raw: '42', message: /number|object/i },
      { what: 'deeply nested arrays', raw: '['.repeat(50_000) + ']'.repeat(50_000) },
      { what: 'a __proto__ key', raw: '{"__proto__":{"admin":true},"ms":1}' },
    ];

    it.each(BODY_ROUTES)('should answer 400 VALIDATION_ERROR and write nothing when $name gets a malformed, empty, null, array, scalar or odd body', async ({ method, url }) => {
      const before = await world();
      for (const b of ODD_BODIES) {
        const r = await send(method, url, { raw: b.raw });
        expectError(r, 400, 'VALIDATION_ERROR', b.what);
        if (b.message) expect(r.body.message, b.what).toMatch(b.message);
      }
      expect(await world()).toEqual(before);
    });

    it('should answer 413 in HubSpot shape when any JSON endpoint gets a body over 5 MB', async () => {
      const before = await world();
      const huge = JSON.stringify({ properties: { firstname: 'x'.repeat(5 * MB + 1) } });
      for (const { name, method, url } of BODY_ROUTES) {
        const r = await send(method, url, { raw: huge });
        expectError(r, 413, undefined, name);
        expect(r.body.message, name).toMatch(/too large/i);
      }
      expect(await world()).toEqual(before);
    });

    it.each(['application/xml', 'multipart/form-data; boundary=x', 'application/octet-stream', 'text/html'])(
      'should answer 415 naming the Content-Type when a JSON endpoint gets %s',
      async (contentType) => {
        const before = await world();
        for (const { name, method, url } of BODY_ROUTES) {
          const r = await send(method, url, { raw: '{"properties":{"email":"ct@example.com"}}', contentType });
          expectError(r, 415, undefined, name);
          expect(r.body.message, name).toMatch(/Content-Type/i);
        }
        expect(await world()).toEqual(before);
      },
    );

    // BUG: Fastify's built-in text/plain parser is left installed (buildApp in src/http/app.ts), so a
    // text/plain body reaches the handlers as a string and fails as "body: expected object,
    // received string" (400) instead of the 415 "Unsupported Content-Type … send application/json"
    // that installErrorHandling (src/http/errors.ts) gives every other non-JSON type.
    it('should answer 415 naming the Content-Type when a JSON endpoint gets text/plain', async () => {
      const before = await world();
      for (const { name, method, url } of BODY_ROUTES) {
        const r = await send(method, url, { raw: '{"properties":{"email":"ct@example.com"}}', contentType: 'text/plain' });
        expectError(r, 415, undefined, name);
        expect(r.body.message, name).toMatch(/Content-Type/i);
      }
      expect(await world()).toEqual(before);
    });

    it('should answer 400 and write nothing when the Content-Length does not match the body', async () => {
      const email = `${uid('len')}@example.com`;
      const r = await send('POST', '/crm/v3/objects/contacts', { raw: JSON.stringify({ properties: { email } }), headers: { 'content-length': '5' } });
      expectError(r, 400, 'VALIDATION_ERROR');
      expectNotFound(await contactByEmail(email));
    });

    it.each([
      ['GET', '/automation/v9/nope'],
      ['GET', '/crm/v3/objects/tickets'],
      ['POST', '/crm/v3/objects/contacts/1'],
      ['PUT', '/crm/v3/objects/contacts'],
      ['DELETE', '/crm/v3/owners/1'],
      ['GET', '/seqflow/v2/health'],
      ['OPTIONS', '/crm/v3/objects/contacts'],
    ])('should answer 404 OBJECT_NOT_FOUND in HubSpot shape when calling the unknown route %s %s', async (method, url) => {
      const r = await send(method, url);
      expectNotFound(r);
      expect(r.body.message).toContain(url);
    });

    // BUG: Fastify's router rejects a malformed percent-encoding (FST_ERR_BAD_URL) before
    // setErrorHandler runs, so the body is Fastify's own {"error","code","message","statusCode"}
    // and not HubSpot's shape (the Fastify options in buildApp, src/http/app.ts, set no frameworkErrors handler).
    it.each(['/crm/v3/objects/contacts/%ZZ', '/settings/v3/users/%E0%A4%A'])('should answer 400 in HubSpot shape when the path %s has a malformed percent-encoding', async (url) => {
      expectError(await send('GET', url), 400, 'VALIDATION_ERROR');
    });
  });

  // ===========================================================================================
  describe('authentication', () => {
    const PROTECTED: [string, string][] = [
      ['GET', '/crm/v3/objects/contacts'],
      ['POST', '/crm/v3/objects/contacts'],
      ['GET', '/crm/v3/objects/contacts/1'],
      ['PATCH', '/crm/v3/objects/contacts/1'],
      ['DELETE', '/crm/v3/objects/contacts/1'],
      ['POST', '/crm/v3/objects/contacts/search'],
      ['GET', '/settings/v3/users'],
      ['POST', '/settings/v3/users'],
      ['GET', '/settings/v3/users/1'],
      ['PUT', '/seqflow/v1/users/1/seat'],
      ['GET', '/crm/v3/owners'],
      ['GET', '/crm/v3/owners/1'],
      ['POST', '/seqflow/v1/users/1/inboxes'],
      ['GET', '/seqflow/v1/users/1/inboxes'],
      ['POST', '/seqflow/v1/inboxes/1/disconnect'],
      ['GET', '/seqflow/v1/inboxes/1/usage'],
      ['POST', '/seqflow/v1/sequences'],
      ['PUT', '/seqflow/v1/sequences/1'],
      ['DELETE', '/seqflow/v1/sequences/1'],
      ...SEQUENCE_BASES.flatMap((b): [string, string][] => [
        ['GET', `${b}?userId=1`],
        ['GET', `${b}/1?userId=1`],
        ['POST', `${b}/enrollments?userId=1`],
        ['GET', `${b}/enrollments/contact/1`],
      ]),
      ['GET', '/seqflow/v1/enrollments?contactId=1'],
      ['POST', '/seqflow/v1/contacts/1/unenroll'],
      ['POST', '/seqflow/v1/enrollments/1/pause'],
      ['POST', '/seqflow/v1/enrollments/1/resume'],
      ['GET', '/seqflow/v1/tasks'],
      ['POST', '/seqflow/v1/blocklist'],
      ['GET', '/seqflow/v1/clock'],
      ['POST', '/seqflow/v1/clock/advance'],
      ['GET', '/seqflow/v1/dev-mail/messages'],
      ['GET', '/automation/v4/flows'],
      ['POST', '/automation/v4/flows'],
      ['GET', '/automation/v4/flows/1'],
      ['PUT', '/automation/v4/flows/1'],
      ['DELETE', '/automation/v4/flows/1'],
      ['POST', '/automation/v4/flows/batch/read'],
      ['GET', '/automation/2026-09-beta/action-types'],
      ['GET', '/seqflow/v1/workflows/1/log'],
      ['GET', '/seqflow/v1/workflows/1/stats'],
      ['POST', '/seqflow/v1/workflows/1/check'],
      ['GET', '/seqflow/v1/forms'],
      ['POST', '/seqflow/v1/forms'],
      ['POST', '/crm/v3/objects/meetings'],
    ];
    const BAD_CREDENTIALS: { what: string; token: string | null; headers?: Record<string, string> }[] = [
      { what: 'no Authorization header', token: null },
      { what: 'an unknown bearer token', token: 'not-a-token' },
      { what: 'the admin token with a suffix', token: `${ADMIN_TOKEN}x` },
      { what: 'an empty bearer token', token: null, headers: { authorization: 'Bearer ' } },
      { what: 'a Basic scheme', token: null, headers: { authorization: `Basic ${Buffer.from(`admin:${ADMIN_TOKEN}`).toString('base64')}` } },
      { what: 'the bare token without a scheme', token: null, headers: { authorization: ADMIN_TOKEN } },
    ];

    it.each(BAD_CREDENTIALS)('should answer 401 INVALID_AUTHENTICATION on every protected route when sent $what', async ({ token, headers }) => {
      for (const [method, url] of PROTECTED) {
        const r = await send(method, url, { token, headers, ...(method !== 'GET' && method !== 'DELETE' && { body: {} }) });
        expectError(r, 401, 'INVALID_AUTHENTICATION', `${method} ${url}`);
        expect(r.body.message, `${method} ${url}`).toMatch(/token|credentials|Bearer/i);
      }
    });

    it('should check the token before the body and write nothing when an unauthenticated request is otherwise valid', async () => {
      const before = await world();
      const contact = `${uid('sneaky')}@example.com`;
      const user = `${uid('sneaky')}@acme.test`;
      expectError(await send('POST', '/crm/v3/objects/contacts', { token: null, raw: '{bad json' }), 401, 'INVALID_AUTHENTICATION');
      expectError(await send('POST', '/crm/v3/objects/contacts', { token: 'nope', body: { properties: { email: contact } } }), 401, 'INVALID_AUTHENTICATION');
      expectError(await send('POST', '/settings/v3/users', { token: null, body: { email: user } }), 401, 'INVALID_AUTHENTICATION');
      expectError(await send('POST', '/seqflow/v1/clock/advance', { token: null, body: { ms: DAY } }), 401, 'INVALID_AUTHENTICATION');
      expect(await world()).toEqual(before);
      expectNotFound(await contactByEmail(contact));
      expectNotFound(await userByEmail(user));
    });

    it.each([
      { what: 'no token', token: null },
      { what: 'a bad token', token: 'not-a-token' },
    ])('should keep GET /seqflow/v1/health public when sent $what', async ({ token }) => {
      const r = await send('GET', '/seqflow/v1/health', { token });
      expect(r.status).toBe(200);
      expect(r.body.status).toBe('ok');
    });

    it('should answer 401 rather than reveal routes when an unknown path is called without a token', async () => {
      expectError(await send('GET', '/seqflow/v1/nope', { token: null }), 401, 'INVALID_AUTHENTICATION');
    });

    // BUG: the public-route check (PUBLIC in src/http/auth.ts, /^\/seqflow\/v1\/health$/) runs on the
    // raw URL, while the router ignores trailing and duplicate slashes (routerOptions in src/http/app.ts, as
    // hubspot-api.md §3.2 rules 6 and 9 ask), so these reach the health handler only with a token.
    it.each(['/seqflow/v1/health/', '//seqflow/v1/health'])('should keep health public when it is called as %s', async (url) => {
      const r = await send('GET', url, { token: null });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      expect(r.body.status).toBe('ok');
    });
  });

  // ===========================================================================================
  describe('unknown paths', () => {
    // Paths under HubSpot's API families and ours, in any case: never the web app's HTML with a 200.
    const UNKNOWN_API_PATHS = [
      '/marketing/v3/emails',
      '/webhooks/v3/123/settings',
      '/oauth/v1/token',
      '/crm/v3/objects/deals',
      '/crm/v4/associations/contacts/companies/labels',
      '/automation/v3/workflows',
      '/settings/v3/users/teams/nope/more',
      '/settings/v4/whatever',
      '/SEQFLOW/v1/tokens',
      '/Seqflow/v1/health',
      '/CRM/v3/objects/contacts',
      '/cms/v3/pages',
      '/conversations/v3/conversations/threads',
      '/files/v3/files',
      '/events/v3/send',
      '/contacts/v1/lists',
      '/submissions/v3/nothing',
    ];
    it.each(UNKNOWN_API_PATHS.flatMap((path) => ['GET', 'POST', 'DELETE'].map((method) => ({ method, path }))))(
      'should answer 404 OBJECT_NOT_FOUND in HubSpot shape when $method $path is not a route',
      async ({ method, path }) => {
        const r = await send(method, path, method === 'POST' ? { body: {} } : {});
        expectNotFound(r, `${method} ${path}`);
      },
    );

    it.each(['/%73eqflow/v1/tokens', '/seqflow/v1/%74okens', '/SEQFLOW/v1/tokens', '/marketing/v3/emails'])('should answer 401 without a token when %s names an API path in another spelling', async (path) => {
      expectError(await send('GET', path, { token: null }), 401, 'INVALID_AUTHENTICATION', path);
    });

    it.each(['/workflows/12', '/workflows/12/history', '/sequences/3', '/sequences/new', '/contacts', '/contacts/5', '/account', '/settings', '/automation', '/web-forms', '/dev-inbox', '/sign-in'])(
      'should serve the web app when the deep link %s is opened',
      async (path) => {
        const r = await h.sf.app!.inject({ method: 'GET', url: path });
        expect(r.statusCode, path).toBe(200);
        expect(r.headers['content-type'], path).toMatch(/^text\/html/);
      },
    );
  });

  // ===========================================================================================
  describe('POST /crm/v3/objects/contacts', () => {
    const INVALID: { what: string; body: unknown; field: string | RegExp; message: RegExp }[] = [
      { what: 'properties is missing', body: {}, field: 'properties', message: /properties/ },
      { what: 'properties is an array', body: { properties: [] }, field: 'properties', message: /properties/ },
      { what: 'properties is a string', body: { properties: 'email=a@b.co' }, field: 'properties', message: /properties/ },
      { what: 'properties is null', body: { properties: null }, field: 'properties', message: /properties/ },
      { what: 'a property value is an object', body: { properties: { firstname: { first: 'Ann' } } }, field: 'properties.firstname', message: /firstname/ },
      { what: 'a property value is an array', body: { properties: { firstname: ['Ann'] } }, field: 'properties.firstname', message: /firstname/ },
      { what: 'a property name is empty', body: { properties: { '': 'x' } }, field: /^properties/, message: /properties/ },
      { what: 'a property name is over 100 characters', body: { properties: { ['p'.repeat(101)]: 'x' } }, field: /^properties/, message: /properties/ },
      { what: 'the email is not an address', body: { properties: { email: 'not-an-email' } }, field: /^(properties\.)?email$/, message: /not-an-email.*not a valid email/ },
      { what: 'the email has two @', body: { properties: { email: 'a@@example.com' } }, field: /^(properties\.)?email$/, message: /valid email/ },
      { what: 'the email is a number', body: { properties: { email: 42 } }, field: /^(properties\.)?email$/, message: /valid email/ },
      ...['hs_object_id', 'createdate', 'lastmodifieddate'].map((p) => ({
        what: `the read-only ${p} is set`,
        body: { properties: { email: 'read-only@example.com', [p]: '5' } },
        field: /^properties/,
        message: new RegExp(`${p}.*(cannot|read-only)`),
      })),
    ];

    it.each(INVALID)('should answer 400 naming the field and create nothing when $what', async ({ body, field, message }) => {
      const before = await contactCount();
      expectInvalid(await send('POST', '/crm/v3/objects/contacts', { body }), field, message);
      expect(await contactCount()).toBe(before);
    });

    it.each([
      { what: 'as stored', variant: (e: string) => e },
      { what: 'in lower case', variant: (e: string) => e.toLowerCase() },
      { what: 'in upper case', variant: (e: string) => e.toUpperCase() },
      { what: 'padded with spaces', variant: (e: string) => `  ${e.toLowerCase()}  ` },
    ])('should answer 409 "Contact already exists. Existing ID: <id>" and create nothing when the email is taken, written $what', async ({ variant }) => {
      const email = `${uid('Lead')}@Example.com`;
      const id = await seedContact(h, { email, firstname: 'Lena' });
      const before = await contactCount();
      const r = await send('POST', '/crm/v3/objects/contacts', { body: { properties: { email: variant(email), firstname: 'Impostor' } } });
      expectError(r, 409, 'CONFLICT');
      expect(r.body.message).toBe(`Contact already exists. Existing ID: ${id}`);
      expect(await contactCount()).toBe(before);
      expect((await send('GET', `/crm/v3/objects/contacts/${id}`)).body.properties).toMatchObject({ email, firstname: 'Lena' });
    });
  });

  // ===========================================================================================
  describe('GET /crm/v3/objects/contacts', () => {
    it.each([
      { query: 'limit=abc', field: 'limit' },
      { query: 'limit=0', field: 'limit' },
      { query: 'limit=101', field: 'limit' },
      { query: 'limit=1.5', field: 'limit' },
      { query: 'limit=1&limit=2', field: 'limit' },
      { query: 'after=-1', field: 'after' },
      { query: 'after=abc', field: 'after' },
    ])('should answer 400 naming $field when the query is ?$query', async ({ query, field }) => {
      expectInvalid(await send('GET', `/crm/v3/objects/contacts?${query}`), field, new RegExp(field));
    });

    // BUG: on PostgreSQL a cursor past 2^31-1 is compared with the integer id column: 500
    // (the `after` schema in src/http/hubspot/contacts.ts bounds it only below).
    it('should answer 200 with no results when the cursor is past the 32-bit range', async () => {
      await newContact();
      const r = await send('GET', `/crm/v3/objects/contacts?after=${PAST_INT32}`);
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      expect(r.body.results).toEqual([]);
    });
  });

  // ===========================================================================================
  describe('GET /crm/v3/objects/contacts/:id', () => {
    missingIdTests((id) => send('GET', `/crm/v3/objects/contacts/${id}`));

    it('should answer 404 OBJECT_NOT_FOUND naming the email when idProperty=email finds nothing', async () => {
      const email = `${uid('nobody')}@example.com`;
      const r = await contactByEmail(email);
      expectNotFound(r);
      expect(r.body.message).toContain(email);
    });

    it('should answer 404 OBJECT_NOT_FOUND when the contact was archived', async () => {
      const id = await newContact();
      expect((await send('DELETE', `/crm/v3/objects/contacts/${id}`)).status).toBe(204);
      expectNotFound(await send('GET', `/crm/v3/objects/contacts/${id}`));
    });
  });

  // ===========================================================================================
  describe('PATCH /crm/v3/objects/contacts/:id', () => {
    missingIdTests((id) => send('PATCH', `/crm/v3/objects/contacts/${id}`, { body: { properties: { firstname: 'X' } } }));

    it.each([
      { what: 'the email is not an address', properties: { email: 'nope' }, field: /^(properties\.)?email$/, message: /valid email/ },
      { what: 'hs_object_id is set', properties: { hs_object_id: '77' }, field: /^properties/, message: /hs_object_id/ },
      { what: 'createdate is set', properties: { createdate: '2020-01-01T00:00:00.000Z' }, field: /^properties/, message: /createdate/ },
      { what: 'a value is an object', properties: { firstname: { a: 1 } }, field: 'properties.firstname', message: /firstname/ },
      { what: 'properties is missing', properties: undefined, field: 'properties', message: /properties/ },
    ])('should answer 400 and leave the contact unchanged when $what', async ({ properties, field, message }) => {
      const id = await newContact({ firstname: 'Kim' });
      const before = (await send('GET', `/crm/v3/objects/contacts/${id}`)).body;
      expectInvalid(await send('PATCH', `/crm/v3/objects/contacts/${id}`, { body: properties === undefined ? {} : { properties } }), field, message);
      expect((await send('GET', `/crm/v3/objects/contacts/${id}`)).body).toEqual(before);
    });

    it.each([
      { what: 'as stored', variant: (e: string) => e },
      { what: 'in another case', variant: (e: string) => e.toUpperCase() },
    ])('should answer 409 with the existing id and leave the contact unchanged when the new email is taken, written $what', async ({ variant }) => {
      const taken = `${uid('taken')}@example.com`;
      const other = await seedContact(h, { email: taken });
      const id = await newContact();
      const before = (await send('GET', `/crm/v3/objects/contacts/${id}`)).body;
      const r = await send('PATCH', `/crm/v3/objects/contacts/${id}`, { body: { properties: { email: variant(taken), firstname: 'Changed' } } });
      expectError(r, 409, 'CONFLICT');
      expect(r.body.message).toBe(`Contact already exists. Existing ID: ${other}`);
      expect((await send('GET', `/crm/v3/objects/contacts/${id}`)).body).toEqual(before);
    });
  });

  // ===========================================================================================
  describe('DELETE /crm/v3/objects/contacts/:id', () => {
    missingIdTests((id) => send('DELETE', `/crm/v3/objects/contacts/${id}`));

    it('should answer 404 OBJECT_NOT_FOUND when the contact is deleted twice', async () => {
      const id = await newContact();
      expect((await send('DELETE', `/crm/v3/objects/contacts/${id}`)).status).toBe(204);
      expectNotFound(await send('DELETE', `/crm/v3/objects/contacts/${id}`));
    });
  });

  // ===========================================================================================
  describe('POST /crm/v3/objects/contacts/search', () => {
    const eq = (v: string) => ({ propertyName: 'email', operator: 'EQ', value: v });
    const known = { propertyName: 'email', operator: 'HAS_PROPERTY' };
    it.each([
      { what: 'there are 6 filter groups', body: { filterGroups: Array.from({ length: 6 }, (_, i) => ({ filters: [eq(`${i}@x.co`)] })) }, field: 'filterGroups', message: /filter groups.*6/i },
      { what: 'a group has 11 filters', body: { filterGroups: [{ filters: Array(11).fill(known) }] }, field: 'filterGroups[0].filters', message: /Too many filters/ },
      { what: 'there are 27 filters in all', body: { filterGroups: Array(3).fill({ filters: Array(9).fill(known) }) }, field: 'filterGroups', message: /Too many filters/ },
      { what: 'the operator is unknown', body: { filterGroups: [{ filters: [{ propertyName: 'email', operator: 'LIKE', value: '%a%' }] }] }, field: 'filterGroups[0].filters[0].operator', message: /operator.*LIKE/i },
      { what: 'the operator is lower case', body: { filterGroups: [{ filters: [{ propertyName: 'email', operator: 'eq', value: 'a' }] }] }, field: 'filterGroups[0].filters[0].operator', message: /operator/i },
      { what: 'propertyName is missing', body: { filterGroups: [{ filters: [{ operator: 'EQ', value: 'a' }] }] }, field: 'filterGroups[0].filters[0].propertyName', message: /propertyName/ },
      { what: 'BETWEEN has no highValue', body: { filterGroups: [{ filters: [{ propertyName: 'createdate', operator: 'BETWEEN', value: '1' }] }] }, field: 'filterGroups[0].filters[0].highValue', message: /highValue/ },
      { what: 'IN has a string for values', body: { filterGroups: [{ filters: [{ propertyName: 'email', operator: 'IN', values: 'a@b.co' }] }] }, field: 'filterGroups[0].filters[0].values', message: /values/ },
      { what: 'filterGroups is an object', body: { filterGroups: { filters: [] } }, field: 'filterGroups', message: /filterGroups/ },
      { what: 'a filter group is null', body: { filterGroups: [null] }, field: /^filterGroups\[0\]/, message: /filter group/ },
      { what: 'a filter is a string', body: { filterGroups: [{ filters: ['email=a'] }] }, field: 'filterGroups[0].filters[0]', message: /filter/ },
      { what: 'limit is 0', body: { limit: 0 }, field: 'limit', message: /limit/ },
      { what: 'limit is 201', body: { limit: 201 }, field: 'limit', message: /limit/ },
      { what: 'limit is a string', body: { limit: 'ten' }, field: 'limit', message: /limit/ },
      { what: 'query is a number', body: { query: 5 }, field: 'query', message: /query/ },
      { what: 'query is over 3000 characters', body: { query: 'q'.repeat(3001) }, field: 'query', message: /query/ },
      { what: 'properties is a string', body: { properties: 'email' }, field: 'properties', message: /properties/ },
      { what: 'after is not a cursor', body: { after: 'abc' }, field: 'after', message: /after|cursor/ },
      { what: 'after is negative', body: { after: -5 }, field: 'after', message: /after|cursor/ },
    ])('should answer 400 naming the field when $what', async ({ body, field, message }) => {
      expectInvalid(await send('POST', '/crm/v3/objects/contacts/search', { body }), field, message);
    });

    // BUG: `sorts` is z.array(z.any()) in src/http/hubspot/contacts.ts and sortComparator
    // (src/domain/filters.ts) silently drops entries it cannot read, so malformed sorts are a 200.
    it.each([
      { what: 'a sort is null', sorts: [null] },
      { what: 'a sort is a number', sorts: [42] },
      { what: 'a sort names no property', sorts: [{ direction: 'ASCENDING' }] },
      { what: 'a sort direction is unknown', sorts: [{ propertyName: 'email', direction: 'SIDEWAYS' }] },
    ])('should answer 400 naming sorts when $what', async ({ sorts }) => {
      expectInvalid(await send('POST', '/crm/v3/objects/contacts/search', { body: { sorts } }), /^sorts/, /sort/i);
    });
  });

  // ===========================================================================================
  describe('POST /settings/v3/users', () => {
    it.each([
      { what: 'email is missing', body: { firstName: 'No' }, field: 'email', message: /email/ },
      { what: 'email is not an address', body: { email: 'rep-at-acme' }, field: 'email', message: /email/ },
      { what: 'email is a number', body: { email: 42 }, field: 'email', message: /email/ },
      { what: 'the seat is unknown', body: { email: 'bad-seat@acme.test', seat: 'sales_gold' }, field: 'seat', message: /seat/ },
      { what: 'the time zone is not IANA', body: { email: 'bad-tz@acme.test', timezone: 'Mars/Olympus_Mons' }, field: 'timezone', message: /timezone.*IANA/ },
      { what: 'the time zone is a region name', body: { email: 'bad-tz@acme.test', timezone: 'Eastern' }, field: 'timezone', message: /IANA/ },
      { what: 'the time zone is an offset', body: { email: 'bad-tz@acme.test', timezone: 'UTC+5' }, field: 'timezone', message: /IANA/ },
      { what: 'the time zone has a trailing space', body: { email: 'bad-tz@acme.test', timezone: 'Europe/Warsaw ' }, field: 'timezone', message: /IANA/ },
      { what: 'the time zone is a number', body: { email: 'bad-tz@acme.test', timezone: -5 }, field: 'timezone', message: /timezone/ },
      { what: 'the role is unknown', body: { email: 'bad-role@acme.test', role: 'root' }, field: 'role', message: /role/ },
      { what: 'firstName is a number', body: { email: 'bad-name@acme.test', firstName: 7 }, field: 'firstName', message: /firstName/ },
      { what: 'lastName is over 200 characters', body: { email: 'bad-name@acme.test', lastName: 'l'.repeat(201) }, field: 'lastName', message: /lastName/ },
      { what: 'the signature is over 10,000 characters', body: { email: 'bad-sig@acme.test', signature: 's'.repeat(10_001) }, field: 'signature', message: /signature/ },
    ])('should answer 400 naming the field and create no user when $what', async ({ body, field, message }) => {
      const before = await countAll('/settings/v3/users');
      expectInvalid(await send('POST', '/settings/v3/users', { body }), field, message);
      expect(await countAll('/settings/v3/users')).toBe(before);
    });

    it.each([
      { what: 'as stored', variant: (e: string) => e },
      { what: 'in another case', variant: (e: string) => e.toUpperCase() },
    ])('should answer 409 CONFLICT and create no user when the email is taken, written $what', async ({ variant }) => {
      const rep = await newRep();
      const before = await countAll('/settings/v3/users');
      const r = await send('POST', '/settings/v3/users', { body: { email: variant(rep.email) } });
      expectError(r, 409, 'CONFLICT');
      expect(r.body.message).toMatch(/already exists/);
      expect(await countAll('/settings/v3/users')).toBe(before);
    });

    // BUG: isValidZone (src/domain/schedule.ts) asks Intl/ICU, which also knows legacy
    // abbreviations, so 'PST' and the ambiguous 'IST' (India? Israel? Ireland?) are stored as time
    // zones although the error text promises an IANA name (src/http/hubspot/users.ts `zone`).
    it.each(['PST', 'IST'])('should answer 400 naming timezone and create no user when the time zone is the abbreviation %s', async (timezone) => {
      const email = `${uid('abbr')}@acme.test`;
      expectInvalid(await send('POST', '/settings/v3/users', { body: { email, timezone } }), 'timezone', /IANA/);
      expectNotFound(await userByEmail(email));
    });

    // BUG: on PostgreSQL a NUL character in a text column is rejected by the driver ("invalid byte
    // sequence for encoding UTF8: 0x00") and surfaces as a 500; nothing screens it first
    // (src/http/hubspot/users.ts createUserBody) and installErrorHandling (src/http/errors.ts) maps the error to 500.
    it('should store it or answer 400 naming the field, never 500, when firstName holds a NUL character', async () => {
      const email = `${uid('nul')}@acme.test`;
      const r = await send('POST', '/settings/v3/users', { body: { email, firstName: 'Nu\u0000ll' } });
      expect([201, 400], JSON.stringify(r.body)).toContain(r.status);
      if (r.status === 400) {
        expectInvalid(r, 'firstName');
        expectNotFound(await userByEmail(email));
      }
    });
  });

  // ===========================================================================================
  describe('GET /settings/v3/users', () => {
    it.each(['limit=0', 'limit=101', 'limit=abc'])('should answer 400 naming limit when the query is ?%s', async (query) => {
      expectInvalid(await send('GET', `/settings/v3/users?${query}`), 'limit', /limit/);
    });

    // BUG: an unreadable cursor silently restarts at the first page (the `cursor` helper in
    // src/http/hubspot/users.ts), where GET /crm/v3/objects/contacts answers 400 for the same
    // input; a client that pages on it loops forever.
    it('should answer 400 naming after when the cursor is not a number', async () => {
      await newRep();
      expectInvalid(await send('GET', '/settings/v3/users?after=abc'), 'after', /after/);
    });

    // BUG: on PostgreSQL a cursor past 2^31-1 is a 500 (the `cursor` helper in src/http/hubspot/users.ts has no upper bound).
    it('should answer 200 with no results when the cursor is past the 32-bit range', async () => {
      await newRep();
      const r = await send('GET', `/settings/v3/users?after=${PAST_INT32}`);
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      expect(r.body.results).toEqual([]);
    });
  });

  // ===========================================================================================
  describe('GET /settings/v3/users/:id', () => {
    missingIdTests((id) => send('GET', `/settings/v3/users/${id}`));

    it('should answer 404 OBJECT_NOT_FOUND when idProperty=EMAIL finds nobody', async () => {
      const email = `${uid('nobody')}@acme.test`;
      const r = await userByEmail(email);
      expectNotFound(r);
      expect(r.body.message).toContain(email);
    });

    it('should answer 400 naming idProperty when it is unknown', async () => {
      const { userId } = await newRep();
      expectInvalid(await send('GET', `/settings/v3/users/${userId}?idProperty=PHONE`), 'idProperty', /idProperty/);
    });
  });

  // ===========================================================================================
  describe('PUT /seqflow/v1/users/:id/seat', () => {
    missingIdTests((id) => send('PUT', `/seqflow/v1/users/${id}/seat`, { body: { seat: 'none' } }));

    it.each([
      { what: 'the seat is unknown', body: { seat: 'sales_gold' } },
      { what: 'the seat is missing', body: {} },
      { what: 'the seat is a number', body: { seat: 3 } },
      { what: 'the seat is upper case', body: { seat: 'SALES_PROFESSIONAL' } },
    ])('should answer 400 naming seat and keep the old seat when $what', async ({ body }) => {
      const { userId } = await newRep();
      expectInvalid(await send('PUT', `/seqflow/v1/users/${userId}/seat`, { body }), 'seat', /seat/);
      expect((await send('GET', `/settings/v3/users/${userId}`)).body.seat).toBe('sales_professional');
    });
  });

  // ===========================================================================================
  describe('GET /crm/v3/owners', () => {
    it.each(['limit=0', 'limit=500', 'limit=abc'])('should answer 400 naming limit when the query is ?%s', async (query) => {
      expectInvalid(await send('GET', `/crm/v3/owners?${query}`), 'limit', /limit/);
    });
  });

  describe('GET /crm/v3/owners/:id', () => {
    missingIdTests((id) => send('GET', `/crm/v3/owners/${id}`));
  });

  // ===========================================================================================
  describe('POST /seqflow/v1/users/:id/inboxes', () => {
    missingIdTests((id) => send('POST', `/seqflow/v1/users/${id}/inboxes`, { body: { address: `${uid('box')}@acme.test`, provider: 'dev' } }));

    const smtp = { host: 'smtp.acme.test', port: 587 };
    it.each([
      { what: 'the address is missing', body: { provider: 'dev' }, field: 'address', message: /address/ },
      { what: 'the address is not an email', body: { address: 'acme.test', provider: 'dev' }, field: 'address', message: /address/ },
      { what: 'an alias is not an email', body: { address: 'box@acme.test', provider: 'dev', aliases: ['sales'] }, field: 'aliases[0]', message: /aliases/ },
      { what: 'aliases is a string', body: { address: 'box@acme.test', provider: 'dev', aliases: 'sales@acme.test' }, field: 'aliases', message: /aliases/ },
      { what: 'there are 51 aliases', body: { address: 'box@acme.test', provider: 'dev', aliases: Array.from({ length: 51 }, (_, i) => `a${i}@acme.test`) }, field: 'aliases', message: /aliases/ },
      { what: 'the provider is unknown', body: { address: 'box@acme.test', provider: 'aol', smtp }, field: 'provider', message: /provider/ },
      { what: 'an SMTP provider has no smtp settings', body: { address: 'box@acme.test', provider: 'imap' }, field: 'smtp', message: /SMTP/ },
      { what: 'the SMTP port is 70000', body: { address: 'box@acme.test', provider: 'imap', smtp: { ...smtp, port: 70000 } }, field: 'smtp.port', message: /smtp\.port.*65535/ },
      { what: 'the SMTP port is 0', body: { address: 'box@acme.test', provider: 'imap', smtp: { ...smtp, port: 0 } }, field: 'smtp.port', message: /smtp\.port/ },
      { what: 'the SMTP port is a string', body: { address: 'box@acme.test', provider: 'imap', smtp: { ...smtp, port: '587' } }, field: 'smtp.port', message: /smtp\.port/ },
      { what: 'the SMTP host is empty', body: { address: 'box@acme.test', provider: 'imap', smtp: { ...smtp, host: '' } }, field: 'smtp.host', message: /smtp\.host/ },
      { what: 'smtp is an array', body: { address: 'box@acme.test', provider: 'imap', smtp: [smtp] }, field: 'smtp', message: /smtp/ },
      { what: 'the IMAP port is 70000', body: { address: 'box@acme.test', provider: 'imap', smtp, imap: { host: 'imap.acme.test', port: 70000 } }, field: 'imap.port', message: /imap\.port/ },
      { what: 'dailyLimit is 0', body: { address: 'box@acme.test', provider: 'dev', dailyLimit: 0 }, field: 'dailyLimit', message: /dailyLimit/ },
      { what: 'dailyLimit is a string', body: { address: 'box@acme.test', provider: 'dev', dailyLimit: '500' }, field: 'dailyLimit', message: /dailyLimit/ },
      { what: 'dailyLimit exceeds the provider default', body: { address: 'box@acme.test', provider: 'dev', dailyLimit: 5000 }, field: 'dailyLimit', message: /1000/ },
      { what: 'dailyLimit exceeds the gmail_free default', body: { address: 'box@acme.test', provider: 'gmail_free', smtp, dailyLimit: 351 }, field: 'dailyLimit', message: /350/ },
      { what: 'perMinuteLimit is negative', body: { address: 'box@acme.test', provider: 'dev', perMinuteLimit: -1 }, field: 'perMinuteLimit', message: /perMinuteLimit/ },
      { what: 'perMinuteLimit is over 1000', body: { address: 'box@acme.test', provider: 'dev', perMinuteLimit: 1001 }, field: 'perMinuteLimit', message: /perMinuteLimit/ },
      // Mail hosts Seqflow must never connect to (src/domain/mail-hosts.ts), whatever the private-range setting.
      { what: 'the SMTP host is the cloud metadata address', body: { address: 'box@acme.test', provider: 'imap', smtp: { ...smtp, host: '169.254.169.254' } }, field: 'smtp.host', message: /smtp\.host: 169\.254\.169\.254 is a cloud metadata address/ },
      { what: 'the SMTP host is a bracketed IPv6 link-local address', body: { address: 'box@acme.test', provider: 'imap', smtp: { ...smtp, host: '[fe80::1]' } }, field: 'smtp.host', message: /smtp\.host.*link-local/ },
      { what: 'the SMTP host is a link-local address', body: { address: 'box@acme.test', provider: 'imap', smtp: { ...smtp, host: '169.254.1.1' } }, field: 'smtp.host', message: /smtp\.host.*link-local/ },
      { what: "the SMTP host is AWS's IPv6 metadata address", body: { address: 'box@acme.test', provider: 'imap', smtp: { ...smtp, host: 'fd00:ec2::254' } }, field: 'smtp.host', message: /smtp\.host.*metadata/ },
      { what: "the SMTP host is Alibaba's metadata address", body: { address: 'box@acme.test', provider: 'imap', smtp: { ...smtp, host: '100.100.100.200' } }, field: 'smtp.host', message: /smtp\.host.*metadata/ },
      { what: 'the SMTP host is an IPv4-mapped metadata address', body: { address: 'box@acme.test', provider: 'imap', smtp: { ...smtp, host: '::ffff:169.254.169.254' } }, field: 'smtp.host', message: /smtp\.host.*metadata/ },
      { what: 'the SMTP host is unspecified', body: { address: 'box@acme.test', provider: 'imap', smtp: { ...smtp, host: '0.0.0.0' } }, field: 'smtp.host', message: /smtp\.host.*unspecified/ },
      { what: 'the SMTP host is a multicast address', body: { address: 'box@acme.test', provider: 'imap', smtp: { ...smtp, host: '224.0.0.251' } }, field: 'smtp.host', message: /smtp\.host.*multicast/ },
      { what: 'the IMAP host is the cloud metadata address', body: { address: 'box@acme.test', provider: 'imap', smtp, imap: { host: '169.254.169.254', port: 993 } }, field: 'imap.host', message: /imap\.host.*metadata/ },
    ])('should answer 400 naming the field and connect nothing when $what', async ({ body, field, message }) => {
      const { userId } = await newRep();
      const before = (await send('GET', `/seqflow/v1/users/${userId}/inboxes`)).body.results;
      expectInvalid(await send('POST', `/seqflow/v1/users/${userId}/inboxes`, { body }), field, message);
      expect((await send('GET', `/seqflow/v1/users/${userId}/inboxes`)).body.results).toEqual(before);
    });

    it.each([
      { what: 'as stored', variant: (e: string) => e },
      { what: 'in another case', variant: (e: string) => e.toUpperCase() },
    ])('should answer 409 CONFLICT and connect nothing when the address is already connected, written $what', async ({ variant }) => {
      const { userId, email } = await newRep();
      const r = await send('POST', `/seqflow/v1/users/${userId}/inboxes`, { body: { address: variant(email), provider: 'dev' } });
      expectError(r, 409, 'CONFLICT');
      expect(r.body.message).toMatch(/already connected/);
      expect((await send('GET', `/seqflow/v1/users/${userId}/inboxes`)).body.results).toHaveLength(1);
    });
  });

  // ===========================================================================================
  describe('GET /seqflow/v1/users/:id/inboxes', () => {
    // BUG: an unknown user is a 200 {results:[]} (the GET handler in src/http/seqflow/inboxes.ts
    // never checks the user exists), where every other /users/:id route answers 404.
    missingIdTests((id) => send('GET', `/seqflow/v1/users/${id}/inboxes`));
  });

  describe('POST /seqflow/v1/inboxes/:id/disconnect', () => {
    missingIdTests((id) => send('POST', `/seqflow/v1/inboxes/${id}/disconnect`));
  });

  describe('GET /seqflow/v1/inboxes/:id/usage', () => {
    missingIdTests((id) => send('GET', `/seqflow/v1/inboxes/${id}/usage`));
  });

  // ===========================================================================================
  describe('POST /seqflow/v1/sequences', () => {
    const INVALID: { what: string; patch: Record<string, unknown>; field: string | RegExp; message: RegExp }[] = [
      { what: 'the name is missing', patch: { name: undefined }, field: 'name', message: /name/ },
      { what: 'the name is blank', patch: { name: '   ' }, field: 'name', message: /name/ },
      { what: 'the name is over 500 characters', patch: { name: 'n'.repeat(501) }, field: 'name', message: /name/ },
      { what: 'userId is missing', patch: { userId: undefined }, field: 'userId', message: /userId/ },
      { what: 'userId is not numeric', patch: { userId: 'rep' }, field: 'userId', message: /userId/ },
      { what: 'steps is missing', patch: { steps: undefined }, field: 'steps', message: /steps/ },
      { what: 'steps is empty', patch: { steps: [] }, field: 'steps', message: /steps/ },
      { what: 'steps is an object', patch: { steps: { 0: emailStep() } }, field: 'steps', message: /steps/ },
      { what: 'there are 51 steps', patch: { steps: Array.from({ length: 51 }, () => emailStep()) }, field: 'steps', message: /at most 50 steps/ },
      { what: 'a step type is unknown', patch: { steps: [{ type: 'SMS', delayMillis: 0 }] }, field: 'steps[0].type', message: /type/ },
      { what: 'a delay is a string', patch: { steps: [emailStep({ delayMillis: '1000' })] }, field: 'steps[0].delayMillis', message: /delayMillis/ },
      { what: 'a delay is negative', patch: { steps: [emailStep({ delayMillis: -1 })] }, field: 'steps[0].delayMillis', message: /delayMillis|delay/ },
      { what: 'a delay is fractional', patch: { steps: [emailStep({ delayMillis: 1.5 })] }, field: 'steps[0].delayMillis', message: /delayMillis/ },
      { what: 'a delay is over 90 days', patch: { steps: [emailStep(), emailStep({ delayMillis: 90 * DAY + 1 })] }, field: 'steps[1].delayMillis', message: /90 days/ },
      { what: 'an email has no body', patch: { steps: [emailStep({ body: undefined })] }, field: 'steps[0].body', message: /body/ },
      { what: 'an email body is blank', patch: { steps: [emailStep({ body: '   ' })] }, field: 'steps[0].body', message: /body/ },
      { what: 'a body uses an unknown Liquid filter', patch: { steps: [emailStep({ body: '{{ contact.firstname | nosuchfilter }}' })] }, field: 'steps[0].body', message: /nosuchfilter/ },
      { what: 'a body has an empty {% if %}', patch: { steps: [emailStep({ body: '{% if %}yes{% endif %}' })] }, field: 'steps[0].body', message: /Template error/ },
      { what: 'a body has an unclosed {% if %}', patch: { steps: [emailStep({ body: '{% if contact.firstname %}yes' })] }, field: 'steps[0].body', message: /Template error/ },
      { what: 'a subject has an unclosed output', patch: { steps: [emailStep({ subject: 'Hi {{ contact.firstname' })] }, field: 'steps[0].subject', message: /Template error/ },
      { what: 'an email threads to itself', patch: { steps: [emailStep({ threadToStepOrder: 0 })] }, field: 'steps[0].threadToStepOrder', message: /thread/ },
      { what: 'an email threads to a task', patch: { steps: [{ type: 'TASK', delayMillis: 0 }, emailStep({ threadToStepOrder: 0 })] }, field: 'steps[1].threadToStepOrder', message: /thread/ },
      { what: 'a task type is unknown', patch: { steps: [{ type: 'TASK', delayMillis: 0, taskType: 'FAX' }] }, field: 'steps[0].taskType', message: /taskType/ },
      { what: 'a task priority is unknown', patch: { steps: [{ type: 'TASK', delayMillis: 0, taskPriority: 'URGENT' }] }, field: 'steps[0].taskPriority', message: /taskPriority/ },
      { what: 'the window ends before it starts', patch: { settings: { sendWindowStartMinute: 600, sendWindowEndMinute: 540 } }, field: 'settings.sendWindowEndMinute', message: /window must end after it starts/ },
      { what: 'the window is empty', patch: { settings: { sendWindowStartMinute: 600, sendWindowEndMinute: 600 } }, field: 'settings.sendWindowEndMinute', message: /window must end after it starts/ },
      { what: 'the window ends before the default start', patch: { settings: { sendWindowEndMinute: 300 } }, field: 'settings.sendWindowEndMinute', message: /window/ },
      { what: 'the window starts before midnight', patch: { settings: { sendWindowStartMinute: -1 } }, field: 'settings.sendWindowStartMinute', message: /sendWindowStartMinute/ },
      { what: 'the window ends after midnight', patch: { settings: { sendWindowEndMinute: 1441 } }, field: 'settings.sendWindowEndMinute', message: /sendWindowEndMinute/ },
      { what: 'the follow-up days are unknown', patch: { settings: { eligibleFollowUpDays: 'SOMEDAYS' } }, field: 'settings.eligibleFollowUpDays', message: /eligibleFollowUpDays/ },
      { what: 'the selling strategy is unknown', patch: { settings: { sellingStrategy: 'SPRAY' } }, field: 'settings.sellingStrategy', message: /sellingStrategy/ },
      { what: 'a setting is unknown', patch: { settings: { sendOnHolidays: true } }, field: 'settings', message: /sendOnHolidays/ },
      { what: 'settings is an array', patch: { settings: [] }, field: 'settings', message: /settings/ },
      { what: 'a boolean setting is a string', patch: { settings: { unenrollOnReply: 'yes' } }, field: 'settings.unenrollOnReply', message: /unenrollOnReply/ },
    ];

    it.each(INVALID)('should answer 400 naming the field and create no sequence when $what', async ({ patch, field, message }) => {
      const { userId } = await newRep();
      const body = { name: 'Bad', userId, steps: [emailStep()], ...patch };
      expectInvalid(await send('POST', '/seqflow/v1/sequences', { body }), field, message);
      expect(await sequencesOf(userId)).toMatchObject({ total: 0, results: [] });
    });

    it('should accept 50 steps of exactly 90 days and a 0–1440 window when every value is at its limit', async () => {
      const { userId } = await newRep();
      const steps = Array.from({ length: 50 }, (_, i) => emailStep({ delayMillis: i === 0 ? 0 : 90 * DAY }));
      const r = await send('POST', '/seqflow/v1/sequences', { body: { name: 'Edge', userId, steps, settings: { sendWindowStartMinute: 0, sendWindowEndMinute: 1440 } } });
      expect(r.status, JSON.stringify(r.body).slice(0, 300)).toBe(201);
      expect(r.body.steps).toHaveLength(50);
    });

    it('should answer 4xx naming the user and create no sequence when userId names nobody', async () => {
      const name = uid('Orphan ');
      const r = await send('POST', '/seqflow/v1/sequences', { body: { name, userId: NO_SUCH, steps: [emailStep()] } });
      expect([400, 404], JSON.stringify(r.body)).toContain(r.status);
      expectError(r, r.status);
      expect(r.body.message).toMatch(/User|userId/);
      expect(r.body.message).toContain(NO_SUCH);
      expect(await sequencesOf(NO_SUCH)).toMatchObject({ total: 0 });
    });

    // BUG: on PostgreSQL a userId past 2^31-1 is a 500 (numericId in src/http/validate.ts has no upper bound).
    it('should answer 4xx and create no sequence when userId is past the 32-bit range', async () => {
      const r = await send('POST', '/seqflow/v1/sequences', { body: { name: 'Orphan', userId: PAST_INT32, steps: [emailStep()] } });
      expect([400, 404], JSON.stringify(r.body)).toContain(r.status);
      expectError(r, r.status);
    });

    // BUG: on PostgreSQL a NUL character in the name or a step is a 500 (driver error 22021 "invalid
    // byte sequence for encoding UTF8: 0x00"; nothing screens it in sequenceBody/stepBody of
    // src/http/hubspot/sequences.ts and src/http/errors.ts maps it to 500). The transaction does roll back.
    it.each([
      { what: 'the name', patch: { name: 'Nu\u0000ll' }, field: 'name' },
      { what: 'a step body', patch: { steps: [emailStep({ body: '<p>a\u0000b</p>' })] }, field: 'steps[0].body' },
    ])('should store it or answer 400 naming the field, never 500, when $what holds a NUL character', async ({ patch, field }) => {
      const { userId } = await newRep();
      const r = await send('POST', '/seqflow/v1/sequences', { body: { name: 'Nul', userId, steps: [emailStep()], ...patch } });
      expect([201, 400], JSON.stringify(r.body)).toContain(r.status);
      expect(await sequencesOf(userId)).toMatchObject({ total: r.status === 201 ? 1 : 0 });
      if (r.status === 400) expectInvalid(r, field);
    });
  });

  // ===========================================================================================
  describe('PUT /seqflow/v1/sequences/:id', () => {
    missingIdTests((id) => send('PUT', `/seqflow/v1/sequences/${id}`, { body: { name: 'X', steps: [emailStep()] } }));

    it.each([
      { what: 'a body uses an unknown Liquid filter', body: { name: 'New', steps: [emailStep({ body: '{{ contact.firstname | nosuchfilter }}' })] }, field: 'steps[0].body', message: /nosuchfilter/ },
      { what: 'a body has an empty {% if %}', body: { name: 'New', steps: [emailStep({ body: '{% if %}x{% endif %}' })] }, field: 'steps[0].body', message: /Template error/ },
      { what: 'there are 51 steps', body: { name: 'New', steps: Array.from({ length: 51 }, () => emailStep()) }, field: 'steps', message: /at most 50 steps/ },
      { what: 'a delay is over 90 days', body: { name: 'New', steps: [emailStep({ delayMillis: 91 * DAY })] }, field: 'steps[0].delayMillis', message: /90 days/ },
      { what: 'a delay is negative', body: { name: 'New', steps: [emailStep({ delayMillis: -DAY })] }, field: 'steps[0].delayMillis', message: /delay/ },
      // The seeded window starts at 0, so an end of 0 closes it.
      { what: 'the new window end meets the stored start', body: { name: 'New', steps: [emailStep()], settings: { sendWindowEndMinute: 0 } }, field: 'settings.sendWindowEndMinute', message: /window must end after it starts/ },
      { what: 'the name is empty', body: { name: '', steps: [emailStep()] }, field: 'name', message: /name/ },
      { what: 'steps is missing', body: { name: 'New' }, field: 'steps', message: /steps/ },
    ])('should answer 400 naming the field and keep the old version when $what', async ({ body, field, message }) => {
      const { userId } = await newRep();
      const seq = await seedSequence(h, userId);
      const before = (await send('GET', `/automation/v4/sequences/${seq}?userId=${userId}`)).body;
      expectInvalid(await send('PUT', `/seqflow/v1/sequences/${seq}`, { body }), field, message);
      expect((await send('GET', `/automation/v4/sequences/${seq}?userId=${userId}`)).body).toEqual(before);
    });
  });

  // ===========================================================================================
  describe('DELETE /seqflow/v1/sequences/:id', () => {
    missingIdTests((id) => send('DELETE', `/seqflow/v1/sequences/${id}`));

    it.each(['yes', '1', 'TRUE'])('should answer 400 naming overrideActiveEnrollment and keep the sequence when it is %j', async (value) => {
      const { userId } = await newRep();
      const seq = await seedSequence(h, userId);
      expectInvalid(await send('DELETE', `/seqflow/v1/sequences/${seq}?overrideActiveEnrollment=${value}`), 'overrideActiveEnrollment', /overrideActiveEnrollment/);
      expect((await send('GET', `/automation/v4/sequences/${seq}?userId=${userId}`)).status).toBe(200);
    });

    it('should answer 409 CONFLICT and keep the sequence and its enrollment when enrollments are active', async () => {
      const { rep, sequenceId, contactId } = await newEnrollmentSetup();
      expect((await enroll(rep.userId, { contactId, sequenceId, senderEmail: rep.email })).status).toBe(200);
      const r = await send('DELETE', `/seqflow/v1/sequences/${sequenceId}`);
      expectError(r, 409, 'CONFLICT');
      expect(r.body.subCategory).toBe('ACTIVE_ENROLLMENTS');
      expect(r.body.message).toMatch(/overrideActiveEnrollment/);
      expect((await send('GET', `/automation/v4/sequences/${sequenceId}?userId=${rep.userId}`)).status).toBe(200);
      expect(await enrollmentsOf(contactId)).toMatchObject([{ state: 'ACTIVE' }]);
    });

    it('should answer 404 OBJECT_NOT_FOUND when the sequence is deleted twice', async () => {
      const { userId } = await newRep();
      const seq = await seedSequence(h, userId);
      expect((await send('DELETE', `/seqflow/v1/sequences/${seq}`)).status).toBe(204);
      expectNotFound(await send('DELETE', `/seqflow/v1/sequences/${seq}`));
      expectNotFound(await send('GET', `/automation/v4/sequences/${seq}?userId=${userId}`));
    });
  });

  // ===========================================================================================
  describe('GET /automation/v4/sequences (and the dated bases)', () => {
    it.each(SEQUENCE_BASES)('should answer 400 naming userId when GET %s has no userId', async (base) => {
      expectInvalid(await send('GET', base), 'userId', /userId/);
    });

    it.each([
      { query: 'userId=rep', field: 'userId' },
      { query: 'userId=-3', field: 'userId' },
      { query: 'userId=1&limit=0', field: 'limit' },
      { query: 'userId=1&limit=101', field: 'limit' },
      { query: 'userId=1&after=-1', field: 'after' },
      { query: 'userId=1&after=x', field: 'after' },
    ])('should answer 400 naming $field when the query is ?$query', async ({ query, field }) => {
      expectInvalid(await send('GET', `/automation/v4/sequences?${query}`), field, new RegExp(field));
    });

    // BUG: on PostgreSQL a userId past 2^31-1 is a 500 (numericId in src/http/validate.ts has no upper bound).
    it('should answer 200 with nothing when userId is past the 32-bit range', async () => {
      const r = await send('GET', `/automation/v4/sequences?userId=${PAST_INT32}`);
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      expect(r.body).toMatchObject({ total: 0, results: [] });
    });
  });

  describe('GET /automation/v4/sequences/:id', () => {
    missingIdTests((id) => send('GET', `/automation/v4/sequences/${id}?userId=1`));

    it.each(SEQUENCE_BASES)('should answer 400 naming userId when GET %s/:id has no userId', async (base) => {
      const { userId } = await newRep();
      const seq = await seedSequence(h, userId);
      expectInvalid(await send('GET', `${base}/${seq}`), 'userId', /userId/);
    });
  });

  // ===========================================================================================
  describe('POST /automation/v4/sequences/enrollments', () => {
    it.each(SEQUENCE_BASES)('should answer 400 with in: userId and enroll nothing when POST %s/enrollments has no userId', async (base) => {
      const { rep, sequenceId, contactId } = await newEnrollmentSetup();
      const r = await send('POST', `${base}/enrollments`, { body: { contactId, sequenceId, senderEmail: rep.email } });
      expectInvalid(r, 'userId', /userId is required/);
      expect(await enrollmentsOf(contactId)).toEqual([]);
    });

    it.each(['rep', '-1', '1.5', ''])('should answer 400 with in: userId and enroll nothing when userId is %j', async (userId) => {
      const { rep, sequenceId, contactId } = await newEnrollmentSetup();
      const r = await enroll(userId, { contactId, sequenceId, senderEmail: rep.email });
      expectInvalid(r, 'userId', /userId/);
      expect(await enrollmentsOf(contactId)).toEqual([]);
    });

    it('should name every missing field when the body is {}', async () => {
      const { rep, contactId } = await newEnrollmentSetup();
      const r = await enroll(rep.userId, {});
      expectInvalid(r, 'contactId', /contactId.*sequenceId.*senderEmail/);
      expect(r.body.errors.map((e: { in: string }) => e.in)).toEqual(expect.arrayContaining(['contactId', 'sequenceId', 'senderEmail']));
      expect(await enrollmentsOf(contactId)).toEqual([]);
    });

    it.each([
      { what: 'contactId is not numeric', patch: { contactId: 'lead' }, field: 'contactId' },
      { what: 'contactId is negative', patch: { contactId: -1 }, field: 'contactId' },
      { what: 'contactId is fractional', patch: { contactId: 1.5 }, field: 'contactId' },
      { what: 'contactId is an object', patch: { contactId: { id: 1 } }, field: 'contactId' },
      { what: 'sequenceId is null', patch: { sequenceId: null }, field: 'sequenceId' },
      { what: 'senderEmail is empty', patch: { senderEmail: '' }, field: 'senderEmail' },
      { what: 'senderEmail is a number', patch: { senderEmail: 42 }, field: 'senderEmail' },
      { what: 'senderAliasAddress is a number', patch: { senderAliasAddress: 42 }, field: 'senderAliasAddress' },
      { what: 'placeholderValues is an array', patch: { placeholderValues: ['x'] }, field: 'placeholderValues' },
      { what: 'a placeholder value is a number', patch: { placeholderValues: { reason: 1 } }, field: 'placeholderValues.reason' },
      { what: 'useContactTimeZone is a string', patch: { useContactTimeZone: 'yes' }, field: 'useContactTimeZone' },
    ])('should answer 400 naming the field and enroll nothing when $what', async ({ patch, field }) => {
      const { rep, sequenceId, contactId } = await newEnrollmentSetup();
      const r = await enroll(rep.userId, { contactId, sequenceId, senderEmail: rep.email, ...patch });
      expectInvalid(r, field, new RegExp(field.replace('.', '\\.')));
      expect(await enrollmentsOf(contactId)).toEqual([]);
    });

    // BUG: numericId is a z.union (src/http/validate.ts), whose failure message is the bare
    // "Invalid input", so the answer reads "contactId: Invalid input" without saying what is wrong.
    it('should say the id must be numeric when contactId is not numeric', async () => {
      const { rep, sequenceId } = await newEnrollmentSetup();
      const r = await enroll(rep.userId, { contactId: 'lead', sequenceId, senderEmail: rep.email });
      expectInvalid(r, 'contactId', /contactId.*numeric/);
    });

    type Setup = Awaited<ReturnType<typeof newEnrollmentSetup>>;
    const REJECTIONS: { code: string; field: string; request: (c: Setup) => { userId: string; body: Record<string, unknown> } }[] = [
      { code: 'SEQUENCE_NOT_FOUND', field: 'sequenceId', request: (c) => ({ userId: c.rep.userId, body: { contactId: c.contactId, sequenceId: NO_SUCH, senderEmail: c.rep.email } }) },
      { code: 'CONTACT_NOT_FOUND', field: 'contactId', request: (c) => ({ userId: c.rep.userId, body: { contactId: NO_SUCH, sequenceId: c.sequenceId, senderEmail: c.rep.email } }) },
      { code: 'SENDER_NOT_FOUND', field: 'userId', request: (c) => ({ userId: NO_SUCH, body: { contactId: c.contactId, sequenceId: c.sequenceId, senderEmail: c.rep.email } }) },
      { code: 'SENDER_ADDRESS_NOT_ALLOWED', field: 'senderEmail', request: (c) => ({ userId: c.rep.userId, body: { contactId: c.contactId, sequenceId: c.sequenceId, senderEmail: 'someone-else@acme.test' } }) },
      { code: 'SENDER_ADDRESS_NOT_ALLOWED', field: 'senderAliasAddress', request: (c) => ({ userId: c.rep.userId, body: { contactId: c.contactId, sequenceId: c.sequenceId, senderEmail: c.rep.email, senderAliasAddress: 'not-mine@acme.test' } }) },
    ];

    it.each(REJECTIONS)('should answer 400 $code in subCategory and errors[0].code and enroll nothing when $field names nothing usable', async ({ code, request }) => {
      const c = await newEnrollmentSetup();
      const { userId, body } = request(c);
      const r = await enroll(userId, body);
      expectError(r, 400, 'VALIDATION_ERROR');
      expect(r.body.subCategory).toBe(code);
      expect(r.body.errors[0].code).toBe(code);
      expect(await enrollmentsOf(c.contactId)).toEqual([]);
      expectNotFound(await send('GET', `/automation/v4/sequences/enrollments/contact/${c.contactId}`));
    });

    // BUG: enrollment rejections carry the code but no errors[].in (rejectionError in
    // src/services/errors.ts), so a client cannot tell which field to fix.
    it.each(REJECTIONS)('should name $field in errors[].in when the enrollment is refused with $code', async ({ field, request }) => {
      const c = await newEnrollmentSetup();
      const { userId, body } = request(c);
      expectInvalid(await enroll(userId, body), field);
    });

    it('should answer 400 NO_EMAIL_ADDRESS and enroll nothing when the contact has no email', async () => {
      const { rep, sequenceId } = await newEnrollmentSetup();
      const contactId = await seedContact(h, { firstname: 'Nomail' });
      const r = await enroll(rep.userId, { contactId, sequenceId, senderEmail: rep.email });
      expectError(r, 400, 'VALIDATION_ERROR');
      expect(r.body).toMatchObject({ subCategory: 'NO_EMAIL_ADDRESS', errors: [{ code: 'NO_EMAIL_ADDRESS' }] });
      expect(await enrollmentsOf(contactId)).toEqual([]);
    });

    it('should answer 400 SENDER_NO_SEAT and enroll nothing when the sender has no sequences seat', async () => {
      const { sequenceId, contactId } = await newEnrollmentSetup();
      const seatless = await newRep({ seat: 'sales_starter' });
      const r = await enroll(seatless.userId, { contactId, sequenceId, senderEmail: seatless.email });
      expectError(r, 400, 'VALIDATION_ERROR');
      expect(r.body).toMatchObject({ subCategory: 'SENDER_NO_SEAT', errors: [{ code: 'SENDER_NO_SEAT' }] });
      expect(await enrollmentsOf(contactId)).toEqual([]);
    });

    it('should answer 409 ALREADY_ENROLLED and keep exactly one enrollment when the contact is enrolled twice', async () => {
      const { rep, sequenceId, contactId } = await newEnrollmentSetup();
      const body = { contactId, sequenceId, senderEmail: rep.email };
      expect((await enroll(rep.userId, body)).status).toBe(200);
      const r = await enroll(rep.userId, body);
      expectError(r, 409, 'CONFLICT');
      expect(r.body).toMatchObject({ subCategory: 'ALREADY_ENROLLED', errors: [{ code: 'ALREADY_ENROLLED' }] });
      expect(await enrollmentsOf(contactId)).toHaveLength(1);
    });

    // BUG: on PostgreSQL ids past 2^31-1 reach the integer columns and the request is a 500
    // (numericId in src/http/validate.ts has no upper bound; src/http/errors.ts maps the driver error to 500).
    it.each([
      { what: 'sequenceId', code: 'SEQUENCE_NOT_FOUND' },
      { what: 'contactId', code: 'CONTACT_NOT_FOUND' },
      { what: 'userId', code: 'SENDER_NOT_FOUND' },
    ])('should answer 400 $code and enroll nothing when $what is past the 32-bit range', async ({ what, code }) => {
      const { rep, sequenceId, contactId } = await newEnrollmentSetup();
      const body = { contactId, sequenceId, senderEmail: rep.email, ...(what !== 'userId' && { [what]: PAST_INT32 }) };
      const r = await enroll(what === 'userId' ? PAST_INT32 : rep.userId, body);
      expectError(r, 400, 'VALIDATION_ERROR');
      expect(r.body.subCategory).toBe(code);
      expect(await enrollmentsOf(contactId)).toEqual([]);
    });
  });

  // ===========================================================================================
  describe('GET /automation/v4/sequences/enrollments/contact/:contactId', () => {
    missingIdTests((id) => send('GET', `/automation/v4/sequences/enrollments/contact/${id}`));

    it('should answer 404 OBJECT_NOT_FOUND when the contact exists but is not enrolled', async () => {
      const contactId = await newContact();
      const r = await send('GET', `/automation/v4/sequences/enrollments/contact/${contactId}`);
      expectNotFound(r);
      expect(r.body.subCategory).toBe('NOT_ENROLLED');
    });
  });

  // ===========================================================================================
  describe('GET /seqflow/v1/enrollments', () => {
    it.each([
      { query: '', field: 'contactId', message: /contactId or sequenceId/ },
      { query: 'contactId=abc', field: 'contactId', message: /contactId/ },
      { query: 'contactId=', field: 'contactId', message: /contactId/ },
      { query: 'sequenceId=-1', field: 'sequenceId', message: /sequenceId/ },
    ])('should answer 400 naming $field when the query is ?$query', async ({ query, field, message }) => {
      expectInvalid(await send('GET', `/seqflow/v1/enrollments?${query}`), field, message);
    });

    // BUG: on PostgreSQL a contactId past 2^31-1 is a 500 (numericId in src/http/validate.ts has no upper bound).
    it('should answer 200 with nothing when contactId is past the 32-bit range', async () => {
      const r = await send('GET', `/seqflow/v1/enrollments?contactId=${PAST_INT32}`);
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      expect(r.body.results).toEqual([]);
    });
  });

  // ===========================================================================================
  describe('POST /seqflow/v1/contacts/:contactId/unenroll', () => {
    missingIdTests((id) => send('POST', `/seqflow/v1/contacts/${id}/unenroll`));

    it('should answer 404 NOT_ENROLLED when the contact exists but is not enrolled', async () => {
      const contactId = await newContact();
      const r = await send('POST', `/seqflow/v1/contacts/${contactId}/unenroll`);
      expectNotFound(r);
      expect(r.body.subCategory).toBe('NOT_ENROLLED');
    });
  });

  // ===========================================================================================
  describe('POST /seqflow/v1/enrollments/:id/pause and /resume', () => {
    describe('pause', () => missingIdTests((id) => send('POST', `/seqflow/v1/enrollments/${id}/pause`)));
    describe('resume', () => missingIdTests((id) => send('POST', `/seqflow/v1/enrollments/${id}/resume`)));

    const enrolled = async () => {
      const { rep, sequenceId, contactId } = await newEnrollmentSetup();
      const r = await enroll(rep.userId, { contactId, sequenceId, senderEmail: rep.email });
      expect(r.status).toBe(200);
      return { contactId, enrollmentId: r.body.id as string };
    };

    it('should answer 409 CONFLICT and keep the state when an unenrolled enrollment is paused or resumed', async () => {
      const { contactId, enrollmentId } = await enrolled();
      expect((await send('POST', `/seqflow/v1/contacts/${contactId}/unenroll`)).status).toBe(200);
      for (const action of ['pause', 'resume']) {
        const r = await send('POST', `/seqflow/v1/enrollments/${enrollmentId}/${action}`);
        expectError(r, 409, 'CONFLICT', action);
        expect(r.body.message, action).toMatch(/UNENROLLED/);
      }
      expect(await enrollmentsOf(contactId)).toMatchObject([{ state: 'UNENROLLED', reason: 'MANUAL' }]);
    });

    it('should answer 409 NOT_PAUSED and keep it active when an active enrollment is resumed', async () => {
      const { contactId, enrollmentId } = await enrolled();
      const r = await send('POST', `/seqflow/v1/enrollments/${enrollmentId}/resume`);
      expectError(r, 409, 'CONFLICT');
      expect(r.body.subCategory).toBe('NOT_PAUSED');
      expect(await enrollmentsOf(contactId)).toMatchObject([{ state: 'ACTIVE' }]);
    });

    it('should answer 409 NOT_ACTIVE and keep it paused when a paused enrollment is paused again', async () => {
      const { contactId, enrollmentId } = await enrolled();
      expect((await send('POST', `/seqflow/v1/enrollments/${enrollmentId}/pause`)).status).toBe(200);
      const r = await send('POST', `/seqflow/v1/enrollments/${enrollmentId}/pause`);
      expectError(r, 409, 'CONFLICT');
      expect(r.body.subCategory).toBe('NOT_ACTIVE');
      expect(await enrollmentsOf(contactId)).toMatchObject([{ state: 'PAUSED' }]);
    });
  });

  // ===========================================================================================
  describe('GET /seqflow/v1/tasks', () => {
    it.each([
      { query: 'userId=abc', field: 'userId' },
      { query: 'userId=1.5', field: 'userId' },
      { query: 'enrollmentId=-1', field: 'enrollmentId' },
    ])('should answer 400 naming $field when the query is ?$query', async ({ query, field }) => {
      expectInvalid(await send('GET', `/seqflow/v1/tasks?${query}`), field, new RegExp(field));
    });

    // BUG: on PostgreSQL a userId past 2^31-1 is a 500 (numericId in src/http/validate.ts has no upper bound).
    it('should answer 200 with nothing when userId is past the 32-bit range', async () => {
      const r = await send('GET', `/seqflow/v1/tasks?userId=${PAST_INT32}`);
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      expect(r.body.results).toEqual([]);
    });
  });

  // ===========================================================================================
  describe('POST /seqflow/v1/blocklist', () => {
    it.each([
      { what: 'kind is unknown', body: { kind: 'ip', value: '10.0.0.1' }, field: 'kind' },
      { what: 'kind is missing', body: { value: 'spam.test' }, field: 'kind' },
      { what: 'value is missing', body: { kind: 'domain' }, field: 'value' },
      { what: 'value is too short', body: { kind: 'domain', value: 'x' }, field: 'value' },
      { what: 'value is over 320 characters', body: { kind: 'domain', value: `${'d'.repeat(320)}.test` }, field: 'value' },
      { what: 'value is a number', body: { kind: 'domain', value: 12345 }, field: 'value' },
    ])('should answer 400 naming the field when $what', async ({ body, field }) => {
      expectInvalid(await send('POST', '/seqflow/v1/blocklist', { body }), field, new RegExp(field));
    });

    // BUG: the value is only length-checked (the blocklist schema in
    // src/http/seqflow/enrollment-actions.ts), so an "address" that is no email address or a
    // "domain" with spaces and an @ is stored (201) and can never match anything.
    it.each([
      { what: 'an address is not an email', body: { kind: 'address', value: 'not an email' } },
      { what: 'a domain has spaces and an @', body: { kind: 'domain', value: 'not a@domain' } },
    ])('should answer 400 naming value when $what', async ({ body }) => {
      expectInvalid(await send('POST', '/seqflow/v1/blocklist', { body }), 'value', /value/);
    });

    // BUG: on PostgreSQL a NUL character in the value is a 500 (driver error 22021, mapped to 500 by src/http/errors.ts).
    it('should store it or answer 400 naming value, never 500, when the value holds a NUL character', async () => {
      const r = await send('POST', '/seqflow/v1/blocklist', { body: { kind: 'address', value: `${uid('a\u0000b')}@spam.test` } });
      expect([201, 400], JSON.stringify(r.body)).toContain(r.status);
      if (r.status === 400) expectInvalid(r, 'value');
    });
  });

  // ===========================================================================================
  describe('GET and POST /seqflow/v1/unsubscribe/:token (public)', () => {
    /** An enrolled contact, its first email sent, and the path of the link in its List-Unsubscribe. */
    const linkFromEmail = async () => {
      const { rep, sequenceId, contactId } = await newEnrollmentSetup();
      expect((await enroll(rep.userId, { contactId, sequenceId, senderEmail: rep.email })).status).toBe(200);
      await h.advance(0);
      const to = (await send('GET', `/crm/v3/objects/contacts/${contactId}`)).body.properties.email;
      const [mail] = (await send('GET', `/seqflow/v1/dev-mail/messages?to=${encodeURIComponent(to)}`)).body.results;
      const path = new URL(/<(https?:[^>]+)>/.exec(mail.headers['list-unsubscribe'])![1]).pathname;
      return { contactId, path };
    };

    it.each(['garbage', 'a.b', 'a.b.c', 'Zm9v.YmFy'])('should answer 400 INVALID_TOKEN without asking for a token when the link %j is forged', async (token) => {
      for (const method of ['GET', 'POST']) {
        const r = await send(method, `/seqflow/v1/unsubscribe/${encodeURIComponent(token)}`, { token: null });
        expectError(r, 400, 'VALIDATION_ERROR', method);
        expect(r.body.subCategory, method).toBe('INVALID_TOKEN');
        expect(r.body.message, method).toMatch(/unsubscribe link/);
      }
    });

    // BUG: a path parameter over Fastify's maxParamLength (100) fails in the router with
    // FST_ERR_MAX_PARAM_LENGTH before setErrorHandler runs, so the body is Fastify's own
    // {"error","code","message","statusCode"} (the Fastify options in buildApp, src/http/app.ts, set no frameworkErrors handler).
    it('should answer 4xx in HubSpot shape without asking for a token when the link is 2,000 characters long', async () => {
      const r = await send('POST', `/seqflow/v1/unsubscribe/${'x'.repeat(2000)}.y`, { token: null });
      expect([400, 404, 414], JSON.stringify(r.body)).toContain(r.status);
      expectError(r, r.status);
    });

    it('should answer 400 and unsubscribe nobody when a real link is tampered with', async () => {
      const { contactId, path } = await linkFromEmail();
      const tampered = path.slice(0, -1) + (path.endsWith('A') ? 'B' : 'A');
      const r = await send('POST', tampered, { token: null, raw: 'List-Unsubscribe=One-Click', contentType: 'application/x-www-form-urlencoded' });
      expectError(r, 400, 'VALIDATION_ERROR');
      expect(await enrollmentsOf(contactId)).toMatchObject([{ state: 'ACTIVE' }]);
    });

    // BUG: RFC 8058 says the one-click POST content SHOULD be multipart/form-data (and MAY be
    // application/x-www-form-urlencoded); only an application/x-www-form-urlencoded parser is installed
    // (src/http/app.ts addContentTypeParser), so a multipart one-click is a 415 and the contact stays enrolled.
    it('should unsubscribe when the one-click POST is multipart/form-data', async () => {
      const { contactId, path } = await linkFromEmail();
      const raw = '--XyZ\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\nOne-Click\r\n--XyZ--\r\n';
      const r = await send('POST', path, { token: null, raw, contentType: 'multipart/form-data; boundary=XyZ' });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      expect(await enrollmentsOf(contactId)).toMatchObject([{ state: 'UNENROLLED', reason: 'UNSUBSCRIBED' }]);
    });
  });

  // ===========================================================================================
  describe('POST /seqflow/v1/clock/advance', () => {
    it.each([
      { what: 'ms is negative', body: { ms: -1 } },
      { what: 'ms is a day back', body: { ms: -DAY } },
      { what: 'ms is a string', body: { ms: '1000' } },
      { what: 'ms is fractional', body: { ms: 1.5 } },
      { what: 'ms is missing', body: {} },
      { what: 'ms is null', body: { ms: null } },
      { what: 'ms is over five years', body: { ms: 5 * 366 * DAY + 1 } },
      { what: 'ms is 1e20', body: { ms: 1e20 } },
    ])('should answer 400 naming ms and leave the clock alone when $what', async ({ body }) => {
      const before = await now();
      expectInvalid(await send('POST', '/seqflow/v1/clock/advance', { body }), 'ms', /ms/);
      expect(await now()).toBe(before);
    });
  });

  describe('GET /seqflow/v1/dev-mail/messages', () => {
    it.each([
      { query: 'limit=0', field: 'limit' },
      { query: 'limit=1001', field: 'limit' },
      { query: 'limit=abc', field: 'limit' },
      { query: 'to=a@x.co&to=b@x.co', field: 'to' },
    ])('should answer 400 naming $field when the query is ?$query', async ({ query, field }) => {
      expectInvalid(await send('GET', `/seqflow/v1/dev-mail/messages?${query}`), field, new RegExp(field));
    });
  });

  // ===========================================================================================
  describe('POST /automation/v4/flows', () => {
    it.each([
      { what: 'the type is PLATFORM_FLOW', patch: { type: 'PLATFORM_FLOW' }, field: 'type', message: /CONTACT_FLOW/ },
      { what: 'the type is missing', patch: { type: undefined }, field: 'type', message: /type/ },
      { what: 'objectTypeId is not contacts', patch: { objectTypeId: '0-2' }, field: 'objectTypeId', message: /objectTypeId|0-1/ },
      { what: 'the name is blank', patch: { name: '  ' }, field: 'name', message: /name/ },
      { what: 'isEnabled is a string', patch: { isEnabled: 'no' }, field: 'isEnabled', message: /isEnabled/ },
      { what: 'actions is an object', patch: { actions: {} }, field: 'actions', message: /actions/ },
      { what: 'an action has no actionId', patch: { actions: [{ actionTypeId: '0-1', fields: { delta: '1', time_unit: 'DAYS' } }] }, field: 'actions[0].actionId', message: /actionId/ },
      { what: 'an action type is unknown', patch: { actions: [{ actionId: '1', actionTypeId: '0-999' }] }, field: 'actions[0].actionTypeId', message: /0-999/ },
      { what: 'a delay is not a number', patch: { actions: [{ actionId: '1', actionTypeId: '0-1', fields: { delta: 'soon', time_unit: 'DAYS' } }] }, field: /^actions\[0\]\.fields/, message: /delta/ },
      {
        what: 'an enroll action names a missing sequence',
        patch: { actions: [{ actionId: '1', actionTypeId: '0-46510720', fields: { sequenceId: NO_SUCH, senderType: 'SPECIFIC_USER', userId: NO_SUCH } }] },
        field: 'actions[0].fields.sequenceId',
        message: /Sequence/,
      },
      { what: 'the enrollment criteria type is unknown', patch: { enrollmentCriteria: { type: 'WHENEVER' } }, field: 'enrollmentCriteria.type', message: /enrollmentCriteria/ },
    ])('should answer 400 naming the field and create no flow when $what', async ({ patch, field, message }) => {
      const before = await countAll('/automation/v4/flows');
      expectInvalid(await send('POST', '/automation/v4/flows', { body: flowBody(patch) }), field, message);
      expect(await countAll('/automation/v4/flows')).toBe(before);
    });
  });

  describe('GET /automation/v4/flows', () => {
    it.each([
      { query: 'limit=0', field: 'limit' },
      { query: 'limit=101', field: 'limit' },
      { query: 'limit=abc', field: 'limit' },
      { query: 'after=-1', field: 'after' },
    ])('should answer 400 naming $field when the query is ?$query', async ({ query, field }) => {
      expectInvalid(await send('GET', `/automation/v4/flows?${query}`), field, new RegExp(field));
    });
  });

  describe('GET /automation/v4/flows/:id', () => {
    missingIdTests((id) => send('GET', `/automation/v4/flows/${id}`));
  });

  describe('PUT /automation/v4/flows/:id', () => {
    missingIdTests((id) => send('PUT', `/automation/v4/flows/${id}`, { body: flowBody() }));

    const newFlow = async () => {
      const r = await send('POST', '/automation/v4/flows', { body: flowBody() });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      return r.body.id as string;
    };

    it.each([
      { what: 'the name is blank', body: () => flowBody({ name: '' }), query: '', field: 'name', message: /name/ },
      { what: 'an action type is unknown', body: () => flowBody({ actions: [{ actionId: '1', actionTypeId: '0-999' }] }), query: '', field: 'actions[0].actionTypeId', message: /actionTypeId 0-999/ },
      { what: 'enrollExisting is not a boolean', body: () => flowBody(), query: '?enrollExisting=maybe', field: 'enrollExisting', message: /enrollExisting/ },
    ])('should answer 400 naming the field and keep the flow when $what', async ({ body, query, field, message }) => {
      const id = await newFlow();
      const before = (await send('GET', `/automation/v4/flows/${id}`)).body;
      expectInvalid(await send('PUT', `/automation/v4/flows/${id}${query}`, { body: body() }), field, message);
      expect((await send('GET', `/automation/v4/flows/${id}`)).body).toEqual(before);
    });

    it('should answer 409 CONFLICT and keep the flow when the revisionId is stale', async () => {
      const id = await newFlow();
      const before = (await send('GET', `/automation/v4/flows/${id}`)).body;
      const r = await send('PUT', `/automation/v4/flows/${id}`, { body: flowBody({ name: 'Renamed', revisionId: '99' }) });
      expectError(r, 409, 'CONFLICT');
      expect(r.body.message).toMatch(/revision/);
      expect((await send('GET', `/automation/v4/flows/${id}`)).body).toEqual(before);
    });
  });

  describe('DELETE /automation/v4/flows/:id', () => {
    missingIdTests((id) => send('DELETE', `/automation/v4/flows/${id}`));
  });

  describe('POST /automation/v4/flows/batch/read', () => {
    it.each([
      { what: 'inputs is a string', body: { inputs: 'x' }, field: 'inputs' },
      { what: 'inputs is missing', body: {}, field: 'inputs' },
      { what: 'a flowId is not numeric', body: { inputs: [{ flowId: 'abc' }] }, field: 'inputs[0].flowId' },
      { what: 'there are 101 inputs', body: { inputs: Array.from({ length: 101 }, (_, i) => ({ flowId: String(i + 1) })) }, field: 'inputs' },
    ])('should answer 400 naming the field when $what', async ({ body, field }) => {
      expectInvalid(await send('POST', '/automation/v4/flows/batch/read', { body }), field, /inputs/);
    });
  });

  describe('GET /seqflow/v1/workflows/:id/log', () => {
    missingIdTests((id) => send('GET', `/seqflow/v1/workflows/${id}/log`));

    it.each([
      { query: 'status=BOGUS', field: 'status' },
      { query: 'limit=0', field: 'limit' },
      { query: 'contactId=abc', field: 'contactId' },
    ])('should answer 400 naming $field when the query is ?$query', async ({ query, field }) => {
      const flow = await send('POST', '/automation/v4/flows', { body: flowBody() });
      expectInvalid(await send('GET', `/seqflow/v1/workflows/${flow.body.id}/log?${query}`), field, new RegExp(field));
    });
  });

  describe('GET /seqflow/v1/workflows/:id/stats', () => {
    missingIdTests((id) => send('GET', `/seqflow/v1/workflows/${id}/stats`));
  });

  describe('POST /seqflow/v1/workflows/:id/check', () => {
    missingIdTests((id) => send('POST', `/seqflow/v1/workflows/${id}/check`));
  });

  // ===========================================================================================
  describe('POST /seqflow/v1/forms', () => {
    it.each([
      { what: 'the name is missing', body: { fields: [{ name: 'email' }] }, field: 'name' },
      { what: 'the name is blank', body: { name: ' ', fields: [{ name: 'email' }] }, field: 'name' },
      { what: 'fields is missing', body: { name: 'Demo' }, field: 'fields' },
      { what: 'fields is empty', body: { name: 'Demo', fields: [] }, field: 'fields' },
      { what: 'a field name has spaces', body: { name: 'Demo', fields: [{ name: 'First Name' }] }, field: 'fields[0].name' },
      { what: 'required is a string', body: { name: 'Demo', fields: [{ name: 'email', required: 'yes' }] }, field: 'fields[0].required' },
      { what: 'there are 101 fields', body: { name: 'Demo', fields: Array.from({ length: 101 }, (_, i) => ({ name: `f${i}` })) }, field: 'fields' },
    ])('should answer 400 naming the field and create no form when $what', async ({ body, field }) => {
      const before = (await send('GET', '/seqflow/v1/forms')).body.results.length;
      expectInvalid(await send('POST', '/seqflow/v1/forms', { body }), field, new RegExp(field.replace(/[[\].]/g, '\\$&')));
      expect((await send('GET', '/seqflow/v1/forms')).body.results).toHaveLength(before);
    });
  });

  describe('GET /forms/:guid (public)', () => {
    it.each(['no-such-form', '00000000-0000-0000-0000-000000000000'])('should answer 404 OBJECT_NOT_FOUND without asking for a token when the form %s does not exist', async (guid) => {
      expectNotFound(await send('GET', `/forms/${guid}`, { token: null }));
    });
  });

  describe('POST /submissions/v3/integration/submit/:portalId/:guid (public)', () => {
    const newForm = async () => {
      const r = await send('POST', '/seqflow/v1/forms', { body: { name: uid('Demo '), fields: [{ name: 'email', required: true }, { name: 'firstname' }] } });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      return { portalId: r.body.portalId as string, guid: r.body.id as string };
    };

    it('should answer 404 OBJECT_NOT_FOUND and create no contact when the form or the portal does not exist', async () => {
      const { portalId, guid } = await newForm();
      const before = await contactCount();
      const fields = [{ name: 'email', value: `${uid('lead')}@example.com` }];
      expectNotFound(await send('POST', `/submissions/v3/integration/submit/${portalId}/no-such-form`, { token: null, body: { fields } }), 'form');
      expectNotFound(await send('POST', `/submissions/v3/integration/submit/1${portalId}/${guid}`, { token: null, body: { fields } }), 'portal');
      expect(await contactCount()).toBe(before);
    });

    it.each([
      { what: 'fields is a string', body: { fields: 'email=a@b.co' }, field: 'fields' },
      { what: 'a value is an object', body: { fields: [{ name: 'email', value: { a: 1 } }] }, field: 'fields[0].value' },
      { what: 'a field has no name', body: { fields: [{ value: 'x' }] }, field: 'fields[0].name' },
      { what: 'the required email is missing', body: { fields: [{ name: 'firstname', value: 'Ann' }] }, field: /email/ },
      { what: 'the email is not an address', body: { fields: [{ name: 'email', value: 'not-an-email' }] }, field: /email/ },
    ])('should answer 400 naming the field and create no contact when $what', async ({ body, field }) => {
      const { portalId, guid } = await newForm();
      const before = await contactCount();
      expectInvalid(await send('POST', `/submissions/v3/integration/submit/${portalId}/${guid}`, { token: null, body }), field);
      expect(await contactCount()).toBe(before);
    });
  });

  // ===========================================================================================
  describe('POST /crm/v3/objects/meetings', () => {
    it.each([
      { what: 'properties is missing', body: (_c: string) => ({}), field: 'properties' },
      { what: 'hubspot_owner_id is not an id', body: (c: string) => ({ properties: { hubspot_owner_id: 'rita' }, associations: [{ to: { id: c } }] }), field: 'properties.hubspot_owner_id' },
      { what: 'hs_timestamp is not a date', body: (c: string) => ({ properties: { hs_timestamp: 'next tuesday' }, associations: [{ to: { id: c } }] }), field: 'properties.hs_timestamp' },
      { what: 'an association id is not numeric', body: (_c: string) => ({ properties: {}, associations: [{ to: { id: 'lead' } }] }), field: 'associations[0].to.id' },
      { what: 'there is no association', body: (_c: string) => ({ properties: {}, associations: [] }), field: 'associations' },
    ])('should answer 400 naming the field when $what', async ({ body, field }) => {
      const contactId = await newContact();
      expectInvalid(await send('POST', '/crm/v3/objects/meetings', { body: body(contactId) }), field);
    });

    it('should answer 4xx in HubSpot shape when the associated contact does not exist', async () => {
      const r = await send('POST', '/crm/v3/objects/meetings', { body: { properties: {}, associations: [{ to: { id: NO_SUCH } }] } });
      expect([400, 404], JSON.stringify(r.body)).toContain(r.status);
      expectError(r, r.status);
      expect(r.body.message).toContain(NO_SUCH);
    });
  });
});
