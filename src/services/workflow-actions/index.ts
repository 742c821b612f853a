import { catalogEntry, type WorkflowActionType } from './action.js';
import { createTask } from './create-task.js';
import { copyProperty } from './copy-property.js';
import { delay } from './delay.js';
import { delayUntilDate } from './delay-until-date.js';
import { delayUntilWeekday } from './delay-until-weekday.js';
import { enrollInSequence } from './enroll-in-sequence.js';
import { inAppNotification } from './in-app-notification.js';
import { internalEmail } from './internal-email.js';
import { sendWebhook } from './send-webhook.js';
import { rotateToOwner } from './rotate-to-owner.js';
import { setProperty } from './set-property.js';
import { unenrollFromSequence } from './unenroll-from-sequence.js';

/** Every workflow action type Seqflow runs, in the order the catalog lists them. Add new ones here. */
export const WORKFLOW_ACTIONS: readonly WorkflowActionType[] = [
  delay,
  enrollInSequence,
  unenrollFromSequence,
  setProperty,
  createTask,
  sendWebhook,
  internalEmail,
  inAppNotification,
  delayUntilDate,
  delayUntilWeekday,
  rotateToOwner,
  copyProperty,
];

const byId = new Map(WORKFLOW_ACTIONS.map((a) => [a.id, a]));
export const actionTypeById = (id: string): WorkflowActionType | undefined => byId.get(id);

/** The catalog served at /automation/2026-09-beta/action-types and in the workflow catalog. */
export const ACTION_CATALOG = WORKFLOW_ACTIONS.map(catalogEntry);

export type { ActionOutcome, WorkflowActionType } from './action.js';
