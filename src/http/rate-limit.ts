import crypto from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * HubSpot's per-token API limits (hubspot-api.md §0.5, §4): 190 requests per rolling 10 s
 * (private apps, Professional/Enterprise) and 4 requests per second on CRM search, with the
 * X-HubSpot-RateLimit-* headers on every response and 429 bodies the official client retries on
 * (`policyName: "TEN_SECONDLY_ROLLING"`, or the "secondly limit" message).
 *
 * The windows are true rolling windows over the wall clock (they protect a live server, so they
 * ignore --fake-clock). They live in this process's memory: with several API processes behind a
 * balancer each applies the limit on its own, so a token may get up to N times the limit.
 */
export interface RateLimitOptions {
  /** Requests per rolling 10 s per token; 0 turns the limit off (setting SEQFLOW_RATE_LIMIT_10S). */
  per10s: number;
  /** Search requests per rolling second per token; 0 turns it off (setting SEQFLOW_SEARCH_RATE_LIMIT_1S). */
  searchPer1s: number;
}

const TEN_S = 10_000;
const ONE_S = 1_000;
/** CRM search on any object type. */
const SEARCH = /^\/crm\/v3\/objects\/[^/]+\/search$/;

/** Timestamps of one token's recent requests, oldest first; at most `cap` are kept. */
class Window {
  private hits: number[] = [];
  constructor(
    private readonly ms: number,
    private readonly cap: number,
  ) {}
  /** Drops hits older than the window and returns how many remain. */
  count(now: number): number {
    let i = 0;
    while (i < this.hits.length && this.hits[i] <= now - this.ms) i++;
    if (i) this.hits.splice(0, i);
    return this.hits.length;
  }
  add(now: number): void {
    this.hits.push(now);
    if (this.hits.length > this.cap) this.hits.shift();
  }
  /** Milliseconds until the oldest hit leaves the window. */
  retryAfter(now: number): number {
    return this.hits.length ? Math.max(0, this.hits[0] + this.ms - now) : 0;
  }
  get newest(): number {
    return this.hits[this.hits.length - 1] ?? 0;
  }
}

interface Buckets {
  tenSecond: Window;
  second: Window;
  search: Window;
}

export interface RateLimiter {
  readonly config: RateLimitOptions;
  /** Counts the request against `key` and sets the headers; answers 429 (and returns true) when over a limit. */
  check(key: string, request: FastifyRequest, reply: FastifyReply): boolean;
}

export function createRateLimiter(config: RateLimitOptions, now: () => number = Date.now): RateLimiter {
  const buckets = new Map<string, Buckets>();
  /** The informational Secondly header on non-search routes: a tenth of the 10-second limit. */
  const secondly = Math.ceil(config.per10s / 10);
  let sinceSweep = 0;

  const bucketsOf = (key: string): Buckets => {
    let b = buckets.get(key);
    if (!b) {
      b = { tenSecond: new Window(TEN_S, config.per10s + 1), second: new Window(ONE_S, Math.max(secondly, config.searchPer1s) + 1), search: new Window(ONE_S, config.searchPer1s + 1) };
      buckets.set(key, b);
    }
    return b;
  };
  /** Forgets tokens idle for a whole window, so memory follows the active tokens only. */
  const sweep = (t: number) => {
    if (++sinceSweep < 1000) return;
    sinceSweep = 0;
    for (const [key, b] of buckets) if (b.tenSecond.newest <= t - TEN_S && b.search.newest <= t - ONE_S) buckets.delete(key);
  };

  const tooMany = (reply: FastifyReply, retryMs: number, message: string, policyName: string) => {
    void reply
      .status(429)
      .header('retry-after', String(Math.max(1, Math.ceil(retryMs / 1000))))
      .type('application/json;charset=utf-8')
      .send({ status: 'error', message, errorType: 'RATE_LIMIT', correlationId: crypto.randomUUID(), category: 'RATE_LIMITS', policyName });
    return true;
  };

  return {
    config,
    check(key, request, reply) {
      if (!config.per10s && !config.searchPer1s) return false;
      const t = now();
      sweep(t);
      const b = bucketsOf(key);
      const isSearch = request.method === 'POST' && SEARCH.test(request.routeOptions.url ?? '');
      const used10 = b.tenSecond.count(t);
      const used1 = b.second.count(t);
      const usedSearch = isSearch ? b.search.count(t) : 0;
      const limit1 = isSearch && config.searchPer1s ? config.searchPer1s : secondly;
      const over10 = config.per10s > 0 && used10 >= config.per10s;
      const overSearch = isSearch && config.searchPer1s > 0 && usedSearch >= config.searchPer1s;
      if (!over10 && !overSearch) {
        b.tenSecond.add(t);
        b.second.add(t);
        if (isSearch) b.search.add(t);
      }
      if (config.per10s) {
        reply.header('x-hubspot-ratelimit-max', String(config.per10s));
        reply.header('x-hubspot-ratelimit-remaining', String(Math.max(0, config.per10s - b.tenSecond.count(t))));
        reply.header('x-hubspot-ratelimit-interval-milliseconds', String(TEN_S));
      }
      reply.header('x-hubspot-ratelimit-secondly', String(limit1));
      reply.header('x-hubspot-ratelimit-secondly-remaining', String(Math.max(0, limit1 - (isSearch ? b.search : b.second).count(t))));
      if (overSearch) return tooMany(reply, b.search.retryAfter(t), 'You have reached your secondly limit.', 'SECONDLY');
      if (over10) return tooMany(reply, b.tenSecond.retryAfter(t), 'You have reached your ten_secondly_rolling limit.', 'TEN_SECONDLY_ROLLING');
      return false;
    },
  };
}
