import type { InboxProvider, Millis } from './glossary.js';

export const DAY_MS: Millis = 24 * 60 * 60 * 1000;
export const MINUTE_MS: Millis = 60 * 1000;
export const DEFAULT_PER_MINUTE_LIMIT = 10;

/** Provider defaults for the rolling-24 h daily limit (PRODUCT §3.3). */
export function defaultDailyLimit(provider: InboxProvider): number {
  return provider === 'gmail_free' ? 350 : 1000;
}

/** Sequence sending stops at 90 % of the daily limit: ⌊0.9 × limit⌋. Integer arithmetic avoids 0.9 × 10 = 8.999…. */
export function sequenceLimit(dailyLimit: number): number {
  return Math.floor((dailyLimit * 9) / 10);
}

export interface InboxUsage {
  /** Sends attempted in (now − 24 h, now]. */
  sentLast24h: number;
  /** Emails of running enrollments due in [now, now + 24 h). */
  scheduledNext24h: number;
}

/** Enrollment is refused when sent plus scheduled already fill the sequence limit. */
export function hasRoomForEnrollment(usage: InboxUsage, dailyLimit: number): boolean {
  return usage.sentLast24h + usage.scheduledNext24h < sequenceLimit(dailyLimit);
}

/**
 * When a step must wait for a window to have room: given the count in the window and the
 * attempt time of the send whose expiry frees the first slot, the earliest instant it may go.
 * Returns `now` when there is room already.
 */
export function roomAt(
  now: Millis,
  windows: { count: number; limit: number; windowMs: Millis; freeingAttemptAt: Millis | null }[],
): Millis {
  let at = now;
  for (const w of windows) {
    if (w.count < w.limit) continue;
    // The window is (t − windowMs, t]; the freeing send leaves it at attempt + windowMs.
    const free = (w.freeingAttemptAt ?? now) + w.windowMs + 1;
    if (free > at) at = free;
  }
  return at;
}
