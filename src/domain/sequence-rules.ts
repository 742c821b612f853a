import type { SequenceSettings } from './glossary.js';
import { DAY_MS } from './send-limits.js';

/** PRODUCT §3.1 defaults. */
export const DEFAULT_SEQUENCE_SETTINGS: SequenceSettings = {
  eligibleFollowUpDays: 'WEEKDAYS_ONLY',
  sendWindowStartMinute: 480,
  sendWindowEndMinute: 1080,
  useThreadedFollowUps: true,
  unenrollOnReply: true,
  unenrollOnMeeting: true,
  sellingStrategy: 'LEAD_BASED',
  trackOpens: false,
  trackClicks: false,
};

/** PRODUCT §3.1 limits (configuration). */
export const SEQUENCE_LIMITS = { maxSteps: 50, maxDelayMillis: 90 * DAY_MS };
