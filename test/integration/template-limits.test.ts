/**
 * Templates that hit the rendering limits (issue #9): refused at save with the field and the
 * limit, paused once at send, never blocking the API or other sends, and a 4xx from previews.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SeqflowOptions } from '../../src/server.js';
import { dialectCases } from '../support/databases.js';
import { DAY, seedContact, seedSender, seedSequence, startHarness, type Harness } from '../support/harness.js';

/** Doubles a captured string forty times: terabytes if nothing counts what capture builds. */
const CAPTURE_BOMB = '{% capture a %}x{% endcapture %}{% for i in (1..40) %}{% capture a %}{{ a }}{{ a }}{% endcapture %}{% endfor %}{{ a | size }}';
/** Twenty-five million loop turns: seconds of CPU, almost no memory. */
const SPIN = '{% for i in (1..5000) %}{% for j in (1..5000) %}{% if j == 0 %}never{% endif %}{% endfor %}{% endfor %}';
/** Passes any save-time trial (the sample company is "Sample company") and explodes for one customer. */
const onlyFor = (company: string, bomb: string) => `<p>Hi {{ contact.firstname | default: "there" }}</p>{% if contact.company == "${company}" %}${bomb}{% endif %}`;

describe.each(dialectCases)('template limits on $dialect', ({ create, skip }) => {
  let h: Harness;
  let running: Harness | null = null;
  const start = async (opts: Partial<SeqflowOptions> = {}) => {
    running = h = await startHarness(await create(), opts);
    return h;
  };
  beforeEach((ctx) => {
    if (skip) ctx.skip();
  });
  afterEach(async () => {
    await running?.close();
    running = null;
  });

  const enroll = (userId: string, body: Record<string, unknown>) => h.api('POST', `/automation/v4/sequences/enrollments?userId=${userId}`, body);
  const enrollmentOf = async (contactId: string) => {
    const all = (await h.api('GET', `/seqflow/v1/enrollments?contactId=${contactId}`)).body.results as any[];
    expect(all).toHaveLength(1);
    return all[0];
  };
  const devMail = async (to: string) => (await h.api('GET', `/seqflow/v1/dev-mail/messages?to=${encodeURIComponent(to)}`)).body.results as any[];
  const tasksOf = async (enrollmentId: string) => (await h.api('GET', `/seqflow/v1/tasks?enrollmentId=${enrollmentId}`)).body.results as any[];
  const timeline = async (contactId: string) => (await h.api('GET', `/seqflow/v1/contacts/${contactId}/timeline`)).body.results as any[];
  const steps = (...bodies: string[]) => bodies.map((body, i) => ({ type: 'EMAIL', delayMillis: i === 0 ? 0 : DAY, subject: 'Hello', body }));

  async function enrolled(rep: { userId: string; email: string }, sequenceId: string, properties: Record<string, string>) {
    const contactId = await seedContact(h, properties);
    const r = await enroll(rep.userId, { contactId, sequenceId, senderEmail: rep.email });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return { contactId, enrollmentId: r.body.id as string };
  }

  it('should refuse a sequence with 400 naming the step field and the limit when a step body or subject cannot render within the limits', async () => {
    await start();
    const rep = await seedSender(h);
    const base = { name: 'Bombs', userId: rep.userId, settings: { eligibleFollowUpDays: 'EVERYDAY', sendWindowStartMinute: 0, sendWindowEndMinute: 1440 } };

    const created = await h.api('POST', '/seqflow/v1/sequences', { ...base, steps: steps('<p>Hi</p>', CAPTURE_BOMB) });
    expect(created.status).toBe(400);
    expect(created.body.category).toBe('VALIDATION_ERROR');
    expect(created.body.errors).toEqual([expect.objectContaining({ in: 'steps[1].body', code: 'TEMPLATE_MEMORY_LIMIT', message: expect.stringMatching(/memory limit/) })]);

    const seq = await seedSequence(h, rep.userId);
    const before = (await h.api('GET', `/automation/v4/sequences/${seq}?userId=${rep.userId}`)).body;
    // Few loop turns, so it is the output that trips, not the clock, however busy the machine.
    const huge = `{% for i in (1..200) %}<p>${'x'.repeat(6_000)}</p>{% endfor %}`;
    const updated = await h.api('PUT', `/seqflow/v1/sequences/${seq}`, {
      name: 'Bombs',
      steps: [{ type: 'EMAIL', delayMillis: 0, subject: SPIN, body: '<p>Hi</p>' }, ...steps(huge).map((s) => ({ ...s, delayMillis: DAY }))],
    });
    expect(updated.status).toBe(400);
    expect(updated.body.errors).toEqual([
      expect.objectContaining({ in: 'steps[0].subject', code: 'TEMPLATE_TIME_LIMIT', message: expect.stringMatching(/time limit/) }),
      expect.objectContaining({ in: 'steps[1].body', code: 'TEMPLATE_OUTPUT_LIMIT', message: expect.stringMatching(/output limit/) }),
    ]);
    expect((await h.api('GET', `/automation/v4/sequences/${seq}?userId=${rep.userId}`)).body).toEqual(before);
  });

  it('should pause once with TEMPLATE_RENDER_FAILED and one task, send nothing and never retry when a template explodes on a contact at send', async () => {
    await start();
    const rep = await seedSender(h);
    const seq = await seedSequence(h, rep.userId, { steps: steps(onlyFor('Bomb Co', CAPTURE_BOMB), '<p>Follow-up</p>') });
    const bomb = await enrolled(rep, seq, { email: 'boom@bomb.test', firstname: 'Bo', company: 'Bomb Co' });
    const fine = await enrolled(rep, seq, { email: 'fine@example.com', firstname: 'Fi', company: 'Fine Inc' });

    await h.advance(0);
    expect(await devMail('fine@example.com')).toHaveLength(1);
    expect(await devMail('boom@bomb.test')).toEqual([]);
    expect(await enrollmentOf(bomb.contactId)).toMatchObject({ state: 'PAUSED', reason: 'TEMPLATE_RENDER_FAILED', sends: [] });
    const tasks = await tasksOf(bomb.enrollmentId);
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({ status: 'OPEN', reason: 'TEMPLATE_RENDER_FAILED' });
    expect(String(tasks[0].userId)).toBe(rep.userId);
    expect(tasks[0].subject).toMatch(/body of step 1/);
    expect(tasks[0].notes).toMatch(/memory/);

    // Worker ticks and lease expiries go by: the paused enrollment is not claimed again.
    for (let i = 0; i < 3; i++) await h.advance(DAY);
    expect(await devMail('boom@bomb.test')).toEqual([]);
    expect(await tasksOf(bomb.enrollmentId)).toHaveLength(1);
    expect((await timeline(bomb.contactId)).filter((e) => e.type === 'SEQUENCE_PAUSED')).toHaveLength(1);
    expect(await enrollmentOf(bomb.contactId)).toMatchObject({ state: 'PAUSED', reason: 'TEMPLATE_RENDER_FAILED' });
    expect(await devMail('fine@example.com')).toHaveLength(2);
    expect(await enrollmentOf(fine.contactId)).toMatchObject({ state: 'FINISHED' });
  });

  it('should send the other emails and answer the API while a runaway template renders when it sits beside normal enrollments', async () => {
    // Liquid's clock is out of the way, so the runaway holds its thread until the hard timeout:
    // long enough to watch everything else go on around it.
    await start({ templateRenderer: { threads: 2, limits: { renderMs: 600_000 }, timeoutMs: 8_000 } });
    const rep = await seedSender(h);
    const seq = await seedSequence(h, rep.userId, { steps: steps(onlyFor('Spin Co', SPIN)) });
    const bomb = await enrolled(rep, seq, { email: 'spin@spin.test', company: 'Spin Co' });
    const others = ['a@example.com', 'b@example.com', 'c@example.com'];
    for (const email of others) await enrolled(rep, seq, { email, company: 'Fine Inc' });

    let tickDone = false;
    const tick = h.sf.worker!.tick().finally(() => {
      tickDone = true;
    });
    const allSent = async () => (await Promise.all(others.map(devMail))).every((m) => m.length === 1);
    while (!(await allSent())) {
      expect(tickDone, 'the tick ended before the other emails were sent').toBe(false);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    const health = await h.api('GET', '/seqflow/v1/health');
    expect(health.status).toBe(200);
    // Still rendering: the runaway has neither finished nor been stopped yet.
    expect(tickDone).toBe(false);
    expect(await enrollmentOf(bomb.contactId)).toMatchObject({ state: 'ACTIVE', sends: [] });

    await tick;
    expect(await enrollmentOf(bomb.contactId)).toMatchObject({ state: 'PAUSED', reason: 'TEMPLATE_RENDER_FAILED', sends: [] });
    expect((await tasksOf((await enrollmentOf(bomb.contactId)).id))[0].notes).toMatch(/still rendering after 8000 ms/);
    expect(await devMail('spin@spin.test')).toEqual([]);
  }, 60_000);

  it('should answer a preview with 400 and the reason, never 5xx, when the template cannot render for the contact', async () => {
    await start();
    const rep = await seedSender(h);
    const seq = await seedSequence(h, rep.userId, { steps: steps('<p>Hi</p>', onlyFor('Bomb Co', CAPTURE_BOMB)) });
    const bombId = await seedContact(h, { email: 'boom@bomb.test', company: 'Bomb Co' });
    const fineId = await seedContact(h, { email: 'fine@example.com', company: 'Fine Inc' });

    const preview = await h.api('POST', `/seqflow/v1/sequences/${seq}/preview`, { contactId: Number(bombId), stepOrder: 1 });
    expect(preview.status).toBe(400);
    expect(preview.body).toMatchObject({
      category: 'VALIDATION_ERROR',
      subCategory: 'TEMPLATE_RENDER_FAILED',
      errors: [{ in: 'steps[1].body', code: 'TEMPLATE_MEMORY_LIMIT' }],
    });
    const ok = await h.api('POST', `/seqflow/v1/sequences/${seq}/preview`, { contactId: Number(fineId), stepOrder: 1 });
    expect(ok.status).toBe(200);
    expect(ok.body.html).toBe('<p>Hi there</p>');
  });
});
