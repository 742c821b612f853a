import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SmtpSender } from '../../src/mail/smtp-sender.js';
import { createContact } from '../../src/services/contacts.js';
import { enrollContact } from '../../src/services/enroll-contact.js';
import { sendTaskEmail } from '../../src/services/manual-email.js';
import { runSequenceStep } from '../../src/services/run-sequence-step.js';
import { claimDueEnrollments } from '../../src/store/enrollments.js';
import { createSequence } from '../../src/services/sequences.js';
import { dialectCases, postgresAvailable } from '../support/databases.js';
import { dovecotAvailable } from '../support/dovecot.js';
import { DAY, HOUR, seedContact, seedSender, seedSequence, startHarness, type Harness } from '../support/harness.js';
import { eventually } from '../support/processes.js';
import { SENT_FOLDER_REP, useSentFolderStack } from '../support/sent-folder-stack.js';

/**
 * The task queue (issue #14 item 2): tasks with the contact's tokens filled in, worked in order,
 * a call logged on the timeline, skip and snooze, and manual emails sent as the step's email
 * with the exactly-once protocol and the thread of the emails before them.
 */
describe.each(dialectCases)('task queue on $dialect', ({ create, skip }) => {
  let h: Harness;
  beforeEach(async (ctx) => {
    if (skip) return ctx.skip();
    h = await startHarness(await create());
  });
  afterEach(async () => h?.close());

  const mailTo = async (to: string) => (await h.api('GET', `/seqflow/v1/dev-mail/messages?to=${encodeURIComponent(to)}`)).body.results;
  const queue = async (query = '') => (await h.api('GET', `/seqflow/v1/tasks${query}`)).body.results;
  const timeline = async (contactId: string) => (await h.api('GET', `/seqflow/v1/contacts/${contactId}/timeline`)).body.results as { type: string; data: Record<string, unknown> }[];
  const enrollmentOf = async (contactId: string) => (await h.api('GET', `/seqflow/v1/enrollments?contactId=${contactId}`)).body.results[0];

  async function enroll(steps: unknown[], contact: Record<string, string> = { email: 'lena@example.com', firstname: 'Lena' }) {
    const rep = await seedSender(h);
    const sequenceId = await seedSequence(h, rep.userId, { steps });
    const contactId = await seedContact(h, contact);
    const r = await h.api('POST', `/automation/v4/sequences/enrollments?userId=${rep.userId}`, { contactId, sequenceId, senderEmail: rep.email });
    expect(r.status).toBe(200);
    return { rep, sequenceId, contactId };
  }

  /** An automatic first email, then a manual email in its thread (with a placeholder), then a follow-up. */
  const MANUAL_EMAIL_STEPS = [
    { type: 'EMAIL', delayMillis: 0, subject: 'Hello {{ contact.firstname }}', body: '<p>Hi {{ contact.firstname }}, first note.</p>' },
    { type: 'TASK', taskType: 'EMAIL', delayMillis: DAY, subject: 'Checking in', body: '<p>Hi {{ contact.firstname }}, about [[placeholder: recent news]].</p>' },
    { type: 'EMAIL', delayMillis: DAY, subject: '', body: '<p>Last note.</p>' },
  ];

  it("should fill the contact's tokens into a task's title and notes when a task step creates the task", async () => {
    await enroll([{ type: 'TASK', taskType: 'CALL', delayMillis: 0, subject: 'Call {{ contact.firstname }}', body: 'Ask {{ contact.firstname }} about <b>{{ contact.company }}</b>' }], {
      email: 'lena@example.com',
      firstname: 'Lena',
      company: 'Fish & Chips',
    });
    await h.advance(0);
    const [task] = await queue();
    expect(task).toMatchObject({ type: 'CALL', subject: 'Call Lena', status: 'OPEN', section: 'TODAY', priority: 'NONE' });
    expect(task.notes).toBe('Ask Lena about <b>Fish &amp; Chips</b>');
  });

  it('should order the queue by due time, split it into overdue, today and upcoming, and hide a snoozed task until it is due when the rep reads it', async () => {
    const a = await enroll([{ type: 'TASK', taskType: 'TODO', delayMillis: 0, subject: 'First' }]);
    await h.advance(2 * DAY);
    const otherContact = await seedContact(h, { email: 'bob@example.com', firstname: 'Bob' });
    await h.api('POST', `/automation/v4/sequences/enrollments?userId=${a.rep.userId}`, { contactId: otherContact, sequenceId: a.sequenceId, senderEmail: a.rep.email });
    await h.advance(0);
    const list = await queue(`?userId=${a.rep.userId}&status=OPEN`);
    expect(list.map((t: { subject: string; section: string }) => [t.subject, t.section])).toEqual([
      ['First', 'OVERDUE'],
      ['First', 'TODAY'],
    ]);
    expect((await queue(`?userId=${a.rep.userId}&section=OVERDUE`)).map((t: { contactId: number }) => String(t.contactId))).toEqual([a.contactId]);
    expect(await queue(`?sequenceId=${a.sequenceId}&section=UPCOMING`)).toEqual([]);
    expect((await queue(`?sequenceId=999`)).length).toBe(0);

    const snoozed = await h.api('POST', `/seqflow/v1/tasks/${list[0].id}/snooze`, { until: new Date(h.sf.deps.clock.now() + DAY).toISOString() });
    expect(snoozed.status).toBe(200);
    expect(snoozed.body.section).toBe('UPCOMING');
    expect((await queue('?status=OPEN')).map((t: { id: string }) => t.id)).toEqual([list[1].id]);
    expect((await queue('?status=OPEN&includeSnoozed=true')).length).toBe(2);
    await h.advance(DAY);
    expect((await queue('?status=OPEN')).map((t: { id: string }) => t.id)).toEqual([list[1].id, list[0].id]);

    const past = await h.api('POST', `/seqflow/v1/tasks/${list[0].id}/snooze`, { until: '2020-01-01T00:00:00Z' });
    expect(past.status).toBe(400);
    expect(past.body.errors[0].in).toBe('until');
  });

  it("should log a call's outcome and note on the contact's timeline and go on with the sequence when the rep completes a call task", async () => {
    const { contactId } = await enroll([
      { type: 'TASK', taskType: 'CALL', delayMillis: 0, subject: 'Call {{ contact.firstname }}' },
      { type: 'EMAIL', delayMillis: HOUR, subject: 'After my call', body: '<p>As promised.</p>' },
    ]);
    await h.advance(0);
    const [task] = await queue();
    const wrong = await h.api('POST', `/seqflow/v1/tasks/${task.id}/complete`, { callOutcome: 'MAYBE' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.errors[0].in).toBe('callOutcome');
    const done = await h.api('POST', `/seqflow/v1/tasks/${task.id}/complete`, { callOutcome: 'LEFT_VOICEMAIL', note: 'Will call back Thursday' });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ status: 'COMPLETED', callOutcome: 'LEFT_VOICEMAIL', completionNote: 'Will call back Thursday' });
    const call = (await timeline(contactId)).find((e) => e.type === 'CALL_LOGGED');
    expect(call?.data).toMatchObject({ outcome: 'Left voicemail', note: 'Will call back Thursday', task: 'Call Lena' });
    await h.advance(HOUR);
    expect(await mailTo('lena@example.com')).toHaveLength(1);
    expect((await h.api('POST', `/seqflow/v1/tasks/${task.id}/complete`)).status).toBe(409);
  });

  it('should record a skipped task and go on with the sequence when the rep skips it', async () => {
    const { contactId } = await enroll([
      { type: 'TASK', taskType: 'TODO', delayMillis: 0, subject: 'Research {{ contact.firstname }}' },
      { type: 'EMAIL', delayMillis: HOUR, subject: 'Hello', body: '<p>Hi.</p>' },
    ]);
    await h.advance(0);
    const [task] = await queue();
    const skipped = await h.api('POST', `/seqflow/v1/tasks/${task.id}/skip`, {});
    expect(skipped.status).toBe(200);
    expect(skipped.body.status).toBe('SKIPPED');
    expect((await timeline(contactId)).some((e) => e.type === 'TASK_SKIPPED')).toBe(true);
    await h.advance(HOUR);
    expect(await mailTo('lena@example.com')).toHaveLength(1);
    expect((await h.api('POST', `/seqflow/v1/tasks/${task.id}/complete`)).status).toBe(409);
  });

  it('should take a call task out of the queue, closed with the reason, when the contact replies while it is due', async () => {
    const { rep, sequenceId, contactId } = await enroll([
      { type: 'EMAIL', delayMillis: 0, subject: 'Hello {{ contact.firstname }}', body: '<p>Hi.</p>' },
      { type: 'TASK', taskType: 'CALL', delayMillis: HOUR, subject: 'Call {{ contact.firstname }}', taskGatesNextStep: false },
      { type: 'EMAIL', delayMillis: DAY, subject: '', body: '<p>Last note.</p>' },
    ]);
    // Another contact's call task in the same sequence is not touched by Lena's reply.
    const bob = await seedContact(h, { email: 'bob@example.com', firstname: 'Bob' });
    await h.api('POST', `/automation/v4/sequences/enrollments?userId=${rep.userId}`, { contactId: bob, sequenceId, senderEmail: rep.email });
    await h.advance(HOUR);
    expect((await queue(`?userId=${rep.userId}&status=OPEN`)).map((t: { subject: string }) => t.subject).sort()).toEqual(['Call Bob', 'Call Lena']);

    const [first] = await mailTo('lena@example.com');
    await h.api('POST', '/seqflow/v1/dev-mail/reply', { messageId: first.messageId, text: 'Call me tomorrow.' });
    expect((await queue(`?userId=${rep.userId}&status=OPEN`)).map((t: { subject: string }) => t.subject)).toEqual(['Call Bob']);
    const [closed] = await queue(`?contactId=${contactId}`);
    expect(closed).toMatchObject({ subject: 'Call Lena', status: 'SKIPPED', closedReason: 'REPLIED' });
    expect((await h.api('POST', `/seqflow/v1/tasks/${closed.id}/complete`, { callOutcome: 'CONNECTED' })).status).toBe(409);
  });

  it('should close the open task when the rep unenrolls the contact', async () => {
    const { contactId } = await enroll([
      { type: 'TASK', taskType: 'TODO', delayMillis: 0, subject: 'Research {{ contact.firstname }}', taskGatesNextStep: true },
      { type: 'EMAIL', delayMillis: HOUR, subject: 'Hello', body: '<p>Hi.</p>' },
    ]);
    await h.advance(0);
    expect(await queue('?status=OPEN')).toHaveLength(1);
    const r = await h.api('POST', `/seqflow/v1/contacts/${contactId}/unenroll`);
    expect(r.status).toBeLessThan(300);
    expect(await queue('?status=OPEN')).toEqual([]);
    expect((await queue(`?contactId=${contactId}`))[0]).toMatchObject({ status: 'SKIPPED', closedReason: 'MANUAL' });
  });

  it("should read a rep's own queue and refuse another rep's when a rep who is not an admin is signed in", async () => {
    const { rep } = await enroll([
      { type: 'TASK', taskType: 'TODO', delayMillis: 0, subject: 'Research {{ contact.firstname }}', taskGatesNextStep: true },
      { type: 'EMAIL', delayMillis: HOUR, subject: 'Hello', body: '<p>Hi.</p>' },
    ]);
    const other = await seedSender(h, { email: 'sam@acme.test' });
    expect((await h.api('PUT', `/seqflow/v1/users/${rep.userId}/password`, { password: 'a long enough secret' })).status).toBeLessThan(300);
    await h.advance(0);
    const origin = new URL(h.sf.url!).origin;
    const login = await h.api('POST', '/seqflow/v1/auth/login', { email: rep.email, password: 'a long enough secret' }, { token: null, headers: { origin, host: new URL(origin).host } });
    expect(login.status).toBe(200);
    const cookie = [login.headers['set-cookie']].flat().map((c) => String(c).split(';')[0]).join('; ');
    const asRep = (query: string) => h.api('GET', `/seqflow/v1/tasks${query}`, undefined, { token: null, headers: { cookie, origin } });
    const mine = await asRep('');
    expect(mine.status).toBe(200);
    expect(mine.body.results.map((t: { subject: string; userId: number }) => [t.subject, String(t.userId)])).toEqual([['Research Lena', rep.userId]]);
    const theirs = await asRep(`?userId=${other.userId}`);
    expect(theirs.status).toBe(400);
    expect(theirs.body.errors[0].in).toBe('userId');
  });

  it("should send a manual email once, in the first email's thread, as the step's email when the rep sends it twice", async () => {
    const { contactId } = await enroll(MANUAL_EMAIL_STEPS);
    await h.advance(DAY);
    const [first] = await mailTo('lena@example.com');
    const [task] = await queue('?status=OPEN');
    expect(task).toMatchObject({ type: 'EMAIL', subject: 'Checking in' });

    const draft = await h.api('GET', `/seqflow/v1/tasks/${task.id}/draft`);
    expect(draft.status).toBe(200);
    expect(draft.body).toMatchObject({ kind: 'MANUAL_EMAIL', subject: 'Re: Hello Lena', to: 'lena@example.com', placeholders: ['recent news'] });
    expect(draft.body.html).toContain('Hi Lena, about [[placeholder: recent news]].');

    const unfilled = await h.api('POST', `/seqflow/v1/tasks/${task.id}/send`, { subject: draft.body.subject, html: draft.body.html });
    expect(unfilled.status).toBe(400);
    expect(unfilled.body.errors[0].in).toBe('placeholderValues.recent news');

    const body = { subject: draft.body.subject, html: `${draft.body.html}<p>{{ not a template }}</p>`, placeholderValues: { 'recent news': 'your <Series B>' } };
    const [one, two] = await Promise.all([h.api('POST', `/seqflow/v1/tasks/${task.id}/send`, body), h.api('POST', `/seqflow/v1/tasks/${task.id}/send`, body)]);
    expect([one.status, two.status]).toEqual([202, 202]);
    expect([one.body.queued, two.body.queued].sort()).toEqual([false, true]);
    expect(one.body.task.sendRequestedAt).not.toBeNull();
    // Queued for the worker: nothing may complete or skip the task meanwhile.
    expect((await h.api('POST', `/seqflow/v1/tasks/${task.id}/skip`, {})).status).toBe(409);

    await h.advance(0);
    const mail = await mailTo('lena@example.com');
    expect(mail).toHaveLength(2);
    const manual = mail[0]; // newest first
    expect(manual.subject).toBe('Re: Hello Lena');
    expect(manual.html).toContain('Hi Lena, about your &lt;Series B&gt;.');
    expect(manual.html).toContain('{{ not a template }}');
    expect(manual.headers['in-reply-to']).toBe(first.messageId);
    expect(manual.headers.references).toContain(first.messageId);

    const e = await enrollmentOf(contactId);
    expect(e).toMatchObject({ state: 'ACTIVE', currentStep: 2 });
    expect(e.sends.map((s: { step: number; status: string }) => [s.step, s.status])).toEqual([
      [0, 'SENT'],
      [1, 'SENT'],
    ]);
    expect((await queue(`?enrollmentId=${e.id}`))[0]).toMatchObject({ status: 'COMPLETED' });
    const again = await h.api('POST', `/seqflow/v1/tasks/${task.id}/send`, body);
    expect(again.status).toBe(202);
    expect(again.body.queued).toBe(false);

    // The step's email counts in the per-step report, and a reply to it ends the enrollment.
    const report = await h.api('GET', `/seqflow/v1/sequences/${e.sequenceId}/report`);
    expect(report.body.steps[1]).toMatchObject({ sent: 1 });
    await h.api('POST', '/seqflow/v1/dev-mail/reply', { messageId: manual.messageId, text: 'Thanks, let us talk.' });
    expect(await enrollmentOf(contactId)).toMatchObject({ state: 'UNENROLLED', reason: 'REPLIED' });
    await h.advance(3 * DAY);
    expect(await mailTo('lena@example.com')).toHaveLength(2);
  });

  it('should refuse to send a manual email and send nothing when the contact replied first', async () => {
    const { contactId } = await enroll(MANUAL_EMAIL_STEPS);
    await h.advance(DAY);
    const [first] = await mailTo('lena@example.com');
    const [task] = await queue('?status=OPEN');
    await h.api('POST', '/seqflow/v1/dev-mail/reply', { messageId: first.messageId, text: 'Not interested.' });
    const r = await h.api('POST', `/seqflow/v1/tasks/${task.id}/send`, { subject: 'Re: Hello Lena', html: '<p>Hi</p>' });
    expect(r.status).toBe(409);
    expect(r.body.subCategory).toBe('REPLIED');
    await h.advance(3 * DAY);
    expect(await mailTo('lena@example.com')).toHaveLength(1);
    expect((await enrollmentOf(contactId)).state).toBe('UNENROLLED');
  });

  it('should confirm a manual email from the dev mail store and never send it again when the worker sending it dies mid-conversation', async () => {
    const { contactId } = await enroll(MANUAL_EMAIL_STEPS);
    await h.advance(DAY);
    const [task] = await queue('?status=OPEN');
    const deps = h.sf.deps;
    const real = deps.smtp;
    let attempts = 0;
    let restarted: string | undefined;
    deps.smtp = {
      async send(key, smtp, email) {
        attempts++;
        await real.send(key, smtp, email);
        // The message is in the server's store and the worker dies before it hears the 250. Its
        // claim lapses; a restarted worker claims the step and finds the send SENDING.
        deps.smtp = real;
        await deps.db.kysely.updateTable('enrollments').set({ lease_until: deps.clock.now() - 1 }).execute();
        const [claimed] = await deps.db.transaction((tx) => claimDueEnrollments(tx, deps.db.dialect, { worker: 'restarted', now: deps.clock.now(), leaseMs: 20_000, limit: 1 }));
        restarted = await runSequenceStep(deps, claimed, 'restarted');
        // Nothing the dead worker would have done after this point ever happens.
        throw new Error('worker killed');
      },
      close: () => real.close(),
    } satisfies SmtpSender;
    const r = await h.api('POST', `/seqflow/v1/tasks/${task.id}/send`, { subject: 'Re: Hello Lena', html: '<p>Hi Lena</p>', placeholderValues: {} });
    expect(r.status).toBe(202);
    await h.advance(0);
    deps.smtp = real;

    expect(restarted).toBe('sent');
    const e = await enrollmentOf(contactId);
    expect(e).toMatchObject({ state: 'ACTIVE', currentStep: 2 });
    expect(e.sends[1].status).toBe('SENT');
    const [row] = await h.sf.db.kysely.selectFrom('sends').select(['confirmed_by', 'attempts']).where('step_order', '=', 1).execute();
    expect(row).toMatchObject({ confirmed_by: 'DEV_MAIL', attempts: 1 });
    expect((await queue(`?enrollmentId=${e.id}`))[0].status).toBe('COMPLETED');
    await h.advance(3 * DAY);
    expect(attempts).toBe(1);
    const mail = await mailTo('lena@example.com');
    expect(mail.map((m: { subject: string }) => m.subject)).toEqual(['Re: Hello Lena', 'Re: Hello Lena', 'Hello Lena']);
  });

  it('should open the task again and say why a resend is refused when the server rejects the manual email for good', async () => {
    const { contactId } = await enroll(MANUAL_EMAIL_STEPS);
    await h.advance(DAY);
    const [task] = await queue('?status=OPEN');
    const real = h.sf.deps.smtp;
    h.sf.deps.smtp = { send: async () => ({ kind: 'rejected', error: '550 5.7.1 Message refused' }), close: () => real.close() } satisfies SmtpSender;
    const body = { subject: 'Re: Hello Lena', html: '<p>Hi</p>', placeholderValues: {} };
    expect((await h.api('POST', `/seqflow/v1/tasks/${task.id}/send`, body)).status).toBe(202);
    await h.advance(0);
    h.sf.deps.smtp = real;
    expect(await enrollmentOf(contactId)).toMatchObject({ state: 'FAILED', reason: 'EMAIL_REJECTED' });
    const [again] = await queue('?status=OPEN');
    expect(again).toMatchObject({ id: task.id, sendRequestedAt: null });
    const refused = await h.api('POST', `/seqflow/v1/tasks/${task.id}/send`, body);
    expect(refused.status).toBe(409);
    expect(refused.body.subCategory).toBe('EMAIL_REJECTED');
    expect(await mailTo('lena@example.com')).toHaveLength(1);
  });

  it('should take the placeholder values, complete the task and resume the enrollment when the rep fills in a paused email', async () => {
    const { contactId } = await enroll([{ type: 'EMAIL', delayMillis: 0, subject: 'Hi {{ contact.firstname }}', body: '<p>Loved [[placeholder: your talk]].</p>' }]);
    await h.advance(0);
    expect(await enrollmentOf(contactId)).toMatchObject({ state: 'PAUSED', reason: 'UNFILLED_PLACEHOLDER' });
    const [task] = await queue('?status=OPEN');
    const draft = await h.api('GET', `/seqflow/v1/tasks/${task.id}/draft`);
    expect(draft.body).toMatchObject({ kind: 'PLACEHOLDERS', placeholders: ['your talk'] });
    const empty = await h.api('POST', `/seqflow/v1/tasks/${task.id}/placeholders`, { placeholderValues: { 'your talk': ' ' } });
    expect(empty.status).toBe(400);
    expect(empty.body.errors[0].in).toBe('placeholderValues.your talk');
    const filled = await h.api('POST', `/seqflow/v1/tasks/${task.id}/placeholders`, { placeholderValues: { 'your talk': 'your KubeCon talk' } });
    expect(filled.status).toBe(200);
    expect(filled.body.state).toBe('ACTIVE');
    await h.advance(0);
    const [mail] = await mailTo('lena@example.com');
    expect(mail.html).toContain('Loved your KubeCon talk.');
    expect((await queue())[0].status).toBe('COMPLETED');
  });

  it("should list, read and complete tasks in HubSpot's shape when a client uses /crm/v3/objects/tasks", async () => {
    const { contactId, rep } = await enroll([
      { type: 'TASK', taskType: 'CALL', taskPriority: 'HIGH', delayMillis: 0, subject: 'Call {{ contact.firstname }}', body: 'Ask about the demo' },
      { type: 'TASK', taskType: 'LINKED_IN_CONNECT', delayMillis: 0, subject: 'Connect with {{ contact.firstname }}' },
    ]);
    await h.advance(0);
    const page1 = await h.api('GET', '/crm/v3/objects/tasks?limit=1&properties=hs_task_subject,hs_task_status,hs_task_type,hs_task_priority,hubspot_owner_id,hs_timestamp&associations=contacts');
    expect(page1.status).toBe(200);
    expect(page1.body.results).toHaveLength(1);
    const [t] = page1.body.results;
    expect(t.properties).toMatchObject({ hs_task_subject: 'Call Lena', hs_task_status: 'NOT_STARTED', hs_task_type: 'CALL', hs_task_priority: 'HIGH', hubspot_owner_id: rep.userId });
    expect(t.associations.contacts.results).toEqual([{ id: contactId, type: 'task_to_contact' }]);
    expect(page1.body.paging).toBeUndefined();
    // The call task gates the LinkedIn one: completing it through HubSpot's API lets the sequence go on.
    const patched = await h.api('PATCH', `/crm/v3/objects/tasks/${t.id}`, { properties: { hs_task_status: 'COMPLETED', hs_task_body: 'Done via API' } });
    expect(patched.status).toBe(200);
    expect(patched.body.properties.hs_task_status).toBe('COMPLETED');
    await h.advance(0);
    const first = await h.api('GET', '/crm/v3/objects/tasks?limit=1');
    expect(first.body.paging.next.after).toBe(t.id);
    const page2 = await h.api('GET', `/crm/v3/objects/tasks?limit=1&after=${t.id}&properties=hs_task_type`);
    expect(page2.body.results[0].properties.hs_task_type).toBe('LINKED_IN_CONNECT');
    expect(page2.body.paging).toBeUndefined();
    const one = await h.api('GET', `/crm/v3/objects/tasks/${t.id}`);
    expect(Object.keys(one.body.properties).sort()).toEqual(['hs_createdate', 'hs_lastmodifieddate', 'hs_object_id']);
    expect((await h.api('GET', '/crm/v3/objects/tasks/999999')).status).toBe(404);
    const bad = await h.api('PATCH', `/crm/v3/objects/tasks/${t.id}`, { properties: { hs_task_subject: 'Renamed' } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].in).toContain('properties');
    const noteAlone = await h.api('PATCH', `/crm/v3/objects/tasks/${page2.body.results[0].id}`, { properties: { hs_task_body: 'A note' } });
    expect(noteAlone.status).toBe(400);
    expect(noteAlone.body.errors[0].in).toBe('properties.hs_task_body');
    expect((await h.api('PATCH', `/crm/v3/objects/tasks/${t.id}`, { properties: { hs_task_status: 'NOT_STARTED' } })).status).toBe(409);
  });
});

describe.skipIf(!postgresAvailable || !dovecotAvailable)('a manual email whose sending worker process is killed (worker processes, Dovecot)', () => {
  const stack = useSentFolderStack();

  it('should confirm the manual email from the Sent folder, complete its task and never resend it when the worker is killed mid-send', async () => {
    const { sf, userId } = await stack.startRep();
    const { sequence } = await createSequence(sf.deps, {
      name: 'Manual first',
      userId,
      settings: { eligibleFollowUpDays: 'EVERYDAY', sendWindowStartMinute: 0, sendWindowEndMinute: 1440 },
      steps: [
        { type: 'TASK', taskType: 'EMAIL', delayMillis: 0, subject: 'Hello {{ contact.firstname }}', body: '<p>Hi</p>' },
        { type: 'EMAIL', delayMillis: 3 * DAY, subject: '', body: '<p>Following up</p>' },
      ],
    });
    const contact = await createContact(sf.deps, { email: 'lena@example.com', firstname: 'Lena' });
    await enrollContact(sf.deps, { contactId: contact.id, sequenceId: sequence.id, senderUserId: userId, senderEmail: SENT_FOLDER_REP, source: 'API' });

    const first = await stack.startWorker();
    const k = sf.db.kysely;
    const task = await eventually(async () => k.selectFrom('tasks').selectAll().executeTakeFirst());
    expect(task.subject).toBe('Hello Lena');
    await sendTaskEmail(sf.deps, task.id, { subject: 'Hello Lena', html: '<p>Hi Lena, as promised.</p>' });
    await eventually(async () => stack.filed() === 1);
    await first.kill('SIGKILL');
    await stack.startWorker();

    const send = await eventually(async () => {
      const r = await k.selectFrom('sends').selectAll().executeTakeFirst();
      return r && r.status !== 'SENDING' && r;
    });
    expect(send).toMatchObject({ status: 'SENT', confirmed_by: 'IMAP_SENT', attempts: 1, step_order: 0 });
    expect(await k.selectFrom('tasks').select(['status']).execute()).toEqual([{ status: 'COMPLETED' }]);
    expect(await k.selectFrom('enrollments').select(['state', 'current_step']).executeTakeFirstOrThrow()).toEqual({ state: 'ACTIVE', current_step: 1 });
    // A repeated Send (the rep's second click after the restart) sends nothing.
    expect((await sendTaskEmail(sf.deps, task.id, { subject: 'Hello Lena', html: '<p>Again</p>' })).queued).toBe(false);
    expect(stack.filed()).toBe(1);
  }, 60_000);
});
