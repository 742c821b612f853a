import type { ActionForm } from './form';
import { inAppNotificationForm, internalEmailForm } from './notify-users';
import { sendWebhookForm } from './send-webhook';

/** Action types whose editor form lives in its own file here; one line per action. */
export const ACTION_FORMS: readonly ActionForm[] = [
  sendWebhookForm,
  internalEmailForm,
  inAppNotificationForm,
];

export const actionFormOf = (actionTypeId: string): ActionForm | undefined => ACTION_FORMS.find((f) => f.actionTypeId === actionTypeId);
export type { ActionForm } from './form';
