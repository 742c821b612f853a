import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { previewStep } from '../../services/preview.js';
import { requireContact } from '../../services/contacts.js';
import { countEnrollmentsBySequence, listEnrollments } from '../../store/enrollments.js';
import { listEvents } from '../../store/events.js';
import { listSends } from '../../store/sends.js';
import { listSequences } from '../../store/sequences.js';
import type { AppContext } from '../context.js';
import { sequenceLite } from '../hubspot/sequences.js';
import { idParam, iso, numericId, parse } from '../validate.js';

/** Read models for the web app: timelines, sequence statistics, previews. */
export function registerViewRoutes(app: FastifyInstance, ctx: AppContext): void {
  const { deps } = ctx;
  const db = deps.db.kysely;

  app.get('/seqflow/v1/contacts/:id/timeline', async (req) => {
    const { id } = parse(idParam, req.params, 'path');
    await requireContact(deps, id);
    const events = await listEvents(db, id);
    return { results: events.map((e) => ({ id: String(e.id), type: e.type, at: iso(e.at), data: e.data })) };
  });

  app.get('/seqflow/v1/sequences', async (req) => {
    const q = parse(z.object({ userId: numericId.optional() }), req.query, 'query');
    const { results } = await listSequences(db, { userId: q.userId, after: 0, limit: 1000 });
    return { results: await Promise.all(results.map(async (s) => ({ ...sequenceLite(s), stats: await sequenceStats(s.id) }))) };
  });

  /** Counts a sales team reads a sequence by, and sends per day for the performance chart. */
  async function sequenceStats(sequenceId: number) {
    const byState = await countEnrollmentsBySequence(db, sequenceId);
    const reasons = await db
      .selectFrom('enrollments')
      .select(['reason', (eb) => eb.fn.countAll<number>().as('n')])
      .where('sequence_id', '=', sequenceId)
      .where('reason', 'is not', null)
      .groupBy('reason')
      .execute();
    const byReason = Object.fromEntries(reasons.map((r) => [r.reason!, Number(r.n)]));
    return {
      enrolled: Object.values(byState).reduce((a, b) => a + b, 0),
      active: (byState.ACTIVE ?? 0) + (byState.PAUSED ?? 0),
      finished: byState.FINISHED ?? 0,
      replied: (byReason.REPLIED ?? 0) + (byReason.COMPANY_REPLIED ?? 0),
      meetingsBooked: byReason.MEETING_BOOKED ?? 0,
      bounced: byReason.BOUNCED ?? 0,
      unsubscribed: byReason.UNSUBSCRIBED ?? 0,
    };
  }

  app.get('/seqflow/v1/sequences/:id/performance', async (req) => {
    const { id } = parse(idParam, req.params, 'path');
    const enrollments = await listEnrollments(db, { sequenceId: id, limit: 100_000 });
    const sends = await listSends(db, enrollments.map((e) => e.id));
    const perDay = new Map<string, { sent: number; replied: number }>();
    const bump = (ms: number, key: 'sent' | 'replied') => {
      const date = new Date(ms).toISOString().slice(0, 10);
      const day = perDay.get(date) ?? { sent: 0, replied: 0 };
      day[key]++;
      perDay.set(date, day);
    };
    for (const s of sends) if (s.status === 'SENT' && s.sentAt) bump(s.sentAt, 'sent');
    for (const e of enrollments) if ((e.reason === 'REPLIED' || e.reason === 'COMPANY_REPLIED') && e.endedAt) bump(e.endedAt, 'replied');
    return { summary: await sequenceStats(id), timeline: [...perDay].sort(([a], [b]) => a.localeCompare(b)).map(([date, v]) => ({ date, ...v })) };
  });

  app.post('/seqflow/v1/sequences/:id/preview', async (req) => {
    const { id } = parse(idParam, req.params, 'path');
    const body = parse(z.object({ contactId: numericId, stepOrder: z.number().int().min(0).default(0), placeholderValues: z.record(z.string(), z.string()).optional() }), req.body, 'body');
    return previewStep(deps, id, body);
  });
}
