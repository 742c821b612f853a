import { useMemo, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { post } from '../../api';
import { Link } from '../../router';
import { Badge, Empty, ErrorMessage, Field, Loading, Pager, usePageOf } from '../../components/ui';
import { useEnrollments, useUsers } from '../../lib/data';
import { dateTime, reasonText, STATE_LABELS, userName } from '../../lib/format';
import type { Enrollment, Sequence } from '../../types';

/** Everyone enrolled in the sequence, newest first, filtered by state, with Pause and Resume. */
export function EnrollmentsTab({ sequence }: { sequence: Sequence }) {
  const enrollments = useEnrollments({ sequenceId: sequence.id });
  const users = useUsers();
  const queryClient = useQueryClient();
  const [state, setState] = useState('');
  const [page, setPage] = useState(1);
  const [error, setError] = useState<unknown>(null);
  const rows = useMemo(() => (enrollments.data ?? []).filter((e) => !state || e.state === state).sort((a, b) => b.enrolledAt.localeCompare(a.enrolledAt)), [enrollments.data, state]);
  const paged = usePageOf(rows, page, 25);
  // Held for an OAuth mailbox that lost its sign-in (issue #16).
  const waiting = (enrollments.data ?? []).filter((e) => e.state === 'PAUSED' && e.reason === 'INBOX_DISCONNECTED').length;
  const act = async (e: Enrollment, what: 'pause' | 'resume') => {
    setError(null);
    try {
      await post(`/seqflow/v1/enrollments/${e.id}/${what}`);
      await queryClient.invalidateQueries({ queryKey: ['enrollments'] });
    } catch (err) {
      setError(err);
    }
  };
  const sender = (id: string) => users.data?.find((u) => u.id === id);
  return (
    <section aria-label="Enrollments">
      <div className="filters">
        <Field label="State">
          {(id) => (
            <select id={id} value={state} onChange={(e) => (setState(e.target.value), setPage(1))}>
              <option value="">All</option>
              {Object.entries(STATE_LABELS).map(([k, v]) => (
                <option key={k} value={k}>
                  {v}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      {waiting > 0 && (
        <div className="message warning" role="status">
          {waiting} email{waiting === 1 ? '' : 's'} waiting — mailbox disconnected. The sender must reconnect their mailbox in Settings; they resume by themselves after that.
        </div>
      )}
      <ErrorMessage error={enrollments.error ?? error} />
      {enrollments.isLoading && <Loading what="enrollments" />}
      {enrollments.data && rows.length === 0 && <Empty>{state ? 'No enrollment in this state.' : 'Nobody is enrolled yet.'}</Empty>}
      {paged.rows.length > 0 && (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Contact</th>
                <th scope="col">State</th>
                <th scope="col">Reason</th>
                <th scope="col">Steps done</th>
                <th scope="col">Sender</th>
                <th scope="col">Enrolled</th>
                <th scope="col">Next email</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {paged.rows.map((e) => (
                <tr key={e.id}>
                  <th scope="row">
                    <Link to={`/contacts/${e.contactId}`}>{e.toEmail}</Link>
                  </th>
                  <td>
                    <Badge kind={e.state === 'ACTIVE' ? 'ok' : e.state === 'PAUSED' ? 'warn' : e.state === 'FAILED' ? 'error' : 'off'}>{STATE_LABELS[e.state] ?? e.state}</Badge>
                  </td>
                  <td>{reasonText(e.reason)}</td>
                  <td>
                    {e.state === 'FINISHED' ? sequence.steps.length : Math.min(e.currentStep, sequence.steps.length)} of {sequence.steps.length} done
                  </td>
                  <td>{sender(e.senderUserId) ? `${userName(sender(e.senderUserId)!)} <${e.senderEmail}>` : e.senderEmail}</td>
                  <td>{dateTime(e.enrolledAt)}</td>
                  <td>{e.nextDueAt ? dateTime(e.nextDueAt) : '—'}</td>
                  <td className="row-actions">
                    {e.state === 'ACTIVE' && (
                      <button type="button" className="small" onClick={() => act(e, 'pause')}>
                        Pause<span className="sr-only"> {e.toEmail}</span>
                      </button>
                    )}
                    {e.state === 'PAUSED' && (
                      <button type="button" className="small" onClick={() => act(e, 'resume')}>
                        Resume<span className="sr-only"> {e.toEmail}</span>
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {enrollments.data && <Pager label="Enrollment pages" page={paged.page} hasNext={paged.hasNext} onPrev={() => setPage((p) => p - 1)} onNext={() => setPage((p) => p + 1)} total={rows.length} />}
    </section>
  );
}
