/**
 * Two `seqflow worker` processes sending from one OAuth inbox on one PostgreSQL: its expired
 * access token is refreshed once (the rotated refresh token saved before either uses it) and
 * every email goes out once, signed in with the fresh token.
 */
import crypto from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { freshPostgres, postgresAvailable } from '../support/databases.js';
import { dovecotAvailable } from '../support/dovecot.js';
import { seedContact, seedSequence, startHarness, type Harness } from '../support/harness.js';
import { connectMailbox, startOAuthStack, type OAuthStack } from '../support/oauth-stack.js';
import { eventually, runCli, type CliProcess } from '../support/processes.js';

const ALICE = 'alice@example.test';
// The inbox's default limit is 10 emails a minute: all of them are due, and sendable, at once.
const N = 10;

// Each test starts `seqflow worker` processes (tsx compiles each as it starts: seconds on a busy machine).
describe.skipIf(!postgresAvailable || !dovecotAvailable)('OAuth inbox shared by two worker processes on postgres', { timeout: 120_000 }, () => {
  let stack: OAuthStack;
  let h: Harness;
  let url: string;
  const workers: CliProcess[] = [];
  // The workers open the tokens the API sealed: the same key, as a deployment shares it.
  const secretKey = crypto.randomBytes(32).toString('base64');

  beforeAll(async () => {
    stack = await startOAuthStack({ rotateRefreshToken: true });
  });
  afterAll(async () => {
    await stack?.stop();
  });
  beforeEach(async () => {
    stack.as.setAccessTokenTtl(3600);
    const db = await freshPostgres();
    url = db.url!;
    // The API alone, on the real clock: token expiry is the provider's wall-clock fact.
    h = await startHarness(db, { settings: stack.settings({ SEQFLOW_SECRET_KEY: secretKey }), role: 'api', fakeClockStart: undefined, inboxWatch: null, devSmtpPort: null });
  });
  afterEach(async () => {
    for (const w of workers.splice(0)) await w.kill('SIGKILL');
    await h?.close();
  });

  it('should refresh the expired token once and send each email once when two worker processes need it at the same moment', async () => {
    const userId = (await h.api('POST', '/settings/v3/users/', { email: ALICE, firstName: 'Alice', lastName: 'Rep', seat: 'sales_professional', timezone: 'UTC' })).body.id;
    const inboxId = Number((await connectMailbox(h, stack, userId, ALICE)).searchParams.get('inbox'));
    const sequenceId = await seedSequence(h, userId, { steps: [{ type: 'EMAIL', delayMillis: 0, subject: 'Hi {{ contact.firstname }}', body: '<p>Hello</p>' }] });
    const enroll = async (from: number, to: number) => {
      const ids: number[] = [];
      for (let i = from; i < to; i++) {
        const contactId = await seedContact(h, { email: `lead${i}@example.com`, firstname: `Lead${i}` });
        const r = await h.api('POST', `/automation/v4/sequences/enrollments?userId=${userId}`, { contactId, sequenceId, senderEmail: ALICE });
        expect(r.status).toBe(200);
        ids.push(Number(r.body.id));
      }
      return ids;
    };
    const k = h.sf.db.kysely;
    const owners = async (ids: number[]) => (await k.selectFrom('enrollments').select('lease_owner').where('id', 'in', ids).execute()).map((r) => r.lease_owner);
    // The access token from the connection expired while nothing was sending.
    await k.updateTable('inbox_oauth').set({ access_expires_at: Date.now() - 60_000 }).where('inbox_id', '=', inboxId).execute();
    const before = stack.as.refreshes;
    // The provider is slow: the first worker's refresh stays in flight while the second one needs a token too.
    const gate = stack.as.holdTokenRequests();

    const first = await enroll(0, N / 2);
    const env = stack.env({ SEQFLOW_SECRET_KEY: secretKey });
    for (let i = 0; i < 2; i++) workers.push(runCli(['worker', '--database', url], env));
    await Promise.all(workers.map((w) => w.waitFor(/Seqflow worker/, 60_000)));
    await eventually(async () => gate.waiting() === 1 && (await owners(first)).every((o) => o !== null), 60_000);
    const [busy] = await owners(first);
    // One worker is inside its batch, waiting on the token: the other claims the next emails.
    const second = await enroll(N / 2, N);
    await eventually(async () => (await owners(second)).some((o) => o !== null && o !== busy), 30_000);
    // Every send and the watcher of both workers wait on the one refresh in flight.
    expect(gate.waiting()).toBe(1);
    gate.release();
    await eventually(async () => (await k.selectFrom('sends').select('id').where('status', '=', 'SENT').execute()).length === N, 60_000, 200);

    expect(stack.as.refreshes).toBe(before + 1);
    expect(stack.as.refreshErrors).toEqual([]);
    expect(new Set(stack.smtp.messages.map((m) => JSON.stringify(m.to))).size).toBe(N);
    expect(new Set(stack.smtp.messages.map((m) => m.messageId)).size).toBe(N);
    expect(stack.smtp.messages.every((m) => m.authUser === ALICE)).toBe(true);
    expect(await k.selectFrom('enrollments').select('id').where('state', '=', 'PAUSED').execute()).toEqual([]);
  });
});
