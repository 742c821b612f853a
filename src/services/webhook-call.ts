/**
 * The network half of the "Send a webhook" action: one HTTP request, to the address the host
 * policy checked just before (the connection's DNS lookup answers with that address, so a name
 * cannot be re-pointed between the check and the call), with a timeout and a bounded answer.
 */
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { retryAfterMs, webhookAddressRefusal, WEBHOOK_TIMEOUT_MS, type WebhookAnswer } from '../domain/webhooks.js';
import { MailHostRefused, resolveMailHost, type MailHostPolicy } from '../mail/host-policy.js';

/** The host policy of webhooks: the mail policy's resolver with the webhook rules. */
export const webhookHostPolicy = (allowPrivate: boolean): MailHostPolicy => ({ allowPrivate, refusal: (ip) => webhookAddressRefusal(ip, { allowPrivate }) });

export const DEFAULT_WEBHOOK_HOST_POLICY = webhookHostPolicy(false);

/** The most of an answer's body read; the log keeps less. */
const MAX_ANSWER_BYTES = 64 * 1024;

export interface WebhookRequest {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body?: string;
}

/** A refused host is an answer too (nothing was sent): the caller fails the action without retrying. */
export type WebhookCallResult = WebhookAnswer | { kind: 'refused'; error: string };

export async function callWebhook(req: WebhookRequest, o: { policy: MailHostPolicy; now: number; timeoutMs?: number }): Promise<WebhookCallResult> {
  const url = new URL(req.url);
  let address: string;
  try {
    address = (await resolveMailHost(url.hostname, o.policy)).address;
  } catch (err) {
    if (err instanceof MailHostRefused) return { kind: 'refused', error: err.message };
    return { kind: 'error', error: `DNS: ${(err as Error).message}` };
  }
  const family = isIP(address) === 6 ? 6 : 4;
  const lookup: LookupFunction = (_host, opts, cb) => {
    if (opts?.all) (cb as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [{ address, family }]);
    else cb(null, address, family);
  };
  const client = url.protocol === 'https:' ? https : http;
  return new Promise<WebhookCallResult>((resolve) => {
    const r = client.request(
      url,
      { method: req.method, headers: { ...req.headers, ...(req.body !== undefined && { 'content-length': String(Buffer.byteLength(req.body)) }) }, lookup, timeout: o.timeoutMs ?? WEBHOOK_TIMEOUT_MS },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          if (size < MAX_ANSWER_BYTES) chunks.push(c);
          size += c.length;
        });
        res.on('end', () => {
          const retryAfter = retryAfterMs(typeof res.headers['retry-after'] === 'string' ? res.headers['retry-after'] : null, o.now);
          resolve({ kind: 'status', status: res.statusCode ?? 0, body: Buffer.concat(chunks).subarray(0, MAX_ANSWER_BYTES).toString('utf8'), ...(retryAfter !== undefined && { retryAfterMs: retryAfter }) });
        });
        res.on('error', (err) => resolve({ kind: 'error', error: err.message }));
      },
    );
    r.on('timeout', () => r.destroy(new Error(`no answer within ${Math.round((o.timeoutMs ?? WEBHOOK_TIMEOUT_MS) / 1000)} s`)));
    r.on('error', (err) => resolve({ kind: 'error', error: err.message }));
    r.end(req.body);
  });
}
