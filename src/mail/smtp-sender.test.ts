import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { SmtpSettings } from '../domain/glossary.js';
import { startDevMailServer, type ReceivedMail } from './dev-mail-server.js';
import { classifySendError, createSmtpSender, type OutgoingEmail, type SmtpSender } from './smtp-sender.js';
import { startSmtpSink, type SinkBehaviour } from './smtp-sink.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  // Senders first, so servers are not left waiting on pooled connections.
  for (const c of cleanups.splice(0).reverse()) await c();
});

function sender(opts?: { timeoutMs?: number; pool?: boolean }): SmtpSender {
  const s = createSmtpSender({ timeoutMs: 1_000, ...opts });
  cleanups.push(() => s.close());
  return s;
}

async function sink(behaviour?: (n: number) => SinkBehaviour) {
  const s = await startSmtpSink({ port: 0, behaviour });
  cleanups.unshift(() => s.close()); // closed after the senders
  return s;
}

const local = (port: number): SmtpSettings => ({ host: '127.0.0.1', port });

let seq = 0;
function email(overrides: Partial<OutgoingEmail> = {}): OutgoingEmail {
  seq++;
  return {
    from: '"Ann Seller" <ann@seqflow.test>',
    to: 'bob@example.test',
    subject: `Hello ${seq}`,
    html: '<p>Hi Bob</p>',
    text: 'Hi Bob',
    messageId: `<m${seq}.${Date.now()}@seqflow.test>`,
    ...overrides,
  };
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

/**
 * A hand-written SMTP server that drops the connection at a chosen point, without any reply,
 * which smtp-server can not be made to do.
 */
async function droppingServer(dropAt: 'MAIL FROM' | 'after data'): Promise<{ port: number; messagesSeen: () => number }> {
  const sockets = new Set<net.Socket>();
  let seen = 0;
  const srv = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    let buf = '';
    let inData = false;
    socket.write('220 dropper ready\r\n');
    socket.on('data', (chunk) => {
      buf += chunk.toString('latin1');
      if (inData) {
        if (buf.includes('\r\n.\r\n')) {
          seen++;
          socket.destroy(); // the whole message arrived, no reply
        }
        return;
      }
      let i: number;
      while ((i = buf.indexOf('\r\n')) >= 0) {
        const line = buf.slice(0, i).toUpperCase();
        buf = buf.slice(i + 2);
        if (line.startsWith('EHLO') || line.startsWith('HELO')) socket.write('250 dropper\r\n');
        else if (line.startsWith('MAIL FROM')) {
          if (dropAt === 'MAIL FROM') return void socket.destroy();
          socket.write('250 ok\r\n');
        } else if (line.startsWith('RCPT TO')) socket.write('250 ok\r\n');
        else if (line === 'DATA') {
          socket.write('354 go ahead\r\n');
          inData = true;
          return;
        } else if (line === 'QUIT') socket.end('221 bye\r\n');
        else socket.write('502 no\r\n');
      }
    });
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  cleanups.unshift(async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((r) => srv.close(() => r()));
  });
  return { port: (srv.address() as net.AddressInfo).port, messagesSeen: () => seen };
}

async function eventually(check: () => boolean, ms = 1_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('smtp sender: delivery', () => {
  it('should deliver with the exact Message-ID, threading and custom headers when the server accepts', async () => {
    const received: ReceivedMail[] = [];
    const dev = await startDevMailServer({ port: 0, onMessage: async (m) => void received.push(m) });
    cleanups.unshift(() => dev.close());
    const mail = email({
      to: 'Bob <Bob@Example.TEST>',
      inReplyTo: '<first@seqflow.test>',
      references: ['<root@seqflow.test>', '<first@seqflow.test>'],
      headers: {
        'List-Unsubscribe': '<https://seqflow.test/u/abc>, <mailto:unsubscribe@seqflow.test?subject=abc>',
        'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      },
    });

    const outcome = await sender().send('inbox-1', { host: dev.host, port: dev.port }, mail);

    expect(outcome.kind).toBe('accepted');
    expect(outcome.kind === 'accepted' && outcome.response).toMatch(/^250 /);
    expect(received).toHaveLength(1);
    const got = received[0];
    expect(got.messageId).toBe(mail.messageId);
    expect(got.inReplyTo).toBe('<first@seqflow.test>');
    expect(got.references).toEqual(['<root@seqflow.test>', '<first@seqflow.test>']);
    expect(got.headers['list-unsubscribe']).toBe('<https://seqflow.test/u/abc>, <mailto:unsubscribe@seqflow.test?subject=abc>');
    expect(got.headers['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');
    expect(got.headers['message-id']).toBe(mail.messageId);
    expect(got.headers['references']).toBe('<root@seqflow.test> <first@seqflow.test>');
    expect(got.raw).not.toContain('__seqflow'); // the tracker rides in the mail data, never on the wire
    expect(got.to).toEqual(['bob@example.test']);
    expect(got.subject).toBe(mail.subject);
    expect(got.text.trim()).toBe('Hi Bob');
    expect(got.html).toContain('<p>Hi Bob</p>');
  });

  it('should deliver through a one-off connection when pool is false', async () => {
    const s = await sink();
    const outcome = await sender({ pool: false }).send('k', local(s.port), email());
    expect(outcome.kind).toBe('accepted');
    expect(s.messages).toHaveLength(1);
  });
});

describe('smtp sender: failure classification against real servers', () => {
  it('should return retryable when the server answers the message with a 4xx', async () => {
    const s = await sink(() => 'tempfail');
    const outcome = await sender().send('k', local(s.port), email());
    expect(outcome).toEqual({ kind: 'retryable', error: expect.stringContaining('451') });
  });

  it('should return rejected when the server answers the message with a 5xx', async () => {
    const s = await sink(() => 'reject');
    const outcome = await sender().send('k', local(s.port), email());
    expect(outcome).toEqual({ kind: 'rejected', error: expect.stringContaining('554') });
  });

  it('should return bounced when the server refuses the recipient at RCPT TO with 550 5.1.1', async () => {
    const s = await startSmtpSink({ refuseRecipients: { 'gone@example.test': '550 5.1.1 <gone@example.test>: Recipient address rejected: User unknown' } });
    cleanups.unshift(() => s.close());
    const outcome = await sender().send('k', local(s.port), email({ to: 'gone@example.test' }));
    expect(outcome).toEqual({ kind: 'bounced', error: expect.stringContaining('5.1.1') });
    expect(s.messages).toHaveLength(0);
  });

  it('should return rejected, not bounced, when the server refuses the recipient for policy (5.7.1)', async () => {
    const s = await startSmtpSink({ refuseRecipients: { 'bob@example.test': '550 5.7.1 Relaying denied' } });
    cleanups.unshift(() => s.close());
    const outcome = await sender().send('k', local(s.port), email());
    expect(outcome.kind).toBe('rejected');
  });

  it('should return retryable when the connection is refused', async () => {
    const outcome = await sender().send('k', local(await closedPort()), email());
    expect(outcome.kind).toBe('retryable');
  });

  it('should return retryable when the server drops the connection before DATA without a reply', async () => {
    const server = await droppingServer('MAIL FROM');
    const outcome = await sender().send('k', local(server.port), email());
    expect(outcome.kind).toBe('retryable');
  });

  it('should return uncertain when the server hangs after the message data', async () => {
    const s = await sink(() => 'hang');
    const started = Date.now();
    const outcome = await sender({ timeoutMs: 300 }).send('k', local(s.port), email());
    expect(outcome).toEqual({ kind: 'uncertain', error: expect.stringContaining('ETIMEDOUT') });
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('should return uncertain when the server drops the connection after the message data without a reply', async () => {
    const server = await droppingServer('after data');
    const outcome = await sender().send('k', local(server.port), email());
    expect(outcome.kind).toBe('uncertain');
    // The pool must not have requeued it behind our back either.
    await new Promise((r) => setTimeout(r, 200));
    expect(server.messagesSeen()).toBe(1);
  });

  it('should return retryable when the sender is already closed', async () => {
    const s = await sink();
    const snd = sender();
    await snd.close();
    expect((await snd.send('k', local(s.port), email())).kind).toBe('retryable');
    expect(s.messages).toHaveLength(0);
  });
});

describe('smtp sender: transports', () => {
  it('should reuse one connection when the same key sends several messages', async () => {
    const s = await sink();
    const snd = sender();
    for (let i = 0; i < 3; i++) expect((await snd.send('inbox-1', local(s.port), email())).kind).toBe('accepted');
    expect(s.messages).toHaveLength(3);
    expect(s.stats.connections).toBe(1);
  });

  it('should use separate transports when keys differ', async () => {
    const s = await sink();
    const snd = sender();
    await snd.send('inbox-1', local(s.port), email());
    await snd.send('inbox-2', local(s.port), email());
    expect(s.stats.connections).toBe(2);
  });

  it('should re-create the transport and close the old one when the settings of a key change', async () => {
    const a = await sink();
    const b = await sink();
    const snd = sender();
    expect((await snd.send('inbox-1', local(a.port), email())).kind).toBe('accepted');
    expect((await snd.send('inbox-1', local(b.port), email())).kind).toBe('accepted');
    expect(a.messages).toHaveLength(1);
    expect(b.messages).toHaveLength(1);
    await eventually(() => a.stats.closed === 1);
  });
});

describe('classifySendError', () => {
  const err = (fields: Record<string, unknown>) => Object.assign(new Error('x'), fields);
  it.each([
    ['a 4xx reply at RCPT TO', err({ code: 'EENVELOPE', command: 'RCPT TO', responseCode: 450 }), false, 'retryable'],
    ['a 4xx reply after the data', err({ code: 'EMESSAGE', command: 'DATA', responseCode: 451 }), true, 'retryable'],
    ['a 5xx reply after the data', err({ code: 'EMESSAGE', command: 'DATA', responseCode: 550 }), true, 'rejected'],
    ['a 535 to AUTH', err({ code: 'EAUTH', command: 'AUTH PLAIN', responseCode: 535 }), false, 'rejected'],
    ['a refused connection', err({ code: 'ESOCKET', originalCode: 'ECONNREFUSED', command: 'CONN' }), false, 'retryable'],
    ['a greeting timeout', err({ code: 'ETIMEDOUT', timeoutType: 'GREETING_TIMEOUT', command: 'CONN' }), false, 'retryable'],
    ['a socket timeout before the data', err({ code: 'ETIMEDOUT', timeoutType: 'SOCKET_TIMEOUT', command: 'CONN' }), false, 'retryable'],
    ['a socket timeout after the data started', err({ code: 'ETIMEDOUT', timeoutType: 'SOCKET_TIMEOUT', command: 'CONN' }), true, 'uncertain'],
    ['a dropped connection after the data started', err({ code: 'ECONNECTION', command: 'CONN' }), true, 'uncertain'],
    ['an address nodemailer refuses', err({ code: 'EENVELOPE', command: 'API' }), false, 'rejected'],
    ['550 5.1.1 at RCPT TO', err({ code: 'EENVELOPE', command: 'RCPT TO', responseCode: 550, response: '550 5.1.1 User unknown' }), false, 'bounced'],
    ['550 5.1.10 (null MX) at RCPT TO', err({ code: 'EENVELOPE', command: 'RCPT TO', responseCode: 550, response: '550 5.1.10 RESOLVER.ADR.RecipientNotFound' }), false, 'bounced'],
    ['550 5.2.1 (mailbox disabled) after the data', err({ code: 'EMESSAGE', command: 'DATA', responseCode: 550, response: '550 5.2.1 The email account that you tried to reach is disabled' }), true, 'bounced'],
    ['a bare 550 at RCPT TO', err({ code: 'EENVELOPE', command: 'RCPT TO', responseCode: 550, response: '550 No such user here' }), false, 'bounced'],
    ['552 5.2.2 (mailbox full)', err({ code: 'EENVELOPE', command: 'RCPT TO', responseCode: 552, response: '552 5.2.2 Mailbox full' }), false, 'rejected'],
    ['550 5.7.1 at RCPT TO (policy)', err({ code: 'EENVELOPE', command: 'RCPT TO', responseCode: 550, response: '550 5.7.1 Service unavailable; client blocked' }), false, 'rejected'],
    ['553 5.1.8 (the sender\'s domain)', err({ code: 'EENVELOPE', command: 'MAIL FROM', responseCode: 553, response: '553 5.1.8 Sender address rejected: Domain not found' }), false, 'rejected'],
    ['a bare 550 after the data', err({ code: 'EMESSAGE', command: 'DATA', responseCode: 550, response: '550 Message rejected as spam' }), true, 'rejected'],
  ] as const)('should classify %s', (_name, error, dataStarted, kind) => {
    expect(classifySendError(error, dataStarted).kind).toBe(kind);
  });
});
