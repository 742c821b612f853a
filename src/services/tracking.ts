/**
 * Open/click tracking (issue #14 item 3): the pixel and the redirect links a tracked email gets,
 * and what a fetch of them records. Both endpoints are public and never fail loudly: a bad token
 * records nothing (the pixel is still an image; a click answers 404 and goes nowhere).
 */
import { addTracking, classifyRequest, type UserAgentClass } from '../domain/tracking.js';
import { signTrackingToken, verifyTrackingToken } from '../domain/tracking-token.js';
import type { SequenceSettings } from '../domain/glossary.js';
import type { Tx } from '../store/database.js';
import { getSequence } from '../store/sequences.js';
import { getTrackedLink, getTrackedSend, hasTrackingEvent, insertTrackingEvent, saveTrackedLinks, type TrackedSend, type TrackingKind } from '../store/tracking.js';
import type { Deps } from './deps.js';
import { recordEvent } from './events.js';

export const OPEN_PATH = '/seqflow/v1/t/o';
export const CLICK_PATH = '/seqflow/v1/t/c';

/**
 * The HTML part as a sequence with tracking on sends it (the text part is never touched), its
 * links stored for the redirect. The unsubscribe link is never rewritten.
 */
export async function trackedHtml(deps: Deps, tx: Tx, settings: SequenceSettings, sendId: number, html: string, unsubscribeUrl: string): Promise<string> {
  if (!settings.trackOpens && !settings.trackClicks) return html;
  const base = deps.config.publicUrl;
  const secret = deps.config.unsubscribeSecret;
  const tracked = addTracking(html, {
    pixelUrl: settings.trackOpens ? `${base}${OPEN_PATH}/${signTrackingToken(secret, { kind: 'OPEN', sendId })}.gif` : null,
    clickUrl: settings.trackClicks ? (linkIndex) => `${base}${CLICK_PATH}/${signTrackingToken(secret, { kind: 'CLICK', sendId, linkIndex })}` : null,
    keep: (url) => url === unsubscribeUrl || url.startsWith(`${base}/seqflow/v1/unsubscribe/`),
  });
  if (settings.trackClicks) await saveTrackedLinks(tx, sendId, tracked.links);
  return tracked.html;
}

/** Who asked, as far as the request tells: its user agent and address. */
export interface Requester {
  userAgent: string | undefined;
  ip: string | undefined;
}

/** A fetch of the pixel: an open is recorded if the token is genuine and the sequence still tracks opens. */
export async function recordOpen(deps: Deps, token: string, who: Requester): Promise<void> {
  const claims = verifyTrackingToken(deps.config.unsubscribeSecret, 'OPEN', token);
  if (!claims) return;
  await record(deps, claims.sendId, 'OPEN', null, who);
}

/**
 * A click on a tracked link: where it goes (null: a forged, altered or unknown token, which goes
 * nowhere). `count` false (a HEAD request, which link checkers send) redirects without recording.
 */
export async function followClick(deps: Deps, token: string, who: Requester, count: boolean): Promise<string | null> {
  const claims = verifyTrackingToken(deps.config.unsubscribeSecret, 'CLICK', token);
  if (!claims) return null;
  const url = await getTrackedLink(deps.db.kysely, claims.sendId, claims.linkIndex);
  if (url === null) return null;
  if (count) await record(deps, claims.sendId, 'CLICK', url, who);
  return url;
}

/** Stores the event (at most one a minute per send, kind, URL and proxy flag); the first of each goes on the contact's timeline. */
async function record(deps: Deps, sendId: number, kind: TrackingKind, url: string | null, who: Requester): Promise<void> {
  try {
    const { userAgentClass, proxy } = classifyRequest(who.userAgent, who.ip);
    await deps.db.transaction(async (tx) => {
      const send = await getTrackedSend(tx, sendId);
      if (!send || !(await stillTracked(tx, send, kind))) return;
      const at = deps.clock.now();
      const first = !(await hasTrackingEvent(tx, { sendId, kind, url, proxy }));
      if (!(await insertTrackingEvent(tx, { sendId, kind, url, at, userAgentClass, proxy }))) return;
      if (first) await recordEvent(tx, { now: at, zone: deps.config.accountTimeZone }, send.contactId, kind === 'OPEN' ? 'EMAIL_OPENED' : 'EMAIL_CLICKED', timelineData(send, url, userAgentClass, proxy));
    });
  } catch (e) {
    // Tracking is a nicety: a failure to record is logged, never shown to the recipient.
    deps.log.warn({ err: e, sendId, kind }, 'tracking event not recorded');
  }
}

/** Turning tracking off stops recording at once, also for emails sent while it was on. */
async function stillTracked(tx: Tx, send: TrackedSend, kind: TrackingKind): Promise<boolean> {
  const sequence = await getSequence(tx, send.sequenceId, { includeDeleted: true });
  return kind === 'OPEN' ? sequence?.settings.trackOpens === true : sequence?.settings.trackClicks === true;
}

const timelineData = (send: TrackedSend, url: string | null, userAgentClass: UserAgentClass, proxy: boolean) => ({
  enrollmentId: send.enrollmentId,
  sequenceId: send.sequenceId,
  step: send.stepOrder,
  ...(url !== null && { url }),
  userAgentClass,
  proxy,
});
