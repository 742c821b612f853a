/**
 * Which request paths belong to the API (JSON, authenticated, HubSpot's 404 shape) and which to
 * the web app (index.html for any deep link). The router is case-sensitive, so an API path in
 * another case (`/SEQFLOW/v1/tokens`) is still an API path: it must answer the API's 404, not
 * the web app's HTML with a 200 that a script would take for success.
 */

/** First segments that are only ever API: HubSpot's public API families and our own. */
const API_ONLY = new Set([
  'crm',
  'crm-associations',
  'crm-objects',
  'marketing',
  'webhooks',
  'oauth',
  'seqflow',
  // Prometheus scrapes /metrics by default; it is the API's (a bearer token, scope seqflow.metrics).
  'metrics',
  'submissions',
  'forms',
  'cms',
  'content',
  'conversations',
  'files',
  'filemanager',
  'events',
  'communication-preferences',
  'email',
  'analytics',
  'integrations',
  'extensions',
  'hubdb',
  'business-units',
  'account-info',
  'appinstalls',
  'scheduler',
  'properties',
  'owners',
  'deals',
  'companies',
  'engagements',
  'media-bridge',
  'visitor-identification',
  'payments',
  'feedback',
  'broadcast',
  'calling',
]);
/** Also the web app's: `/automation` and `/settings` alone are UI paths, anything under them is API. */
const API_BELOW = new Set(['automation', 'settings']);
/** The web app's `/contacts/:id`; HubSpot's legacy contacts API is `/contacts/v1/…`. */
const API_WHEN_VERSIONED = new Set(['contacts']);
const VERSION = /^(v\d+(-beta)?|\d{4}-\d{2}(-beta)?)$/i;

/** The path as the router matches it (routerOptions in app.ts): duplicate slashes collapsed, one trailing slash dropped. */
export const routedPath = (url: string): string => url.split('?')[0].replace(/\/{2,}/g, '/').replace(/(.)\/$/, '$1');

export function isApiPath(url: string): boolean {
  const [first = '', second] = routedPath(url).split('/').slice(1).map((s) => safeDecode(s).toLowerCase());
  if (API_ONLY.has(first)) return true;
  if (API_BELOW.has(first)) return second !== undefined && second !== '';
  if (API_WHEN_VERSIONED.has(first)) return second !== undefined && VERSION.test(second);
  return false;
}

/** `%73eqflow` is `seqflow` to a client that decodes; an undecodable segment stays as it is. */
function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
