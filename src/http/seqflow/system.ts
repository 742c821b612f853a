import type { FastifyInstance } from 'fastify';
import { advanceFakeClock } from '../../engine/worker.js';
import { listDevMessages } from '../../services/dev-mail.js';
import { connectedInboxes, inboxSync } from '../../services/inboxes.js';
import { inboxQuarantineSummary } from '../../services/inbound-quarantine.js';
import type { AppContext } from '../context.js';
import { quarantineSummaryView } from './inboxes.js';
import { system } from '../../schemas/index.js';
import { iso, parse } from '../validate.js';

/** Health, the fake clock (only with --fake-clock) and the dev inbox. */
export function registerSystemRoutes(app: FastifyInstance, ctx: AppContext): void {
  const { deps } = ctx;
  app.get('/seqflow/v1/health', async () => {
    const inboxes = [];
    for (const inbox of await connectedInboxes(deps)) {
      const sync = await inboxSync(deps, inbox);
      if (sync) inboxes.push({ id: String(inbox.id), address: inbox.address, ...sync, quarantine: quarantineSummaryView(await inboxQuarantineSummary(deps, inbox.id)) });
    }
    return {
      status: 'ok',
      version: ctx.version,
      database: deps.db.dialect,
      devSmtp: ctx.devSmtp,
      now: iso(deps.clock.now()),
      fakeClock: ctx.fakeClock !== null,
      // Reply detection per watched inbox: "error" when its watcher has not synced for 10 minutes;
      // `quarantine` counts the messages it skipped because they could not be read.
      inboxes,
    };
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
