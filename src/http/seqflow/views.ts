import type { FastifyInstance } from 'fastify';
import { previewStep } from '../../services/preview.js';
import { contactTimeline } from '../../services/contacts.js';
import { listSequencesWithStats, sequencePerformance } from '../../services/sequence-stats.js';
import { sequenceReport, sequenceReportCsv } from '../../services/sequence-report.js';
import type { AppContext } from '../context.js';
import { sequenceLite } from '../hubspot/sequences.js';
import { reports, sequences } from '../../schemas/index.js';
import { idParam, iso, parse } from '../validate.js';

/** Read models for the web app: timelines, sequence statistics, previews. */
export function registerViewRoutes(app: FastifyInstance, ctx: AppContext): void {
  const { deps } = ctx;

  app.get('/seqflow/v1/contacts/:id/timeline', async (req) => {
    const { id } = parse(idParam, req.params, 'path');
    const events = await contactTimeline(deps, id);
    return { results: events.map((e) => ({ id: String(e.id), type: e.type, at: iso(e.at), data: e.data })) };
  });

  app.get('/seqflow/v1/sequences', async (req) => {
    const q = parse(sequences.sequenceStatsQuery, req.query, 'query');
    return { results: (await listSequencesWithStats(deps, q.userId)).map(({ sequence, stats }) => ({ ...sequenceLite(sequence), stats })) };
  });

  app.get('/seqflow/v1/sequences/:id/performance', async (req) => {
    const { id } = parse(idParam, req.params, 'path');
    return sequencePerformance(deps, id);
  });

  app.get('/seqflow/v1/sequences/:id/report', async (req) => {
    const { id } = parse(idParam, req.params, 'path');
    return sequenceReport(deps, id, parse(reports.sequenceReportQuery, req.query, 'query'));
  });

  app.get('/seqflow/v1/sequences/:id/report.csv', async (req, reply) => {
    const { id } = parse(idParam, req.params, 'path');
    const { csv, filename } = await sequenceReportCsv(deps, id, parse(reports.sequenceReportQuery, req.query, 'query'));
    return reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${filename}"`).send(csv);
  });

  app.post('/seqflow/v1/sequences/:id/preview', async (req) => {
    const { id } = parse(idParam, req.params, 'path');
    const body = parse(sequences.previewBody, req.body, 'body');
    return previewStep(deps, id, body);
  });
}
