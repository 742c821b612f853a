import crypto from 'node:crypto';
import { classifyAddress } from './mail-hosts.js';
import { DAY_MS, MINUTE_MS } from './send-limits.js';

/**
 * The "Send a webhook" workflow action's rules: where it may call, how a request is signed, and
 * what an answer means (HubSpot: retried from one minute after a failure for up to three days,
 * intervals growing to at most eight hours; a 4xx other than 429 is not retried).
 */
export const WEBHOOK_RETRY_FOR_MS = 3 * DAY_MS;
export const WEBHOOK_FIRST_RETRY_MS = MINUTE_MS;
export const WEBHOOK_MAX_RETRY_GAP_MS = 8 * 60 * MINUTE_MS;
export const WEBHOOK_TIMEOUT_MS = 10_000;
/** How much of an answer's body the action log keeps. */
export const WEBHOOK_LOGGED_BODY_CHARS = 500;
export const SIGNATURE_HEADER = 'X-Seqflow-Signature';
export const TIMESTAMP_HEADER = 'X-Seqflow-Request-Timestamp';

/** Names that are a cloud metadata service whatever they resolve to. */
const METADATA_NAMES = new Set(['metadata.google.internal', 'metadata', 'metadata.goog', 'instance-data', 'instance-data.ec2.internal']);

export interface WebhookHostRules {
  /** Loopback and private ranges (SEQFLOW_ALLOW_PRIVATE_WEBHOOK_HOSTS); off by default. */
  allowPrivate: boolean;
}

/**
 * Why a webhook must not be sent to this address, or null. Unlike mail relays, a webhook's URL is
 * typed by any workflow editor and its answer lands in the action log, so the machine's own
 * services (loopback) and private networks are refused too unless the operator allows them.
 */
export function webhookAddressRefusal(ip: string, rules: WebhookHostRules): string | null {
  const c = classifyAddress(ip);
  if (!c) return `${ip} is not an IP address`;
  if (c.kind === 'forbidden') return `${c.label}, which a webhook may never call`;
  if ((c.kind === 'private' || c.kind === 'loopback') && !rules.allowPrivate) return `${c.label}, and this server does not send webhooks to its own or private networks (SEQFLOW_ALLOW_PRIVATE_WEBHOOK_HOSTS=false)`;
  return null;
}

/** The pure checks of a webhook URL (scheme, form, metadata names); the host's addresses are checked apart. */
export function webhookUrlProblem(raw: unknown): string | null {
  if (typeof raw !== 'string' || raw.trim() === '') return 'The webhook needs a URL.';
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return `"${raw}" is not a URL.`;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'The webhook URL must start with https:// or http://.';
  if (url.username || url.password) return 'The webhook URL must not carry a user name or password; use the signing secret.';
  if (METADATA_NAMES.has(url.hostname.toLowerCase().replace(/\.$/, ''))) return `${url.hostname} is a cloud metadata service, which a webhook may never call.`;
  return null;
}

/**
 * The signature a receiver recomputes: base64 HMAC-SHA256, keyed by the action's secret, of
 * method + URL + body + timestamp (HubSpot's v3 signature scheme, with our header names). A
 * receiver also refuses timestamps older than five minutes, so a captured request cannot be replayed.
 */
export function webhookSignature(secret: string, r: { method: string; url: string; body: string; timestamp: number }): string {
  return crypto.createHmac('sha256', secret).update(`${r.method}${r.url}${r.body}${r.timestamp}`, 'utf8').digest('base64');
}

export type WebhookAnswer = { kind: 'status'; status: number; body: string; retryAfterMs?: number } | { kind: 'error'; error: string };

export type WebhookVerdict = { kind: 'done' } | { kind: 'failed' } | { kind: 'retry'; at: number } | { kind: 'gave-up' };

/**
 * What to do after an attempt: `attempt` is 1 for the first call, `firstAt` when it was made.
 * Retries wait 1 min, then double up to 8 h (or the server's Retry-After, within that cap); the
 * last one happens three days after the first attempt.
 */
export function webhookVerdict(answer: WebhookAnswer, o: { now: number; firstAt: number; attempt: number }): WebhookVerdict {
  if (answer.kind === 'status' && answer.status >= 200 && answer.status < 300) return { kind: 'done' };
  const retryable = answer.kind === 'error' || answer.status === 429 || answer.status >= 500 || answer.status < 200;
  if (!retryable) return { kind: 'failed' };
  const deadline = o.firstAt + WEBHOOK_RETRY_FOR_MS;
  if (o.now >= deadline) return { kind: 'gave-up' };
  const backoff = Math.min(WEBHOOK_FIRST_RETRY_MS * 2 ** Math.min(o.attempt - 1, 20), WEBHOOK_MAX_RETRY_GAP_MS);
  const wait = answer.kind === 'status' && answer.retryAfterMs !== undefined ? Math.min(Math.max(answer.retryAfterMs, WEBHOOK_FIRST_RETRY_MS), WEBHOOK_MAX_RETRY_GAP_MS) : backoff;
  return { kind: 'retry', at: Math.min(o.now + wait, deadline) };
}

/** Retry-After in seconds or as an HTTP date (RFC 9110), in ms from now; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, now: number): number | undefined {
  if (!header) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** HubSpot's contact webhook body: the contact record as the legacy contacts API shows it. */
export function webhookContactPayload(c: { id: number; properties: Record<string, string | null | undefined> }, portalId: string) {
  const properties = Object.fromEntries(
    Object.entries(c.properties)
      .filter(([, v]) => v !== null && v !== undefined && v !== '')
      .map(([k, v]) => [k, { value: String(v) }]),
  );
  return { vid: c.id, 'canonical-vid': c.id, 'portal-id': Number(portalId), 'is-contact': true, objectId: c.id, objectType: 'CONTACT', properties };
}
