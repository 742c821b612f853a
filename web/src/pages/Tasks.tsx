import { useMemo, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { get, q } from '../api';
import { Link } from '../router';
import { Badge, Empty, ErrorMessage, Field, Loading, Pager, usePageOf } from '../components/ui';
import { useUsers } from '../lib/data';
import { dateTime, reasonText, userName } from '../lib/format';

interface Task {
  id: string;
  userId: number;
  contactId: number;
  enrollmentId: number | null;
  stepOrder: number | null;
  type: string;
  subject: string;
  notes: string;
  status: 'OPEN' | 'COMPLETED';
  reason: string | null;
  dueAt: string;
  completedAt: string | null;
}

const TYPE_LABELS: Record<string, string> = { CALL: 'Call', EMAIL: 'Email', TODO: 'To-do', LINKED_IN_CONNECT: 'LinkedIn connect', LINKED_IN_MESSAGE: 'LinkedIn message' };

/** Tasks that sequences created for their senders: calls, manual emails, and emails to fix. */
export function TasksPage() {
  const users = useUsers();
  const [userId, setUserId] = useState('');
  const [status, setStatus] = useState('OPEN');
  const [page, setPage] = useState(1);
  const tasks = useQuery({ queryKey: ['tasks', userId], queryFn: async () => (await get<{ results: Task[] }>(`/seqflow/v1/tasks${q({ userId })}`)).results });
  const rows = useMemo(() => (tasks.data ?? []).filter((t) => !status || t.status === status).sort((a, b) => a.dueAt.localeCompare(b.dueAt)), [tasks.data, status]);
  const paged = usePageOf(rows, page, 25);
  const owner = (id: number) => users.data?.find((u) => u.id === String(id));
  return (
    <main className="page">
      <div className="page-head">
        <h1>Tasks</h1>
      </div>
      <div className="filters">
        <Field label="Assigned to">
          {(id) => (
            <select id={id} value={userId} onChange={(e) => (setUserId(e.target.value), setPage(1))}>
              <option value="">Everyone</option>
              {users.data?.map((u) => (
                <option key={u.id} value={u.id}>
                  {userName(u)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Status">
          {(id) => (
            <select id={id} value={status} onChange={(e) => (setStatus(e.target.value), setPage(1))}>
              <option value="OPEN">Open</option>
              <option value="COMPLETED">Completed</option>
              <option value="">All</option>
            </select>
          )}
        </Field>
      </div>
      <ErrorMessage error={tasks.error} />
      {tasks.isLoading && <Loading what="tasks" />}
      {tasks.data && rows.length === 0 && <Empty>No tasks.</Empty>}
      {paged.rows.length > 0 && (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Task</th>
                <th scope="col">Type</th>
                <th scope="col">Contact</th>
                <th scope="col">Assigned to</th>
                <th scope="col">Due</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {paged.rows.map((t) => (
                <tr key={t.id}>
                  <th scope="row">
                    {t.subject || '(no title)'}
                    {t.reason && <div className="muted">{reasonText(t.reason)}</div>}
                  </th>
                  <td>{TYPE_LABELS[t.type] ?? t.type}</td>
                  <td>
                    <Link to={`/contacts/${t.contactId}`}>Contact {t.contactId}</Link>
                  </td>
                  <td>{owner(t.userId) ? userName(owner(t.userId)!) : t.userId}</td>
                  <td>{dateTime(t.dueAt)}</td>
                  <td>{t.status === 'OPEN' ? <Badge kind="warn">Open</Badge> : <Badge kind="ok">Completed</Badge>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {tasks.data && <Pager label="Task pages" page={paged.page} hasNext={paged.hasNext} onPrev={() => setPage((p) => p - 1)} onNext={() => setPage((p) => p + 1)} total={rows.length} />}
    </main>
  );
}
