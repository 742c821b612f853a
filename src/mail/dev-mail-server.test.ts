import nodemailer from 'nodemailer';
import { afterEach, describe, expect, it } from 'vitest';
import { startDevMailServer, type DevMailServer, type ReceivedMail } from './dev-mail-server.js';
import { binaryGarbage, manyParts } from '../../test/support/hostile-mail.js';
import { createSmtpSender, type OutgoingEmail, type SmtpSender } from './smtp-sender.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function devServer(opts: Partial<Parameters<typeof startDevMailServer>[0]> & { onMessage: (m: ReceivedMail) => Promise<void> }): Promise<DevMailServer> {
  const s = await startDevMailServer({ port: 0, ...opts });
  cleanups.push(() => s.close()); // servers close after the senders (unshifted below)
  return s;
}

function sender(): SmtpSender {
  const s = createSmtpSender({ timeoutMs: 1_000 });
  cleanups.unshift(() => s.close()); // senders close before servers
  return s;
}

/** Sends bytes as they are, as any client may: nodemailer's raw mode, no composing. */
async function sendRaw(server: DevMailServer, raw: Buffer): Promise<string> {
  const transport = nodemailer.createTransport({ host: server.host, port: server.port, secure: false, ignoreTLS: true });
  try {
    return (await transport.sendMail({ envelope: { from: 'ann@seqflow.test', to: ['Bob@Example.TEST'] }, raw })).response;
  } finally {
    transport.close();
  }
}

const mail = (overrides: Partial<OutgoingEmail> = {}): OutgoingEmail => ({
  from: '"Ann Seller" <ann@seqflow.test>',
  to: 'Bob <Bob@Example.TEST>',
  subject: 'Zażółć gęślą jaźń',
  html: '<p>Hello <b>Bob</b></p>',
  text: 'Hello Bob',
  messageId: `<dev.${Date.now()}.${Math.random().toString(36).slice(2)}@seqflow.test>`,
  ...overrides,
});

describe('dev mail server', () => {
  it('should hand the parsed message to onMessage when a client delivers one', async () => {
    const received: ReceivedMail[] = [];
    const server = await devServer({ now: () => 1_700_000_000_000, onMessage: async (m) => void received.push(m) });
    expect(server.host).toBe('127.0.0.1');
    const m = mail({ headers: { 'X-Seqflow-Step': '2' } });

    const outcome = await sender().send('dev', { host: server.host, port: server.port }, m);

    expect(outcome.kind).toBe('accepted');
    expect(received).toHaveLength(1);
    const got = received[0];
    expect(got).toMatchObject({
      messageId: m.messageId,
      to: ['bob@example.test'],
      subject: 'Zażółć gęślą jaźń',
      html: '<p>Hello <b>Bob</b></p>',
      inReplyTo: null,
      references: [],
      receivedAt: 1_700_000_000_000,
    });
    expect(got.from).toContain('ann@seqflow.test');
    expect(got.text.trim()).toBe('Hello Bob');
    expect(got.headers['x-seqflow-step']).toBe('2');
    expect(got.headers['subject']).toBe('Zażółć gęślą jaźń');
    expect(Object.keys(got.headers).every((k) => k === k.toLowerCase())).toBe(true);
    expect(got.raw).toContain(`Message-ID: ${m.messageId}`);
  });

  it('should reply 451 so the sender retries when onMessage throws', async () => {
    let calls = 0;
    const received: ReceivedMail[] = [];
    const server = await devServer({
      onMessage: async (m) => {
        if (++calls === 1) throw new Error('database is locked');
        received.push(m);
      },
    });
    const snd = sender();
    const m = mail();

    const first = await snd.send('dev', { host: server.host, port: server.port }, m);
    expect(first).toEqual({ kind: 'retryable', error: expect.stringMatching(/451.*database is locked/) });

    const second = await snd.send('dev', { host: server.host, port: server.port }, m);
    expect(second.kind).toBe('accepted');
    expect(received.map((r) => r.messageId)).toEqual([m.messageId]);
  });

  it('should accept a message it cannot read and hand it over with the problem when a client sends 2,000 MIME parts', async () => {
    const received: ReceivedMail[] = [];
    const server = await devServer({ onMessage: async (m) => void received.push(m) });
    const raw = manyParts('parts');
    expect(await sendRaw(server, raw)).toMatch(/^250/);
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ problem: { reason: 'TOO_MANY_PARTS' }, messageId: '<parts@attacker.example>', subject: 'Hostile parts', to: ['bob@example.test'] });
    expect(received[0].source.equals(raw)).toBe(true);
  });

  it('should accept binary garbage and hand it over as not a message when a client sends it', async () => {
    const received: ReceivedMail[] = [];
    const server = await devServer({ onMessage: async (m) => void received.push(m) });
    expect(await sendRaw(server, binaryGarbage('garbage', 8 * 1024))).toMatch(/^250/);
    expect(received[0]).toMatchObject({ problem: { reason: 'NOT_A_MESSAGE' }, messageId: null, from: 'ann@seqflow.test' });
  });

  it('should reject with 552 when a message is larger than size', async () => {
    const server = await devServer({ size: 2_000, onMessage: async () => {} });
    const outcome = await sender().send('dev', { host: server.host, port: server.port }, mail({ text: 'x'.repeat(5_000) }));
    expect(outcome).toEqual({ kind: 'rejected', error: expect.stringContaining('552') });
  });

  it('should refuse to start when the host is not loopback', async () => {
    await expect(startDevMailServer({ host: '0.0.0.0', port: 0, onMessage: async () => {} })).rejects.toThrow(/loopback/);
  });

  it('should close promptly when a client still holds an idle connection', async () => {
    const server = await startDevMailServer({ port: 0, onMessage: async () => {} });
    const snd = createSmtpSender({ timeoutMs: 1_000 });
    expect((await snd.send('dev', { host: server.host, port: server.port }, mail())).kind).toBe('accepted');
    const started = Date.now();
    await server.close();
    expect(Date.now() - started).toBeLessThan(500);
    await snd.close();
  });
});
