/**
 * The two ways work is offered: drain (N items as fast as `clients` callers can, closed loop)
 * and paced (a fixed rate, open loop: an item is sent on schedule whether or not the previous
 * ones have been answered, so a slow system shows up as latency rather than as a slower pace).
 * Each records when every item was offered (epoch ms, before the call), keyed by recipient.
 */
import { percentile } from './stats.js';
import type { TimingSink } from './smtp-sink.js';

export type Fire = (i: number) => Promise<void>;

export interface Offered {
  startedAt: Map<string, number>;
  /** How long each successful call (HTTP POST or addJob) took to answer, ms. */
  callMs: number[];
  /** From the first call's start to the last call's answer, ms. */
  offerPhaseMs: number;
  errors: number;
  firstError: string | null;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function drain(n: number, clients: number, recipient: (i: number) => string, fire: Fire): Promise<Offered> {
  const out: Offered = { startedAt: new Map(), callMs: [], offerPhaseMs: 0, errors: 0, firstError: null };
  const t0 = Date.now();
  let next = 0;
  const lane = async () => {
    while (next < n) {
      const i = next++;
      const t = Date.now();
      try {
        await fire(i);
        out.startedAt.set(recipient(i), t);
        out.callMs.push(Date.now() - t);
      } catch (err) {
        out.errors++;
        out.firstError ??= err instanceof Error ? err.message : String(err);
      }
    }
  };
  await Promise.all(Array.from({ length: clients }, lane));
  out.offerPhaseMs = Date.now() - t0;
  return out;
}

export async function paced(ratePerS: number, seconds: number, recipient: (i: number) => string, fire: Fire): Promise<Offered> {
  const out: Offered = { startedAt: new Map(), callMs: [], offerPhaseMs: 0, errors: 0, firstError: null };
  const n = Math.round(ratePerS * seconds);
  const t0 = Date.now();
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < n; i++) {
    // Scheduled from t0, not from the previous send, so timer lateness does not accumulate.
    const wait = t0 + (i * 1000) / ratePerS - Date.now();
    if (wait > 0) await sleep(wait);
    const t = Date.now();
    inFlight.push(
      fire(i).then(
        () => {
          out.startedAt.set(recipient(i), t);
          out.callMs.push(Date.now() - t);
        },
        (err: unknown) => {
          out.errors++;
          out.firstError ??= err instanceof Error ? err.message : String(err);
        },
      ),
    );
  }
  await Promise.all(inFlight);
  out.offerPhaseMs = Date.now() - t0;
  return out;
}

/** Waits until every offered item reached the sink, or nothing has arrived for `stallMs`. */
export async function awaitSink(sink: TimingSink, offered: Offered, stallMs: number): Promise<void> {
  let seen = -1;
  let lastProgress = Date.now();
  for (;;) {
    let got = 0;
    for (const to of offered.startedAt.keys()) if (sink.acceptedAt.has(to)) got++;
    if (got >= offered.startedAt.size) return;
    if (got !== seen) {
      seen = got;
      lastProgress = Date.now();
    } else if (Date.now() - lastProgress > stallMs) return;
    await sleep(50);
  }
}

export interface Measured {
  offered: number;
  accepted: number;
  errors: number;
  firstError: string | null;
  /** Accepted items / (last 250 − first offer). */
  perSec: number;
  p50Ms: number | null;
  p99Ms: number | null;
  maxMs: number | null;
  /** p50 and p99 of the items offered after the first WARM_UP_MS: a cold process's first seconds apart. */
  warmP50Ms: number | null;
  warmP99Ms: number | null;
  /** Items offered per second while offering, and the median call answer time: the API's share. */
  offeredPerSec: number;
  callP50Ms: number | null;
  /**
   * Paced loads: the three seconds of the run (counted from the first offer, by when an item was
   * offered) with the highest p99, slowest first — whether a tail is the first second or a
   * periodic spike. Null for drains, whose latency is mostly queueing.
   */
  slowestSeconds: { second: number; p99Ms: number }[] | null;
}

/** How long a freshly started server is given to compile its hot paths before "warm" latencies count. */
export const WARM_UP_MS = 5_000;

export function measure(sink: TimingSink, offered: Offered, opts: { perSecond?: boolean } = {}): Measured {
  const latencies: number[] = [];
  const warm: number[] = [];
  const bySecond = new Map<number, number[]>();
  const first = Math.min(...offered.startedAt.values());
  let last = -Infinity;
  for (const [to, t] of offered.startedAt) {
    const at = sink.acceptedAt.get(to);
    if (at === undefined) continue;
    latencies.push(at - t);
    if (t - first >= WARM_UP_MS) warm.push(at - t);
    const second = Math.floor((t - first) / 1000);
    const inSecond = bySecond.get(second);
    if (inSecond) inSecond.push(at - t);
    else bySecond.set(second, [at - t]);
    last = Math.max(last, at);
  }
  latencies.sort((a, b) => a - b);
  warm.sort((a, b) => a - b);
  const span = last - first;
  return {
    offered: offered.startedAt.size + offered.errors,
    accepted: latencies.length,
    errors: offered.errors,
    firstError: offered.firstError,
    perSec: span > 0 ? (latencies.length * 1000) / span : 0,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    maxMs: latencies.length ? latencies[latencies.length - 1] : null,
    warmP50Ms: percentile(warm, 50),
    warmP99Ms: percentile(warm, 99),
    offeredPerSec: offered.offerPhaseMs > 0 ? (offered.startedAt.size * 1000) / offered.offerPhaseMs : 0,
    callP50Ms: percentile([...offered.callMs].sort((a, b) => a - b), 50),
    slowestSeconds: opts.perSecond
      ? [...bySecond]
          .map(([second, ms]) => ({ second, p99Ms: percentile(ms.sort((a, b) => a - b), 99) ?? 0 }))
          .sort((a, b) => b.p99Ms - a.p99Ms)
          .slice(0, 3)
      : null,
  };
}
