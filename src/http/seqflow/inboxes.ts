import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { INBOX_PROVIDERS, type Inbox } from '../../domain/glossary.js';
import { connectInbox, disconnectInbox, inboxUsage, testInbox } from '../../services/inboxes.js';
import { requireUser } from '../../services/users.js';
import { listInboxesOfUser } from '../../store/inboxes.js';
import type { AppContext } from '../context.js';
import { idParam, iso, parse } from '../validate.js';

/** Inbox as the API shows it: credentials never leave the server. */
export const inboxView = (i: Inbox) => ({
  id: String(i.id),
  userId: String(i.userId),
  address: i.address,
  aliases: i.aliases,
  provider: i.provider,
  status: i.status,
  dailyLimit: i.dailyLimit,
  perMinuteLimit: i.perMinuteLimit,
  smtp: i.smtp && { host: i.smtp.host, port: i.smtp.port, secure: i.smtp.secure ?? false, user: i.smtp.auth?.user ?? null },
  imap: i.imap && { host: i.imap.host, port: i.imap.port, secure: i.imap.secure ?? false, user: i.imap.auth?.user ?? null },
  createdAt: iso(i.createdAt),
  updatedAt: iso(i.updatedAt),
});

const server = z.object({
  host: z.string().min(1),
  port: z.number().int().min(1).max(65535),
  secure: z.boolean().optional(),
  auth: z.object({ user: z.string().min(1), pass: z.string() }).optional(),
});
const connectBody = z.object({
  address: z.email(),
  aliases: z.array(z.email()).max(50).default([]),
  provider: z.enum(INBOX_PROVIDERS).default('imap'),
  smtp: server.optional(),
  imap: server.optional(),
  dailyLimit: z.number().int().min(1).optional(),
  perMinuteLimit: z.number().int().min(1).max(1000).optional(),
});

export function registerInboxRoutes(app: FastifyInstance, ctx: AppContext): void {
  const { deps } = ctx;
  app.post('/seqflow/v1/users/:id/inboxes', async (req, reply) => {
    const { id } = parse(idParam, req.params, 'path');
    const body = parse(connectBody, req.body, 'body');
    const inbox = await connectInbox(deps, id, { ...body, smtp: body.smtp ?? null, imap: body.imap ?? null });
    return reply.status(201).send(inboxView(inbox));
  });
  app.get('/seqflow/v1/users/:id/inboxes', async (req) => {
    const { id } = parse(idParam, req.params, 'path');
    // An unknown user has no inboxes because it does not exist: 404 like every other /users/:id route.
    await requireUser(deps, id);
    return { results: (await listInboxesOfUser(deps.db.kysely, id)).map(inboxView) };
  });
  app.post('/seqflow/v1/inboxes/:id/disconnect', async (req) => {
    const { id } = parse(idParam, req.params, 'path');
    return inboxView(await disconnectInbox(deps, id));
  });
  app.post('/seqflow/v1/inboxes/:id/test', async (req) => {
    const { id } = parse(idParam, req.params, 'path');
    return testInbox(deps, id);
  });
  app.get('/seqflow/v1/inboxes/:id/usage', async (req) => {
    const { id } = parse(idParam, req.params, 'path');
    return inboxUsage(deps, id);
  });
}
