/**
 * Per-step reports of a sequence (issue #14 item 3). The store counts with GROUP BY; this module
 * decides what the counts mean: which end reasons are replies, meetings, bounces and unsubscribes,
 * the step each is credited to, and the rates. See docs/decisions.md, "Per-step reports".
 */
import { DateTime } from 'luxon';

export interface ReportStepInfo {
  stepOrder: number;
  type: 'EMAIL' | 'TASK';
  title: string;
}

export interface ReportCounts {
  sent: { stepOrder: number; senderUserId: number; n: number }[];
  /** Ends by the last step attempted before them (null: before the first email). */
  ends: { reason: string; senderUserId: number; lastStepOrder: number | null; n: number }[];
  tasksCreated: { stepOrder: number; senderUserId: number; status: string; n: number }[];
  tasksCompleted: { stepOrder: number; senderUserId: number; n: number }[];
  /** Of the emails sent in the range, how many were opened (by a person / only by a proxy) and clicked. */
  engagement?: { stepOrder: number; senderUserId: number; opened: number; openedByProxy: number; clicked: number }[];
}

/** Whether the sequence tracks opens and clicks: off, its figures are null ("tracking off"), not 0. */
export interface ReportTracking {
  opens: boolean;
  clicks: boolean;
}

export interface Figures {
  sent: number;
  delivered: number;
  replied: number;
  replyRate: number | null;
  meetingsBooked: number;
  bounced: number;
  unsubscribed: number;
  tasksCreated: number;
  tasksCompleted: number;
  tasksOpen: number;
  /** Emails opened by a person; proxy-only opens are in openedByProxy. Null: opens not tracked. */
  opened: number | null;
  openedByProxy: number | null;
  openRate: number | null;
  clicked: number | null;
  clickRate: number | null;
}

export type StepFigures = ReportStepInfo & Figures;

export interface PerStepReport {
  steps: StepFigures[];
  totals: Figures;
}

type Counted = 'replied' | 'meetingsBooked' | 'bounced' | 'unsubscribed';

/** The end reasons a report counts; a reply from a colleague at the same company is a reply. */
const CREDITED: Record<string, Counted> = {
  REPLIED: 'replied',
  COMPANY_REPLIED: 'replied',
  MEETING_BOOKED: 'meetingsBooked',
  BOUNCED: 'bounced',
  UNSUBSCRIBED: 'unsubscribed',
};

const NOT_TRACKED: ReportTracking = { opens: false, clicks: false };

const zero = (t: ReportTracking): Figures => ({
  sent: 0,
  delivered: 0,
  replied: 0,
  replyRate: null,
  meetingsBooked: 0,
  bounced: 0,
  unsubscribed: 0,
  tasksCreated: 0,
  tasksCompleted: 0,
  tasksOpen: 0,
  opened: t.opens ? 0 : null,
  openedByProxy: t.opens ? 0 : null,
  openRate: null,
  clicked: t.clicks ? 0 : null,
  clickRate: null,
});

/** delivered and the reply, open and click rates from the raw counts. */
function finish<F extends Figures>(f: F): F {
  // A bounce during the SMTP conversation ends the enrollment without a SENT email; never below 0.
  const delivered = Math.max(0, f.sent - f.bounced);
  const rate = (n: number | null) => (n !== null && delivered > 0 ? n / delivered : null);
  return { ...f, delivered, replyRate: rate(f.replied), openRate: rate(f.opened), clickRate: rate(f.clicked) };
}

const add = (a: number | null, n: number): number | null => (a === null ? null : a + n);

/**
 * Per-step figures and totals. Ends are credited to the latest step whose email went out before
 * them; ends before any email count in the totals only. Steps no longer in the sequence but with
 * activity in the range are listed after the current ones.
 */
export function perStepReport(steps: ReportStepInfo[], counts: ReportCounts, tracking: ReportTracking = NOT_TRACKED): PerStepReport {
  const rows = new Map<number, StepFigures>(steps.map((s) => [s.stepOrder, { ...s, ...zero(tracking) }]));
  const totals = zero(tracking);
  const row = (stepOrder: number, type: 'EMAIL' | 'TASK') => {
    let r = rows.get(stepOrder);
    if (!r) rows.set(stepOrder, (r = { stepOrder, type, title: `Step ${stepOrder + 1} (removed)`, ...zero(tracking) }));
    return r;
  };
  for (const c of counts.sent) {
    row(c.stepOrder, 'EMAIL').sent += c.n;
    totals.sent += c.n;
  }
  for (const c of counts.ends) {
    const key = CREDITED[c.reason];
    if (!key) continue;
    if (c.lastStepOrder !== null) row(c.lastStepOrder, 'EMAIL')[key] += c.n;
    totals[key] += c.n;
  }
  for (const c of counts.tasksCreated) {
    const r = row(c.stepOrder, 'TASK');
    r.tasksCreated += c.n;
    totals.tasksCreated += c.n;
    if (c.status === 'OPEN') {
      r.tasksOpen += c.n;
      totals.tasksOpen += c.n;
    }
  }
  for (const c of counts.tasksCompleted) {
    row(c.stepOrder, 'TASK').tasksCompleted += c.n;
    totals.tasksCompleted += c.n;
  }
  for (const c of counts.engagement ?? []) {
    for (const f of [row(c.stepOrder, 'EMAIL'), totals]) {
      f.opened = add(f.opened, c.opened);
      f.openedByProxy = add(f.openedByProxy, c.openedByProxy);
      f.clicked = add(f.clicked, c.clicked);
    }
  }
  return { steps: [...rows.values()].sort((a, b) => a.stepOrder - b.stepOrder).map(finish), totals: finish(totals) };
}

/** The same report for each sender that has any activity in the counts, by sender id. */
export function perSenderReports(steps: ReportStepInfo[], counts: ReportCounts, tracking: ReportTracking = NOT_TRACKED): Map<number, PerStepReport> {
  const ids = new Set([...counts.sent, ...counts.ends, ...counts.tasksCreated, ...counts.tasksCompleted].map((c) => c.senderUserId));
  const only = <T extends { senderUserId: number }>(list: T[], id: number) => list.filter((c) => c.senderUserId === id);
  return new Map(
    [...ids]
      .sort((a, b) => a - b)
      .map((id) => [
        id,
        perStepReport(
          steps,
          {
            sent: only(counts.sent, id),
            ends: only(counts.ends, id),
            tasksCreated: only(counts.tasksCreated, id),
            tasksCompleted: only(counts.tasksCompleted, id),
            engagement: only(counts.engagement ?? [], id),
          },
          tracking,
        ),
      ]),
  );
}

export const MAX_REPORT_DAYS = 366;
export const DEFAULT_REPORT_DAYS = 30;

export type ReportRange = { ok: true; fromDate: string; toDate: string; from: number; to: number } | { ok: false; field: 'from' | 'to'; message: string };

/**
 * The instants a range of calendar days covers in `zone`: from the start of `from` to the start
 * of the day after `to`. Without dates: the 30 days ending today.
 */
export function reportRange(q: { from?: string; to?: string }, now: number, zone: string): ReportRange {
  const day = (s: string) => DateTime.fromISO(s, { zone });
  const to = q.to ? day(q.to) : DateTime.fromMillis(now, { zone }).startOf('day');
  if (!to.isValid) return { ok: false, field: 'to', message: `${q.to} is not a calendar date.` };
  const from = q.from ? day(q.from) : to.minus({ days: DEFAULT_REPORT_DAYS - 1 });
  if (!from.isValid) return { ok: false, field: 'from', message: `${q.from} is not a calendar date.` };
  if (from > to) return { ok: false, field: 'from', message: `from (${from.toISODate()}) is after to (${to.toISODate()}).` };
  const days = Math.round(to.diff(from, 'days').days) + 1;
  if (days > MAX_REPORT_DAYS) return { ok: false, field: q.from ? 'from' : 'to', message: `The range covers ${days} days; at most ${MAX_REPORT_DAYS} are allowed.` };
  return { ok: true, fromDate: from.toISODate()!, toDate: to.toISODate()!, from: from.toMillis(), to: to.plus({ days: 1 }).startOf('day').toMillis() };
}

const percent = (r: number | null) => (r === null ? '' : (r * 100).toFixed(1) + '%');

/** Open and click columns are empty (not 0) when the sequence does not track them. */
const CSV_COLUMNS: [string, (r: Figures) => string | number][] = [
  ['Sent', (r) => r.sent],
  ['Delivered', (r) => r.delivered],
  ['Replied', (r) => r.replied],
  ['Reply rate', (r) => percent(r.replyRate)],
  ['Meetings booked', (r) => r.meetingsBooked],
  ['Bounced', (r) => r.bounced],
  ['Unsubscribed', (r) => r.unsubscribed],
  ['Tasks created', (r) => r.tasksCreated],
  ['Tasks completed', (r) => r.tasksCompleted],
  ['Tasks open', (r) => r.tasksOpen],
  ['Opened', (r) => r.opened ?? ''],
  ['Opened by proxy only', (r) => r.openedByProxy ?? ''],
  ['Open rate', (r) => percent(r.openRate)],
  ['Clicked', (r) => r.clicked ?? ''],
  ['Click rate', (r) => percent(r.clickRate)],
];

/** RFC 4180 quoting; a leading = + - @ is defused so a spreadsheet does not run a subject as a formula. */
function cell(v: string | number): string {
  let s = String(v);
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The report as CSV: a header, one row per step (step numbers from 1, as people count) and a totals row. */
export function reportCsv(report: PerStepReport): string {
  const header = ['Step', 'Type', 'Title', ...CSV_COLUMNS.map(([name]) => name)];
  const lines = [header, ...report.steps.map((s) => [s.stepOrder + 1, s.type, s.title, ...CSV_COLUMNS.map(([, f]) => f(s))]), ['Total', '', '', ...CSV_COLUMNS.map(([, f]) => f(report.totals))]];
  return lines.map((l) => l.map(cell).join(',')).join('\r\n') + '\r\n';
}
