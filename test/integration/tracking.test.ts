/**
 * Open/click tracking (issue #14 item 3) end to end: a sequence sends through the real dev mail
 * server; with tracking on, the HTML part carries a pixel and links through Seqflow's redirect,
 * and fetching them records opens (marked when a mail-privacy proxy fetched) and clicks that the
 * per-step report and the contact's timeline show. Off (the default), the email is untouched.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dialectCases } from '../support/databases.js';
import { MINUTE, seedContact, seedSender, seedSequence, startHarness, type Harness } from '../support/harness.js';

const PRICING = 'https://acme.test/pricing?plan=pro&ref=mail';
const BODY =
  '<p>Hello {{ contact.firstname }}, see <a href="https://acme.test/pricing?plan=pro&amp;ref=mail">our pricing</a>' +
  ' or <a href="mailto:rita@acme.test">write to me</a>.</p><p><a href="{{ unsubscribe_link }}">Unsubscribe</a></p>';
const PERSON = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';
const GMAIL_PROXY = 'Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)';

describe.each(dialectCases)('open and click tracking on $dialect', ({ create, skip }) => {
  let h: Harness;
  beforeEach(async (ctx) => {
    if (skip) return ctx.skip();
    h = await startHarness(await create());
  });
  afterEach(async () => {
    await h?.close();
  });

  /** Ann is sent the one-email sequence; answers the email as the dev mail server caught it. */
  async function sendOne(settings: Record<string, unknown>) {
    const rep = await seedSender(h);
    const seq = await seedSequence(h, rep.userId, { settings, steps: [{ type: 'EMAIL', delayMillis: 0, subject: 'Pricing', body: BODY }] });
    const ann = await seedContact(h, { email: 'ann@ann-corp.example', firstname: 'Ann' });
    const r = await h.api('POST', `/automation/v4/sequences/enrollments?userId=${rep.userId}`, { contactId: ann, sequenceId: seq, senderEmail: rep.email });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    await h.advance(0);
    const mail = (await h.api('GET', '/seqflow/v1/dev-mail/messages?to=ann%40ann-corp.example')).body.results as { html: string; text: string; headers: Record<string, string> }[];
    expect(mail).toHaveLength(1);
    return { seq, ann, mail: mail[0] };
  }
  const hrefs = (html: string) => [...html.matchAll(/<a [^>]*href="([^"]*)"/g)].map((m) => m[1].replace(/&amp;/g, '&'));
  const pixelOf = (html: string) => /<img src="([^"]+)" width="1" height="1"/.exec(html)?.[1];
  const fetch = (url: string, userAgent = PERSON, method: 'GET' | 'HEAD' = 'GET') =>
    h.sf.app!.inject({ method, url: new URL(url, 'http://x').pathname, headers: { 'user-agent': userAgent } });
  const report = async (seq: string) => (await h.api('GET', `/seqflow/v1/sequences/${seq}/report`)).body;
  const timeline = async (contact: string) => ((await h.api('GET', `/seqflow/v1/contacts/${contact}/timeline`)).body.results as { type: string; data: Record<string, unknown> }[]).filter((e) => e.type.startsWith('EMAIL_'));

  it('should send the email without a pixel and with its own links when tracking is off, as it is by default', async () => {
    const { seq, mail } = await sendOne({});
    expect(pixelOf(mail.html)).toBeUndefined();
    expect(hrefs(mail.html)[0]).toBe(PRICING);
    expect(hrefs(mail.html)[1]).toBe('mailto:rita@acme.test');
    expect(mail.html).not.toContain('/seqflow/v1/t/');
    const settings = (await h.api('GET', `/automation/v4/sequences/${seq}?userId=1`)).body.settings;
    expect(settings).toMatchObject({ trackOpens: false, trackClicks: false });
    const r = await report(seq);
    expect(r.tracking).toEqual({ opens: false, clicks: false });
    expect(r.steps[0]).toMatchObject({ sent: 1, opened: null, openedByProxy: null, openRate: null, clicked: null, clickRate: null });
  });

  it('should add the pixel and send http links through the redirect, leaving mailto, the unsubscribe link and the text part alone, when tracking is on', async () => {
    const { mail } = await sendOne({ trackOpens: true, trackClicks: true });
    expect(pixelOf(mail.html)).toMatch(/^http:\/\/[^/]+\/seqflow\/v1\/t\/o\/[A-Za-z0-9_-]+\.gif$/);
    const [pricing, mailto, unsubscribe] = hrefs(mail.html);
    expect(pricing).toMatch(/\/seqflow\/v1\/t\/c\/[A-Za-z0-9_-]+$/);
    expect(mailto).toBe('mailto:rita@acme.test');
    expect(unsubscribe).toBe(/<(http[^>]+)>/.exec(mail.headers['list-unsubscribe'])![1]);
    expect(mail.text).toContain(PRICING);
    expect(mail.text).not.toContain('/seqflow/v1/t/');
  });

  it('should record opens, marking a Gmail proxy fetch, and count them in the report and the timeline when the pixel is fetched', async () => {
    const { seq, ann, mail } = await sendOne({ trackOpens: true });
    const pixel = pixelOf(mail.html)!;
    const proxied = await fetch(pixel, GMAIL_PROXY);
    expect(proxied.statusCode).toBe(200);
    expect(proxied.headers['content-type']).toBe('image/gif');
    expect(proxied.headers['cache-control']).toContain('no-store');
    expect(proxied.rawPayload.subarray(0, 6).toString()).toBe('GIF89a');
    // Only the proxy has fetched it so far: not an open by a person.
    expect((await report(seq)).steps[0]).toMatchObject({ sent: 1, opened: 0, openedByProxy: 1, openRate: 0, clicked: null });
    await h.advance(5 * MINUTE);
    expect((await fetch(pixel)).statusCode).toBe(200);
    const r = await report(seq);
    expect(r.tracking).toEqual({ opens: true, clicks: false });
    expect(r.steps[0]).toMatchObject({ opened: 1, openedByProxy: 0, openRate: 1 });
    expect(r.totals).toMatchObject({ opened: 1, openRate: 1 });
    const opens = (await timeline(ann)).filter((e) => e.type === 'EMAIL_OPENED');
    expect(opens.map((e) => [e.data.proxy, e.data.userAgentClass])).toEqual([
      [true, 'GMAIL_PROXY'],
      [false, 'DESKTOP'],
    ]);
  });

  it('should redirect to the original link and record the click in the report, the CSV and the timeline when a tracked link is followed', async () => {
    const { seq, ann, mail } = await sendOne({ trackOpens: true, trackClicks: true });
    // A link checker's HEAD goes where the link goes but is no click.
    const head = await fetch(hrefs(mail.html)[0], PERSON, 'HEAD');
    expect(head.statusCode).toBe(302);
    expect(head.headers.location).toBe(PRICING);
    expect((await report(seq)).steps[0]).toMatchObject({ clicked: 0 });
    const res = await fetch(hrefs(mail.html)[0]);
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe(PRICING);
    const r = await report(seq);
    expect(r.steps[0]).toMatchObject({ sent: 1, delivered: 1, clicked: 1, clickRate: 1, opened: 0, openRate: 0 });
    const clicks = (await timeline(ann)).filter((e) => e.type === 'EMAIL_CLICKED');
    expect(clicks.map((e) => e.data.url)).toEqual([PRICING]);
    const csv = await h.sf.app!.inject({ method: 'GET', url: `/seqflow/v1/sequences/${seq}/report.csv`, headers: { authorization: 'Bearer test-admin-token' } });
    expect(csv.body.split('\r\n')[1].split(',').slice(-5)).toEqual(['0', '0', '0.0%', '1', '100.0%']);
  });

  it('should answer 404 without redirecting and record nothing when a click token is altered, and still serve the image for an altered pixel', async () => {
    const { seq, ann, mail } = await sendOne({ trackOpens: true, trackClicks: true });
    const link = hrefs(mail.html)[0];
    const flip = (url: string, at: number) => url.slice(0, at) + (url[at] === 'A' ? 'B' : 'A') + url.slice(at + 1);
    const tokenStart = link.lastIndexOf('/') + 1;
    for (const altered of [flip(link, tokenStart), flip(link, link.length - 1), `${link.slice(0, tokenStart)}x`, `${link.slice(0, tokenStart)}${'A'.repeat(300)}`]) {
      const res = await fetch(altered);
      expect(res.statusCode, altered).toBe(404);
      expect(res.headers.location).toBeUndefined();
      expect(JSON.parse(res.body)).toMatchObject({ status: 'error', category: 'OBJECT_NOT_FOUND' });
    }
    const pixel = pixelOf(mail.html)!;
    const badPixel = await fetch(flip(pixel, pixel.lastIndexOf('/') + 1));
    expect(badPixel.statusCode).toBe(200);
    expect(badPixel.headers['content-type']).toBe('image/gif');
    expect((await report(seq)).steps[0]).toMatchObject({ opened: 0, openedByProxy: 0, clicked: 0 });
    expect((await timeline(ann)).map((e) => e.type)).toEqual(['EMAIL_SENT']);
  });

  it('should keep at most one event a minute per email and link when the pixel is fetched in a burst', async () => {
    const { seq, mail } = await sendOne({ trackOpens: true });
    const pixel = pixelOf(mail.html)!;
    const count = async () => (await h.sf.db.kysely.selectFrom('tracking_events').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;
    for (let i = 0; i < 5; i++) expect((await fetch(pixel)).statusCode).toBe(200);
    expect(Number(await count())).toBe(1);
    await h.advance(MINUTE);
    await fetch(pixel);
    expect(Number(await count())).toBe(2);
    expect((await report(seq)).steps[0]).toMatchObject({ opened: 1 });
  });

  it('should answer 400 naming the field and create no sequence when a tracking switch is not a boolean', async () => {
    const rep = await seedSender(h);
    for (const field of ['trackOpens', 'trackClicks']) {
      const r = await h.api('POST', '/seqflow/v1/sequences', { name: 'Bad', userId: rep.userId, settings: { [field]: 'yes' }, steps: [{ type: 'EMAIL', delayMillis: 0, subject: 'Hi', body: '<p>Hi</p>' }] });
      expect(r.status).toBe(400);
      expect(r.body).toMatchObject({ status: 'error', category: 'VALIDATION_ERROR' });
      expect(r.body.errors.map((e: { in?: string }) => e.in)).toContain(`settings.${field}`);
    }
    expect((await h.api('GET', `/seqflow/v1/sequences?userId=${rep.userId}`)).body.results).toEqual([]);
  });

  it('should stop recording at once when tracking is turned off after the email went out', async () => {
    const { seq, mail } = await sendOne({ trackOpens: true, trackClicks: true });
    const current = (await h.api('GET', `/automation/v4/sequences/${seq}?userId=1`)).body;
    const put = await h.api('PUT', `/seqflow/v1/sequences/${seq}`, {
      name: current.name,
      settings: { trackOpens: false, trackClicks: false },
      steps: [{ type: 'EMAIL', delayMillis: 0, subject: 'Pricing', body: BODY }],
    });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    expect((await fetch(pixelOf(mail.html)!)).statusCode).toBe(200);
    const click = await fetch(hrefs(mail.html)[0]);
    // The link still works for the recipient; nothing is recorded.
    expect(click.statusCode).toBe(302);
    expect(click.headers.location).toBe(PRICING);
    expect((await report(seq)).steps[0]).toMatchObject({ opened: null, clicked: null });
    expect(Number((await h.sf.db.kysely.selectFrom('tracking_events').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)).toBe(0);
  });
});
