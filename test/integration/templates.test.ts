/**
 * Templates and snippets (issue #14 item 1): the library reps write sequence emails from, private
 * to their owner unless shared; a step made from a template copies it, so editing the template
 * later leaves saved steps as they were.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dialectCases } from '../support/databases.js';
import { seedSender, startHarness, type Harness } from '../support/harness.js';

const LIBRARY_SCOPES = ['automation.sequences.read', 'seqflow.sequences.write'];

describe.each(dialectCases)('templates and snippets on $dialect', ({ create, skip }) => {
  let h: Harness;
  let rita: { userId: string; token: string };
  let max: { userId: string; token: string };
  beforeEach(async (ctx) => {
    if (skip) return ctx.skip();
    h = await startHarness(await create());
    rita = await rep('rita@acme.test');
    max = await rep('max@acme.test');
  });
  afterEach(async () => {
    await h?.close();
  });

  /** A rep with an API token of their own: calls made with it are theirs. */
  async function rep(email: string) {
    const { userId } = await seedSender(h, { email });
    const t = await h.api('POST', '/seqflow/v1/tokens', { name: email, scopes: LIBRARY_SCOPES, userId });
    expect(t.status).toBe(201);
    return { userId, token: t.body.token as string };
  }
  const as = (who: { token: string }) => ({ token: who.token });
  const newTemplate = (o: Record<string, unknown> = {}) => ({ name: 'Intro', subject: 'Hi {{ contact.firstname }}', body: '<p>Hello from {{ sender.firstname }}</p>', ...o });

  it('should create, read, update and delete a template when its owner asks', async () => {
    const created = await h.api('POST', '/seqflow/v1/templates', newTemplate({ folder: 'Outbound' }), as(rita));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ ownerUserId: rita.userId, name: 'Intro', folder: 'Outbound', shared: false });
    const id = created.body.id as string;
    expect((await h.api('GET', `/seqflow/v1/templates/${id}`, undefined, as(rita))).body.subject).toBe('Hi {{ contact.firstname }}');
    const patched = await h.api('PATCH', `/seqflow/v1/templates/${id}`, { subject: 'Hello {{ contact.company }}', folder: null }, as(rita));
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ subject: 'Hello {{ contact.company }}', body: '<p>Hello from {{ sender.firstname }}</p>', folder: null });
    expect((await h.api('DELETE', `/seqflow/v1/templates/${id}`, undefined, as(rita))).status).toBe(204);
    expect((await h.api('GET', `/seqflow/v1/templates/${id}`, undefined, as(rita))).status).toBe(404);
    expect((await h.api('GET', '/seqflow/v1/templates', undefined, as(rita))).body.results).toEqual([]);
  });

  it('should find templates by text in name, subject or body ignoring case, and by folder, when listing', async () => {
    await h.api('POST', '/seqflow/v1/templates', newTemplate({ name: 'Pricing follow-up', folder: 'Follow-ups' }), as(rita));
    await h.api('POST', '/seqflow/v1/templates', newTemplate({ name: 'Webinar', subject: 'Our WEBINAR on 50% savings', folder: 'Events' }), as(rita));
    await h.api('POST', '/seqflow/v1/templates', newTemplate({ name: 'Case study', body: '<p>See how Acme doubled replies</p>', folder: 'Follow-ups' }), as(rita));
    const names = async (query: string) => ((await h.api('GET', `/seqflow/v1/templates${query}`, undefined, as(rita))).body.results as { name: string }[]).map((t) => t.name);
    expect(await names('?q=pricing')).toEqual(['Pricing follow-up']);
    expect(await names('?q=webinar')).toEqual(['Webinar']);
    expect(await names('?q=ACME%20DOUBLED')).toEqual(['Case study']);
    expect(await names('?q=50%25')).toEqual(['Webinar']);
    expect(await names('?q=5_%25')).toEqual([]);
    expect(await names('?folder=Follow-ups')).toEqual(['Pricing follow-up', 'Case study']);
    expect(await names('?folder=Follow-ups&q=case')).toEqual(['Case study']);
    expect((await h.api('GET', '/seqflow/v1/templates/folders', undefined, as(rita))).body.results).toEqual(['Events', 'Follow-ups']);
    const first = await h.api('GET', '/seqflow/v1/templates?limit=2', undefined, as(rita));
    expect(first.body.results).toHaveLength(2);
    const rest = await h.api('GET', `/seqflow/v1/templates?limit=2&after=${first.body.paging.next.after}`, undefined, as(rita));
    expect(rest.body.results.map((t: { name: string }) => t.name)).toEqual(['Case study']);
    expect(rest.body.paging).toBeUndefined();
  });

  it("should keep a private template to its owner, answering 404 to others, and show a shared one to all but let only its owner change it", async () => {
    const mine = (await h.api('POST', '/seqflow/v1/templates', newTemplate({ name: 'Rita private', folder: 'Secret' }), as(rita))).body;
    const ours = (await h.api('POST', '/seqflow/v1/templates', newTemplate({ name: 'Team intro', shared: true }), as(rita))).body;
    const maxs = (await h.api('POST', '/seqflow/v1/templates', newTemplate({ name: 'Max private' }), as(max))).body;

    const listed = async (who: { token: string } | null, query = '') =>
      ((await h.api('GET', `/seqflow/v1/templates${query}`, undefined, who ? as(who) : {})).body.results as { name: string }[]).map((t) => t.name);
    expect(await listed(rita)).toEqual(['Rita private', 'Team intro']);
    expect(await listed(max)).toEqual(['Team intro', 'Max private']);
    expect(await listed(max, `?ownerId=${rita.userId}`)).toEqual(['Team intro']);
    // The admin token is no one's: it sees every template.
    expect(await listed(null)).toEqual(['Rita private', 'Team intro', 'Max private']);
    expect((await h.api('GET', '/seqflow/v1/templates/folders', undefined, as(max))).body.results).toEqual([]);

    const read = await h.api('GET', `/seqflow/v1/templates/${mine.id}`, undefined, as(max));
    expect(read.status).toBe(404);
    expect(read.body.category).toBe('OBJECT_NOT_FOUND');
    expect((await h.api('PATCH', `/seqflow/v1/templates/${mine.id}`, { name: 'Mine now' }, as(max))).status).toBe(404);
    expect((await h.api('DELETE', `/seqflow/v1/templates/${mine.id}`, undefined, as(max))).status).toBe(404);

    expect((await h.api('GET', `/seqflow/v1/templates/${ours.id}`, undefined, as(max))).status).toBe(200);
    const edit = await h.api('PATCH', `/seqflow/v1/templates/${ours.id}`, { name: 'Max was here' }, as(max));
    expect(edit.status).toBe(403);
    expect(edit.body.subCategory).toBe('NOT_OWNER');
    expect((await h.api('PATCH', `/seqflow/v1/templates/${maxs.id}`, { shared: true }, as(max))).body.shared).toBe(true);
    expect(await listed(rita)).toEqual(['Rita private', 'Team intro', 'Max private']);
    // The admin token changes anyone's.
    expect((await h.api('PATCH', `/seqflow/v1/templates/${mine.id}`, { name: 'Renamed by admin' })).status).toBe(200);
  });

  it("should show a rep signed in to the web app their own and shared templates, and not another rep's private one", async () => {
    await h.api('POST', '/seqflow/v1/templates', newTemplate({ name: 'Rita private' }), as(rita));
    await h.api('POST', '/seqflow/v1/templates', newTemplate({ name: 'Team intro', shared: true }), as(rita));
    expect((await h.api('PUT', `/seqflow/v1/users/${max.userId}/password`, { password: 'correct horse battery' })).status).toBe(200);
    const SELF = { origin: 'http://localhost:80' };
    const login = await h.api('POST', '/seqflow/v1/auth/login', { email: 'max@acme.test', password: 'correct horse battery' }, { token: null, headers: SELF });
    expect(login.status).toBe(200);
    const cookie = [login.headers['set-cookie']].flat().map((c) => String(c).split(';')[0]).find((c) => c.startsWith('seqflow_session='))!;
    const session = { token: null, headers: { ...SELF, cookie } };
    const mine = await h.api('POST', '/seqflow/v1/templates', newTemplate({ name: 'Max private' }), session);
    expect(mine.status).toBe(201);
    expect(mine.body.ownerUserId).toBe(max.userId);
    const listed = await h.api('GET', '/seqflow/v1/templates', undefined, session);
    expect(listed.body.results.map((t: { name: string }) => t.name)).toEqual(['Team intro', 'Max private']);
  });

  it('should name the owner when an admin token creates a template, and refuse one without it', async () => {
    const none = await h.api('POST', '/seqflow/v1/templates', newTemplate());
    expect(none.status).toBe(400);
    expect(none.body.errors[0]).toMatchObject({ in: 'ownerUserId', code: 'OWNER_REQUIRED' });
    const forMax = await h.api('POST', '/seqflow/v1/templates', newTemplate({ ownerUserId: max.userId }));
    expect(forMax.status).toBe(201);
    expect(forMax.body.ownerUserId).toBe(max.userId);
    expect((await h.api('GET', `/seqflow/v1/templates/${forMax.body.id}`, undefined, as(max))).status).toBe(200);
    const forOther = await h.api('POST', '/seqflow/v1/templates', newTemplate({ ownerUserId: max.userId }), as(rita));
    expect(forOther.status).toBe(400);
    expect(forOther.body.errors[0]).toMatchObject({ in: 'ownerUserId' });
    const nobody = await h.api('POST', '/seqflow/v1/templates', newTemplate({ ownerUserId: 9999 }));
    expect(nobody.status).toBe(404);
    expect(nobody.body.errors[0]).toMatchObject({ in: 'ownerUserId' });
  });

  it('should answer 400 naming the field when a subject or body is not a Liquid template that renders', async () => {
    const badBody = await h.api('POST', '/seqflow/v1/templates', newTemplate({ body: '<p>{% if contact.firstname %}Hi</p>' }), as(rita));
    expect(badBody.status).toBe(400);
    expect(badBody.body.errors.map((e: { in: string }) => e.in)).toEqual(['body']);
    const badSubject = await h.api('POST', '/seqflow/v1/templates', newTemplate({ subject: 'Hi {{ contact.firstname ' }), as(rita));
    expect(badSubject.status).toBe(400);
    expect(badSubject.body.errors.map((e: { in: string }) => e.in)).toEqual(['subject']);
    const id = (await h.api('POST', '/seqflow/v1/templates', newTemplate(), as(rita))).body.id;
    const badPatch = await h.api('PATCH', `/seqflow/v1/templates/${id}`, { body: '{{ contact.firstname | no_such_filter }}' }, as(rita));
    expect(badPatch.status).toBe(400);
    expect(badPatch.body.errors[0].in).toBe('body');
    const badSnippet = await h.api('POST', '/seqflow/v1/snippets', { name: 'Broken', shortcut: 'broken', body: '{% for x in %}' }, as(rita));
    expect(badSnippet.status).toBe(400);
    expect(badSnippet.body.errors[0].in).toBe('body');
  });

  it('should keep snippet shortcuts unique ignoring case, answering 409, until the holder is deleted', async () => {
    const first = await h.api('POST', '/seqflow/v1/snippets', { name: 'Calendar link', shortcut: 'Cal', body: 'Book a time: https://cal.example/rita', folder: 'Links' }, as(rita));
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ shortcut: 'cal', shared: false, folder: 'Links' });
    const dup = await h.api('POST', '/seqflow/v1/snippets', { name: 'Max calendar', shortcut: 'CAL', body: 'Pick a slot' }, as(max));
    expect(dup.status).toBe(409);
    expect(dup.body.subCategory).toBe('SNIPPET_SHORTCUT_EXISTS');
    const other = (await h.api('POST', '/seqflow/v1/snippets', { name: 'Max calendar', shortcut: 'maxcal', body: 'Pick a slot' }, as(max))).body;
    expect((await h.api('PATCH', `/seqflow/v1/snippets/${other.id}`, { shortcut: 'cal' }, as(max))).status).toBe(409);
    expect((await h.api('PATCH', `/seqflow/v1/snippets/${first.body.id}`, { shortcut: 'CAL', body: 'Book: https://cal.example/rita' }, as(rita))).status).toBe(200);
    const bad = await h.api('POST', '/seqflow/v1/snippets', { name: 'Bad', shortcut: 'no spaces', body: 'x' }, as(rita));
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].in).toBe('shortcut');

    expect((await h.api('GET', '/seqflow/v1/snippets?q=book', undefined, as(rita))).body.results).toHaveLength(1);
    expect((await h.api('GET', '/seqflow/v1/snippets?q=book', undefined, as(max))).body.results).toHaveLength(0);
    expect((await h.api('GET', `/seqflow/v1/snippets/${first.body.id}`, undefined, as(max))).status).toBe(404);
    expect((await h.api('GET', '/seqflow/v1/snippets/folders', undefined, as(rita))).body.results).toEqual(['Links']);

    expect((await h.api('DELETE', `/seqflow/v1/snippets/${first.body.id}`, undefined, as(rita))).status).toBe(204);
    expect((await h.api('GET', '/seqflow/v1/snippets', undefined, as(rita))).body.results).toEqual([]);
    expect((await h.api('PATCH', `/seqflow/v1/snippets/${other.id}`, { shortcut: 'cal' }, as(max))).status).toBe(200);
  });

  it("should keep a step's copy of a template when the template is edited later", async () => {
    const t = (await h.api('POST', '/seqflow/v1/templates', newTemplate({ subject: 'Quick question', body: '<p>Version one</p>' }), as(rita))).body;
    const seq = await h.api('POST', '/seqflow/v1/sequences', {
      name: 'From the library',
      userId: rita.userId,
      steps: [{ type: 'EMAIL', delayMillis: 0, subject: t.subject, body: t.body, templateId: t.id }],
    });
    expect(seq.status).toBe(201);
    expect(seq.body.steps[0].emailPattern).toMatchObject({ subject: 'Quick question', body: '<p>Version one</p>', sourceTemplateId: t.id });
    await h.api('PATCH', `/seqflow/v1/templates/${t.id}`, { body: '<p>Version two</p>' }, as(rita));
    const read = await h.api('GET', `/automation/v4/sequences/${seq.body.id}?userId=${rita.userId}`);
    expect(read.body.steps[0].emailPattern).toMatchObject({ body: '<p>Version one</p>', sourceTemplateId: t.id });
    const unknown = await h.api('POST', '/seqflow/v1/sequences', { name: 'Bad ref', userId: rita.userId, steps: [{ type: 'EMAIL', delayMillis: 0, subject: 'x', body: 'y', templateId: 9999 }] });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors[0].in).toBe('steps[0].templateId');
  });
});
