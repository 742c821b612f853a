import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dialectCases } from '../support/databases.js';
import { DAY, MINUTE, seedContact, startHarness, type Harness } from '../support/harness.js';
import { chain, createFlow, flow, log, onContactCreated } from '../support/workflows.js';
import { webhookHostPolicy } from '../../src/services/webhook-call.js';

const WEBHOOK = 'WEBHOOK';
const SECRET = 'shh-its-a-secret';

interface Received {
  method: string;
  url: string;
  body: string;
  headers: http.IncomingHttpHeaders;
}

/** A receiver on loopback that answers with the next status of its script (the last one repeats). */
async function startReceiver(script: number[]) {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ method: req.method!, url: req.url!, body: Buffer.concat(chunks).toString('utf8'), headers: req.headers });
      const status = script[Math.min(received.length - 1, script.length - 1)];
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ answer: status }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/seqflow`;
  return { url, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** What a receiver does with the documented algorithm (README, "Workflow webhooks"). */
function verify(r: Received, url: string, secret: string): boolean {
  const timestamp = String(r.headers['x-seqflow-request-timestamp']);
  const expected = crypto.createHmac('sha256', secret).update(`${r.method}${url}${r.body}${timestamp}`).digest('base64');
  const given = Buffer.from(String(r.headers['x-seqflow-signature']));
  return given.length === Buffer.from(expected).length && crypto.timingSafeEqual(given, Buffer.from(expected));
}

describe.each(dialectCases)('the "Send a webhook" workflow action on $dialect', ({ create, skip }) => {
  let h: Harness;
  let receiver: Awaited<ReturnType<typeof startReceiver>> | null = null;
  beforeEach(async (ctx) => {
    if (skip) return ctx.skip();
    h = await startHarness(await create(), { allowPrivateWebhookHosts: true });
  });
  afterEach(async () => {
    await receiver?.close();
    receiver = null;
    await h?.close();
  });

  const webhookFlow = (fields: Record<string, unknown>) => flow({ name: 'Tell the ERP', criteria: onContactCreated, actions: chain([{ actionTypeId: WEBHOOK, fields }]) });

  it('should send the signed contact record, retry after a 500, and log EXECUTED with the answer when the retry gets a 200 after the backoff', async () => {
    receiver = await startReceiver([500, 200]);
    const wf = await createFlow(h, webhookFlow({ method: 'POST', webhookUrl: receiver.url, signingSecret: SECRET }));
    const contactId = await seedContact(h, { email: 'ada@example.com', firstname: 'Ada' });
    await h.advance(0);
    expect(receiver.received).toHaveLength(1);
    expect((await log(h, wf.id, contactId)).map((e) => e.status)).toEqual(['RETRYING']);

    await h.advance(MINUTE - 1);
    expect(receiver.received).toHaveLength(1);
    await h.advance(1);
    expect(receiver.received).toHaveLength(2);
    for (const r of receiver.received) {
      expect(r.method).toBe('POST');
      expect(verify(r, receiver.url, SECRET)).toBe(true);
      expect(verify(r, receiver.url, 'a guess')).toBe(false);
      const body = JSON.parse(r.body);
      expect(body).toMatchObject({ vid: Number(contactId), 'canonical-vid': Number(contactId), 'is-contact': true, properties: { email: { value: 'ada@example.com' }, firstname: { value: 'Ada' } } });
    }
    const entries = await log(h, wf.id, contactId);
    expect(entries.map((e) => e.status)).toEqual(['RETRYING', 'EXECUTED']);
    expect(entries[0].reasonText).toMatch(/answered 500.*attempt 1/);
    expect(entries[1].reasonText).toContain('answered 200: {"answer":200}');
  });

  it('should send the contact id and email as query parameters when the method is GET', async () => {
    receiver = await startReceiver([200]);
    const wf = await createFlow(h, webhookFlow({ method: 'GET', webhookUrl: `${receiver.url}?source=seqflow` }));
    const contactId = await seedContact(h, { email: 'grace@example.com' });
    await h.advance(0);
    expect(receiver.received).toHaveLength(1);
    const url = new URL(receiver.received[0].url, 'http://x');
    expect([receiver.received[0].method, url.searchParams.get('source'), url.searchParams.get('objectId'), url.searchParams.get('email'), receiver.received[0].body]).toEqual(['GET', 'seqflow', contactId, 'grace@example.com', '']);
    expect((await log(h, wf.id, contactId)).map((e) => e.status)).toEqual(['EXECUTED']);
  });

  it('should log FAILED and stop calling when every attempt for three days gets a 500', async () => {
    receiver = await startReceiver([500]);
    const wf = await createFlow(h, webhookFlow({ method: 'POST', webhookUrl: receiver.url }));
    const contactId = await seedContact(h, { email: 'down@example.com' });
    await h.advance(3 * DAY - MINUTE);
    const before = await log(h, wf.id, contactId);
    expect(before.every((e) => e.status === 'RETRYING')).toBe(true);
    await h.advance(2 * MINUTE);
    const entries = await log(h, wf.id, contactId);
    expect(entries.at(-1)).toMatchObject({ status: 'FAILED', reasonCode: 'WEBHOOK_RETRIES_EXHAUSTED' });
    expect(receiver.received.length).toBe(entries.length);
    // 1, 2, 4 … minutes, then at most 8 hours apart, the last exactly three days after the first.
    const at = entries.map((e) => Date.parse(e.at));
    expect(at.at(-1)! - at[0]).toBe(3 * DAY);
    expect(at[1] - at[0]).toBe(MINUTE);
    expect(at[2] - at[1]).toBe(2 * MINUTE);
    expect(Math.max(...at.slice(1).map((t, i) => t - at[i]))).toBe(8 * 60 * MINUTE);
    await h.advance(DAY);
    expect(receiver.received.length).toBe(entries.length);
  });

  it('should log FAILED at once, without retrying, when the receiver answers 404', async () => {
    receiver = await startReceiver([404]);
    const wf = await createFlow(h, webhookFlow({ method: 'POST', webhookUrl: receiver.url }));
    const contactId = await seedContact(h, { email: 'gone@example.com' });
    await h.advance(DAY);
    expect(receiver.received).toHaveLength(1);
    const entries = await log(h, wf.id, contactId);
    expect(entries.map((e) => [e.status, e.reasonCode])).toEqual([['FAILED', 'WEBHOOK_REJECTED']]);
    expect(entries[0].reasonText).toContain('answered 404');
  });

  it('should log FAILED without calling when the host resolves to the metadata address at run time, though it did not at save', async () => {
    const wf = await createFlow(h, webhookFlow({ method: 'POST', webhookUrl: 'http://hooks.rebinding.test/in' }));
    // The name's DNS answer changes after the save (rebinding): the call checks it again.
    h.sf.deps.config.webhookHosts = { ...webhookHostPolicy(true), lookup: async () => [{ address: '169.254.169.254', family: 4 }] };
    const contactId = await seedContact(h, { email: 'rebind@example.com' });
    await h.advance(DAY);
    const entries = await log(h, wf.id, contactId);
    expect(entries.map((e) => [e.status, e.reasonCode])).toEqual([['FAILED', 'WEBHOOK_URL_REFUSED']]);
    expect(entries[0].reasonText).toContain('resolves to 169.254.169.254, a cloud metadata address');
  });

  it('should refuse the save with a 400 naming webhookUrl when the URL is a cloud metadata address', async () => {
    for (const webhookUrl of ['http://169.254.169.254/latest/meta-data/', 'http://metadata.google.internal/computeMetadata/v1/', 'http://[fd00:ec2::254]/', 'http://169.254.10.1/']) {
      const r = await h.api('POST', '/automation/v4/flows', webhookFlow({ method: 'POST', webhookUrl }));
      expect(r.status, webhookUrl).toBe(400);
      expect(r.body.errors[0].in, webhookUrl).toMatch(/^actions\[0\]\.fields/);
      expect(JSON.stringify(r.body), webhookUrl).toMatch(/metadata|link-local/);
    }
    const r = await h.api('POST', '/automation/v4/flows', webhookFlow({ method: 'POST', webhookUrl: 'http://169.254.169.254/' }));
    expect(r.body.errors[0].in).toBe('actions[0].fields.webhookUrl');
  });
});

describe.each(dialectCases)('webhook hosts without SEQFLOW_ALLOW_PRIVATE_WEBHOOK_HOSTS on $dialect', ({ create, skip }) => {
  let h: Harness;
  beforeEach(async (ctx) => {
    if (skip) return ctx.skip();
    h = await startHarness(await create());
  });
  afterEach(async () => h?.close());

  it('should refuse the save with a 400 naming webhookUrl when the URL points at loopback', async () => {
    const r = await h.api('POST', '/automation/v4/flows', flow({ criteria: onContactCreated, actions: chain([{ actionTypeId: WEBHOOK, fields: { method: 'POST', webhookUrl: 'http://localhost:8080/x' } }]) }));
    expect(r.status).toBe(400);
    expect(r.body.errors[0]).toMatchObject({ in: 'actions[0].fields.webhookUrl' });
    expect(r.body.message).toContain('SEQFLOW_ALLOW_PRIVATE_WEBHOOK_HOSTS');
  });
});
