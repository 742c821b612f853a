import { describe, expect, it } from 'vitest';
import { perSenderReports, perStepReport, reportCsv, reportRange, type ReportCounts } from './sequence-report.js';

const steps = [
  { stepOrder: 0, type: 'EMAIL' as const, title: 'Hello' },
  { stepOrder: 1, type: 'TASK' as const, title: 'Call' },
  { stepOrder: 2, type: 'EMAIL' as const, title: 'Bump' },
];
const none: ReportCounts = { sent: [], ends: [], tasksCreated: [], tasksCompleted: [] };

describe('perStepReport', () => {
  it('should credit replies, meetings and unsubscribes to the last step sent before them when they end enrollments', () => {
    const r = perStepReport(steps, {
      ...none,
      sent: [
        { stepOrder: 0, senderUserId: 1, n: 10 },
        { stepOrder: 2, senderUserId: 1, n: 4 },
      ],
      ends: [
        { reason: 'REPLIED', senderUserId: 1, lastStepOrder: 0, n: 2 },
        { reason: 'COMPANY_REPLIED', senderUserId: 1, lastStepOrder: 2, n: 1 },
        { reason: 'MEETING_BOOKED', senderUserId: 1, lastStepOrder: 2, n: 1 },
        { reason: 'BOUNCED', senderUserId: 1, lastStepOrder: 0, n: 2 },
        { reason: 'UNSUBSCRIBED', senderUserId: 1, lastStepOrder: null, n: 1 },
        { reason: 'MANUAL', senderUserId: 1, lastStepOrder: 0, n: 5 },
      ],
    });
    expect(r.steps[0]).toMatchObject({ sent: 10, bounced: 2, delivered: 8, replied: 2, replyRate: 0.25, unsubscribed: 0 });
    expect(r.steps[2]).toMatchObject({ sent: 4, delivered: 4, replied: 1, replyRate: 0.25, meetingsBooked: 1 });
    expect(r.totals).toMatchObject({ sent: 14, delivered: 12, replied: 3, replyRate: 0.25, meetingsBooked: 1, bounced: 2, unsubscribed: 1 });
  });

  it('should count created, completed and open tasks and leave the reply rate null when a step delivered nothing', () => {
    const r = perStepReport(steps, {
      ...none,
      tasksCreated: [
        { stepOrder: 1, senderUserId: 1, status: 'OPEN', n: 2 },
        { stepOrder: 1, senderUserId: 1, status: 'COMPLETED', n: 3 },
      ],
      tasksCompleted: [{ stepOrder: 1, senderUserId: 1, n: 4 }],
    });
    expect(r.steps[1]).toMatchObject({ type: 'TASK', tasksCreated: 5, tasksOpen: 2, tasksCompleted: 4, replyRate: null });
    expect(r.steps[0].replyRate).toBeNull();
  });

  it('should list a removed step after the current ones when it still has activity in the range', () => {
    const r = perStepReport(steps, { ...none, sent: [{ stepOrder: 3, senderUserId: 1, n: 1 }] });
    expect(r.steps.map((s) => [s.stepOrder, s.title])).toEqual([
      [0, 'Hello'],
      [1, 'Call'],
      [2, 'Bump'],
      [3, 'Step 4 (removed)'],
    ]);
  });

  it('should split the figures by sender when two senders send', () => {
    const m = perSenderReports(steps, {
      ...none,
      sent: [
        { stepOrder: 0, senderUserId: 7, n: 3 },
        { stepOrder: 0, senderUserId: 5, n: 1 },
      ],
      ends: [{ reason: 'REPLIED', senderUserId: 5, lastStepOrder: 0, n: 1 }],
    });
    expect([...m.keys()]).toEqual([5, 7]);
    expect(m.get(5)!.totals).toMatchObject({ sent: 1, replied: 1, replyRate: 1 });
    expect(m.get(7)!.totals).toMatchObject({ sent: 3, replied: 0, replyRate: 0 });
  });
});

describe('reportRange', () => {
  const now = Date.parse('2026-03-10T03:00:00Z'); // still 9 March in New York

  it('should cover the 30 days ending today in the zone when no dates are given', () => {
    const r = reportRange({}, now, 'America/New_York');
    expect(r).toMatchObject({ ok: true, fromDate: '2026-02-08', toDate: '2026-03-09' });
  });

  it('should start and end at midnight in the zone, to inclusive, when dates are given', () => {
    const r = reportRange({ from: '2026-03-01', to: '2026-03-08' }, now, 'America/New_York');
    // 8 March 2026 is the first day of daylight saving time in New York.
    expect(r).toEqual({ ok: true, fromDate: '2026-03-01', toDate: '2026-03-08', from: Date.parse('2026-03-01T05:00:00Z'), to: Date.parse('2026-03-09T04:00:00Z') });
  });

  it('should name the field when from is after to, the range is over 366 days or a date does not exist', () => {
    expect(reportRange({ from: '2026-03-02', to: '2026-03-01' }, now, 'UTC')).toMatchObject({ ok: false, field: 'from' });
    expect(reportRange({ from: '2025-01-01', to: '2026-01-02' }, now, 'UTC')).toMatchObject({ ok: false, field: 'from' });
    expect(reportRange({ from: '2025-01-01', to: '2026-01-01' }, now, 'UTC')).toMatchObject({ ok: true });
    expect(reportRange({ to: '2026-02-30' }, now, 'UTC')).toMatchObject({ ok: false, field: 'to' });
  });
});

describe('reportCsv', () => {
  it('should write a header, a row per step and a totals row, quoting and defusing titles when they hold commas or formulas', () => {
    const csv = reportCsv(perStepReport([{ stepOrder: 0, type: 'EMAIL', title: 'Hi, "you"' }, { stepOrder: 1, type: 'EMAIL', title: '=HYPERLINK()' }], { ...none, sent: [{ stepOrder: 0, senderUserId: 1, n: 2 }] }));
    expect(csv.split('\r\n')).toEqual([
      'Step,Type,Title,Sent,Delivered,Replied,Reply rate,Meetings booked,Bounced,Unsubscribed,Tasks created,Tasks completed,Tasks open,Opened,Opened by proxy only,Open rate,Clicked,Click rate',
      '1,EMAIL,"Hi, ""you""",2,2,0,0.0%,0,0,0,0,0,0,,,,,',
      "2,EMAIL,'=HYPERLINK(),0,0,0,,0,0,0,0,0,0,,,,,",
      'Total,,,2,2,0,0.0%,0,0,0,0,0,0,,,,,',
      '',
    ]);
  });

  it('should add the opens and clicks with their rates when the sequence tracks them', () => {
    const csv = reportCsv(
      perStepReport(
        [{ stepOrder: 0, type: 'EMAIL', title: 'Hi' }],
        { ...none, sent: [{ stepOrder: 0, senderUserId: 1, n: 4 }], engagement: [{ stepOrder: 0, senderUserId: 1, opened: 1, openedByProxy: 2, clicked: 1 }] },
        { opens: true, clicks: true },
      ),
    );
    expect(csv.split('\r\n')[1]).toBe('1,EMAIL,Hi,4,4,0,0.0%,0,0,0,0,0,0,1,2,25.0%,1,25.0%');
  });
});

describe('perStepReport with tracking', () => {
  const engagement = [
    { stepOrder: 0, senderUserId: 1, opened: 3, openedByProxy: 2, clicked: 1 },
    { stepOrder: 0, senderUserId: 2, opened: 1, openedByProxy: 0, clicked: 1 },
  ];
  const sent = [
    { stepOrder: 0, senderUserId: 1, n: 8 },
    { stepOrder: 0, senderUserId: 2, n: 2 },
  ];

  it('should give opens apart from proxy-only opens and rates of delivered emails when opens and clicks are tracked', () => {
    const r = perStepReport(steps, { ...none, sent, engagement, ends: [{ reason: 'BOUNCED', senderUserId: 1, lastStepOrder: 0, n: 2 }] }, { opens: true, clicks: true });
    expect(r.steps[0]).toMatchObject({ delivered: 8, opened: 4, openedByProxy: 2, openRate: 0.5, clicked: 2, clickRate: 0.25 });
    expect(r.steps[2]).toMatchObject({ opened: 0, openRate: null, clicked: 0, clickRate: null });
    expect(r.totals).toMatchObject({ opened: 4, openedByProxy: 2, openRate: 0.5, clicked: 2, clickRate: 0.25 });
    expect(perSenderReports(steps, { ...none, sent, engagement }, { opens: true, clicks: true }).get(2)!.steps[0]).toMatchObject({ opened: 1, openRate: 0.5, clicked: 1 });
  });

  it('should leave the open or click figures null when the sequence does not track them', () => {
    const clicksOnly = perStepReport(steps, { ...none, sent, engagement }, { opens: false, clicks: true });
    expect(clicksOnly.steps[0]).toMatchObject({ opened: null, openedByProxy: null, openRate: null, clicked: 2, clickRate: 0.2 });
    const off = perStepReport(steps, { ...none, sent, engagement });
    expect(off.totals).toMatchObject({ opened: null, openRate: null, clicked: null, clickRate: null });
  });
});
