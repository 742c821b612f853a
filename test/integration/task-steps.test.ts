import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dialectCases } from '../support/databases.js';
import { DAY, seedContact, seedSender, seedSequence, startHarness, type Harness } from '../support/harness.js';

describe.each(dialectCases)('task steps on $dialect', ({ create, skip }) => {
  let h: Harness;
  beforeEach(async (ctx) => {
    if (skip) return ctx.skip();
    h = await startHarness(await create());
  });
  afterEach(async () => h?.close());

  it('should create a task for the enrolling user and wait for it before the next email when the task gates the next step', async () => {
    const rep = await seedSender(h);
    const sequenceId = await seedSequence(h, rep.userId, {
      steps: [
        { type: 'TASK', delayMillis: 0, subject: 'Call {{ contact.firstname }}', body: 'Ask about the demo', taskType: 'CALL' },
        { type: 'EMAIL', delayMillis: 1 * DAY, subject: 'After our call', body: '<p>Thanks for the call.</p>' },
      ],
    });
    const contactId = await seedContact(h, { email: 'lena@example.com', firstname: 'Lena' });
    await h.api('POST', `/automation/v4/sequences/enrollments?userId=${rep.userId}`, { contactId, sequenceId, senderEmail: rep.email });
    await h.advance(0);
    const tasks = (await h.api('GET', `/seqflow/v1/tasks?userId=${rep.userId}`)).body.results;
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({ type: 'CALL', status: 'OPEN' });

    // Four days on (Friday): the next email's one-day delay then stays clear of the DST change.
    await h.advance(4 * DAY);
    expect((await h.api('GET', '/seqflow/v1/dev-mail/messages?to=lena@example.com')).body.results).toHaveLength(0);

    const done = await h.api('POST', `/seqflow/v1/tasks/${tasks[0].id}/complete`);
    expect(done.status).toBe(200);
    await h.advance(DAY - 60_000);
    expect((await h.api('GET', '/seqflow/v1/dev-mail/messages?to=lena@example.com')).body.results).toHaveLength(0);
    await h.advance(60_000);
    expect((await h.api('GET', '/seqflow/v1/dev-mail/messages?to=lena@example.com')).body.results).toHaveLength(1);
    expect((await h.api('POST', `/seqflow/v1/tasks/${tasks[0].id}/complete`)).status).toBe(409);
  });
});
