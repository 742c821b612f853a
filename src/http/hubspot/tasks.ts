import type { FastifyInstance } from 'fastify';
import type { Task } from '../../domain/glossary.js';
import { completeTask } from '../../services/complete-task.js';
import { errors, fieldError } from '../../services/errors.js';
import { listTasksPage, queueEntry } from '../../services/task-queue.js';
import { tasks } from '../../schemas/index.js';
import type { AppContext } from '../context.js';
import { idParam, iso, parse } from '../validate.js';
import { listParam } from './contacts.js';

const B = '/crm/v3/objects/tasks';
/** What a read returns when no properties are asked for, as HubSpot's task defaults. */
const DEFAULT_PROPERTIES = ['hs_createdate', 'hs_lastmodifieddate', 'hs_object_id'];

const updatedAt = (t: Task) => Math.max(t.createdAt, t.completedAt ?? 0, t.sendRequestedAt ?? 0);

/** A sequence task as HubSpot's task object: a skipped task is done as far as HubSpot can say (COMPLETED). */
export function taskProperties(t: Task): Record<string, string | null> {
  return {
    hs_object_id: String(t.id),
    hs_createdate: iso(t.createdAt),
    hs_lastmodifieddate: iso(updatedAt(t)),
    hs_timestamp: iso(t.dueAt),
    hs_task_subject: t.subject,
    hs_task_body: t.notes,
    hs_task_status: t.status === 'OPEN' ? 'NOT_STARTED' : 'COMPLETED',
    hs_task_type: t.type,
    hs_task_priority: t.priority ?? 'NONE',
    hs_task_completion_date: t.completedAt === null ? null : iso(t.completedAt),
    hubspot_owner_id: String(t.userId),
  };
}

export function hubspotTaskView(t: Task, properties: string[] | undefined, associations: string[] | undefined) {
  const all = taskProperties(t);
  const wanted = properties?.length ? properties : DEFAULT_PROPERTIES;
  // Every task is about one contact; other object types have none, so they are left out as HubSpot does.
  const withContact = associations?.some((a) => ['contacts', 'contact', '0-1'].includes(a.toLowerCase()));
  return {
    id: String(t.id),
    properties: Object.fromEntries(wanted.map((p) => [p, all[p] ?? null])),
    createdAt: iso(t.createdAt),
    updatedAt: iso(updatedAt(t)),
    archived: false,
    ...(withContact && { associations: { contacts: { results: [{ id: String(t.contactId), type: 'task_to_contact' }] } } }),
  };
}

/** HubSpot's tasks object (`/crm/v3/objects/tasks`): the tasks sequences made, read and completed. */
export function registerHubSpotTaskRoutes(app: FastifyInstance, ctx: AppContext): void {
  const { deps } = ctx;
  app.get(B, async (req) => {
    const q = parse(tasks.hubspotListQuery, req.query, 'query');
    // Tasks are never archived: they stay in the sequence's history.
    if (q.archived === 'true') return { results: [] };
    const page = await listTasksPage(deps, { after: q.after, limit: q.limit });
    return {
      results: page.tasks.map((t) => hubspotTaskView(t, listParam(q.properties), listParam(q.associations))),
      ...(page.next !== null && { paging: { next: { after: String(page.next) } } }),
    };
  });
  app.get(`${B}/:id`, async (req) => {
    const { id } = parse(idParam, req.params, 'path');
    const q = parse(tasks.hubspotReadQuery, req.query, 'query');
    if (q.archived === 'true') throw errors.taskNotFound({ id });
    return hubspotTaskView(await queueEntry(deps, id), listParam(q.properties), listParam(q.associations));
  });
  app.patch(`${B}/:id`, async (req) => {
    const { id } = parse(idParam, req.params, 'path');
    const { properties } = parse(tasks.hubspotPatchBody, req.body, 'body');
    if (properties.hs_task_body !== undefined && properties.hs_task_status !== 'COMPLETED') {
      throw fieldError('properties.hs_task_body', 'hs_task_body is kept as the completion note: send it with hs_task_status COMPLETED.');
    }
    const before = await queueEntry(deps, id);
    if (properties.hs_task_status === 'COMPLETED' && before.status === 'OPEN') await completeTask(deps, id, { note: properties.hs_task_body });
    // Seqflow does not reopen a task: its sequence has gone on.
    else if (properties.hs_task_status === 'NOT_STARTED' && before.status !== 'OPEN') throw errors.taskCompleted();
    return hubspotTaskView(await queueEntry(deps, id), [...new Set([...DEFAULT_PROPERTIES, ...Object.keys(properties)])], undefined);
  });
}
