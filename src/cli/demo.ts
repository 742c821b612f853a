/**
 * `seqflow demo` and `seqflow start --demo`: the brief's story played on a fake clock.
 *
 * runDemo drives a running Seqflow purely through its HTTP API (global fetch), as any client
 * would: a sales rep with an inbox on the dev mail server, a three-email sequence, a "Book a
 * meeting" form and a workflow "form submitted → enroll in sequence"; then a few people submit
 * the form (one of them already enrolled by hand), the clock jumps from one due email to the
 * next, and one person books a meeting. It prints what happened at each step in plain words.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DateTime } from 'luxon';
import pino from 'pino';
import { startSeqflow } from '../server.js';
import { loadSettings, type LoadedSettings } from '../config/config.js';
import { seedFormToSequence, type Seeded } from './seed-through-api.js';

export interface DemoOptions {
  /** The running Seqflow, e.g. http://127.0.0.1:3000; it must run with a fake clock. */
  baseUrl: string;
  /** An admin token. */
  token: string;
  print: (line: string) => void;
}

/** What the demo created, for pointing the user at it afterwards. */
export interface DemoResult {
  userId: string;
  sequenceId: string;
  formId: string;
  portalId: string;
  flowId: string;
  contacts: { email: string; id: string }[];
}

/** Monday 2 March 2026, 08:00 in Warsaw: an hour before the sequence's send window opens. */
export const DEMO_START = Date.parse('2026-03-02T07:00:00.000Z');

const DAY = 86_400_000;
const HOUR = 3_600_000;
const ZONE = 'Europe/Warsaw';
const REP = { email: 'rita@acme.test', firstName: 'Rita', lastName: 'Rep' };
const SEQUENCE_NAME = 'Meeting request follow-up';
const FORM_NAME = 'Book a meeting';
const WINDOW = { start: 9 * 60, end: 17 * 60 };

interface Person {
  email: string;
  firstname?: string;
  lastname?: string;
  company: string;
}
/** In the order they submit the form; Marek is also enrolled by hand before that. */
const LENA: Person = { email: 'lena@example.com', firstname: 'Lena', lastname: 'Fischer', company: 'Fischer & Co' };
const SAM: Person = { email: 'sam@northwind.example', company: 'Northwind' };
const MAREK: Person = { email: 'marek@example.com', firstname: 'Marek', lastname: 'Nowak', company: 'Nowak Logistics' };
const PEOPLE = [LENA, SAM, MAREK];
/** Lena books a meeting after her second email. */
const BOOKS_MEETING = LENA;

const hi = '{{ contact.firstname | default: "there" }}';
const STEPS = [
  {
    type: 'EMAIL',
    delayMillis: 0,
    subject: `Hi ${hi}, let's find a time`,
    body: `<p>Hi ${hi},</p><p>thanks for asking for a meeting. Would a 20-minute call this week work for {{ contact.company | default: "your team" }}? Reply with a time that suits you.</p><p>{{ sender.firstname }}</p>`,
  },
  {
    type: 'EMAIL',
    delayMillis: 3 * DAY,
    subject: '',
    body: `<p>Hi ${hi}, just making sure my note reached you. I am happy to work around your calendar.</p><p>{{ sender.firstname }}</p>`,
  },
  {
    type: 'EMAIL',
    delayMillis: 3 * DAY,
    subject: '',
    body: `<p>Last note from me, ${hi}: if now is not the right time, no problem. Reply whenever it suits you.</p><p>{{ sender.firstname }}</p>`,
  },
];

interface Enrollment {
  id: string;
  state: 'ACTIVE' | 'PAUSED' | 'FINISHED' | 'UNENROLLED' | 'FAILED';
  reason?: string;
  source: string;
  nextDueAt?: string;
  sends: { step: number; status: string; subject: string; at: string }[];
}
interface LogEntry {
  runId: string;
  contactId: string;
  actionId: string;
  status: 'EXECUTED' | 'SKIPPED' | 'FAILED';
  reasonCode?: string;
  reasonText?: string;
  at: string;
}
interface DevMessage {
  id: string;
  to: string[];
  subject: string;
  receivedAt: string;
}

class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

function client(baseUrl: string, token: string) {
  const base = baseUrl.replace(/\/+$/, '');
  return async <T>(method: 'GET' | 'POST', url: string, body?: unknown, opts: { auth?: boolean } = {}): Promise<T> => {
    const res = await fetch(`${base}${url}`, {
      method,
      headers: {
        ...(opts.auth !== false && { authorization: `Bearer ${token}` }),
        ...(body !== undefined && { 'content-type': 'application/json' }),
      },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    const json: unknown = text ? JSON.parse(text) : undefined;
    if (!res.ok) {
      const message = (json as { message?: string } | undefined)?.message ?? text;
      throw new ApiError(`${method} ${url} answered ${res.status}: ${message}`, res.status);
    }
    return json as T;
  };
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** "3 days 22 hours", "1 hour", "0 minutes". */
function span(ms: number): string {
  const days = Math.floor(ms / DAY);
  const hours = Math.floor((ms % DAY) / HOUR);
  const minutes = Math.round((ms % HOUR) / 60_000);
  const parts = [days && plural(days, 'day'), hours && plural(hours, 'hour'), minutes && plural(minutes, 'minute')].filter(Boolean);
  return parts.length ? parts.join(' ') : '0 minutes';
}

/** "Skipped: The contact is … time." → "the contact is … time". */
const reason = (text = '') => {
  const t = text.replace(/^(Skipped|Failed): /, '').replace(/\.$/, '');
  return t.charAt(0).toLowerCase() + t.slice(1);
};

const nameOf = (p: Person) => [p.firstname, p.lastname].filter(Boolean).join(' ');
const who = (p: Person) => (nameOf(p) ? `${nameOf(p)} <${p.email}>` : p.email);

/** Drives the demo against a running Seqflow with a fake clock; see the module comment. */
export async function runDemo(opts: DemoOptions): Promise<DemoResult> {
  const api = client(opts.baseUrl, opts.token);
  const { print } = opts;

  const health = await api<{ fakeClock: boolean }>('GET', '/seqflow/v1/health', undefined, { auth: false });
  if (!health.fakeClock) throw new Error('The demo moves time forward, so Seqflow must run with a fake clock (seqflow start --fake-clock, or --demo).');
  let now = Date.parse((await api<{ now: string }>('GET', '/seqflow/v1/clock')).now);
  const startDay = DateTime.fromMillis(now, { zone: ZONE }).startOf('day');
  const local = (t: number) => DateTime.fromMillis(t, { zone: ZONE }).setLocale('en-GB');
  const clock = (t: number) => local(t).toFormat('ccc HH:mm');
  const date = (t: number) => local(t).toFormat('ccc d LLL HH:mm');
  const when = (t: number) => `Day ${Math.round(local(t).startOf('day').diff(startDay, 'days').days)} · ${clock(t)}`;
  const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

  // --- Setup: everything a sales team would click together, through the API ---------------
  let seeded: Seeded;
  try {
    seeded = await seedFormToSequence(api, {
      user: { ...REP, timezone: ZONE },
      inbox: { provider: 'dev' },
      sequence: {
        name: SEQUENCE_NAME,
        settings: {
          eligibleFollowUpDays: 'WEEKDAYS_ONLY',
          sendWindowStartMinute: WINDOW.start,
          sendWindowEndMinute: WINDOW.end,
          useThreadedFollowUps: true,
          unenrollOnReply: true,
          unenrollOnMeeting: true,
        },
        steps: STEPS,
      },
      form: {
        name: FORM_NAME,
        fields: [
          { name: 'email', label: 'Email', required: true },
          { name: 'firstname', label: 'First name' },
          { name: 'lastname', label: 'Last name' },
          { name: 'company', label: 'Company' },
        ],
      },
      flowName: `${FORM_NAME} → ${SEQUENCE_NAME}`,
    });
  } catch (err) {
    // The user comes first: a 409 is the demo's rep, made by an earlier run.
    if (err instanceof ApiError && err.status === 409) {
      throw new Error(`This database already holds the demo (user ${REP.email} exists). Start on an empty --data-dir, or run \`seqflow demo\`, which uses a throwaway one.`);
    }
    throw err;
  }
  // Marek is already being worked by hand when he finds the form.
  const marek = await api<{ id: string }>('POST', '/crm/v3/objects/contacts', { properties: { ...MAREK } });
  await api('POST', `/automation/v4/sequences/enrollments?userId=${seeded.userId}`, { contactId: marek.id, sequenceId: seeded.sequenceId, senderEmail: REP.email });

  print(`Seqflow demo: a "${FORM_NAME}" form whose workflow enrolls people in a follow-up sequence.`);
  print(`Times are ${REP.firstName}'s (${ZONE}). The clock is simulated, so a week passes in seconds.`);
  print('');
  print(`Setup · ${local(now).toFormat('cccc d LLLL yyyy, HH:mm')}`);
  print(`  ${REP.firstName} ${REP.lastName} <${REP.email}>: Sales Professional seat, inbox connected to the dev mail server`);
  print(`  Sequence "${SEQUENCE_NAME}": ${STEPS.length} emails, 3 days apart, sent on weekdays ${hhmm(WINDOW.start)}–${hhmm(WINDOW.end)}; it stops when someone replies or books a meeting`);
  print(`  Form "${FORM_NAME}": email, first name, last name, company`);
  print(`  Workflow: when someone submits "${FORM_NAME}" → enroll them in "${SEQUENCE_NAME}", sent by ${REP.firstName} from ${REP.email}`);
  print(`  ${who(MAREK)} was enrolled in "${SEQUENCE_NAME}" by hand, before any form`);
  print('');

  // --- People submit the public form (no token: it is what the web page posts) ------------
  const ids = new Map<string, string>();
  ids.set(MAREK.email, marek.id);
  for (const p of PEOPLE) {
    const fields = Object.entries(p).map(([name, value]) => ({ name, value: String(value) }));
    await api('POST', `/submissions/v3/integration/submit/${seeded.form.portalId}/${seeded.form.id}`, { fields }, { auth: false });
    const contact = await api<{ id: string }>('GET', `/crm/v3/objects/contacts/${encodeURIComponent(p.email)}?idProperty=email`);
    ids.set(p.email, contact.id);
    print(`${when(now)} — ${who(p)} submitted "${FORM_NAME}"${p.firstname ? '' : ' without a first name (emails will greet "there")'}`);
  }
  const emailOf = new Map([...ids].map(([email, id]) => [id, email]));
  const order = (email: string) => PEOPLE.findIndex((p) => p.email === email);

  // --- Watching: what was sent, what the workflow did, where each enrollment stands -------
  const seenMail = new Set<string>();
  const seenLog = new Set<string>();
  const mailCount = new Map<string, number>();

  const enrollmentOf = async (p: Person): Promise<Enrollment | null> => {
    const { results } = await api<{ results: Enrollment[] }>('GET', `/seqflow/v1/enrollments?contactId=${ids.get(p.email)}`);
    return results.reduce<Enrollment | null>((last, e) => (!last || Number(e.id) > Number(last.id) ? e : last), null);
  };
  const sentCount = (e: Enrollment) => e.sends.filter((s) => s.status === 'SENT').length;
  const stateText = (e: Enrollment | null): string => {
    if (!e) return 'not enrolled';
    const sent = `${sentCount(e)} of ${STEPS.length} emails sent`;
    switch (e.state) {
      case 'ACTIVE':
        return `in the sequence · ${sent} · next email ${e.nextDueAt ? date(Date.parse(e.nextDueAt)) : 'not scheduled'}`;
      case 'PAUSED':
        return `paused (${e.reason}) · ${sent}`;
      case 'FINISHED':
        return `finished the sequence · ${sent}`;
      case 'UNENROLLED':
        return e.reason === 'MEETING_BOOKED' ? `left the sequence: booked a meeting · ${sent}` : `left the sequence (${e.reason}) · ${sent}`;
      case 'FAILED':
        return `stopped: ${e.reason} · ${sent}`;
    }
  };

  /** Prints what happened since the last report; with states, where each enrollment stands. */
  const report = async (o: { states: boolean }) => {
    const events: { at: number; kind: number; order: number; line: string }[] = [];
    const { results: log } = await api<{ results: LogEntry[] }>('GET', `/seqflow/v1/workflows/${seeded.flowId}/log`);
    for (const entry of log) {
      const key = `${entry.runId}:${entry.actionId}`;
      if (seenLog.has(key)) continue;
      seenLog.add(key);
      const email = emailOf.get(entry.contactId) ?? `contact ${entry.contactId}`;
      const at = Date.parse(entry.at);
      const line =
        entry.status === 'EXECUTED'
          ? `workflow enrolled ${email} in "${SEQUENCE_NAME}"`
          : `workflow ${entry.status === 'SKIPPED' ? 'skipped' : 'FAILED for'} ${email}: ${reason(entry.reasonText)} (${entry.reasonCode})`;
      events.push({ at, kind: 0, order: order(email), line: `${when(at)} — ${line}` });
    }
    const { results: mail } = await api<{ results: DevMessage[] }>('GET', '/seqflow/v1/dev-mail/messages?limit=1000');
    // Oldest first; emails of one instant in the people's order, so every run prints the same.
    const fresh = mail
      .filter((m) => !seenMail.has(m.id))
      .sort((a, b) => Date.parse(a.receivedAt) - Date.parse(b.receivedAt) || order(a.to[0]) - order(b.to[0]) || Number(a.id) - Number(b.id));
    for (const m of fresh) {
      seenMail.add(m.id);
      const to = m.to[0] ?? '(nobody)';
      const n = (mailCount.get(to) ?? 0) + 1;
      mailCount.set(to, n);
      const at = Date.parse(m.receivedAt);
      events.push({ at, kind: 1, order: order(to), line: `${when(at)} — email ${n} '${m.subject}' sent to ${to}` });
    }
    events.sort((a, b) => a.at - b.at || a.kind - b.kind || a.order - b.order);
    for (const e of events) print(e.line);
    if (!o.states) return;
    if (events.length === 0) print(`${when(now)} — nothing due: no email sent`);
    const width = Math.max(...PEOPLE.map((p) => p.email.length));
    for (const p of PEOPLE) print(`    ${p.email.padEnd(width)}  ${stateText(await enrollmentOf(p))}`);
  };

  const advance = async (ms: number, heading: string, o = { states: true }) => {
    print('');
    print(heading);
    now = Date.parse((await api<{ now: string }>('POST', '/seqflow/v1/clock/advance', { ms })).now);
    await report(o);
  };

  const nextDue = async (): Promise<number | null> => {
    const due: number[] = [];
    for (const p of PEOPLE) {
      const e = await enrollmentOf(p);
      if (e?.state === 'ACTIVE' && e.nextDueAt) due.push(Date.parse(e.nextDueAt));
    }
    return due.length ? Math.min(...due) : null;
  };

  /** Fast-forwards to the next due email, noting a weekend the follow-ups waited out. */
  const toNextEmail = async (due: number) => {
    let weekend = false;
    for (let d = local(now).startOf('day'); d <= local(due); d = d.plus({ days: 1 })) weekend ||= d.weekday >= 6;
    const why = weekend ? ' (follow-ups wait out the weekend)' : '';
    await advance(Math.max(0, due - now), `→ Fast-forward ${span(due - now)} to ${date(due)}, when the next email is due${why}`);
  };

  const bookMeeting = async () => {
    await advance(2 * HOUR, `→ Fast-forward 2 hours to ${date(now + 2 * HOUR)}: ${nameOf(BOOKS_MEETING)} books a meeting`, { states: false });
    const meetingAt = local(now).plus({ days: 1 }).set({ hour: 10, minute: 0, second: 0, millisecond: 0 }).toMillis();
    await api('POST', '/crm/v3/objects/meetings', {
      properties: {
        hs_timestamp: new Date(meetingAt).toISOString(),
        hs_meeting_title: `Intro call: ${nameOf(BOOKS_MEETING)} and ${REP.firstName}`,
        hubspot_owner_id: seeded.userId,
      },
      associations: [{ to: { id: ids.get(BOOKS_MEETING.email) }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 200 }] }],
    });
    print(`${when(now)} — ${BOOKS_MEETING.email} booked a meeting with ${REP.firstName} for ${date(meetingAt)}`);
    const e = await enrollmentOf(BOOKS_MEETING);
    print(
      e?.state === 'UNENROLLED' && e.reason === 'MEETING_BOOKED'
        ? `${when(now)} — ${BOOKS_MEETING.email} left the sequence (meeting booked) after ${sentCount(e)} of ${STEPS.length} emails: no more emails will be sent`
        : `${when(now)} — ${BOOKS_MEETING.email} ${stateText(e)}`,
    );
    return now;
  };

  // --- The story ------------------------------------------------------------------------
  await advance(0, `→ Seqflow runs what is due now (${date(now)})`, { states: true });
  let bookedAt: number | null = null;
  for (let guard = 0; guard < 20; guard++) {
    const due = await nextDue();
    if (due === null) break;
    await toNextEmail(due);
    if (bookedAt === null && (mailCount.get(BOOKS_MEETING.email) ?? 0) >= 2) bookedAt = await bookMeeting();
  }
  if (bookedAt === null) bookedAt = await bookMeeting();

  print('');
  print('Where everyone ended up');
  const after = (await api<{ results: DevMessage[] }>('GET', `/seqflow/v1/dev-mail/messages?to=${encodeURIComponent(BOOKS_MEETING.email)}&limit=1000`)).results.filter(
    (m) => Date.parse(m.receivedAt) > bookedAt,
  );
  for (const p of PEOPLE) {
    const e = await enrollmentOf(p);
    const by = e?.source === 'WORKFLOW' ? 'enrolled by the workflow' : 'enrolled by hand; the workflow skipped the second enrollment';
    print(`  ${p.email}: ${plural(mailCount.get(p.email) ?? 0, 'email')}, ${stateText(e).replace(/ · \d+ of \d+ emails sent$/, '')} (${by})`);
  }
  print(
    after.length === 0
      ? `  ${BOOKS_MEETING.email} got no email after booking the meeting`
      : `  ${BOOKS_MEETING.email} still got ${plural(after.length, 'email')} after booking the meeting`,
  );

  return {
    userId: seeded.userId,
    sequenceId: seeded.sequenceId,
    formId: seeded.form.id,
    portalId: seeded.form.portalId,
    flowId: seeded.flowId,
    contacts: PEOPLE.map((p) => ({ email: p.email, id: ids.get(p.email)! })),
  };
}

/** Where to look around after the demo (for `seqflow start --demo`). */
export function demoLinks(baseUrl: string, r: DemoResult, token: string): string[] {
  return [
    `The demo is loaded; Seqflow keeps serving at ${baseUrl} (Ctrl-C stops it). Admin token: ${token}`,
    `  Form page      ${baseUrl}/forms/${r.formId}`,
    `  Sent email     GET ${baseUrl}/seqflow/v1/dev-mail/messages`,
    `  Workflow log   GET ${baseUrl}/seqflow/v1/workflows/${r.flowId}/log`,
    `  Enrollments    GET ${baseUrl}/seqflow/v1/enrollments?sequenceId=${r.sequenceId}`,
    `  Move time      POST ${baseUrl}/seqflow/v1/clock/advance {"ms": 86400000}`,
  ];
}

/**
 * `seqflow demo`: a throwaway Seqflow in this process (SQLite in a temporary directory, fake
 * clock at DEMO_START, any free ports), the demo against it, then everything removed.
 */
export async function runDemoInProcess(print: (line: string) => void, loaded: LoadedSettings = loadSettings()): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'seqflow-demo-'));
  const token = `sf-demo-${crypto.randomBytes(18).toString('base64url')}`;
  const sf = await startSeqflow({
    settings: loaded.values,
    port: 0,
    host: '127.0.0.1',
    dataDir,
    // '' rather than undefined: DATABASE_URL is ignored, so the demo never writes into a real database.
    databaseUrl: '',
    fakeClockStart: DEMO_START,
    devSmtpPort: 0,
    adminToken: token,
    // Quieter than a server unless SEQFLOW_LOG_LEVEL says otherwise: the demo prints its own story.
    logger: pino({ level: loaded.sources.logLevel === 'default' ? 'warn' : loaded.values.logLevel }),
  });
  try {
    await runDemo({ baseUrl: sf.url!, token, print });
  } finally {
    await sf.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
