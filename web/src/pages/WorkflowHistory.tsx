import { useMemo, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { get, q } from '../api';
import { Link } from '../router';
import { Badge, Empty, ErrorMessage, Field, Loading, Pager, usePageOf } from '../components/ui';
import { useActionTypes } from '../lib/data';
import { orderedActions } from '../lib/flow';
import { contactName, dateTime, reasonText } from '../lib/format';
import type { Contact, Flow, LogEntry } from '../types';

const STATUS_KIND = { EXECUTED: 'ok', SKIPPED: 'warn', FAILED: 'error', RETRYING: 'warn' } as const;
const PAGE = 20;

/** The action log of one workflow, per contact: each action with its status and reason. */
export function WorkflowHistory({ id }: { id: string }) {
  const [status, setStatus] = useState('');
  const [filter, setFilter] = useState('');
  const [page, setPage] = useState(1);
  const flow = useQuery({ queryKey: ['flow', id], queryFn: () => get<Flow>(`/automation/v4/flows/${id}`) });
  const actionTypes = useActionTypes();
  const log = useQuery({
    queryKey: ['flow-log', id, status],
    queryFn: async () => (await get<{ results: LogEntry[] }>(`/seqflow/v1/workflows/${id}/log${q({ status, limit: 5000 })}`)).results,
  });
  // Newest activity first, one group per contact.
  const groups = useMemo(() => {
    const by = new Map<string, LogEntry[]>();
    for (const e of log.data ?? []) by.set(e.contactId, [...(by.get(e.contactId) ?? []), e]);
    return [...by].sort(([, a], [, b]) => b[b.length - 1].at.localeCompare(a[a.length - 1].at));
  }, [log.data]);
  const contactIds = groups.map(([c]) => c);
  const contacts = useQuery({
    queryKey: ['contacts-by-id', contactIds.join(',')],
    enabled: contactIds.length > 0,
    queryFn: async () => {
      const out: Record<string, Contact | null> = {};
      await Promise.all(contactIds.map(async (c) => (out[c] = await get<Contact>(`/crm/v3/objects/contacts/${c}`).catch(() => null))));
      return out;
    },
  });
  const visible = groups.filter(([c]) => {
    if (!filter.trim()) return true;
    const contact = contacts.data?.[c];
    const text = `${c} ${contact ? `${contactName(contact)} ${contact.properties.email ?? ''}` : ''}`.toLowerCase();
    return text.includes(filter.trim().toLowerCase());
  });
  const paged = usePageOf(visible, page, PAGE);
  const positions = useMemo(() => new Map(flow.data ? orderedActions(flow.data).map((a, i) => [a.actionId, i + 1]) : []), [flow.data]);
  const actionName = (e: LogEntry) => {
    const name = actionTypes.data?.find((t) => t.actionTypeId === e.actionTypeId)?.actionName ?? e.actionTypeId;
    const n = positions.get(e.actionId);
    return n ? `${n}. ${name}` : name;
  };

  return (
    <main className="page">
      <div className="page-head">
        <div className="crumbs">
          <Link to="/workflows">Workflows</Link> / <Link to={`/workflows/${id}`}>{flow.data?.name ?? `Workflow ${id}`}</Link> /
        </div>
        <h1>History</h1>
      </div>
      <div className="filters">
        <Field label="Status">
          {(fid) => (
            <select id={fid} value={status} onChange={(e) => (setStatus(e.target.value), setPage(1))}>
              <option value="">All</option>
              <option value="EXECUTED">Executed</option>
              <option value="SKIPPED">Skipped</option>
              <option value="FAILED">Failed</option>
            </select>
          )}
        </Field>
        <Field label="Contact">{(fid) => <input id={fid} type="search" value={filter} placeholder="name or email" onChange={(e) => (setFilter(e.target.value), setPage(1))} />}</Field>
      </div>
      <ErrorMessage error={log.error ?? flow.error} />
      {log.isLoading && <Loading what="the history" />}
      {log.data && visible.length === 0 && <Empty>{status || filter ? 'Nothing matches these filters.' : 'No contact has gone through this workflow yet.'}</Empty>}
      {paged.rows.map(([contactId, entries]) => {
        const contact = contacts.data?.[contactId];
        return (
          <section key={contactId} className="card history" aria-label={`Contact ${contact ? contactName(contact) : contactId}`}>
            <h2>
              <Link to={`/contacts/${contactId}`}>{contact ? contactName(contact) : `Contact ${contactId}`}</Link>
              {contact?.properties.email && <span className="muted"> {contact.properties.email}</span>}
            </h2>
            <div className="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">When</th>
                    <th scope="col">Action</th>
                    <th scope="col">Status</th>
                    <th scope="col">Reason</th>
                  </tr>
                </thead>
                <tbody>
                  {entries.map((e, i) => (
                    <tr key={`${e.runId}-${e.actionId}-${i}`}>
                      <td>{dateTime(e.at)}</td>
                      <td>{actionName(e)}</td>
                      <td>
                        <Badge kind={STATUS_KIND[e.status]}>{e.status.charAt(0) + e.status.slice(1).toLowerCase()}</Badge>
                      </td>
                      <td>
                        {e.reasonText ?? reasonText(e.reasonCode)}
                        {e.reasonCode && <code className="code"> {e.reasonCode}</code>}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>
        );
      })}
      {log.data && <Pager label="History pages" page={paged.page} hasNext={paged.hasNext} onPrev={() => setPage((p) => p - 1)} onNext={() => setPage((p) => p + 1)} total={visible.length} />}
    </main>
  );
}
