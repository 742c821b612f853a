import type { FastifyInstance } from 'fastify';
import { addHolidays, holidayCountries, importHolidays, listHolidays, removeHoliday, type Holiday } from '../../services/holidays.js';
import type { AppContext } from '../context.js';
import { holidays } from '../../schemas/index.js';
import { parse } from '../validate.js';

const holidayView = (h: Holiday) => ({ id: String(h.id), userId: h.userId === null ? null : String(h.userId), date: h.date, name: h.name, source: h.source });

/** Holiday calendars (issue #14): days BUSINESS_DAYS sequences skip, for the account or one sender. */
export function registerHolidayRoutes(app: FastifyInstance, ctx: AppContext): void {
  const { deps } = ctx;
  app.get('/seqflow/v1/holidays', async (req) => {
    const q = parse(holidays.listQuery, req.query, 'query');
    return { results: (await listHolidays(deps, { ...q, userId: q.userId ?? null })).map(holidayView) };
  });
  app.post('/seqflow/v1/holidays', async (req) => {
    const b = parse(holidays.addBody, req.body, 'body');
    const r = await addHolidays(deps, { userId: b.userId ?? null }, b.holidays);
    return { added: r.added, results: r.holidays.map(holidayView) };
  });
  app.post('/seqflow/v1/holidays/import', async (req) => {
    const b = parse(holidays.importBody, req.body, 'body');
    const r = await importHolidays(deps, { userId: b.userId ?? null }, b);
    return { added: r.added, results: r.holidays.map(holidayView) };
  });
  app.delete('/seqflow/v1/holidays/:id', async (req, reply) => {
    const { id } = parse(holidays.holidayParam, req.params, 'path');
    await removeHoliday(deps, id);
    return reply.status(204).send();
  });
  app.get('/seqflow/v1/holidays/countries', async () => ({
    results: Object.entries(await holidayCountries()).map(([code, name]) => ({ code, name })),
  }));
}
