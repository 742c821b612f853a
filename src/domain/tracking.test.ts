import { describe, expect, it } from 'vitest';
import { addTracking, classifyRequest, MAX_TRACKED_LINKS, trackableUrl } from './tracking.js';
import { signTrackingToken, verifyTrackingToken } from './tracking-token.js';

const UNSUBSCRIBE = 'https://seqflow.example/seqflow/v1/unsubscribe/abc.def';
const opts = {
  pixelUrl: 'https://seqflow.example/seqflow/v1/t/o/TOKEN.gif',
  clickUrl: (i: number) => `https://seqflow.example/seqflow/v1/t/c/L${i}`,
  keep: (url: string) => url.startsWith('https://seqflow.example/seqflow/v1/unsubscribe/'),
};

describe('addTracking', () => {
  it('should rewrite http and https links and put the pixel before </body> when both are tracked', () => {
    const { html, links } = addTracking('<html><body><p>Hi <a href="https://acme.test/a?x=1&amp;y=2" class="btn">see</a> <A HREF=http://b.test>b</A></p></body></html>', opts);
    expect(links).toEqual([
      { index: 0, url: 'https://acme.test/a?x=1&y=2' },
      { index: 1, url: 'http://b.test' },
    ]);
    expect(html).toBe(
      '<html><body><p>Hi <a href="https://seqflow.example/seqflow/v1/t/c/L0" class="btn">see</a> <a href="https://seqflow.example/seqflow/v1/t/c/L1">b</A></p>' +
        '<img src="https://seqflow.example/seqflow/v1/t/o/TOKEN.gif" width="1" height="1" alt="" style="display:block;width:1px;height:1px;border:0" /></body></html>',
    );
  });

  it('should leave mailto:, javascript:, relative and anchor links and the unsubscribe link alone when rewriting', () => {
    const source = `<p><a href="mailto:a@b.test">m</a><a href="javascript:alert(1)">j</a><a href=" JaVaScRiPt:alert(1)">j2</a><a href="/x">r</a><a href="#top">t</a><a href="${UNSUBSCRIBE}">Unsubscribe</a><a>none</a></p>`;
    const { html, links } = addTracking(source, { ...opts, pixelUrl: null });
    expect(links).toEqual([]);
    expect(html).toBe(source);
  });

  it('should append the pixel and keep every other character when the document is a fragment with unclosed tags', () => {
    const source = '<p>Hello <b>there <a href="https://acme.test/x">link<div><i>unclosed';
    const { html, links } = addTracking(source, opts);
    expect(links).toEqual([{ index: 0, url: 'https://acme.test/x' }]);
    expect(html.startsWith('<p>Hello <b>there <a href="https://seqflow.example/seqflow/v1/t/c/L0">link<div><i>unclosed<img src=')).toBe(true);
  });

  it('should not let a hostile attribute break out of the rewritten tag when it holds quotes and angle brackets', () => {
    const { html } = addTracking(`<a href='https://acme.test/' title='"><script>alert(1)</script>' onclick="x()">x</a>`, { ...opts, pixelUrl: null });
    expect(html).toBe('<a href="https://seqflow.example/seqflow/v1/t/c/L0" title="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;" onclick="x()">x</a>');
  });

  it('should leave links inside comments, scripts and styles alone when rewriting', () => {
    const source = '<!-- <a href="https://c.test">c</a> --><style>a[href="https://s.test"]{}</style><script>var a = \'<a href="https://j.test">\';</script>';
    expect(addTracking(source, { ...opts, pixelUrl: null })).toEqual({ html: source, links: [] });
  });

  it('should change nothing when neither opens nor clicks are tracked', () => {
    const source = '<p><a href="https://acme.test">x</a></p>';
    expect(addTracking(source, { ...opts, pixelUrl: null, clickUrl: null })).toEqual({ html: source, links: [] });
  });

  it('should rewrite the first links only and finish quickly when a huge document has thousands of links', () => {
    const source = '<p>' + Array.from({ length: 5000 }, (_, i) => `<a href="https://acme.test/${i}">l${i}</a> filler text `).join('') + '</p>';
    const started = Date.now();
    const { html, links } = addTracking(source, opts);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(links).toHaveLength(MAX_TRACKED_LINKS);
    expect(html).toContain(`<a href="https://seqflow.example/seqflow/v1/t/c/L${MAX_TRACKED_LINKS - 1}">`);
    expect(html).toContain(`<a href="https://acme.test/${MAX_TRACKED_LINKS}">`);
  });
});

describe('trackableUrl', () => {
  it('should accept only absolute http(s) URLs when given hrefs people and attackers write', () => {
    expect(trackableUrl(' https://acme.test/a b ')).toBe('https://acme.test/a b');
    expect(trackableUrl('HTTP://ACME.test')).toBe('HTTP://ACME.test');
    expect(trackableUrl('https://')).toBeNull();
    expect(trackableUrl('java\tscript:alert(1)')).toBeNull();
    expect(trackableUrl('//acme.test')).toBeNull();
    expect(trackableUrl('tel:+1555')).toBeNull();
    expect(trackableUrl(undefined)).toBeNull();
  });
});

describe('classifyRequest', () => {
  it('should mark the Gmail, Yahoo and Apple proxies as proxies when their requests say so', () => {
    expect(classifyRequest('Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)', '66.249.84.1')).toEqual({ userAgentClass: 'GMAIL_PROXY', proxy: true });
    expect(classifyRequest('YahooMailProxy; https://help.yahoo.com/kb/yahoo-mail-proxy-SLN28749.html', '98.137.1.1')).toEqual({ userAgentClass: 'YAHOO_PROXY', proxy: true });
    expect(classifyRequest('Mozilla/5.0', '203.0.113.9')).toEqual({ userAgentClass: 'APPLE_PROXY', proxy: true });
    expect(classifyRequest('Mozilla/5.0 (Macintosh) AppleWebKit/605.1.15', '17.58.1.2')).toEqual({ userAgentClass: 'APPLE_PROXY', proxy: true });
    expect(classifyRequest('', '::ffff:17.1.2.3')).toEqual({ userAgentClass: 'APPLE_PROXY', proxy: true });
  });

  it('should count people on phones and computers as people when their user agent has details', () => {
    expect(classifyRequest('Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148', '198.51.100.4')).toEqual({ userAgentClass: 'MOBILE', proxy: false });
    expect(classifyRequest('Mozilla/5.0 (Windows NT 10.0; Win64; x64) Microsoft Outlook 16.0', '198.51.100.4')).toEqual({ userAgentClass: 'DESKTOP', proxy: false });
    expect(classifyRequest(undefined, undefined)).toEqual({ userAgentClass: 'UNKNOWN', proxy: false });
    expect(classifyRequest('curl/8.0', '117.1.2.3')).toEqual({ userAgentClass: 'UNKNOWN', proxy: false });
  });
});

describe('tracking tokens', () => {
  const secret = 'the-server-secret';
  it('should give back the send and link when a token is verified as its own kind', () => {
    expect(verifyTrackingToken(secret, 'OPEN', signTrackingToken(secret, { kind: 'OPEN', sendId: 42 }))).toEqual({ kind: 'OPEN', sendId: 42 });
    const click = signTrackingToken(secret, { kind: 'CLICK', sendId: 42, linkIndex: 3 });
    expect(click).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(verifyTrackingToken(secret, 'CLICK', click)).toEqual({ kind: 'CLICK', sendId: 42, linkIndex: 3 });
  });

  it('should refuse a token when it is altered, of the other kind, signed with another secret or garbage', () => {
    const open = signTrackingToken(secret, { kind: 'OPEN', sendId: 42 });
    const click = signTrackingToken(secret, { kind: 'CLICK', sendId: 42, linkIndex: 0 });
    const forged = Buffer.from('43').toString('base64url') + open.slice(-22);
    expect(verifyTrackingToken(secret, 'OPEN', forged)).toBeNull();
    expect(verifyTrackingToken(secret, 'CLICK', open)).toBeNull();
    expect(verifyTrackingToken(secret, 'OPEN', click)).toBeNull();
    expect(verifyTrackingToken('another-secret', 'OPEN', open)).toBeNull();
    expect(verifyTrackingToken(secret, 'OPEN', open.slice(0, -1) + (open.endsWith('A') ? 'B' : 'A'))).toBeNull();
    for (const junk of ['', 'x', 'a.b', '%00', 'A'.repeat(500)]) expect(verifyTrackingToken(secret, 'OPEN', junk)).toBeNull();
  });
});
