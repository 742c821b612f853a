import type { FastifyInstance } from 'fastify';
import type { Schedule } from '../../domain/glossary.js';
import { createSchedule, deleteSchedule, getSchedule, listSchedules, updateSchedule } from '../../services/schedules.js';
import type { AppContext } from '../context.js';
import { schedules } from '../../schemas/index.js';
import { iso, parse } from '../validate.js';

const scheduleView = (s: Schedule) => ({ ...s, id: String(s.id), createdAt: iso(s.createdAt), updatedAt: iso(s.updatedAt) });

/** Named schedules (issue #14 item 4): shared by the sequences that name one; one in use is not removed. */
export function registerScheduleRoutes(app: FastifyInstance, ctx: AppContext): void {
  const { deps } = ctx;
  const S = '/seqflow/v1/schedules';
  app.get(S, async (req) => {
    const q = parse(schedules.listQuery, req.query, 'query');
    const rows = await listSchedules(deps, { after: q.after, limit: q.limit + 1 });
    return { results: rows.slice(0, q.limit).map(scheduleView), ...(rows.length > q.limit && { paging: { next: { after: String(rows[q.limit - 1].id) } } }) };
  });
  app.post(S, async (req, reply) => reply.status(201).send(scheduleView(await createSchedule(deps, parse(schedules.scheduleBody, req.body, 'body')))));
  app.get(`${S}/:id`, async (req) => scheduleView(await getSchedule(deps, parse(schedules.scheduleParam, req.params, 'path').id)));
  app.patch(`${S}/:id`, async (req) => {
    const { id } = parse(schedules.scheduleParam, req.params, 'path');
    return scheduleView(await updateSchedule(deps, id, parse(schedules.schedulePatch, req.body, 'body')));
  });
  app.delete(`${S}/:id`, async (req, reply) => {
    await deleteSchedule(deps, parse(schedules.scheduleParam, req.params, 'path').id);
    return reply.status(204).send();
  });
}
