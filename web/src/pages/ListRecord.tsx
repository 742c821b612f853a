import { useEffect, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { get, post, put } from '../api';
import { Link } from '../router';
import { SenderFields } from '../components/SenderFields';
import { Badge, Dialog, Empty, ErrorMessage, Field, Loading, Pager } from '../components/ui';
import { useAllSequences, useSenders } from '../lib/data';
import { contactName, dateTime } from '../lib/format';
import type { BulkEnrollResponse, Contact, ContactList, ListMembershipsPage } from '../types';
import { ContactPicker } from './sequence/ContactPicker';
import { listTypeLabel } from './Lists';

const PAGE = 50;

/** A list: its members (added and removed by hand on a static list) and "Enroll in sequence". */
export function ListRecord({ id }: { id: string }) {
  const queryClient = useQueryClient();
  const list = useQuery({ queryKey: ['list', id], queryFn: async () => (await get<{ list: ContactList }>(`/crm/v3/lists/${id}?includeFilters=true`)).list });
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const after = cursors[cursors.length - 1];
  const members = useQuery({
    queryKey: ['list-members', id, after ?? ''],
    queryFn: async () => {
      const page = await get<ListMembershipsPage>(`/crm/v3/lists/${id}/memberships?limit=${PAGE}${after ? `&after=${after}` : ''}`);
      const contacts = page.results.length
        ? (await post<{ results: Contact[] }>('/crm/v3/objects/contacts/batch/read', { inputs: page.results.map((r) => ({ id: r.recordId })), properties: ['email', 'firstname', 'lastname'] })).results
        : [];
      const byId = new Map(contacts.map((c) => [c.id, c]));
      return { ...page, rows: page.results.map((r) => ({ ...r, contact: byId.get(r.recordId) })) };
    },
  });
  const [adding, setAdding] = useState<Contact | null>(null);
  const [enrolling, setEnrolling] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const manual = list.data && list.data.processingType !== 'DYNAMIC';
  const refresh = () => Promise.all([queryClient.invalidateQueries({ queryKey: ['list-members', id] }), queryClient.invalidateQueries({ queryKey: ['list', id] }), queryClient.invalidateQueries({ queryKey: ['lists'] })]);
  const change = async (path: 'add' | 'remove', contactId: string) => {
    setError(null);
    try {
      await put(`/crm/v3/lists/${id}/memberships/${path}`, [contactId]);
      setAdding(null);
      await refresh();
    } catch (err) {
      setError(err);
    }
  };
  if (list.isLoading) return <Loading what="list" />;
  if (!list.data) return <ErrorMessage error={list.error} title="Could not load the list" />;
  const l = list.data;
  return (
    <main className="page">
      <p>
        <Link to="/lists">← Lists</Link>
      </p>
      <div className="page-head">
        <h1>{l.name}</h1>
        <button type="button" className="primary" onClick={() => setEnrolling(true)} disabled={!members.data?.total}>
          Enroll in sequence
        </button>
      </div>
      <p>
        <Badge kind="info">{listTypeLabel(l.processingType)}</Badge> {members.data?.total ?? l.size ?? 0} contacts
      </p>
      {l.processingType === 'DYNAMIC' && <p className="muted">Contacts join and leave this list as they start or stop matching its filters.</p>}
      <ErrorMessage error={error} />
      {manual && (
        <section className="card" aria-labelledby="add-h">
          <h2 id="add-h">Add a contact</h2>
          <ContactPicker value={adding} onChange={setAdding} />
          <button type="button" disabled={!adding} onClick={() => adding && void change('add', adding.id)}>
            Add to list
          </button>
        </section>
      )}
      <section aria-labelledby="members-h">
        <h2 id="members-h">Members</h2>
        <ErrorMessage error={members.error} title="Could not load the members" />
        {members.isLoading && <Loading what="members" />}
        {members.data?.rows.length === 0 && <Empty>No contacts on this list yet.</Empty>}
        {members.data && members.data.rows.length > 0 && (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Contact</th>
                  <th scope="col">Email</th>
                  <th scope="col">Joined</th>
                  {manual && <th scope="col">Remove</th>}
                </tr>
              </thead>
              <tbody>
                {members.data.rows.map((r) => (
                  <tr key={r.recordId}>
                    <th scope="row">
                      <Link to={`/contacts/${r.recordId}`}>{r.contact ? contactName(r.contact) : `Contact ${r.recordId}`}</Link>
                    </th>
                    <td>{r.contact?.properties.email ?? ''}</td>
                    <td>{dateTime(r.membershipTimestamp)}</td>
                    {manual && (
                      <td>
                        <button type="button" onClick={() => void change('remove', r.recordId)}>
                          Remove<span className="sr-only"> {r.contact?.properties.email ?? r.recordId}</span>
                        </button>
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <Pager
          page={cursors.length}
          hasNext={!!members.data?.paging?.next.after}
          onPrev={() => setCursors((c) => c.slice(0, -1))}
          onNext={() => setCursors((c) => [...c, members.data?.paging?.next.after])}
          label="Member pages"
        />
      </section>
      {enrolling && (
        <BulkEnrollDialog
          list={l}
          onClose={() => setEnrolling(false)}
          onEnrolled={() => void queryClient.invalidateQueries({ queryKey: ['enrollments'] })}
        />
      )}
    </main>
  );
}

const OUTCOME: Record<string, string> = { WOULD_ENROLL: 'Will be enrolled', ENROLLED: 'Enrolled', SKIPPED: 'Skipped' };

/** Choose a sequence and a sender, see who would be enrolled and who skipped (and why), then confirm. */
function BulkEnrollDialog({ list, onClose, onEnrolled }: { list: ContactList; onClose(): void; onEnrolled(): void }) {
  const sequences = useAllSequences();
  const senders = useSenders();
  const [sequenceId, setSequenceId] = useState('');
  const [userId, setUserId] = useState('');
  const [address, setAddress] = useState('');
  const [preview, setPreview] = useState<BulkEnrollResponse | null>(null);
  const [result, setResult] = useState<BulkEnrollResponse | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const options = senders.options ?? [];
  useEffect(() => {
    if (!sequenceId && sequences.data?.length) setSequenceId(sequences.data[0].id);
  }, [sequences.data, sequenceId]);
  useEffect(() => {
    if (!userId && options.length) setUserId((options.find((o) => o.addresses.length) ?? options[0]).user.id);
  }, [options, userId]);
  const run = async (dry: boolean) => {
    setError(null);
    setBusy(true);
    try {
      const r = await post<BulkEnrollResponse>(`/seqflow/v1/lists/${list.listId}/enroll`, { sequenceId, userId, senderEmail: address, preview: dry });
      if (dry) setPreview(r);
      else {
        setResult(r);
        onEnrolled();
      }
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const shown = result ?? preview;
  const actions = result ? (
    <button type="button" className="primary" onClick={onClose}>
      Done
    </button>
  ) : (
    <>
      <button type="button" onClick={onClose}>
        Cancel
      </button>
      {preview ? (
        <button type="button" className="primary" disabled={busy || preview.enrolled === 0} onClick={() => void run(false)}>
          Enroll {preview.enrolled} {preview.enrolled === 1 ? 'contact' : 'contacts'}
        </button>
      ) : (
        <button type="button" className="primary" disabled={busy || !sequenceId || !address} onClick={() => void run(true)}>
          Preview
        </button>
      )}
    </>
  );
  return (
    <Dialog title={`Enroll ${list.name} in a sequence`} onClose={onClose} actions={actions}>
      <ErrorMessage error={error} />
      {!preview && (
        <>
          <Field label="Sequence">
            {(id) => (
              <select id={id} value={sequenceId} onChange={(e) => setSequenceId(e.target.value)}>
                {sequences.data?.map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.name} ({s.ownerName})
                  </option>
                ))}
              </select>
            )}
          </Field>
          <SenderFields
            options={options.map((o) => ({ ...o, unavailable: o.addresses.length === 0 ? 'no connected inbox' : null }))}
            userId={userId}
            onUserId={setUserId}
            address={address}
            onAddress={setAddress}
          />
        </>
      )}
      {shown && (
        <>
          <p role="status" className={result ? 'message ok' : undefined}>
            {result
              ? `${result.enrolled} enrolled, ${result.skipped} skipped.`
              : `${shown.enrolled} will be enrolled, ${shown.skipped} will be skipped. Nothing has been sent yet.`}
          </p>
          <div className="table-wrap">
            <table aria-label={result ? 'Enrollment results' : 'Enrollment preview'}>
              <thead>
                <tr>
                  <th scope="col">Email</th>
                  <th scope="col">Outcome</th>
                  <th scope="col">Reason</th>
                </tr>
              </thead>
              <tbody>
                {shown.results.map((r) => (
                  <tr key={r.contactId}>
                    <th scope="row">{r.email ?? `Contact ${r.contactId}`}</th>
                    <td>{OUTCOME[r.outcome] ?? r.outcome}</td>
                    <td>{r.reason ? <span title={r.message}>{r.reason}</span> : ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </Dialog>
  );
}
