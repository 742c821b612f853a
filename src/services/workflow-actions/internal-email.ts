import { webhookVerdict } from '../../domain/webhooks.js';
import { systemSmtp } from '../system-mail.js';
import type { ActionOutcome, WorkflowActionType } from './action.js';
import { isNotice, noticeFor, NOTIFY_FIELDS, validateNotify } from './notify-users.js';

export const INTERNAL_EMAIL = '0-8';

/**
 * An email to each recipient through the system relay (SEQFLOW_SYSTEM_SMTP_URL, else the dev
 * mail server). Sent with no transaction open; a relay that does not take it is retried as a
 * webhook is (1 min, doubling, for three days).
 */
export const internalEmail: WorkflowActionType = {
  id: INTERNAL_EMAIL,
  name: 'Send internal email notification',
  groupId: 'communication',
  inputFields: NOTIFY_FIELDS,
  keepsTimeWindows: true,
  validate: (f) => validateNotify('Internal email notification', f),
  async run() {
    return { status: 'FAILED', reasonCode: 'INVALID_ACTION', reasonText: 'The internal email must be sent outside a transaction.' };
  },
  async callOut({ deps, at, run, fields, attempt, firstAttemptAt }): Promise<ActionOutcome> {
    const notice = await noticeFor(deps.db.kysely, deps, run.contactId, fields);
    if (!isNotice(notice)) return notice;
    const { smtp, from } = await systemSmtp(deps);
    const domain = from.split('@')[1] ?? 'seqflow.local';
    const failures: string[] = [];
    for (const user of notice.recipients) {
      const outcome = await deps.smtp.send('system', smtp, {
        from,
        to: user.email,
        subject: notice.subject,
        html: notice.html,
        text: notice.text,
        // Stable per run, action and recipient: a receiver can tell a retried copy.
        messageId: `<workflow-${run.id}-${run.currentActionId}-${user.id}@${domain}>`,
        date: new Date(at.now),
      });
      if (outcome.kind !== 'accepted') failures.push(`${user.email}: ${outcome.error}`);
    }
    const to = notice.recipients.map((u) => u.email).join(', ');
    if (!failures.length) return { status: 'EXECUTED', reasonText: `Emailed ${to}.` };
    const verdict = webhookVerdict({ kind: 'error', error: failures.join('; ') }, { now: at.now, firstAt: firstAttemptAt, attempt });
    if (verdict.kind === 'retry') return { status: 'RETRYING', reasonCode: 'EMAIL_NOT_SENT', reasonText: `Not sent to ${failures.join('; ')} (attempt ${attempt}; retrying at ${new Date(verdict.at).toISOString()})`, retryAt: verdict.at };
    return { status: 'FAILED', reasonCode: 'EMAIL_NOT_SENT', reasonText: `Not sent to ${failures.join('; ')} (attempt ${attempt}; giving up).` };
  },
};
