import type { FastifyRequest } from 'fastify';
import { errors } from '../services/errors.js';

/** What a cross-site form or script could use to act with a signed-in user's cookie. */
const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

const header = (request: FastifyRequest, name: string): string | undefined => {
  const v = request.headers[name];
  return (Array.isArray(v) ? v[0] : v)?.trim() || undefined;
};

function originOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url).origin;
  } catch {
    return 'null';
  }
}

/**
 * Whether `origin` is this server: the Host the browser addressed (so the web app works under
 * any name it is reached by), or the configured public URL (so it works behind a proxy that
 * rewrites Host). The Host header is read with the origin's scheme so default ports compare equal.
 */
export function isOwnOrigin(origin: string, host: string | undefined, publicUrl: string): boolean {
  let o: URL;
  try {
    o = new URL(origin);
  } catch {
    return false;
  }
  if (o.origin === originOf(publicUrl)) return true;
  if (!host) return false;
  try {
    return new URL(`${o.protocol}//${host}`).host === o.host;
  } catch {
    return false;
  }
}

/**
 * Why a cookie-authenticated mutation must be refused, or null when it comes from the web app
 * itself. SameSite=Lax keeps the cookie off cross-site POSTs but not off same-site ones (a
 * sibling subdomain) nor off older browsers, so the request's own provenance is checked too:
 * Sec-Fetch-Site when the browser sends it, else Origin, else Referer. A browser sends Origin
 * on every POST, PUT, PATCH and DELETE, so a request with none of them is not the web app; a
 * script that is not a browser authenticates with a bearer token instead.
 */
export function crossOriginReason(request: FastifyRequest, publicUrl: string): string | null {
  if (!MUTATING.has(request.method)) return null;
  const site = header(request, 'sec-fetch-site');
  if (site === 'same-origin') return null;
  if (site === 'cross-site' || site === 'same-site') return `the browser reports it as ${site}`;
  const origin = header(request, 'origin') ?? originOf(header(request, 'referer'));
  if (!origin) return 'it has neither an Origin nor a Referer header';
  return isOwnOrigin(origin, header(request, 'host'), publicUrl) ? null : `it comes from ${origin === 'null' ? 'an opaque origin' : origin}`;
}

export function requireSameOrigin(request: FastifyRequest, publicUrl: string): void {
  const reason = crossOriginReason(request, publicUrl);
  if (!reason) return;
  request.log.warn({ method: request.method, url: request.url, origin: request.headers.origin, referer: request.headers.referer }, 'cross-origin request with the session cookie refused');
  throw errors.crossOriginRequest({ reason });
}
