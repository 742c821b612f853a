import { listNotifications, type Notification } from '../store/notifications.js';
import type { Deps } from './deps.js';

/** Notifications, newest first: a user's (`userId`), only open or only resolved ones (`open`), or an inbox's. */
export async function listUserNotifications(deps: Deps, filter: { userId?: number; open?: boolean; inboxId?: number; limit?: number }): Promise<Notification[]> {
  return listNotifications(deps.db.kysely, filter);
}
