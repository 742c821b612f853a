import { useState, type FormEvent } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { allPages, errorText, get, post } from '../api';
import { Badge, ErrorMessage, Field } from '../components/ui';
import { dateTime, reasonText } from '../lib/format';
import { Link } from '../router';
import type { ContactHistoryEntry, FlowListing, ManualEnrollmentResult } from '../types';

const STATUS_BADGE = { EXECUTED: 'ok', SKIPPED: 'warn', FAILED: 'error', RETRYING: 'warn' } as const;

/**
 * The contact's workflows: enroll it by hand in an enabled workflow (the answer says why not,
 * when not), and every action any workflow took on it, newest first, with the reasons.
 */
export function ContactWorkflows({ contactId }: { contactId: string }) {
  const queryClient = useQueryClient();
  const flows = useQuery({ queryKey: ['flows', 'all'], queryFn: () => allPages<FlowListing>('/automation/v4/flows?limit=100') });
  const history = useQuery({
    queryKey: ['workflow-history', contactId],
    queryFn: async () => (await get<{ results: ContactHistoryEntry[] }>(`/seqflow/v1/contacts/${contactId}/workflow-history`)).results,
  });
  const enabled = (flows.data ?? []).filter((f) => f.isEnabled).sort((a, b) => a.name.localeCompare(b.name));
  const [flowId, setFlowId] = useState('');
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  const enroll = async (e: FormEvent) => {
    e.preventDefault();
    const chosen = enabled.find((f) => f.id === flowId);
    if (!chosen) return;
    setBusy(true);
    setOutcome(null);
    try {
      await post<ManualEnrollmentResult>(`/seqflow/v1/workflows/${chosen.id}/enrollments`, { contactId });
      setOutcome({ ok: true, text: `Enrolled in “${chosen.name}”. Its actions show below as they run.` });
      // The worker runs the first action shortly; the history is read again then.
      setTimeout(() => void queryClient.invalidateQueries({ queryKey: ['workflow-history', contactId] }), 1500);
      await queryClient.invalidateQueries({ queryKey: ['workflow-history', contactId] });
    } catch (err) {
      setOutcome({ ok: false, text: `Not enrolled in “${chosen.name}”: ${errorText(err)}` });
    }
    setBusy(false);
  };

  return (
    <section className="card" aria-labelledby="workflows-h">
      <div className="step-head">
        <h2 id="workflows-h">Workflows</h2>
        <div className="spacer" />
        <button type="button" className="small" onClick={() => void history.refetch()}>
          Refresh
        </button>
      </div>
      <form onSubmit={enroll} className="row">
        <Field label="Enroll in workflow" hint={flows.data && enabled.length === 0 ? 'No workflow is turned on.' : undefined}>
          {(id) => (
            <select id={id} value={flowId} onChange={(e) => setFlowId(e.target.value)}>
              <option value="">Choose a workflow</option>
              {enabled.map((f) => (
                <option key={f.id} value={f.id}>
                  {f.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <button type="submit" className="primary" disabled={!flowId || busy}>
          Enroll
        </button>
      </form>
      {outcome && (
        <p className={`message ${outcome.ok ? 'ok' : 'error'}`} role={outcome.ok ? 'status' : 'alert'}>
          {outcome.text}
        </p>
      )}
      <h3 id="workflow-history-h" style={{ marginTop: '1rem' }}>
        Workflow history
      </h3>
      <ErrorMessage error={history.error} />
      {history.data?.length === 0 && <p className="muted">No workflow has acted on this contact.</p>}
      {history.data && history.data.length > 0 && (
        <div className="table-wrap">
        <table aria-labelledby="workflow-history-h">
          <thead>
            <tr>
              <th>When</th>
              <th>Workflow</th>
              <th>Action</th>
              <th>Status</th>
              <th>Reason</th>
            </tr>
          </thead>
          <tbody>
            {history.data.map((e) => (
              <tr key={`${e.runId}-${e.actionId}-${e.at}`}>
                <td>{dateTime(e.at)}</td>
                <td>
                  <Link to={`/workflows/${e.flowId}/history`}>{e.flowName}</Link>
                </td>
                <td>{e.actionName}</td>
                <td>
                  <Badge kind={STATUS_BADGE[e.status]}>{e.status.toLowerCase()}</Badge>
                </td>
                <td>{e.reasonText ?? reasonText(e.reasonCode)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        </div>
      )}
    </section>
  );
}
