import { createRequire } from 'node:module';
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';
import { Client } from '@hubspot/api-client';
import { checkExchange, type Exchange } from '../contracts/contracts.js';
import type { DialectCase } from '../support/databases.js';
import { ADMIN_TOKEN, startHarness, type Harness } from '../support/harness.js';

/**
 * The official client, aimed at a running Seqflow, with every exchange it makes recorded so each
 * response the suite sees is checked against our contracts (test/contracts).
 *
 * 13.5.0 ignores `config.middleware` unless it is passed on every call (the generated Observable
 * APIs start from an empty middleware list), so recording happens one level lower: the client's
 * generated APIs and apiRequest both call `require('node-fetch').default` at request time, and
 * that property is wrapped here, for the client's own copy of node-fetch.
 */

type FetchFn = (url: unknown, init?: { method?: string; body?: unknown }) => Promise<FetchResponse>;
interface FetchResponse {
  status: number;
  statusText: string;
  url: string;
  headers: { get(name: string): string | null; raw(): Record<string, string[]> };
  text(): Promise<string>;
}

const SINK = Symbol.for('seqflow.test.hubspotClientExchanges');
const PATCHED = Symbol.for('seqflow.test.nodeFetchPatched');
type Sink = (x: Exchange) => void;
const g = globalThis as unknown as Record<symbol, Sink | undefined>;

const requireFromClient = createRequire(createRequire(import.meta.url).resolve('@hubspot/api-client'));
const nodeFetch = requireFromClient('node-fetch') as FetchFn & { default: FetchFn; Response: new (body: string, init: unknown) => FetchResponse; [PATCHED]?: true };
if (!nodeFetch[PATCHED]) {
  const original = nodeFetch.default;
  nodeFetch.default = async (url, init = {}) => {
    const res = await original(url, init);
    // Read once, answer with a copy: node-fetch v2's clone() stalls on bodies past its buffer.
    const text = await res.text();
    const u = new URL(String(url));
    g[SINK]?.({
      method: (init.method ?? 'GET').toUpperCase(),
      path: u.pathname,
      query: u.search,
      requestBody: typeof init.body === 'string' ? init.body : undefined,
      status: res.status,
      contentType: res.headers.get('content-type') ?? undefined,
      text,
    });
    return new nodeFetch.Response(text, { status: res.status, statusText: res.statusText, url: res.url, headers: res.headers.raw() });
  };
  nodeFetch[PATCHED] = true;
}

export const exchanges: Exchange[] = [];
g[SINK] = (x) => exchanges.push(x);

/** The last exchange with Seqflow, for messages that show the request and the answer. */
export const lastExchange = (): Exchange | undefined => exchanges[exchanges.length - 1];
export const show = (x: Exchange | undefined = lastExchange()) =>
  x ? `${x.method} ${x.path}${x.query} ${x.requestBody ?? ''} → ${x.status} ${x.text.slice(0, 600)}` : '(no exchange)';

/**
 * Validates every exchange of each test against its contract; a violation fails the test that
 * saw it and lists request, response and the JSON path at fault.
 */
export function checkContractsAfterEachTest(): void {
  let mark = 0;
  beforeEach(() => {
    mark = exchanges.length;
  });
  afterEach(() => {
    const seen = exchanges.slice(mark);
    const problems = seen.flatMap((x) => checkExchange(x).map((p) => `${p}\n    request body: ${x.requestBody ?? '(none)'}\n    response: ${x.text.slice(0, 500)}`));
    expect(problems, `contract violations in ${seen.length} exchanges`).toEqual([]);
  });
}

/**
 * What a client test file's describe block shares: one server of its dialect (none when the
 * dialect is skipped), the admin's client aimed at it, and the contract check after each test.
 * Read `h` and `hs` inside tests and hooks, once the server is up.
 */
export function serveOfficialClient({ create, skip }: Pick<DialectCase, 'create'> & { skip: boolean }): { readonly h: Harness; readonly hs: Client } {
  const suite = {} as { h: Harness; hs: Client };
  beforeAll(async () => {
    if (skip) return;
    suite.h = await startHarness(await create());
    suite.hs = hubspot(suite.h);
  });
  afterAll(async () => {
    if (!skip) await suite.h?.close();
  });
  checkContractsAfterEachTest();
  return suite;
}

export function hubspot(h: Harness, o: { accessToken?: string; numberOfApiCallRetries?: number } = {}): Client {
  return new Client({
    accessToken: o.accessToken ?? ADMIN_TOKEN,
    basePath: h.sf.url!,
    ...(o.numberOfApiCallRetries !== undefined && { numberOfApiCallRetries: o.numberOfApiCallRetries }),
  });
}

export interface Raw<T = any> {
  status: number;
  body: T;
  contentType: string | null;
}

/** client.apiRequest (the documented way to call sequences and flows), its JSON body parsed. */
export async function call<T = any>(client: Client, method: string, path: string, o: { qs?: Record<string, string>; body?: unknown } = {}): Promise<Raw<T>> {
  const res = await client.apiRequest({ method, path, ...(o.qs && { qs: o.qs }), ...(o.body !== undefined && { body: o.body as object }) });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, contentType: res.headers.get('content-type') };
}

/** What the generated client throws on a non-success status: ApiException {code, body, headers}. */
export interface ClientError {
  code: number;
  body: { status?: string; message: string; category: string; subCategory?: string; correlationId: string; errors?: { message: string; in?: string; code?: string }[]; context?: Record<string, string[]>; policyName?: string };
  headers: Record<string, string>;
  message: string;
}

/** Runs a client call that must fail and returns the error the client surfaced. */
export async function failure(p: Promise<unknown>): Promise<ClientError> {
  try {
    const value = await p;
    throw new Error(`expected the client to throw, it returned ${JSON.stringify(value)?.slice(0, 400)} (${show()})`);
  } catch (err) {
    if (err instanceof Error && err.message.startsWith('expected the client to throw')) throw err;
    return err as ClientError;
  }
}

/** Seeds a sales rep (seat + dev inbox) through the HubSpot users endpoint and Seqflow's inbox endpoint. */
export async function seedRep(client: Client, email: string, o: { seat?: string } = {}) {
  const user = await call(client, 'POST', '/settings/v3/users/', { body: { email, firstName: 'Rita', lastName: 'Rep', seat: o.seat ?? 'sales_professional', timezone: 'America/New_York' } });
  if (user.status !== 201) throw new Error(`seeding user: ${show()}`);
  const inbox = await call(client, 'POST', `/seqflow/v1/users/${user.body.id}/inboxes`, { body: { address: email, aliases: [], provider: 'dev' } });
  if (inbox.status !== 201) throw new Error(`seeding inbox: ${show()}`);
  return { userId: String(user.body.id), email };
}

export async function seedSequenceVia(client: Client, userId: string, name = 'Inbound follow-up') {
  const r = await call(client, 'POST', '/seqflow/v1/sequences', {
    body: {
      name,
      userId,
      settings: { eligibleFollowUpDays: 'EVERYDAY', sendWindowStartMinute: 0, sendWindowEndMinute: 1440 },
      steps: [
        { type: 'EMAIL', delayMillis: 0, subject: 'Hi {{ contact.firstname | default: "there" }}', body: '<p>Hello.</p>' },
        { type: 'TASK', delayMillis: 86_400_000, subject: 'Call them', taskType: 'CALL' },
        { type: 'EMAIL', delayMillis: 86_400_000, subject: '', body: '<p>Following up.</p>' },
      ],
    },
  });
  if (r.status !== 201) throw new Error(`seeding sequence: ${show()}`);
  return String(r.body.id);
}
