import { afterEach, describe, expect, it } from 'vitest';
import { classifyAddress, refusalOf } from '../domain/mail-hosts.js';
import { CONNECTION_FAILED, publicSendError } from '../services/mail-errors.js';
import { MailHostRefused, refusalAtSave, resolveMailHost, type LookupAll } from './host-policy.js';
import { createSmtpSender } from './smtp-sender.js';
import { startSmtpSink } from './smtp-sink.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

/** DNS that answers from a table, so a name can resolve to anything without a network. */
const dnsOf =
  (table: Record<string, string[]>): LookupAll =>
  async (name) => {
    const addresses = table[name];
    if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
    return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };

describe('mail host classification', () => {
  it.each([
    ['169.254.169.254', 'forbidden', /metadata/],
    ['169.254.10.1', 'forbidden', /link-local/],
    ['[fe80::1]', 'forbidden', /link-local/],
    ['fe80::1%eth0', 'forbidden', /link-local/],
    ['::ffff:169.254.169.254', 'forbidden', /metadata/],
    ['fd00:ec2::254', 'forbidden', /metadata/],
    ['100.100.100.200', 'forbidden', /metadata/],
    ['0.0.0.0', 'forbidden', /unspecified/],
    ['::', 'forbidden', /unspecified/],
    ['224.0.0.1', 'forbidden', /multicast/],
    ['ff02::1', 'forbidden', /multicast/],
    ['255.255.255.255', 'forbidden', /broadcast/],
    ['10.1.2.3', 'private', /private/],
    ['172.20.0.1', 'private', /private/],
    ['192.168.1.10', 'private', /private/],
    ['100.64.0.1', 'private', /private/],
    ['fd12:3456::1', 'private', /private/],
    ['::ffff:10.0.0.1', 'private', /private/],
    ['127.0.0.1', 'loopback', /loopback/],
    ['::1', 'loopback', /loopback/],
    ['8.8.8.8', 'public', /public/],
    ['2001:4860:4860::8888', 'public', /public/],
  ])('should classify %s as %s when it is checked', (ip, kind, label) => {
    const c = classifyAddress(ip);
    expect(c?.kind).toBe(kind);
    expect(c?.label).toMatch(label);
  });

  it('should refuse private addresses only when private hosts are turned off', () => {
    expect(refusalOf('10.0.0.5', { allowPrivate: true })).toBeNull();
    expect(refusalOf('10.0.0.5', { allowPrivate: false })).toMatch(/private.*SEQFLOW_ALLOW_PRIVATE_MAIL_HOSTS/);
    expect(refusalOf('127.0.0.1', { allowPrivate: false })).toBeNull();
    expect(refusalOf('169.254.169.254', { allowPrivate: true })).toMatch(/never a mail server/);
  });
});

describe('resolveMailHost', () => {
  const lookup = dnsOf({ 'relay.acme.test': ['93.184.216.34'], 'mixed.acme.test': ['93.184.216.34', '169.254.169.254'], 'inside.acme.test': ['10.0.0.7'] });

  it('should connect to the checked address and keep the name for TLS when the host is a name', async () => {
    await expect(resolveMailHost('relay.acme.test', { allowPrivate: true, lookup })).resolves.toEqual({ address: '93.184.216.34', servername: 'relay.acme.test' });
  });

  it('should refuse the whole name when any of its addresses is forbidden', async () => {
    await expect(resolveMailHost('mixed.acme.test', { allowPrivate: true, lookup })).rejects.toThrow(MailHostRefused);
    await expect(resolveMailHost('mixed.acme.test', { allowPrivate: true, lookup })).rejects.toThrow(/resolves to 169\.254\.169\.254/);
  });

  it('should refuse a name resolving to a private address when private hosts are off', async () => {
    await expect(resolveMailHost('inside.acme.test', { allowPrivate: false, lookup })).rejects.toThrow(/private/);
    await expect(resolveMailHost('inside.acme.test', { allowPrivate: true, lookup })).resolves.toMatchObject({ address: '10.0.0.7' });
  });

  it('should accept a name that does not resolve when the inbox is saved', async () => {
    expect(await refusalAtSave('nowhere.acme.test', { allowPrivate: true, lookup })).toBeNull();
    expect(await refusalAtSave('[fe80::1]', { allowPrivate: true, lookup })).toMatch(/^is a link-local address/);
  });
});

describe('sending through a host that resolves somewhere else later', () => {
  it('should send nothing and answer retryable when the relay name resolves to a link-local address at send time', async () => {
    const sink = await startSmtpSink({ port: 0 });
    cleanups.push(() => sink.close());
    const table: Record<string, string[]> = { 'relay.acme.test': ['127.0.0.1'] };
    const sender = createSmtpSender({ timeoutMs: 2_000, pool: false, hostPolicy: { allowPrivate: true, lookup: dnsOf(table) } });
    cleanups.unshift(() => sender.close());
    const mail = (n: number) => ({ from: 'ann@seqflow.test', to: 'bob@example.test', subject: `Hi ${n}`, html: '<p>Hi</p>', text: 'Hi', messageId: `<hp${n}.${Date.now()}@seqflow.test>` });

    expect((await sender.send('inbox-1', { host: 'relay.acme.test', port: sink.port }, mail(1))).kind).toBe('accepted');
    table['relay.acme.test'] = ['169.254.169.254'];
    const refused = await sender.send('inbox-1', { host: 'relay.acme.test', port: sink.port }, mail(2));
    expect(refused).toMatchObject({ kind: 'retryable', error: expect.stringMatching(/^EHOSTPOLICY: relay\.acme\.test resolves to 169\.254\.169\.254/) });
    expect(sink.messages).toHaveLength(1);
    expect(sink.stats.connections).toBe(1);
  });
});

describe('send errors as the API shows them', () => {
  it.each([
    'ESOCKET CONN: connect ECONNREFUSED 10.0.0.5:25',
    'ETIMEDOUT CONN: Greeting never received',
    'EPROTOCOL CONN: Invalid greeting. response=SSH-2.0-OpenSSH_9.2',
    'EDNS CONN: getaddrinfo ENOTFOUND relay.acme.test',
  ])('should hide what answered when the failure is at the connection stage: %s', (error) => {
    expect(publicSendError(error)).toBe(CONNECTION_FAILED);
    expect(publicSendError(`Gave up after 10 attempts: ${error}`)).toBe(`Gave up after 10 attempts: ${CONNECTION_FAILED}`);
  });

  it.each(['EMESSAGE DATA: Message failed: 451 Sink: try again later', 'EENVELOPE RCPT TO: Recipient command failed: 554 No such user', 'EHOSTPOLICY: relay.acme.test resolves to 169.254.169.254, a cloud metadata address, which is never a mail server'])(
    'should show the reason when the SMTP server answered about the message or the policy refused: %s',
    (error) => {
      expect(publicSendError(error)).toBe(error);
    },
  );
});
