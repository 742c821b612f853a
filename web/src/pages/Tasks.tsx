import { useMemo, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { get, post, q } from '../api';
import { Link } from '../router';
import { Badge, Empty, ErrorMessage, Field, Loading } from '../components/ui';
import { useAllSequences, useUsers } from '../lib/data';
import { useCurrentUser } from '../lib/current-user';
import { contactName, dateTime, reasonText, userName } from '../lib/format';
import type { Contact, QueueTask } from '../types';
import { ContactCard } from './tasks/ContactCard';
import { TaskWork } from './tasks/TaskWork';
import { SECTION_LABELS, TYPE_LABELS } from './tasks/labels';

const SECTIONS: QueueTask['section'][] = ['OVERDUE', 'TODAY', 'UPCOMING'];
/** Queued for sending: the worker has it, so there is nothing left for the rep to do. */
const workable = (t: QueueTask) => t.sendRequestedAt === null;

/**
 * The rep's task queue: overdue, due today and upcoming, in due order, filtered by assignee and
 * sequence. "Start" works through them one at a time with the contact beside each.
 */
export function TasksPage() {
  const queryClient = useQueryClient();
  const users = useUsers();
  const sequences = useAllSequences();
  const me = useCurrentUser();
  // A rep reads only their own queue; an admin starts on theirs and may look at everyone's. An API
  // token is no one's, so it reads everyone's.
  const mayReadAll = me === null || me.superAdmin;
  const [whose, setWhose] = useState<'MINE' | 'EVERYONE'>(me ? 'MINE' : 'EVERYONE');
  const [assignee, setAssignee] = useState('');
  const userId = me && whose === 'MINE' ? me.id : assignee;
  const [sequenceId, setSequenceId] = useState('');
  const [current, setCurrent] = useState<string | null>(null);
  const [finished, setFinished] = useState(false);
  const tasks = useQuery({
    queryKey: ['tasks', userId, sequenceId],
    queryFn: async () => (await get<{ results: QueueTask[] }>(`/seqflow/v1/tasks${q({ userId, sequenceId, status: 'OPEN' })}`)).results,
  });
  const rows = useMemo(() => tasks.data ?? [], [tasks.data]);
  const contactIds = [...new Set(rows.map((t) => String(t.contactId)))];
  const contacts = useQuery({
    queryKey: ['task-contacts', contactIds.join(',')],
    enabled: contactIds.length > 0,
    queryFn: async () =>
      (await post<{ results: Contact[] }>('/crm/v3/objects/contacts/batch/read', { inputs: contactIds.map((id) => ({ id })), properties: ['email', 'firstname', 'lastname'] })).results,
  });
  const contactLabel = (id: number) => {
    const c = contacts.data?.find((x) => x.id === String(id));
    return c ? contactName(c) : `Contact ${id}`;
  };
  const queue = rows.filter(workable);
  const working = current === null ? undefined : rows.find((t) => t.id === current);
  const sequenceName = (id: number | null) => (id === null ? '' : (sequences.data?.find((s) => s.id === String(id))?.name ?? `Sequence ${id}`));
  const owner = (id: number) => users.data?.find((u) => u.id === String(id));

  const start = (id?: string) => {
    setFinished(false);
    setCurrent(id ?? queue[0]?.id ?? null);
  };
  /** After a task is worked: the one after it in the queue, as it stood. */
  const next = async () => {
    const at = queue.findIndex((t) => t.id === current);
    const following = queue.slice(at + 1)[0] ?? null;
    setCurrent(following?.id ?? null);
    if (!following) setFinished(true);
    await Promise.all([queryClient.invalidateQueries({ queryKey: ['tasks'] }), queryClient.invalidateQueries({ queryKey: ['timeline'] })]);
  };

  return (
    <main className="page">
      <div className="page-head">
        <h1>Tasks</h1>
        <div className="head-actions">
          {working ? (
            <button type="button" onClick={() => setCurrent(null)}>
              Back to the list
            </button>
          ) : (
            <button type="button" className="primary" disabled={queue.length === 0} onClick={() => start()}>
              Start ({queue.length})
            </button>
          )}
        </div>
      </div>
      <div className="filters">
        {me && mayReadAll && (
          <div role="radiogroup" aria-label="Whose tasks" className="segmented">
            {(['MINE', 'EVERYONE'] as const).map((w) => (
              <label key={w}>
                <input type="radio" name="whose-tasks" value={w} checked={whose === w} onChange={() => setWhose(w)} />
                {w === 'MINE' ? 'Mine' : 'Everyone'}
              </label>
            ))}
          </div>
        )}
        {mayReadAll && whose === 'EVERYONE' && (
          <Field label="Assigned to">
            {(id) => (
              <select id={id} value={assignee} onChange={(e) => setAssignee(e.target.value)}>
                <option value="">Everyone</option>
                {users.data?.map((u) => (
                  <option key={u.id} value={u.id}>
                    {userName(u)}
                  </option>
                ))}
              </select>
            )}
          </Field>
        )}
        <Field label="Sequence">
          {(id) => (
            <select id={id} value={sequenceId} onChange={(e) => setSequenceId(e.target.value)}>
              <option value="">All sequences</option>
              {sequences.data?.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <ErrorMessage error={tasks.error} />
      {tasks.isLoading && <Loading what="tasks" />}
      {working ? (
        <div className="grid-2">
          <div>
            <p className="muted" aria-live="polite">
              Task {queue.findIndex((t) => t.id === working.id) + 1} of {queue.length}
              {working.sequenceId !== null && ` · ${sequenceName(working.sequenceId)}`}
            </p>
            <TaskWork key={working.id} task={working} onDone={() => void next()} />
          </div>
          <ContactCard key={working.contactId} contactId={working.contactId} />
        </div>
      ) : (
        <>
          {finished && <p className="message" role="status">All done: no more tasks in this queue.</p>}
          {tasks.data && rows.length === 0 && <Empty>No open tasks.</Empty>}
          {SECTIONS.map((section) => {
            const list = rows.filter((t) => t.section === section);
            if (list.length === 0) return null;
            return (
              <section key={section} aria-labelledby={`tasks-${section}`} className="card">
                <h2 id={`tasks-${section}`}>
                  {SECTION_LABELS[section]} <span className="count">{list.length}</span>
                </h2>
                <div className="table-wrap">
                  <table aria-labelledby={`tasks-${section}`}>
                    <thead>
                      <tr>
                        <th scope="col">Task</th>
                        <th scope="col">Type</th>
                        <th scope="col">Contact</th>
                        <th scope="col">Sequence</th>
                        <th scope="col">Assigned to</th>
                        <th scope="col">Due</th>
                        <th scope="col">
                          <span className="sr-only">Actions</span>
                        </th>
                      </tr>
                    </thead>
                    <tbody>
                      {list.map((t) => (
                        <tr key={t.id}>
                          <th scope="row">
                            {t.subject || '(no title)'}
                            {t.reason && <div className="muted">{reasonText(t.reason)}</div>}
                          </th>
                          <td>{TYPE_LABELS[t.type]}</td>
                          <td>
                            <Link to={`/contacts/${t.contactId}`}>{contactLabel(t.contactId)}</Link>
                          </td>
                          <td>{sequenceName(t.sequenceId)}</td>
                          <td>{owner(t.userId) ? userName(owner(t.userId)!) : t.userId}</td>
                          <td>{dateTime(t.dueAt)}</td>
                          <td>
                            {workable(t) ? (
                              <button type="button" onClick={() => start(t.id)} aria-label={`Work on ${t.subject}`}>
                                Open
                              </button>
                            ) : (
                              <Badge kind="info">Sending…</Badge>
                            )}
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              </section>
            );
          })}
        </>
      )}
    </main>
  );
}
