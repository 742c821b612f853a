import { z } from 'zod';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'must be a date YYYY-MM-DD' });

/** Which days (in the account's time zone, `to` inclusive) and whose enrollments a report covers. */
export const sequenceReportQuery = z.object({
  from: isoDate.optional().describe("First day, YYYY-MM-DD in the account's time zone (default: 29 days before `to`)"),
  to: isoDate.optional().describe("Last day, inclusive (default: today in the account's time zone)"),
  senderUserId: z.string().regex(/^\d{1,15}$/, { error: 'must be a numeric user id' }).optional().describe('Only enrollments sent by this user'),
});

/** What one step (or the totals) did in the range. Email figures are 0 on task steps and the reverse. */
export const reportFigures = z.object({
  sent: z.number().int(),
  delivered: z.number().int().describe('Sent minus bounced: delivered means "not bounced" (an open is not needed)'),
  replied: z.number().int(),
  replyRate: z.number().nullable().describe('replied / delivered, 0..1; null when nothing was delivered'),
  meetingsBooked: z.number().int(),
  bounced: z.number().int(),
  unsubscribed: z.number().int(),
  tasksCreated: z.number().int(),
  tasksCompleted: z.number().int(),
  tasksOpen: z.number().int().describe('Tasks created in the range and not completed yet'),
  opened: z.number().int().nullable().describe('Emails sent in the range that a person opened (an open not from a mail-privacy proxy); null when the sequence does not track opens'),
  openedByProxy: z.number().int().nullable().describe('Emails whose only opens came from mail-privacy proxies (Apple Mail, Gmail, Yahoo): not counted in opened'),
  openRate: z.number().nullable().describe('opened / delivered, 0..1; null when opens are not tracked or nothing was delivered'),
  clicked: z.number().int().nullable().describe('Emails sent in the range with a link a person followed; null when the sequence does not track clicks'),
  clickRate: z.number().nullable().describe('clicked / delivered, 0..1; null when clicks are not tracked or nothing was delivered'),
});

export const reportStep = reportFigures.extend({
  stepOrder: z.number().int(),
  type: z.enum(['EMAIL', 'TASK']),
  title: z.string().describe("The email's subject or the task's title"),
});

export const reportSender = z.object({
  senderUserId: z.string(),
  email: z.string(),
  steps: z.array(reportStep),
  totals: reportFigures,
});

export const sequenceReport = z.object({
  sequenceId: z.string(),
  from: z.string().describe('YYYY-MM-DD'),
  to: z.string().describe('YYYY-MM-DD, inclusive'),
  timeZone: z.string(),
  tracking: z.object({ opens: z.boolean(), clicks: z.boolean() }).describe("The sequence's open/click tracking switches now: off, their figures are null"),
  steps: z.array(reportStep),
  totals: reportFigures.describe('All steps, and ends credited to no step (before the first email was sent)'),
  senders: z.array(reportSender),
});

export type SequenceReportQuery = z.infer<typeof sequenceReportQuery>;
export type ReportFigures = z.infer<typeof reportFigures>;
export type ReportStep = z.infer<typeof reportStep>;
export type SequenceReport = z.infer<typeof sequenceReport>;
