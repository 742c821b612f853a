import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSmtpSink, type SinkBehaviour, type SmtpSink } from '../../src/mail/smtp-sink.js';
import { startSeqflow } from '../../src/server.js';
import { dialectCases } from '../support/databases.js';
import { MINUTE, T0, seedContact, seedSender, seedSequence, startHarness, type Harness } from '../support/harness.js';
import { chain, createFlow, createForm, flow, onFormSubmitted, submit } from '../support/workflows.js';

/** One sample of the Prometheus text format: `name{a="x",b="y"} value`; null when the series is absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | null {
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((l) => [l[1], l[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) return Number(m[3]);
  }
  return null;
}

describe.each(dialectCases)('metrics and health on $dialect', ({ create, skip }) => {
  let h: Harness;
  let sink: SmtpSink;
  let script: SinkBehaviour[] = [];
  beforeEach(async (ctx) => {
    if (skip) return ctx.skip();
    script = [];
    sink = await startSmtpSink({
      behaviour: (n) => script[n - 1] ?? 'accept',
      refuseRecipients: { 'gone@example.com': '550 5.1.1 <gone@example.com>: Recipient address rejected: User unknown' },
    });
    h = await startHarness(await create(), { inboxWatch: null });
  });
  afterEach(async () => {
    await h?.close();
    await sink?.close();
  });

  const scrape = async (token: string | null = 'test-admin-token') => {
    const r = await h.sf.app!.inject({ method: 'GET', url: '/metrics', headers: token ? { authorization: `Bearer ${token}` } : {} });
    return { status: r.statusCode, type: String(r.headers['content-type']), text: r.body };
  };
  const health = async (query = '') => h.api('GET', `/seqflow/v1/health${query}`, undefined, { token: null });

  it('should count sends by outcome, workflow actions, inbound messages, claim latency and HTTP requests by route when real work happens', async () => {
    // An office365 rep on a scripted SMTP server: the first message gets 451, then 250; gone@ is refused at RCPT.
    script = ['tempfail'];
    const user = await h.api('POST', '/settings/v3/users/', { email: 'rep@acme.test', seat: 'sales_enterprise', timezone: 'UTC' });
    expect((await h.api('POST', `/seqflow/v1/users/${user.body.id}/inboxes`, { address: 'rep@acme.test', provider: 'office365', smtp: { host: '127.0.0.1', port: sink.port } })).status).toBe(201);
    const sequenceId = await seedSequence(h, user.body.id);
    const dev = await seedSender(h, { email: 'dora@acme.test' });
    const devSequence = await seedSequence(h, dev.userId);
    const enroll = async (userId: string, sequence: string, senderEmail: string, email: string) => {
      const contactId = await seedContact(h, { email, firstname: 'Lena' });
      expect((await h.api('POST', `/automation/v4/sequences/enrollments?userId=${userId}`, { contactId, sequenceId: sequence, senderEmail })).status).toBe(200);
      return contactId;
    };
    const lena = await enroll(user.body.id, sequenceId, 'rep@acme.test', 'lena@example.com');
    await enroll(user.body.id, sequenceId, 'rep@acme.test', 'gone@example.com');
    await enroll(dev.userId, devSequence, dev.email, 'dan@example.com');
    const form = await createForm(h);
    await createFlow(h, flow({ criteria: onFormSubmitted(form.id), actions: chain([{ actionTypeId: '0-5', fields: { property_name: 'lifecyclestage', value: { staticValue: 'lead' } } }]) }));
    expect((await submit(h, form, { email: 'otto@example.com' })).status).toBe(200);
    await h.api('GET', `/crm/v3/objects/contacts/${lena}`);
    await h.api('GET', '/crm/v3/objects/contacts/999999');

    // Everything was due at T0; the workers get to it 90 seconds late.
    h.sf.fakeClock!.set(T0 + 90_000);
    await h.advance(0);
    const [toDan] = (await h.api('GET', '/seqflow/v1/dev-mail/messages?to=dan%40example.com')).body.results;
    expect((await h.api('POST', '/seqflow/v1/dev-mail/reply', { messageId: toDan.messageId, text: 'Sure.' })).body.classification).toBe('reply');
    await h.advance(MINUTE); // lena's retry, claimed on time
    expect(sink.messages).toHaveLength(1);

    const { status, type, text } = await scrape();
    expect(status).toBe(200);
    expect(type).toContain('text/plain');
    expect(sample(text, 'seqflow_sends_total', { outcome: 'sent' })).toBe(2);
    expect(sample(text, 'seqflow_sends_total', { outcome: 'retrying' })).toBe(1);
    expect(sample(text, 'seqflow_sends_total', { outcome: 'bounced' })).toBe(1);
    expect(sample(text, 'seqflow_sends_total', { outcome: 'rejected' })).toBe(0);
    expect(sample(text, 'seqflow_sends_total', { outcome: 'uncertain' })).toBe(0);
    expect(sample(text, 'seqflow_workflow_actions_total', { status: 'EXECUTED', action_type: '0-5' })).toBe(1);
    expect(sample(text, 'seqflow_inbound_messages_total', { class: 'reply' })).toBe(1);
    expect(sample(text, 'seqflow_inbound_messages_total', { class: 'bounce' })).toBe(0);
    // Three steps claimed 90 s late, one retry on time; one workflow action 90 s late.
    expect(sample(text, 'seqflow_claim_latency_seconds_count', { kind: 'sequence_step' })).toBe(4);
    expect(sample(text, 'seqflow_claim_latency_seconds_sum', { kind: 'sequence_step' })).toBe(270);
    expect(sample(text, 'seqflow_claim_latency_seconds_bucket', { kind: 'sequence_step', le: '60' })).toBe(1);
    expect(sample(text, 'seqflow_claim_latency_seconds_bucket', { kind: 'sequence_step', le: '300' })).toBe(4);
    expect(sample(text, 'seqflow_claim_latency_seconds_sum', { kind: 'workflow_action' })).toBe(90);
    // HTTP by route template and status: never the raw URL.
    expect(sample(text, 'seqflow_http_request_duration_seconds_count', { method: 'POST', route: '/crm/v3/objects/contacts', status: '201' })).toBe(3);
    expect(sample(text, 'seqflow_http_request_duration_seconds_count', { method: 'GET', route: '/crm/v3/objects/contacts/:id', status: '200' })).toBe(1);
    expect(sample(text, 'seqflow_http_request_duration_seconds_count', { method: 'GET', route: '/crm/v3/objects/contacts/:id', status: '404' })).toBe(1);
    expect(sample(text, 'seqflow_http_request_duration_seconds_count', { method: 'GET', route: '/seqflow/v1/dev-mail/messages', status: '200' })).toBe(1);
    expect(text).not.toMatch(/route="[^"]*(\?|\/\d{2,})/);
    // Node process metrics come along.
    expect(sample(text, 'process_cpu_user_seconds_total')).not.toBeNull();
  });

  it('should report the due backlog and its age from the database, and degraded health, when work is overdue', async () => {
    const dev = await seedSender(h, { email: 'dora@acme.test' });
    const sequence = await seedSequence(h, dev.userId);
    const contactId = await seedContact(h, { email: 'dan@example.com' });
    expect((await h.api('POST', `/automation/v4/sequences/enrollments?userId=${dev.userId}`, { contactId, sequenceId: sequence, senderEmail: dev.email })).status).toBe(200);
    const form = await createForm(h);
    await createFlow(h, flow({ criteria: onFormSubmitted(form.id), actions: chain([{ actionTypeId: '0-5', fields: { property_name: 'lifecyclestage', value: { staticValue: 'lead' } } }]) }));
    await submit(h, form, { email: 'otto@example.com' });
    expect((await health()).body).toMatchObject({ status: 'ok', reasons: [], backlog: { sequenceSteps: { due: 1, oldestAgeSeconds: 0 } } });

    // No worker gets to them for 7 minutes (the clock moves, nobody drains).
    h.sf.fakeClock!.set(T0 + 7 * MINUTE);
    const { text } = await scrape();
    expect(sample(text, 'seqflow_due_backlog', { kind: 'sequence_step' })).toBe(1);
    expect(sample(text, 'seqflow_due_backlog', { kind: 'workflow_action' })).toBe(1);
    expect(sample(text, 'seqflow_due_backlog_oldest_age_seconds', { kind: 'sequence_step' })).toBe(420);
    expect(sample(text, 'seqflow_due_backlog_oldest_age_seconds', { kind: 'workflow_action' })).toBe(420);
    const degraded = await health();
    expect(degraded.status).toBe(200);
    expect(degraded.body).toMatchObject({
      status: 'degraded',
      backlog: { sequenceSteps: { due: 1, oldestDueAt: new Date(T0).toISOString(), oldestAgeSeconds: 420 }, workflowActions: { due: 1, oldestAgeSeconds: 420 } },
    });
    expect(degraded.body.reasons.map((r: { code: string; kind: string }) => [r.code, r.kind])).toEqual([
      ['BACKLOG_OLD', 'sequence_step'],
      ['BACKLOG_OLD', 'workflow_action'],
    ]);
    expect((await health('?strict=true')).status).toBe(503);

    await h.advance(0);
    const after = await scrape();
    expect(sample(after.text, 'seqflow_due_backlog', { kind: 'sequence_step' })).toBe(0);
    expect(sample(after.text, 'seqflow_due_backlog_oldest_age_seconds', { kind: 'sequence_step' })).toBe(0);
    expect((await health('?strict=true')).body).toMatchObject({ status: 'ok', reasons: [] });
  });

  it('should report each watched inbox’s lag and degraded health naming it when its watcher is stale', async () => {
    const user = await h.api('POST', '/settings/v3/users/', { email: 'rep@acme.test', seat: 'sales_professional' });
    const inbox = await h.api('POST', `/seqflow/v1/users/${user.body.id}/inboxes`, {
      address: 'rep@acme.test',
      provider: 'imap',
      smtp: { host: '127.0.0.1', port: 9 },
      imap: { host: '127.0.0.1', port: 9, auth: { user: 'rep', pass: 'x' } },
    });
    const synced = async (ago: number) => {
      const at = Date.now() - ago;
      await h.sf.db.kysely.insertInto('inbox_watch').values({ inbox_id: Number(inbox.body.id), last_sync_at: at }).onConflict((oc) => oc.column('inbox_id').doUpdateSet({ last_sync_at: at })).execute();
    };
    await synced(12 * MINUTE);
    const lag = sample((await scrape()).text, 'seqflow_inbox_watcher_lag_seconds', { inbox_id: inbox.body.id });
    expect(lag).toBeGreaterThanOrEqual(720);
    expect(lag).toBeLessThan(780);
    expect(sample((await scrape()).text, 'seqflow_reply_detection_down', { inbox_id: inbox.body.id })).toBe(0);
    const stale = await health();
    expect(stale.status).toBe(200);
    expect(stale.body.status).toBe('degraded');
    expect(stale.body.reasons).toEqual([expect.objectContaining({ code: 'WATCHER_STALE', inboxId: inbox.body.id, message: expect.stringContaining('rep@acme.test') })]);
    expect(stale.body.inboxes).toEqual([expect.objectContaining({ id: inbox.body.id, status: 'error', stale: true })]);
    expect((await health('?strict=1')).status).toBe(503);

    await synced(0);
    expect(sample((await scrape()).text, 'seqflow_inbox_watcher_lag_seconds', { inbox_id: inbox.body.id })).toBeLessThan(60);
    expect((await health('?strict=1')).body).toMatchObject({ status: 'ok', reasons: [] });
  });

  it('should serve /metrics only to an admin or a token holding seqflow.metrics when scraped', async () => {
    const minted = async (scopes: string[]) => (await h.api('POST', '/seqflow/v1/tokens', { name: scopes.join(','), scopes })).body.token as string;
    expect((await scrape(null)).status).toBe(401);
    expect((await scrape('not-a-token')).status).toBe(401);
    const other = await scrape(await minted(['automation', 'seqflow.admin']));
    expect(other.status).toBe(403);
    expect(JSON.parse(other.text)).toMatchObject({ category: 'MISSING_SCOPES', context: { requiredScopes: ['seqflow.metrics'] } });
    const ok = await scrape(await minted(['seqflow.metrics']));
    expect(ok.status).toBe(200);
    expect(ok.text).toContain('# TYPE seqflow_sends_total counter');
  });

  it('should count only its own work when two servers run in one process', async () => {
    const other = await startHarness(await create(), { inboxWatch: null });
    try {
      const dev = await seedSender(h, { email: 'dora@acme.test' });
      const sequence = await seedSequence(h, dev.userId);
      const contactId = await seedContact(h, { email: 'dan@example.com' });
      await h.api('POST', `/automation/v4/sequences/enrollments?userId=${dev.userId}`, { contactId, sequenceId: sequence, senderEmail: dev.email });
      await h.advance(0);
      expect(sample((await scrape()).text, 'seqflow_sends_total', { outcome: 'sent' })).toBe(1);
      const theirs = await other.sf.app!.inject({ method: 'GET', url: '/metrics', headers: { authorization: 'Bearer test-admin-token' } });
      expect(sample(theirs.body, 'seqflow_sends_total', { outcome: 'sent' })).toBe(0);
    } finally {
      await other.close();
    }
  });

  it('should serve /metrics on its own port when a worker-only process is given a metrics port', async () => {
    const db = await create();
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'seqflow-worker-'));
    const worker = await startSeqflow({
      role: 'worker',
      dataDir,
      databaseUrl: db.url,
      devSmtpPort: null,
      adminToken: 'worker-admin',
      inboxWatch: null,
      logger: pino({ level: 'silent' }),
      metricsPort: 0,
      metricsHost: '127.0.0.1',
    });
    try {
      expect(worker.app).toBeNull();
      expect(worker.metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect((await fetch(`${worker.metricsUrl}/metrics`)).status).toBe(401);
      const r = await fetch(`${worker.metricsUrl}/metrics`, { headers: { authorization: 'Bearer worker-admin' } });
      expect(r.status).toBe(200);
      const text = await r.text();
      expect(sample(text, 'seqflow_sends_total', { outcome: 'sent' })).toBe(0);
      expect(sample(text, 'seqflow_due_backlog', { kind: 'sequence_step' })).toBe(0);
      // Only /metrics: the API is not served here.
      expect((await fetch(`${worker.metricsUrl}/seqflow/v1/health`, { headers: { authorization: 'Bearer worker-admin' } })).status).toBe(404);
    } finally {
      await worker.close();
      await db.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
