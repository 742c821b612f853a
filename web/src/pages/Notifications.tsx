import { useQuery } from '@tanstack/react-query';
import { get, q } from '../api';
import { useRouter } from '../router';
import { Empty, ErrorMessage, Loading } from '../components/ui';
import { useUsers } from '../lib/data';
import { dateTime, userName } from '../lib/format';

interface NotificationRow {
  id: string;
  userId: string;
  kind: string;
  subject: string;
  body: string;
  createdAt: string;
  resolvedAt: string | null;
}

/** Messages to users: workflow in-app notifications, and inboxes whose replies cannot be read. */
export function NotificationsPage() {
  const { search, navigate } = useRouter();
  const userId = search.get('userId') ?? '';
  const users = useUsers();
  const list = useQuery({
    queryKey: ['notifications', userId],
    queryFn: async () => (await get<{ results: NotificationRow[] }>(`/seqflow/v1/notifications${q({ userId: userId || undefined, limit: 200 })}`)).results,
  });
  const nameOf = (id: string) => {
    const u = users.data?.find((x) => x.id === id);
    return u ? userName(u) : `user ${id}`;
  };
  return (
    <main className="page">
      <div className="page-head">
        <h1>Notifications</h1>
        <label>
          For{' '}
          <select value={userId} onChange={(e) => navigate(`/notifications${q({ userId: e.target.value || undefined })}`)}>
            <option value="">Everyone</option>
            {users.data?.map((u) => (
              <option key={u.id} value={u.id}>
                {userName(u)}
              </option>
            ))}
          </select>
        </label>
      </div>
      <ErrorMessage error={list.error} />
      {list.isLoading && <Loading />}
      {list.data?.length === 0 && <Empty>No notifications.</Empty>}
      <ul className="notifications" aria-label="Notifications">
        {list.data?.map((n) => (
          <li key={n.id}>
            <strong>{n.subject}</strong> <span className="muted">to {nameOf(n.userId)}, {dateTime(n.createdAt)}{n.resolvedAt ? ' (resolved)' : ''}</span>
            <p>{n.body}</p>
          </li>
        ))}
      </ul>
    </main>
  );
}
