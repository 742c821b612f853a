import crypto from 'node:crypto';

/**
 * The tokens of open/click tracking: the send (and, for a click, the link's place in the email)
 * signed with an HMAC of the server's secret, so a forged or altered token records nothing and
 * redirects nowhere. No dot in a token: the pixel's path is `:token.gif`. The MAC is over the kind
 * too, so an open token is no click token and neither is an unsubscribe token.
 */
export type TrackingClaims = { kind: 'OPEN'; sendId: number } | { kind: 'CLICK'; sendId: number; linkIndex: number };

/** 16 bytes of HMAC-SHA256 (128 bits), base64url: the last 22 characters of a token. */
const MAC_CHARS = 22;

export function signTrackingToken(secret: string, c: TrackingClaims): string {
  const payload = Buffer.from(c.kind === 'OPEN' ? `${c.sendId}` : `${c.sendId}-${c.linkIndex}`).toString('base64url');
  return payload + mac(secret, c.kind, payload);
}

export function verifyTrackingToken(secret: string, kind: 'OPEN', token: string): { kind: 'OPEN'; sendId: number } | null;
export function verifyTrackingToken(secret: string, kind: 'CLICK', token: string): { kind: 'CLICK'; sendId: number; linkIndex: number } | null;
export function verifyTrackingToken(secret: string, kind: TrackingClaims['kind'], token: string): TrackingClaims | null {
  if (token.length <= MAC_CHARS || token.length > 200 || !/^[A-Za-z0-9_-]+$/.test(token)) return null;
  const payload = token.slice(0, -MAC_CHARS);
  const expected = Buffer.from(mac(secret, kind, payload));
  const given = Buffer.from(token.slice(-MAC_CHARS));
  if (expected.length !== given.length || !crypto.timingSafeEqual(expected, given)) return null;
  const parts = Buffer.from(payload, 'base64url').toString().split('-');
  const numbers = parts.map((p) => (/^\d{1,15}$/.test(p) ? Number(p) : NaN));
  if (numbers.some((n) => !Number.isSafeInteger(n))) return null;
  if (kind === 'OPEN') return numbers.length === 1 ? { kind, sendId: numbers[0] } : null;
  return numbers.length === 2 ? { kind, sendId: numbers[0], linkIndex: numbers[1] } : null;
}

const mac = (secret: string, kind: string, payload: string): string =>
  crypto.createHmac('sha256', secret).update(`seqflow-tracking:${kind}:${payload}`).digest().subarray(0, 16).toString('base64url');
