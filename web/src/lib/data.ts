import { useQuery } from '@tanstack/react-query';
import { allPages, get, q } from '../api';
import type { Enrollment, Form, Inbox, Sequence, SequenceLite, SequenceStats, User, WorkflowCatalog } from '../types';
import { useCurrentUser } from './current-user';
import { userName, WORKFLOW_SENDER_SEATS, SEAT_LABELS } from './format';

export const useUsers = () => useQuery({ queryKey: ['users'], queryFn: () => allPages<User>('/settings/v3/users?limit=100') });

export const useForms = () => useQuery({ queryKey: ['forms'], queryFn: async () => (await get<{ results: Form[] }>('/seqflow/v1/forms')).results });

/** The workflow actions and triggers the server runs (its registries), for the editor's menus. */
export const useWorkflowCatalog = () => useQuery({ queryKey: ['workflow-catalog'], queryFn: () => get<WorkflowCatalog>('/seqflow/v1/workflow-catalog'), staleTime: Infinity });

export const useActionTypes = () => {
  const catalog = useWorkflowCatalog();
  return { ...catalog, data: catalog.data?.actions };
};

/** Every user's inboxes, keyed by user id. */
export const useInboxes = (users: User[] | undefined) =>
  useQuery({
    queryKey: ['inboxes', users?.map((u) => u.id).join(',')],
    enabled: !!users,
    queryFn: async () => {
      const entries = await Promise.all(users!.map(async (u) => [u.id, (await get<{ results: Inbox[] }>(`/seqflow/v1/users/${u.id}/inboxes`)).results] as const));
      return Object.fromEntries(entries) as Record<string, Inbox[]>;
    },
  });

export interface SenderOption {
  user: User;
  eligible: boolean;
  reason: string | null;
  /** The connected inboxes' primary addresses and aliases: what "Send from email address" offers. */
  addresses: string[];
}

/** PRODUCT §2: a paid Sales Hub seat (or Service Hub Enterprise) and a connected inbox. */
export function senderOptions(users: User[], inboxes: Record<string, Inbox[]>): SenderOption[] {
  return users.map((user) => {
    const connected = (inboxes[user.id] ?? []).filter((i) => i.status === 'connected');
    const addresses = [...new Set(connected.flatMap((i) => [i.address, ...i.aliases]))];
    let reason: string | null = null;
    if (!WORKFLOW_SENDER_SEATS.includes(user.seat)) reason = `needs a paid Sales Hub seat or Service Hub Enterprise (has ${SEAT_LABELS[user.seat] ?? user.seat})`;
    else if (connected.length === 0) reason = 'no connected inbox';
    return { user, eligible: reason === null, reason, addresses };
  });
}

/**
 * Who may send, and from which addresses. An admin (or an API token) chooses among every user; a
 * rep who is not an admin sends as themselves, and may read only their own inboxes.
 */
export function useSenders() {
  const me = useCurrentUser();
  const all = useUsers();
  const users = me && !me.superAdmin ? all.data?.filter((u) => u.id === me.id) : all.data;
  const inboxes = useInboxes(users);
  const options = users && inboxes.data ? senderOptions(users, inboxes.data) : undefined;
  return { options, error: all.error ?? inboxes.error, isLoading: all.isLoading || inboxes.isLoading, users, inboxes: inboxes.data };
}

export interface SequenceRow extends SequenceLite {
  ownerName: string;
  stats?: SequenceStats;
}

export type { SequenceStats };

/** Every live sequence (deleted ones are absent), with its owner's name and counts. */
export const useAllSequences = () => {
  const users = useUsers();
  return useQuery({
    queryKey: ['sequences', users.data?.map((u) => u.id).join(',')],
    enabled: !!users.data,
    queryFn: async () => {
      const { results } = await get<{ results: (SequenceLite & { stats?: SequenceStats })[] }>('/seqflow/v1/sequences');
      const owner = (id: string) => users.data!.find((u) => u.id === id);
      return results
        .map((s) => ({ ...s, ownerName: owner(s.userId) ? userName(owner(s.userId)!) : `user ${s.userId}` }))
        .sort((a, b) => a.name.localeCompare(b.name) || Number(a.id) - Number(b.id)) as SequenceRow[];
    },
  });
};

export const fetchSequence = (id: string, userId: string) => get<Sequence>(`/automation/v4/sequences/${id}${q({ userId })}`);

export const useSequence = (id: string | undefined, userId: string | undefined) =>
  useQuery({ queryKey: ['sequence', id], enabled: !!id && !!userId, queryFn: () => fetchSequence(id!, userId!) });

export const useEnrollments = (by: { sequenceId?: string; contactId?: string }) =>
  useQuery({
    queryKey: ['enrollments', by.sequenceId ?? '', by.contactId ?? ''],
    enabled: !!(by.sequenceId || by.contactId),
    queryFn: async () => (await get<{ results: Enrollment[] }>(`/seqflow/v1/enrollments${q(by)}`)).results,
  });

const PLACEHOLDER = /\[\[\s*placeholder\s*:([\s\S]*?)\]\]/i;
export const sequenceHasPlaceholders = (s: Sequence) =>
  s.steps.some((st) => st.actionType === 'EMAIL' && st.emailPattern && (PLACEHOLDER.test(st.emailPattern.subject) || PLACEHOLDER.test(st.emailPattern.body)));

export interface SequenceCounts {
  enrolled: number;
  active: number;
  paused: number;
  finished: number;
  replied: number;
  bounced: number;
  unsubscribed: number;
  meetings: number;
  sent: number;
}

export function countEnrollments(list: Enrollment[]): SequenceCounts {
  const c: SequenceCounts = { enrolled: list.length, active: 0, paused: 0, finished: 0, replied: 0, bounced: 0, unsubscribed: 0, meetings: 0, sent: 0 };
  for (const e of list) {
    if (e.state === 'ACTIVE') c.active++;
    if (e.state === 'PAUSED') c.paused++;
    if (e.state === 'FINISHED') c.finished++;
    if (e.reason === 'REPLIED' || e.reason === 'COMPANY_REPLIED') c.replied++;
    if (e.reason === 'BOUNCED') c.bounced++;
    if (e.reason === 'UNSUBSCRIBED') c.unsubscribed++;
    if (e.reason === 'MEETING_BOOKED') c.meetings++;
    c.sent += e.sends.filter((s) => s.status === 'SENT').length;
  }
  return c;
}
