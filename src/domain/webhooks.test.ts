import { describe, expect, it } from 'vitest';
import { DAY_MS, MINUTE_MS } from './send-limits.js';
import { retryAfterMs, webhookAddressRefusal, webhookSignature, webhookUrlProblem, webhookVerdict } from './webhooks.js';

const T = Date.parse('2026-03-02T14:00:00Z');
const status = (s: number, retryAfter?: number) => ({ kind: 'status' as const, status: s, body: '', ...(retryAfter !== undefined && { retryAfterMs: retryAfter }) });

describe('webhook verdicts', () => {
  it('should be done when the answer is 2xx', () => {
    expect(webhookVerdict(status(204), { now: T, firstAt: T, attempt: 1 })).toEqual({ kind: 'done' });
  });
  it('should fail without retrying when the answer is a 4xx other than 429', () => {
    for (const s of [400, 401, 404, 410]) expect(webhookVerdict(status(s), { now: T, firstAt: T, attempt: 1 })).toEqual({ kind: 'failed' });
  });
  it('should retry after 1, 2, 4 minutes, doubling to at most 8 hours, when the answer is 5xx, 429 or no answer', () => {
    expect(webhookVerdict(status(500), { now: T, firstAt: T, attempt: 1 })).toEqual({ kind: 'retry', at: T + MINUTE_MS });
    expect(webhookVerdict(status(429), { now: T, firstAt: T, attempt: 3 })).toEqual({ kind: 'retry', at: T + 4 * MINUTE_MS });
    expect(webhookVerdict({ kind: 'error', error: 'ECONNREFUSED' }, { now: T, firstAt: T, attempt: 30 })).toEqual({ kind: 'retry', at: T + 8 * 60 * MINUTE_MS });
  });
  it("should wait for the server's Retry-After, within the bounds, when a 429 carries one", () => {
    expect(webhookVerdict(status(429, 30 * MINUTE_MS), { now: T, firstAt: T, attempt: 1 })).toEqual({ kind: 'retry', at: T + 30 * MINUTE_MS });
    expect(retryAfterMs('120', T)).toBe(120_000);
    expect(retryAfterMs(new Date(T + 5000).toUTCString(), T)).toBe(5000);
  });
  it('should make the last retry exactly three days after the first attempt and give up after it', () => {
    expect(webhookVerdict(status(503), { now: T + 3 * DAY_MS - MINUTE_MS, firstAt: T, attempt: 15 })).toEqual({ kind: 'retry', at: T + 3 * DAY_MS });
    expect(webhookVerdict(status(503), { now: T + 3 * DAY_MS, firstAt: T, attempt: 16 })).toEqual({ kind: 'gave-up' });
  });
});

describe('webhook hosts and URLs', () => {
  it('should refuse metadata and link-local addresses whatever the setting says', () => {
    for (const ip of ['169.254.169.254', '169.254.1.1', 'fe80::1', 'fd00:ec2::254', '::ffff:169.254.169.254']) expect(webhookAddressRefusal(ip, { allowPrivate: true }), ip).toMatch(/never call/);
  });
  it('should refuse loopback and private addresses unless SEQFLOW_ALLOW_PRIVATE_WEBHOOK_HOSTS is on', () => {
    for (const ip of ['127.0.0.1', '::1', '10.1.2.3', '192.168.0.9']) {
      expect(webhookAddressRefusal(ip, { allowPrivate: false }), ip).toMatch(/SEQFLOW_ALLOW_PRIVATE_WEBHOOK_HOSTS/);
      expect(webhookAddressRefusal(ip, { allowPrivate: true }), ip).toBeNull();
    }
    expect(webhookAddressRefusal('93.184.216.34', { allowPrivate: false })).toBeNull();
  });
  it('should refuse URLs that are not http(s), carry credentials or name a metadata service', () => {
    expect(webhookUrlProblem('ftp://example.com/x')).toMatch(/https/);
    expect(webhookUrlProblem('https://user:pw@example.com/')).toMatch(/password/);
    expect(webhookUrlProblem('http://metadata.google.internal/computeMetadata/v1/')).toMatch(/metadata/);
    expect(webhookUrlProblem('not a url')).toMatch(/not a URL/);
    expect(webhookUrlProblem('https://hooks.example.com/in?x=1')).toBeNull();
  });
  it('should sign method, URL, body and timestamp so that changing any of them changes the signature', () => {
    const base = { method: 'POST', url: 'https://hooks.example.com/in', body: '{"a":1}', timestamp: T };
    const sig = webhookSignature('k', base);
    expect(sig).toMatch(/^[A-Za-z0-9+/]+=*$/);
    for (const changed of [{ method: 'GET' }, { url: 'https://hooks.example.com/other' }, { body: '{"a":2}' }, { timestamp: T + 1 }]) expect(webhookSignature('k', { ...base, ...changed })).not.toBe(sig);
    expect(webhookSignature('other key', base)).not.toBe(sig);
  });
});
