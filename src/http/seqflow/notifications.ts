import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { listUserNotifications } from '../../services/notifications.js';
import type { Notification } from '../../store/notifications.js';
import type { AppContext } from '../context.js';
import { iso, numericId, parse } from '../validate.js';

const notificationView = (n: Notification) => ({
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

const query = z.object({
  userId: numericId.optional(),
  inboxId: numericId.optional(),
  open: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

/** Notifications: messages to a user about no particular contact (an inbox whose replies cannot be read). */
export function registerNotificationRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get('/seqflow/v1/notifications', async (req) => {
    const q = parse(query, req.query, 'query');
    return { results: (await listUserNotifications(ctx.deps, q)).map(notificationView) };
  });
}
