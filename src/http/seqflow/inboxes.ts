import type { FastifyInstance } from 'fastify';
import type { Inbox } from '../../domain/glossary.js';
import { connectInbox, disconnectInbox, inboxOwner, inboxUsage, listUserInboxes, testInbox } from '../../services/inboxes.js';
import { inboxQuarantineSummary, listInboxQuarantine, quarantinedRaw, type QuarantineEntry } from '../../services/inbound-quarantine.js';
import type { AppContext } from '../context.js';
import type { Deps } from '../../services/deps.js';
import { requireSelfOrAdmin, type Principal } from '../auth.js';
import { grants } from '../scopes.js';
import { inboxes } from '../../schemas/index.js';
import { idParam, iso, parse } from '../validate.js';

/** A rep reads their own inboxes' usage and sign-in state; anyone else's (or one that does not exist) is an admin's. */
export async function requireInboxOwnerOrAdmin(deps: Deps, principal: Principal | undefined, inboxId: number): Promise<void> {
  if (grants(principal?.scopes ?? [], 'seqflow.admin')) return;
  requireSelfOrAdmin(principal, await inboxOwner(deps, inboxId));
}

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

/** A message the inbox's reader skipped, and why (issue #9). The raw bytes are served separately. */
const quarantineView = (q: QuarantineEntry) => ({
  id: String(q.id),
  inboxId: String(q.inboxId),
  messageKey: q.messageKey,
  messageId: q.messageId,
  from: q.from,
  subject: q.subject,
  reason: q.reason,
  detail: q.detail,
  classifiedAs: q.classifiedAs,
  attempts: q.attempts,
  size: q.size,
  receivedAt: iso(q.firstSeenAt),
  quarantinedAt: q.quarantinedAt === null ? null : iso(q.quarantinedAt),
});

/** The quarantine line of an inbox's usage and of /seqflow/v1/health. */
export const quarantineSummaryView = (s: { count: number; latestReason: string | null; latestAt: number | null }) => ({
  count: s.count,
  latestReason: s.latestReason,
  latestAt: s.latestAt === null ? null : iso(s.latestAt),
});

export function registerInboxRoutes(app: FastifyInstance, ctx: AppContext): void {
  const { deps } = ctx;
  app.post('/seqflow/v1/users/:id/inboxes', async (req, reply) => {
    const { id } = parse(idParam, req.params, 'path');
    const body = parse(inboxes.connectInboxBody, req.body, 'body');
    const inbox = await connectInbox(deps, id, { ...body, smtp: body.smtp ?? null, imap: body.imap ?? null });
    return reply.status(201).send(inboxView(inbox));
  });
  app.get('/seqflow/v1/users/:id/inboxes', async (req) => {
    const { id } = parse(idParam, req.params, 'path');
    // A rep enrolling from the web app picks one of their own addresses; anyone else's stay an admin's.
    requireSelfOrAdmin(req.principal, id);
    return { results: (await listUserInboxes(deps, id)).map(inboxView) };
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
    await requireInboxOwnerOrAdmin(deps, req.principal, id);
    const usage = await inboxUsage(deps, id);
    return { ...usage, quarantine: quarantineSummaryView(await inboxQuarantineSummary(deps, id)) };
  });
  app.get('/seqflow/v1/inboxes/:id/quarantine', async (req) => {
    const { id } = parse(idParam, req.params, 'path');
    const q = parse(inboxes.quarantineQuery, req.query, 'query');
    const { results, nextAfter } = await listInboxQuarantine(deps, id, q);
    return { results: results.map(quarantineView), ...(nextAfter !== null && { paging: { next: { after: String(nextAfter) } } }) };
  });
  app.get('/seqflow/v1/inboxes/:id/quarantine/:entryId/raw', async (req, reply) => {
    const { id, entryId } = parse(inboxes.quarantineRawParams, req.params, 'path');
    return reply.type('message/rfc822').send(await quarantinedRaw(deps, id, entryId));
  });
}
