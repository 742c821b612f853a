import type { FastifyInstance } from 'fastify';
import { listUserNotifications } from '../../services/notifications.js';
import type { AppContext } from '../context.js';
import { system } from '../../schemas/index.js';
import { iso, parse } from '../validate.js';

const notificationView = (n: Awaited<ReturnType<typeof listUserNotifications>>[number]) => ({
  id: String(n.id),
  userId: String(n.userId),
  kind: n.kind,
  inboxId: n.inboxId === null ? null : String(n.inboxId),
  subject: n.subject,
  body: n.body,
  createdAt: iso(n.createdAt),
  resolvedAt: n.resolvedAt === null ? null : iso(n.resolvedAt),
  resolution: n.resolution,
});


/** Notifications: messages to a user about no particular contact (an inbox whose replies cannot be read). */
export function registerNotificationRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get('/seqflow/v1/notifications', async (req) => {
    const q = parse(system.notificationsQuery, req.query, 'query');
    return { results: (await listUserNotifications(ctx.deps, q)).map(notificationView) };
  });
}
