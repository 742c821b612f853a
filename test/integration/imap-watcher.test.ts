import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startImapWatcher, type FetchedMessage, type ImapWatcher, type WatchState } from '../../src/mail/imap-watcher.js';
import { dovecotAvailable, startDovecot, type Dovecot } from '../support/dovecot.js';
import { eventually } from '../support/processes.js';

const USER = 'rep@acme.test';
const PASS = 'secret';

const compose = (subject: string, attachment?: Buffer) =>
  new MailComposer({ from: 'lena@example.com', to: USER, subject, text: subject, attachments: attachment ? [{ filename: 'big.bin', content: attachment }] : [] }).compile().build();

/** The watcher alone against a real Dovecot: what it fetches, and where its watermark stands. */
describe.skipIf(!dovecotAvailable)('the IMAP watcher over real IMAP', () => {
  let dovecot: Dovecot;
  let watcher: ImapWatcher | null = null;
  const saved: WatchState[] = [];
  const errors: Error[] = [];
  beforeEach(async () => {
    dovecot = await startDovecot();
    dovecot.addUser(USER, PASS);
    saved.length = 0;
    errors.length = 0;
  });
  afterEach(async () => {
    await watcher?.stop();
    watcher = null;
    await dovecot?.stop();
  });

  function watch(onMessage: (m: FetchedMessage) => Promise<void>, extra: { maxSourceBytes?: number; headBytes?: number } = {}) {
    watcher = startImapWatcher({
      settings: { host: dovecot.host, port: dovecot.port, auth: { user: USER, pass: PASS } },
      // Resume from a watermark already set (UID validity of the mailbox, learnt on the first save).
      loadState: async () => saved.at(-1) ?? { uidValidity: null, lastUid: 0 },
      saveState: async (s) => void saved.push(s),
      onMessage,
      onError: (err) => void errors.push(err),
      notBefore: new Date(0),
      pollMs: 200,
      autoIdleDelayMs: 100,
      backoff: { initialMs: 50, maxMs: 200 },
      connectTimeoutMs: 2_000,
      ...extra,
    });
  }
  const subjectOf = (m: FetchedMessage) => /^Subject: (.*)$/m.exec(m.source.toString('latin1'))?.[1]?.trim();

  it('should fetch only the first bytes of a message when it is larger than the source cap', async () => {
    for (const [subject, attachment] of [['small one', undefined], ['huge one', Buffer.alloc(2 * 1024 * 1024, 'z')], ['small two', undefined]] as const) {
      await dovecot.deliver(USER, PASS, await compose(subject, attachment));
    }
    const got: FetchedMessage[] = [];
    watch(async (m) => void got.push(m), { maxSourceBytes: 1024 * 1024, headBytes: 16 * 1024 });
    await eventually(async () => got.length === 3);
    expect(got.map(subjectOf)).toEqual(['small one', 'huge one', 'small two']);
    expect(got.map((m) => m.truncated)).toEqual([false, true, false]);
    expect(got[1].source.length).toBe(16 * 1024);
    expect(got[1].size).toBeGreaterThan(2 * 1024 * 1024);
    expect(got[0].source.length).toBe(got[0].size);
  });

  it('should keep its watermark before a message whose handler throws and go on from there once it succeeds', async () => {
    for (const subject of ['one', 'two', 'three']) await dovecot.deliver(USER, PASS, await compose(subject));
    const handled: string[] = [];
    let failures = 0;
    watch(async (m) => {
      const subject = subjectOf(m)!;
      if (subject === 'two' && failures++ < 2) throw new Error('database is unavailable');
      handled.push(subject);
    });
    await eventually(async () => handled.length === 3);
    // "one" was not fetched again while "two" was retried, and the watermark passed all three.
    expect(handled).toEqual(['one', 'two', 'three']);
    expect(errors.map((e) => e.message)).toEqual(['database is unavailable', 'database is unavailable']);
    await eventually(async () => saved.at(-1)?.lastUid === 3);
    const lastUids = saved.map((s) => s.lastUid);
    expect(lastUids.indexOf(2)).toBeGreaterThan(lastUids.indexOf(1));
  });
});
