import type { FastifyInstance } from 'fastify';
import { ACTION_CATALOG } from '../../services/workflow-actions/index.js';
import { forecastWorkflow } from '../../services/workflow-forecast.js';
import { TRIGGER_CATALOG } from '../../services/workflow-triggers/index.js';
import type { FlowDefinition } from '../../domain/workflow-graph.js';
import {
  checkWorkflow,
  contactWorkflowHistory,
  createWorkflow,
  deleteWorkflow,
  listWorkflowsPage,
  requireWorkflow,
  updateWorkflow,
  workflowActionLog,
  workflowRunCounts,
  type ActionLogEntry,
  type Workflow,
} from '../../services/workflows.js';
import type { GuardrailIssue } from '../../domain/guardrails.js';
import type { AppContext } from '../context.js';
import { flows } from '../../schemas/index.js';
import { idParam, iso, parse } from '../validate.js';
import { batchError } from './contacts.js';
import { errors } from '../../services/errors.js';
import { enrollManually } from '../../services/manual-workflow-enrollment.js';

/** HubSpot's ApiFlow, with Seqflow's review flag and save-time warnings as extra fields. */
export function apiFlow(wf: Workflow, warnings?: GuardrailIssue[]) {
  const d = wf.definition;
  const maxId = d.actions.reduce((m, a) => Math.max(m, Number(a.actionId) || 0), 0);
  return {
    ...d,
    id: String(wf.id),
    uuid: wf.uuid,
    isEnabled: wf.isEnabled,
    revisionId: String(wf.revision),
    nextAvailableActionId: d.nextAvailableActionId ?? String(maxId + 1),
    createdAt: iso(wf.createdAt),
    updatedAt: iso(wf.updatedAt),
    crmObjectCreationStatus: 'COMPLETE',
    needsReview: wf.needsReview,
    ...(wf.reviewReason && { reviewReason: wf.reviewReason }),
    ...(warnings && { warnings }),
  };
}

const listing = (wf: Workflow) => ({
  id: String(wf.id),
  name: wf.name,
  uuid: wf.uuid,
  isEnabled: wf.isEnabled,
  flowType: 'WORKFLOW',
  objectTypeId: '0-1',
  revisionId: String(wf.revision),
  createdAt: iso(wf.createdAt),
  updatedAt: iso(wf.updatedAt),
  needsReview: wf.needsReview,
});

const logView = (e: ActionLogEntry) => ({
  flowId: String(e.workflowId),
  runId: String(e.runId),
  contactId: String(e.contactId),
  actionId: e.actionId,
  actionTypeId: e.actionTypeId,
  status: e.status,
  ...(e.reasonCode && { reasonCode: e.reasonCode }),
  ...(e.reasonText && { reasonText: e.reasonText }),
  at: iso(e.at),
});

type FlowBody = ReturnType<typeof flows.flowBody.parse>;

const toDefinition = (body: FlowBody): FlowDefinition => {
  const { revisionId: _revision, ...def } = body;
  return def as unknown as FlowDefinition;
};


export function registerFlowRoutes(app: FastifyInstance, ctx: AppContext): void {
  const { deps } = ctx;
  app.get('/automation/v4/flows', async (req) => {
    const q = parse(flows.listFlowsQuery, req.query, 'query');
    const rows = await listWorkflowsPage(deps, { after: q.after, limit: q.limit + 1 });
    return {
      results: rows.slice(0, q.limit).map(listing),
      ...(rows.length > q.limit && { paging: { next: { after: String(rows[q.limit - 1].id) } } }),
    };
  });
  app.post('/automation/v4/flows', async (req, reply) => {
    const { workflow, warnings } = await createWorkflow(deps, toDefinition(parse(flows.flowBody, req.body, 'body')));
    return reply.status(201).send(apiFlow(workflow, warnings));
  });
  app.get('/automation/v4/flows/:id', async (req) => apiFlow(await requireWorkflow(deps, parse(idParam, req.params, 'path').id)));
  app.put('/automation/v4/flows/:id', async (req) => {
    const { id } = parse(idParam, req.params, 'path');
    const body = parse(flows.flowBody, req.body, 'body');
    const q = parse(flows.updateFlowQuery, req.query, 'query');
    const acknowledged = [q.acknowledge ?? []].flat().flatMap((a) => a.split(','));
    const { workflow, warnings } = await updateWorkflow(deps, id, toDefinition(body), {
      expectedRevision: body.revisionId === undefined ? undefined : Number(body.revisionId),
      enrollExisting: q.enrollExisting === 'true',
      acknowledged,
    });
    return apiFlow(workflow, warnings);
  });
  app.delete('/automation/v4/flows/:id', async (req, reply) => {
    await deleteWorkflow(deps, parse(idParam, req.params, 'path').id);
    return reply.status(204).send();
  });
  app.post('/automation/v4/flows/batch/read', async (req, reply) => {
    const body = parse(flows.batchReadFlowsBody, req.body, 'body');
    const results = [];
    const missing: string[] = [];
    for (const input of body.inputs) {
      const wf = await requireWorkflow(deps, input.flowId).catch(() => null);
      if (wf) results.push(apiFlow(wf));
      else missing.push(String(input.flowId));
    }
    const stamp = { startedAt: iso(deps.clock.now()), completedAt: iso(deps.clock.now()) };
    if (missing.length === 0) return { status: 'COMPLETE', results, ...stamp };
    // Like the CRM batch endpoints: what was found, plus one error naming the missing ids.
    const error = batchError(errors.flowsNotFound({ ids: missing }), missing);
    return reply.status(207).send({ status: 'COMPLETE', results, numErrors: 1, errors: [error], ...stamp });
  });

  // HubSpot documents manual enrollment only in Workflows v2 (no v4 flows endpoint exists): 204, no body.
  app.post('/automation/v2/workflows/:workflowId/enrollments/contacts/:email', async (req, reply) => {
    const { workflowId, email } = parse(flows.v2EnrollParams, req.params, 'path');
    await enrollManually(deps, workflowId, { email });
    return reply.status(204).send();
  });
  app.post('/seqflow/v1/workflows/:id/enrollments', async (req) => {
    const { id } = parse(idParam, req.params, 'path');
    const body = parse(flows.manualEnrollmentBody, req.body, 'body');
    const r = await enrollManually(deps, id, body.listId !== undefined ? { listId: body.listId } : { contactId: body.contactId! });
    return { enrolled: r.enrolled.map(String), skipped: r.skipped.map((s) => ({ contactId: String(s.contactId), reason: s.reason })) };
  });
  app.get('/seqflow/v1/contacts/:id/workflow-history', async (req) => {
    const { id } = parse(idParam, req.params, 'path');
    const q = parse(flows.contactWorkflowHistoryQuery, req.query, 'query');
    const entries = await contactWorkflowHistory(deps, id, q.limit);
    return { results: entries.map((e) => ({ ...logView(e), flowName: e.workflowName, actionName: e.actionName })) };
  });

  app.get('/automation/2026-09-beta/action-types', async (req) => {
    const q = parse(flows.actionTypesQuery, req.query, 'query');
    return { results: ACTION_CATALOG.filter((a) => !q.objectTypeId || (a.objectTypeIds as readonly string[]).includes(q.objectTypeId)) };
  });

  app.get('/seqflow/v1/workflow-catalog', async () => ({ actions: ACTION_CATALOG, triggers: TRIGGER_CATALOG }));

  app.get('/seqflow/v1/workflows/:id/log', async (req) => {
    const { id } = parse(idParam, req.params, 'path');
    const q = parse(flows.actionLogQuery, req.query, 'query');
    const entries = await workflowActionLog(deps, id, q);
    return { results: entries.map(logView) };
  });
  app.get('/seqflow/v1/workflows/:id/stats', async (req) => {
    const { id } = parse(idParam, req.params, 'path');
    return workflowRunCounts(deps, id);
  });
  app.post('/seqflow/v1/workflows/:id/check', async (req) => ({ issues: await checkWorkflow(deps, parse(idParam, req.params, 'path').id) }));
  app.post('/seqflow/v1/workflows/:id/forecast', async (req) => {
    const { id } = parse(idParam, req.params, 'path');
    const body = parse(flows.forecastBody, req.body ?? undefined, 'body');
    const f = await forecastWorkflow(deps, id, body);
    return {
      generatedAt: iso(f.generatedAt),
      until: iso(f.until),
      contacts: f.contacts.map((c) => ({
        ...c,
        contactId: String(c.contactId),
        actions: c.actions.map((a) => ({ ...a, at: iso(a.at), ...(a.steps && { steps: a.steps.map((s) => ({ ...s, at: iso(s.at) })) }) })),
      })),
      summary: f.summary,
    };
  });
}
