import type { TaskStatus } from '../domain/glossary.js';
import { isValidZone } from '../domain/schedule.js';
import { queueAssignee, queueSection, sectionRange, type QueueReader, type QueueSection } from '../domain/task-queue.js';
import { getTask, listTasks, type QueuedTask } from '../store/tasks.js';
import { getUser } from '../store/users.js';
import type { Deps } from './deps.js';
import { errors, fieldError } from './errors.js';

export interface QueueQuery {
  id?: number;
  userId?: number;
  enrollmentId?: number;
  contactId?: number;
  sequenceId?: number;
  status?: TaskStatus;
  section?: QueueSection;
  timeZone?: string;
  includeSnoozed?: boolean;
}

export type QueueEntry = QueuedTask & { section: QueueSection };

/**
 * A rep's queue: by due time, each task in its section (overdue, today, upcoming) by the rep's
 * calendar day; snoozed tasks stay out of it until they are due again.
 */
export async function listTaskQueue(deps: Deps, q: QueueQuery): Promise<QueueEntry[]> {
  const now = deps.clock.now();
  const zone = await zoneFor(deps, q);
  const range = q.section ? sectionRange(q.section, now, zone) : {};
  const list = await listTasks(deps.db.kysely, {
    id: q.id,
    userId: q.userId,
    enrollmentId: q.enrollmentId,
    contactId: q.contactId,
    sequenceId: q.sequenceId,
    statuses: q.status ? [q.status] : undefined,
    dueFrom: range.from,
    dueBefore: range.before,
    awakeAt: q.includeSnoozed ? undefined : now,
  });
  return list.map((t) => ({ ...t, section: queueSection(t.dueAt, now, zone) }));
}

/** The queue as `reader` may read it: a rep's own tasks only (see `queueAssignee`). */
export async function readTaskQueue(deps: Deps, reader: QueueReader, q: QueueQuery): Promise<QueueEntry[]> {
  const whose = queueAssignee(reader, q.userId);
  if ('refused' in whose) throw fieldError('userId', "Only an admin can read another user's tasks.", 'NOT_YOURS');
  return listTaskQueue(deps, { ...q, userId: whose.userId });
}

/** One task as the queue shows it (its section by its assignee's day). */
export async function queueEntry(deps: Deps, id: number): Promise<QueueEntry> {
  const task = await getTask(deps.db.kysely, id);
  if (!task) throw errors.taskNotFound({ id });
  const [entry] = await listTaskQueue(deps, { id, userId: task.userId, includeSnoozed: true });
  return entry;
}

async function zoneFor(deps: Deps, q: QueueQuery): Promise<string> {
  if (q.timeZone !== undefined) {
    if (!isValidZone(q.timeZone)) throw fieldError('timeZone', `${q.timeZone} is not an IANA time zone such as America/New_York.`);
    return q.timeZone;
  }
  const user = q.userId === undefined ? null : await getUser(deps.db.kysely, q.userId);
  return user?.timezone && isValidZone(user.timezone) ? user.timezone : deps.config.accountTimeZone;
}

/** HubSpot's paging: tasks by id after the cursor, one more than the page to know there is a next. */
export async function listTasksPage(deps: Deps, page: { after: number; limit: number }): Promise<{ tasks: QueuedTask[]; next: number | null }> {
  const list = await listTasks(deps.db.kysely, { afterId: page.after, limit: page.limit + 1 });
  const tasks = list.slice(0, page.limit);
  return { tasks, next: list.length > page.limit ? tasks[tasks.length - 1].id : null };
}
