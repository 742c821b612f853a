/**
 * Per-account back-off for web sign-in. The per-address limit (20 a minute) does nothing against
 * guesses spread over many addresses, so failures are also counted per account: the first few
 * are free (typos), then each failure blocks the account's next attempt for twice as long as
 * the last, up to a cap. Attempts while blocked are refused without looking at the password.
 */
export const BACKOFF = {
  /** Failures allowed before any wait. */
  freeFailures: 5,
  firstBlockMs: 1_000,
  maxBlockMs: 15 * 60_000,
  /** A count untouched this long starts over: last month's typos do not add to today's. */
  forgetAfterMs: 24 * 60 * 60_000,
} as const;

/** How long the account is blocked after its `failures`-th consecutive failure. */
export function blockAfter(failures: number): number {
  if (failures < BACKOFF.freeFailures) return 0;
  const doublings = Math.min(failures - BACKOFF.freeFailures, 30);
  return Math.min(BACKOFF.maxBlockMs, BACKOFF.firstBlockMs * 2 ** doublings);
}
