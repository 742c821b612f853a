import { insertNotification } from '../../store/notifications.js';
import type { WorkflowActionType } from './action.js';
import { isNotice, noticeFor, NOTIFY_FIELDS, validateNotify } from './notify-users.js';

export const IN_APP_NOTIFICATION = '0-9';
/** The notifications' kind: what the web app's list shows them as. */
export const WORKFLOW_NOTIFICATION_KIND = 'WORKFLOW';

/** A notification in Seqflow's notifications list for each recipient, about the enrolled contact. */
export const inAppNotification: WorkflowActionType = {
  id: IN_APP_NOTIFICATION,
  name: 'Send in-app notification',
  groupId: 'communication',
  inputFields: NOTIFY_FIELDS,
  keepsTimeWindows: true,
  validate: (f) => validateNotify('In-app notification', f),
  async run({ tx, deps, at, run, fields }) {
    const notice = await noticeFor(tx, deps, run.contactId, fields);
    if (!isNotice(notice)) return notice;
    for (const user of notice.recipients) {
      // One per run and action: a re-run of the action after a crash adds nothing.
      await insertNotification(tx, { userId: user.id, kind: WORKFLOW_NOTIFICATION_KIND, inboxId: null, sourceKey: `workflow-run:${run.id}:${run.currentActionId}`, subject: notice.subject, body: notice.text, createdAt: at.now });
    }
    return { status: 'EXECUTED', reasonText: `Notified ${notice.recipients.map((u) => u.email).join(', ')} in the app.` };
  },
};
