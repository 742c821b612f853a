import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ACTION_CATALOG } from '../../domain/action-types.js';
import type { FlowDefinition } from '../../domain/workflow-graph.js';
import {
  checkWorkflow,
  createWorkflow,
  deleteWorkflow,
  listWorkflowsPage,
  requireWorkflow,
  updateWorkflow,
  workflowActionLog,
  workflowRunCounts,
  type Workflow,
} from '../../services/workflows.js';
import type { GuardrailIssue } from '../../domain/guardrails.js';
import type { AppContext } from '../context.js';
import { cursor, idParam, iso, numericId, parse } from '../validate.js';
import { batchError } from './contacts.js';
import { errors } from '../../services/errors.js';

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

const idString = z.union([z.string().min(1).max(64), z.number().int().transform(String)]);
const filter = z.object({ filterType: z.string().optional(), property: z.string(), operation: z.object({ operator: z.string() }).passthrough() }).passthrough();
const connection = z.object({ edgeType: z.enum(['STANDARD', 'GOTO']).optional(), nextActionId: idString });
const filterBranch = z.object({ filterBranchType: z.enum(['OR', 'AND']) }).passthrough();
const action = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('SINGLE_CONNECTION'),
      actionId: idString,
      actionTypeId: z.string().min(1),
      actionTypeVersion: z.number().int().optional(),
      fields: z.record(z.string(), z.unknown()).default({}),
      connection: connection.optional(),
    })
    .passthrough(),
  z
    .object({
      type: z.literal('LIST_BRANCH'),
      actionId: idString,
      listBranches: z.array(z.object({ branchName: z.string().optional(), filterBranch, connection: connection.optional() }).passthrough()).min(1).max(20),
      defaultBranch: connection.optional(),
      defaultBranchName: z.string().optional(),
    })
    .passthrough(),
  z
    .object({
      type: z.literal('STATIC_BRANCH'),
      actionId: idString,
      inputValue: z.object({ type: z.string().optional(), propertyName: z.string().min(1) }).passthrough(),
      staticBranches: z.array(z.object({ branchValue: z.union([z.string(), z.number()]).transform(String), connection: connection.optional() }).passthrough()).min(1).max(50),
      defaultBranch: connection.optional(),
      defaultBranchName: z.string().optional(),
    })
    .passthrough(),
]);
// Actions saved without a type are single-connection actions, as HubSpot's own exports are.
const anyAction = z.preprocess((a) => (a && typeof a === 'object' && !('type' in a) ? { ...a, type: 'SINGLE_CONNECTION' } : a), action);
const criteria = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('EVENT_BASED'),
      shouldReEnroll: z.boolean().default(false),
      eventFilterBranches: z.array(z.object({ eventTypeId: z.string(), filters: z.array(filter).optional() }).passthrough()).min(1),
      listMembershipFilterBranches: z.array(z.unknown()).default([]),
    })
    .passthrough(),
  z
    .object({
      type: z.literal('LIST_BASED'),
      shouldReEnroll: z.boolean().default(false),
      listFilterBranch: z.object({ filterBranchType: z.enum(['OR', 'AND']) }).passthrough(),
      reEnrollmentTriggersFilterBranches: z.array(z.unknown()).default([]),
      unEnrollObjectsNotMeetingCriteria: z.boolean().default(false),
    })
    .passthrough(),
  z.object({ type: z.literal('MANUAL'), shouldReEnroll: z.boolean().default(false) }).passthrough(),
]);
const flowBody = z
  .object({
    type: z.literal('CONTACT_FLOW', { message: 'only CONTACT_FLOW workflows are supported' }),
    objectTypeId: z.literal('0-1', { message: 'contact workflows have objectTypeId 0-1' }).default('0-1'),
    flowType: z.literal('WORKFLOW').default('WORKFLOW'),
    name: z.string().trim().min(1).max(500),
    description: z.string().max(5000).optional(),
    isEnabled: z.boolean(),
    startActionId: idString.optional(),
    nextAvailableActionId: idString.optional(),
    actions: z.array(anyAction).max(500),
    enrollmentCriteria: criteria.optional(),
    timeWindows: z.array(z.unknown()).default([]),
    blockedDates: z.array(z.unknown()).default([]),
    suppressionListIds: z.array(z.unknown()).default([]),
    customProperties: z.record(z.string(), z.unknown()).default({}),
    dataSources: z.array(z.unknown()).default([]),
    canEnrollFromSalesforce: z.boolean().default(false),
    uuid: z.string().optional(),
    revisionId: idString.optional(),
  })
  // Read-only fields a client echoes back from a GET are ignored.
  .strip();

const toDefinition = (body: z.infer<typeof flowBody>): FlowDefinition => {
  const { revisionId: _revision, ...def } = body;
  return def as unknown as FlowDefinition;
};

const putQuery = z.object({
  enrollExisting: z.enum(['true', 'false']).default('false'),
  acknowledge: z.union([z.string(), z.array(z.string())]).optional(),
});

export function registerFlowRoutes(app: FastifyInstance, ctx: AppContext): void {
  const { deps } = ctx;
  app.get('/automation/v4/flows', async (req) => {
    const q = parse(z.object({ limit: z.coerce.number().int().min(1).max(100).default(100), after: cursor }), req.query, 'query');
    const rows = await listWorkflowsPage(deps, { after: q.after, limit: q.limit + 1 });
    return {
      results: rows.slice(0, q.limit).map(listing),
      ...(rows.length > q.limit && { paging: { next: { after: String(rows[q.limit - 1].id) } } }),
    };
  });
  app.post('/automation/v4/flows', async (req, reply) => {
    const { workflow, warnings } = await createWorkflow(deps, toDefinition(parse(flowBody, req.body, 'body')));
    return reply.status(201).send(apiFlow(workflow, warnings));
  });
  app.get('/automation/v4/flows/:id', async (req) => apiFlow(await requireWorkflow(deps, parse(idParam, req.params, 'path').id)));
  app.put('/automation/v4/flows/:id', async (req) => {
    const { id } = parse(idParam, req.params, 'path');
    const body = parse(flowBody, req.body, 'body');
    const q = parse(putQuery, req.query, 'query');
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
    const body = parse(z.object({ inputs: z.array(z.object({ flowId: numericId, type: z.string().optional() })).max(100) }), req.body, 'body');
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

  app.get('/automation/2026-09-beta/action-types', async (req) => {
    const q = parse(z.object({ objectTypeId: z.string().optional() }), req.query, 'query');
    return { results: ACTION_CATALOG.filter((a) => !q.objectTypeId || (a.objectTypeIds as readonly string[]).includes(q.objectTypeId)) };
  });

  app.get('/seqflow/v1/workflows/:id/log', async (req) => {
    const { id } = parse(idParam, req.params, 'path');
    const q = parse(
      z.object({ contactId: numericId.optional(), status: z.enum(['EXECUTED', 'SKIPPED', 'FAILED']).optional(), limit: z.coerce.number().int().min(1).max(10_000).default(1000) }),
      req.query,
      'query',
    );
    const entries = await workflowActionLog(deps, id, q);
    return {
      results: entries.map((e) => ({
        flowId: String(e.workflowId),
        runId: String(e.runId),
        contactId: String(e.contactId),
        actionId: e.actionId,
        actionTypeId: e.actionTypeId,
        status: e.status,
        ...(e.reasonCode && { reasonCode: e.reasonCode }),
        ...(e.reasonText && { reasonText: e.reasonText }),
        at: iso(e.at),
      })),
    };
  });
  app.get('/seqflow/v1/workflows/:id/stats', async (req) => {
    const { id } = parse(idParam, req.params, 'path');
    return workflowRunCounts(deps, id);
  });
  app.post('/seqflow/v1/workflows/:id/check', async (req) => ({ issues: await checkWorkflow(deps, parse(idParam, req.params, 'path').id) }));
}
