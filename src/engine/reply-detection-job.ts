import crypto from 'node:crypto';
import type { Deps } from '../services/deps.js';
import { checkReplyDetection } from '../services/reply-detection.js';
import { resumeReconnectedInboxes } from '../services/oauth-incidents.js';
import { keepOAuthAlive } from '../services/oauth-tokens.js';

export interface ReplyDetectionJob {
  /** Runs a check when `config.replyDetectionCheckMs` has passed on deps.clock since the last one. */
  runIfDue(): Promise<void>;
}

/**
 * The reply-detection alarm as a periodic job of the worker loop (src/services/reply-detection.ts).
 * Its period runs on deps.clock, so a fake-clock test or demo moves it with the clock; staleness
 * itself is judged on `wallClock` (sync times are wall-clock facts, recorded by live watchers).
 * Several workers may each run it: raising and clearing the alarm are conditional updates.
 */
export function createReplyDetectionJob(deps: Deps, wallClock: () => number = Date.now): ReplyDetectionJob {
  let nextAt = Number.NEGATIVE_INFINITY;
  const keepAliveOwner = `keepalive-${crypto.randomUUID()}`;
  return {
    async runIfDue() {
      const now = deps.clock.now();
      if (now < nextAt) return;
      nextAt = now + deps.config.replyDetectionCheckMs;
      try {
        await checkReplyDetection(deps, wallClock());
        // Reconnected OAuth inboxes: their waiting emails go once replies that came meanwhile were read.
        await resumeReconnectedInboxes(deps);
        // Idle OAuth credentials are refreshed weekly so a rep on leave does not come back disconnected.
        await keepOAuthAlive(deps, keepAliveOwner);
      } catch (err) {
        // A failed check must not stop the due work behind it; the next period tries again.
        deps.log.error({ err }, 'reply-detection check failed');
      }
    },
  };
}
