/**
 * Open/click tracking (issue #14 item 3), the pure parts: adding the pixel and rewriting links in
 * a rendered email, and telling mail-privacy proxies from people. See docs/decisions.md,
 * "Open and click tracking".
 */
import { Parser } from 'htmlparser2';

/** A link of an email that now goes through Seqflow: its place among the rewritten links and where it goes. */
export interface TrackedLink {
  index: number;
  url: string;
}

export interface TrackingOptions {
  /** The pixel's URL; null: opens are not tracked. */
  pixelUrl: string | null;
  /** The redirect URL of the link at `index`; null: clicks are not tracked. */
  clickUrl: ((index: number) => string) | null;
  /** Links never rewritten although they are http(s): the unsubscribe link. */
  keep(url: string): boolean;
}

/** Past this many links an email's further links are left as they are: each one is a stored row. */
export const MAX_TRACKED_LINKS = 200;

/**
 * The email's HTML with the pixel before `</body>` (or at the end) and its http(s) `<a href>`s
 * pointing at the redirect. Only the rewritten opening tags change; every other character of the
 * document is kept as it was, so hostile or broken markup is neither fixed nor made worse.
 */
export function addTracking(html: string, o: TrackingOptions): { html: string; links: TrackedLink[] } {
  const edits: { start: number; end: number; text: string }[] = [];
  const links: TrackedLink[] = [];
  let bodyClose: number | null = null;
  const parser = new Parser(
    {
      onopentag(name, attribs) {
        if (name !== 'a' || !o.clickUrl || links.length >= MAX_TRACKED_LINKS) return;
        const url = trackableUrl(attribs.href);
        if (url === null || o.keep(url)) return;
        const index = links.length;
        links.push({ index, url });
        edits.push({ start: parser.startIndex, end: parser.endIndex + 1, text: openingTag('a', { ...attribs, href: o.clickUrl(index) }) });
      },
      onclosetag(name, implied) {
        if (name === 'body' && !implied) bodyClose = parser.startIndex;
      },
    },
    { decodeEntities: true },
  );
  parser.write(html);
  parser.end();
  if (o.pixelUrl) {
    const pixel = `<img src="${escapeAttribute(o.pixelUrl)}" width="1" height="1" alt="" style="display:block;width:1px;height:1px;border:0" />`;
    const at: number = bodyClose ?? html.length;
    edits.push({ start: at, end: at, text: pixel });
  }
  edits.sort((a, b) => a.start - b.start);
  let out = '';
  let from = 0;
  for (const e of edits) {
    out += html.slice(from, e.start) + e.text;
    from = e.end;
  }
  return { html: out + html.slice(from), links };
}

/** An absolute http(s) URL, as a browser would follow it; anything else (mailto:, javascript:, relative, #) is null. */
export function trackableUrl(href: string | undefined): string | null {
  // Browsers drop leading/trailing spaces and tabs/newlines anywhere in a URL.
  const raw = href?.trim().replace(/[\t\n\r]/g, '');
  if (!raw || !/^https?:\/\//i.test(raw)) return null;
  try {
    return new URL(raw).protocol.startsWith('http') ? raw : null;
  } catch {
    return null;
  }
}

const ATTRIBUTE_NAME = /^[^\s"'>/=]+$/;

function openingTag(name: string, attribs: Record<string, string>): string {
  const attrs = Object.entries(attribs)
    .filter(([n]) => ATTRIBUTE_NAME.test(n))
    .map(([n, v]) => ` ${n}="${escapeAttribute(v)}"`)
    .join('');
  return `<${name}${attrs}>`;
}

const escapeAttribute = (v: string): string => v.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Who fetched a pixel or followed a link, as far as its request tells. The user agent itself is not kept. */
export type UserAgentClass = 'APPLE_PROXY' | 'GMAIL_PROXY' | 'YAHOO_PROXY' | 'MOBILE' | 'DESKTOP' | 'UNKNOWN';

export const PROXY_CLASSES: ReadonlySet<UserAgentClass> = new Set(['APPLE_PROXY', 'GMAIL_PROXY', 'YAHOO_PROXY']);

/**
 * Mail-privacy proxies fetch images for the recipient (Apple Mail Privacy Protection even before
 * anyone opens the email), so their "opens" are marked. Gmail and Yahoo say so in the user agent;
 * Apple's proxy sends a bare "Mozilla/5.0" and comes from Apple's 17.0.0.0/8.
 */
export function classifyRequest(userAgent: string | undefined, ip: string | undefined): { userAgentClass: UserAgentClass; proxy: boolean } {
  const cls = userAgentClass(userAgent ?? '', ip ?? '');
  return { userAgentClass: cls, proxy: PROXY_CLASSES.has(cls) };
}

function userAgentClass(ua: string, ip: string): UserAgentClass {
  if (/GoogleImageProxy|ggpht\.com/i.test(ua)) return 'GMAIL_PROXY';
  if (/YahooMailProxy/i.test(ua)) return 'YAHOO_PROXY';
  if (ua.trim() === 'Mozilla/5.0' || isAppleIp(ip)) return 'APPLE_PROXY';
  if (/Mobile|Android|iPhone|iPad/i.test(ua)) return 'MOBILE';
  if (/Windows|Macintosh|X11|Linux|CrOS|Outlook|Thunderbird/i.test(ua)) return 'DESKTOP';
  return 'UNKNOWN';
}

/** Apple's own IPv4 block (plain or IPv4-mapped IPv6), from which its Mail Privacy Protection proxy fetches. */
const isAppleIp = (ip: string): boolean => /^(::ffff:)?17\.\d{1,3}\.\d{1,3}\.\d{1,3}$/i.test(ip);
