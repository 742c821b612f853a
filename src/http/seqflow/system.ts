import type { FastifyInstance } from 'fastify';
import { advanceFakeClock } from '../../engine/worker.js';
import { listDevMessages } from '../../services/dev-mail.js';
import { systemHealth } from '../../services/health.js';
import type { AppContext } from '../context.js';
import { quarantineSummaryView } from './inboxes.js';
import { system } from '../../schemas/index.js';
import { iso, parse } from '../validate.js';

/** Health (ok or degraded, and why), the fake clock (only with --fake-clock) and the dev inbox. */
export function registerSystemRoutes(app: FastifyInstance, ctx: AppContext): void {
  const { deps } = ctx;
  // Liveness stays 200 while degraded (a load balancer must not drop an API that answers because
  // an IMAP server is down); ?strict=true answers 503 then, for readiness probes and alerting.
  app.get('/seqflow/v1/health', async (req, reply) => {
    const { strict } = parse(system.healthQuery, req.query, 'query');
    const h = await systemHealth(deps);
    const backlog = (b: { due: number; oldestDueAt: number | null }) => ({
      due: b.due,
      oldestDueAt: b.oldestDueAt === null ? null : iso(b.oldestDueAt),
      oldestAgeSeconds: b.oldestDueAt === null ? 0 : Math.max(0, Math.floor((h.now - b.oldestDueAt) / 1000)),
    });
    const body = {
      status: h.status,
      reasons: h.reasons.map((r) => ({ ...r, ...('inboxId' in r && { inboxId: String(r.inboxId) }), ...('oldestDueAt' in r && { oldestDueAt: iso(r.oldestDueAt) }) })),
      version: ctx.version,
      database: deps.db.dialect,
      devSmtp: ctx.devSmtp,
      now: iso(h.now),
      fakeClock: ctx.fakeClock !== null,
      backlog: { sequenceSteps: backlog(h.backlog.sequenceSteps), workflowActions: backlog(h.backlog.workflowActions) },
      // Reply detection per watched inbox: "error" when its watcher has not synced for 10 minutes;
      // `quarantine` counts the messages it skipped because they could not be read; `replyDetection`
      // says whether the alarm holds the inbox's sequences.
      inboxes: h.inboxes.map(({ inbox, sync, replyDetection, quarantine }) => ({
        id: String(inbox.id),
        address: inbox.address,
        ...sync,
        replyDetection,
        quarantine: quarantineSummaryView(quarantine),
      })),
    };
    return reply.status(h.status === 'degraded' && (strict === 'true' || strict === '1') ? 503 : 200).send(body);
  });

  const { fakeClock, worker } = ctx;
  if (fakeClock && worker) {
    app.get('/seqflow/v1/clock', async () => ({ now: iso(fakeClock.now()) }));
    app.post('/seqflow/v1/clock/advance', async (req) => {
      const { ms } = parse(system.advanceClockBody, req.body, 'body');
      return { now: iso(await advanceFakeClock(deps, fakeClock, worker, ms)) };
    });
  }

  app.get('/seqflow/v1/dev-mail/messages', async (req) => {
    const q = parse(system.devMessagesQuery, req.query, 'query');
    const messages = await listDevMessages(deps, q);
    return { results: messages.map((m) => ({ ...m, id: String(m.id), receivedAt: iso(m.receivedAt) })) };
  });
}
