import type { ActionForm } from './form';
import { copyPropertyForm } from './copy-property';
import { delayUntilDateForm } from './delay-until-date';
import { delayUntilWeekdayForm } from './delay-until-weekday';
import { rotateToOwnerForm } from './rotate-to-owner';
import { inAppNotificationForm, internalEmailForm } from './notify-users';
import { sendWebhookForm } from './send-webhook';

/** Action types whose editor form lives in its own file here; one line per action. */
export const ACTION_FORMS: readonly ActionForm[] = [
  sendWebhookForm,
  internalEmailForm,
  inAppNotificationForm,
  delayUntilDateForm,
  delayUntilWeekdayForm,
  rotateToOwnerForm,
  copyPropertyForm,
];

export const actionFormOf = (actionTypeId: string): ActionForm | undefined => ACTION_FORMS.find((f) => f.actionTypeId === actionTypeId);
export type { ActionForm } from './form';
