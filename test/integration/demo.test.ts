import { afterEach, describe, expect, it } from 'vitest';
import { runDemo } from '../../src/cli/demo.js';
import { dialectCases } from '../support/databases.js';
import { ADMIN_TOKEN, startHarness, type Harness } from '../support/harness.js';
import { runCli, type CliProcess } from '../support/processes.js';

const LENA = 'lena@example.com';
const SAM = 'sam@northwind.example';
const MAREK = 'marek@example.com';
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe.each(dialectCases)('the demo against a running Seqflow on $dialect', ({ create, skip }) => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });
  const start = async (opts: Parameters<typeof startHarness>[1] = {}) => {
    h = await startHarness(await create(), opts);
    return h;
  };

  it.skipIf(skip)('should print the skip, an email per enrolled contact and the meeting stopping the emails when run over HTTP', async () => {
    const h = await start();
    const lines: string[] = [];
    const result = await runDemo({ baseUrl: h.sf.url!, token: ADMIN_TOKEN, print: (line) => lines.push(line) });
    const out = lines.join('\n');

    expect(out).toMatch(new RegExp(`workflow skipped ${escape(MAREK)}: .*only one sequence at a time \\(ALREADY_ENROLLED\\)`));
    expect(out).toMatch(new RegExp(`workflow enrolled ${escape(LENA)} in`));
    expect(out).toMatch(new RegExp(`workflow enrolled ${escape(SAM)} in`));
    // Personalised with Liquid, the default filter covering the missing first name.
    expect(out).toMatch(new RegExp(`Day 0 · Mon \\d\\d:\\d\\d — email 1 'Hi Lena, let's find a time' sent to ${escape(LENA)}`));
    expect(out).toMatch(new RegExp(`email 1 'Hi there, let's find a time' sent to ${escape(SAM)}`));
    expect(out).toMatch(new RegExp(`email 1 'Hi Marek, let's find a time' sent to ${escape(MAREK)}`));
    expect(out).toMatch(new RegExp(`Day 3 · Thu \\d\\d:\\d\\d — email 2 'Re: Hi Lena, let's find a time' sent to ${escape(LENA)}`));
    expect(out).toMatch(new RegExp(`${escape(LENA)} booked a meeting with Rita`));
    expect(out).toMatch(new RegExp(`${escape(LENA)} left the sequence \\(meeting booked\\) after 2 of 3 emails`));
    expect(out).toMatch(new RegExp(`email 3 '.+' sent to ${escape(SAM)}`));
    expect(out).toMatch(new RegExp(`email 3 '.+' sent to ${escape(MAREK)}`));
    expect(out).not.toMatch(new RegExp(`email 3 .* sent to ${escape(LENA)}`));
    expect(out).toContain(`${LENA} got no email after booking the meeting`);

    // The lines tell what the server recorded.
    const mailTo = async (to: string) => (await h.api('GET', `/seqflow/v1/dev-mail/messages?to=${encodeURIComponent(to)}`)).body.results as unknown[];
    expect(await mailTo(LENA)).toHaveLength(2);
    expect(await mailTo(SAM)).toHaveLength(3);
    expect(await mailTo(MAREK)).toHaveLength(3);
    const marekId = result.contacts.find((c) => c.email === MAREK)!.id;
    const log = (await h.api('GET', `/seqflow/v1/workflows/${result.flowId}/log?contactId=${marekId}`)).body.results;
    expect(log).toMatchObject([{ status: 'SKIPPED', reasonCode: 'ALREADY_ENROLLED' }]);
    const lena = (await h.api('GET', `/seqflow/v1/enrollments?contactId=${result.contacts.find((c) => c.email === LENA)!.id}`)).body.results;
    expect(lena).toMatchObject([{ state: 'UNENROLLED', reason: 'MEETING_BOOKED', source: 'WORKFLOW' }]);
  });

  it.skipIf(skip)('should refuse with an explanation when the server runs on the real clock', async () => {
    const h = await start({ fakeClockStart: undefined });
    await expect(runDemo({ baseUrl: h.sf.url!, token: ADMIN_TOKEN, print: () => undefined })).rejects.toThrow(/fake clock/);
  });

  it.skipIf(skip)('should refuse with an explanation when the database already holds the demo', async () => {
    const h = await start();
    await runDemo({ baseUrl: h.sf.url!, token: ADMIN_TOKEN, print: () => undefined });
    await expect(runDemo({ baseUrl: h.sf.url!, token: ADMIN_TOKEN, print: () => undefined })).rejects.toThrow(/already holds the demo/);
  });
});

describe('seqflow demo', () => {
  let p: CliProcess | undefined;
  afterEach(async () => p?.kill());

  it('should play the story on a throwaway server and exit 0 when run as a command', async () => {
    // A DATABASE_URL in the environment must not pull the demo into a real database.
    p = runCli(['demo'], { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/nowhere' });
    const code = await new Promise<number | null>((resolve) => p!.child.once('exit', resolve));
    const out = p.output();
    expect(code, out).toBe(0);
    expect(out).toContain('Setup · Monday 2 March 2026, 08:00');
    expect(out).toContain(`Day 0 · Mon 08:00 — workflow skipped ${MAREK}: the contact is already enrolled in a sequence; a contact can be in only one sequence at a time (ALREADY_ENROLLED)`);
    expect(out).toContain(`Day 0 · Mon 09:00 — email 1 'Hi Lena, let's find a time' sent to ${LENA}`);
    expect(out).toContain(`Day 3 · Thu 09:00 — email 2 'Re: Hi Lena, let's find a time' sent to ${LENA}`);
    expect(out).toContain(`Day 3 · Thu 11:00 — ${LENA} left the sequence (meeting booked) after 2 of 3 emails: no more emails will be sent`);
    expect(out).toContain(`Day 7 · Mon 09:00 — email 3 'Re: Hi there, let's find a time' sent to ${SAM}`);
    expect(out).toContain(`${LENA} got no email after booking the meeting`);
  });
});
