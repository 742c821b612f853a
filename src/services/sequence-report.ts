import { perSenderReports, perStepReport, reportCsv, reportRange, type PerStepReport, type ReportStepInfo } from '../domain/sequence-report.js';
import { countEngagement } from '../store/tracking.js';
import { countEndsByLastStep, countSentEmails, countTasksCompleted, countTasksCreated, userEmails, type ReportWindow } from '../store/sequence-report.js';
import type { SequenceReport, SequenceReportQuery } from '../schemas/reports.js';
import type { Deps } from './deps.js';
import { fieldError } from './errors.js';
import { getSequenceWithSteps } from './sequences.js';

/** A sequence's per-step report over calendar days of the account's time zone (issue #14 item 3). */
export async function sequenceReport(deps: Deps, sequenceId: number, q: SequenceReportQuery): Promise<SequenceReport> {
  const zone = deps.config.accountTimeZone;
  const range = reportRange(q, deps.clock.now(), zone);
  if (!range.ok) throw fieldError(range.field, range.message);
  const { sequence, steps } = await getSequenceWithSteps(deps, sequenceId);
  const tracking = { opens: sequence.settings.trackOpens, clicks: sequence.settings.trackClicks };
  const db = deps.db.kysely;
  const w: ReportWindow = { sequenceId, from: range.from, to: range.to, ...(q.senderUserId !== undefined && { senderUserId: Number(q.senderUserId) }) };
  const counts = {
    sent: await countSentEmails(db, w),
    ends: await countEndsByLastStep(db, w),
    tasksCreated: await countTasksCreated(db, w),
    tasksCompleted: await countTasksCompleted(db, w),
    engagement: tracking.opens || tracking.clicks ? await countEngagement(db, w) : [],
  };
  const info: ReportStepInfo[] = steps.map((s) => ({ stepOrder: s.stepOrder, type: s.type, title: s.subject || (s.type === 'EMAIL' ? '(reply in thread)' : `Task ${s.stepOrder + 1}`) }));
  const bySender = perSenderReports(info, counts, tracking);
  const emails = await userEmails(db, [...bySender.keys()]);
  return {
    sequenceId: String(sequenceId),
    from: range.fromDate,
    to: range.toDate,
    timeZone: zone,
    tracking,
    ...perStepReport(info, counts, tracking),
    senders: [...bySender].map(([id, r]: [number, PerStepReport]) => ({ senderUserId: String(id), email: emails.get(id) ?? '', ...r })),
  };
}

/** The report's steps and totals as CSV, for a spreadsheet. */
export async function sequenceReportCsv(deps: Deps, sequenceId: number, q: SequenceReportQuery): Promise<{ csv: string; filename: string }> {
  const report = await sequenceReport(deps, sequenceId, q);
  return { csv: reportCsv(report), filename: `sequence-${sequenceId}-report-${report.from}-to-${report.to}.csv` };
}
