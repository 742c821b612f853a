import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startSmtpSink, type SmtpSink } from '../../src/mail/smtp-sink.js';
import type { LookupAll } from '../../src/mail/host-policy.js';
import { dialectCases } from '../support/databases.js';
import { MINUTE, seedContact, seedSequence, startHarness, type Harness } from '../support/harness.js';

/**
 * Where inbox SMTP/IMAP settings may point (issue #9 item 7): never at link-local or metadata
 * addresses, private ranges as the operator says, checked when saved and again at every
 * connection; and failures shown to the API never tell what answered at a host and port.
 */

/** Starts a harness with these environment variables set while it is built. */
async function withEnv<T>(env: Record<string, string>, fn: () => Promise<T>): Promise<T> {
  const before = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  try {
    return await fn();
  } finally {
    for (const [k, v] of Object.entries(before)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Something that is not a mail server: answers every connection with an HTTP error and hangs up. */
async function notMailServer(): Promise<{ port: number; close(): Promise<void> }> {
  const server = net.createServer((socket) => socket.end('HTTP/1.1 400 Bad Request\r\nServer: nginx\r\n\r\n'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as net.AddressInfo).port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe.each(dialectCases)('inbox mail hosts on $dialect', ({ create, skip }) => {
  const open: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const c of open.splice(0).reverse()) await c();
  });
  const harness = async (o: Parameters<typeof startHarness>[1] = {}) => {
    const h = await startHarness(await create(), o);
    open.push(() => h.close());
    return h;
  };
  const newUser = async (h: Harness, email = 'rep@acme.test') => {
    const r = await h.api('POST', '/settings/v3/users/', { email, seat: 'sales_enterprise', timezone: 'UTC' });
    expect(r.status).toBe(201);
    return r.body.id as string;
  };
  const connect = (h: Harness, userId: string, smtp: Record<string, unknown>, imap?: Record<string, unknown>) =>
    h.api('POST', `/seqflow/v1/users/${userId}/inboxes`, { address: 'rep@acme.test', provider: 'office365', smtp, ...(imap && { imap }) });

  it('should refuse a private SMTP host with 400 naming smtp.host when private hosts are turned off', async (ctx) => {
    if (skip) return ctx.skip();
    const h = await withEnv({ SEQFLOW_ALLOW_PRIVATE_MAIL_HOSTS: 'false' }, () => harness());
    const userId = await newUser(h);
    for (const host of ['10.0.0.5', '192.168.1.20', '[fd12::25]']) {
      const r = await connect(h, userId, { host, port: 587 });
      expect(r.status, host).toBe(400);
      expect(r.body.errors, host).toEqual([expect.objectContaining({ in: 'smtp.host', message: expect.stringMatching(/private/) })]);
    }
    expect((await h.api('GET', `/seqflow/v1/users/${userId}/inboxes`)).body.results).toEqual([]);
    // The machine's own relay is still allowed.
    expect((await connect(h, userId, { host: '127.0.0.1', port: 2525 })).status).toBe(201);
  });

  it('should accept a private SMTP host when the setting is left at its default', async (ctx) => {
    if (skip) return ctx.skip();
    const h = await harness();
    expect((await connect(h, await newUser(h), { host: '10.0.0.5', port: 587 })).status).toBe(201);
  });

  it('should refuse with 400 naming imap.host when the IMAP host resolves to a metadata address', async (ctx) => {
    if (skip) return ctx.skip();
    const lookup: LookupAll = async () => [{ address: '169.254.169.254', family: 4 }];
    const h = await harness({ mailHostPolicy: { allowPrivate: true, lookup } });
    const r = await connect(h, await newUser(h), { host: '127.0.0.1', port: 2525 }, { host: 'imap.acme.test', port: 993 });
    expect(r.status).toBe(400);
    expect(r.body.errors).toEqual([expect.objectContaining({ in: 'imap.host', message: expect.stringMatching(/imap\.host: imap\.acme\.test resolves to 169\.254\.169\.254, a cloud metadata address/) })]);
  });

  it('should send nothing when the SMTP host name resolves to a link-local address at send time, and send once it resolves back', async (ctx) => {
    if (skip) return ctx.skip();
    const sink: SmtpSink = await startSmtpSink();
    open.push(() => sink.close());
    const dns: Record<string, string> = { 'relay.acme.test': '127.0.0.1' };
    const lookup: LookupAll = async (name) => [{ address: dns[name], family: 4 }];
    const h = await harness({ mailHostPolicy: { allowPrivate: true, lookup } });
    const userId = await newUser(h);
    expect((await connect(h, userId, { host: 'relay.acme.test', port: sink.port })).status).toBe(201);
    const sequenceId = await seedSequence(h, userId);
    const contactId = await seedContact(h, { email: 'lead@example.com' });
    expect((await h.api('POST', `/automation/v4/sequences/enrollments?userId=${userId}`, { contactId, sequenceId, senderEmail: 'rep@acme.test' })).status).toBe(200);

    dns['relay.acme.test'] = '169.254.169.254';
    await h.advance(0);
    expect(sink.stats.connections).toBe(0);
    const enrollment = async () => (await h.api('GET', `/seqflow/v1/enrollments?contactId=${contactId}`)).body.results[0];
    expect((await enrollment()).sends[0]).toMatchObject({ status: 'RETRYING', error: expect.stringContaining('resolves to 169.254.169.254') });

    dns['relay.acme.test'] = '127.0.0.1';
    await h.advance(MINUTE);
    expect(sink.messages).toHaveLength(1);
    expect((await enrollment()).sends[0].status).toBe('SENT');
  });

  it('should answer the same connection-test failure when the SMTP port is closed as when a non-SMTP service listens there', async (ctx) => {
    if (skip) return ctx.skip();
    const h = await harness();
    const stranger = await notMailServer();
    open.push(() => stranger.close());
    const results = [];
    for (const [i, port] of [await closedPort(), stranger.port].entries()) {
      const userId = await newUser(h, `rep${i}@acme.test`);
      const inbox = await h.api('POST', `/seqflow/v1/users/${userId}/inboxes`, { address: `rep${i}@acme.test`, provider: 'office365', smtp: { host: '127.0.0.1', port } });
      expect(inbox.status).toBe(201);
      const test = await h.api('POST', `/seqflow/v1/inboxes/${inbox.body.id}/test`);
      expect(test.status).toBe(200);
      results.push(test.body);
    }
    expect(results[0]).toEqual({ smtp: { ok: false, message: expect.stringMatching(/Could not connect/) }, imap: null });
    expect(results[1]).toEqual(results[0]);
  });

  it('should show the same send error when the SMTP port is closed as when a non-SMTP service listens there', async (ctx) => {
    if (skip) return ctx.skip();
    const h = await harness();
    const stranger = await notMailServer();
    open.push(() => stranger.close());
    const errors = [];
    for (const [i, port] of [await closedPort(), stranger.port].entries()) {
      const email = `rep${i}@acme.test`;
      const userId = await newUser(h, email);
      expect((await h.api('POST', `/seqflow/v1/users/${userId}/inboxes`, { address: email, provider: 'office365', smtp: { host: '127.0.0.1', port } })).status).toBe(201);
      const sequenceId = await seedSequence(h, userId);
      const contactId = await seedContact(h, { email: `lead${i}@example.com` });
      expect((await h.api('POST', `/automation/v4/sequences/enrollments?userId=${userId}`, { contactId, sequenceId, senderEmail: email })).status).toBe(200);
      await h.advance(0);
      errors.push((await h.api('GET', `/seqflow/v1/enrollments?contactId=${contactId}`)).body.results[0].sends[0]);
    }
    expect(errors[0]).toMatchObject({ status: 'RETRYING', error: 'Could not connect to the SMTP server. The server log has the reason.' });
    expect(errors[1]).toMatchObject({ status: errors[0].status, error: errors[0].error });
  });

  it('should show the same reply-watcher error in the usage when the IMAP port is closed as when a non-IMAP service listens there', async (ctx) => {
    if (skip) return ctx.skip();
    const h = await harness({ inboxWatch: { leaseMs: 5_000, renewMs: 60_000, watcher: { pollMs: 60_000, backoff: { initialMs: 60_000, maxMs: 60_000 }, connectTimeoutMs: 2_000 } } });
    const stranger = await notMailServer();
    open.push(() => stranger.close());
    const syncs = [];
    for (const [i, port] of [await closedPort(), stranger.port].entries()) {
      const email = `rep${i}@acme.test`;
      const userId = await newUser(h, email);
      const inbox = await h.api('POST', `/seqflow/v1/users/${userId}/inboxes`, { address: email, provider: 'office365', smtp: { host: '127.0.0.1', port: 2525 }, imap: { host: '127.0.0.1', port } });
      expect(inbox.status).toBe(201);
      await h.sf.inboxWatchers!.reconcile();
      let sync;
      for (let n = 0; n < 100; n++) {
        sync = (await h.api('GET', `/seqflow/v1/inboxes/${inbox.body.id}/usage`)).body.sync;
        if (sync.lastError) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      syncs.push(sync);
    }
    expect(syncs[0]).toMatchObject({ status: 'error', lastError: expect.stringMatching(/could not connect/i) });
    expect(syncs[1]).toEqual(syncs[0]);
  });
});
