import { useState, type FormEvent } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { get, patch, post } from '../api';
import { Link } from '../router';
import { Badge, Dialog, Empty, ErrorMessage, Field, Loading } from '../components/ui';
import { useAllSequences, useEnrollments, useUsers } from '../lib/data';
import { contactName, dateTime, reasonText, STATE_LABELS, userName } from '../lib/format';
import type { AssociatedObject, Company, Contact, Enrollment } from '../types';
import { ContactWorkflows } from './ContactWorkflows';
import { useLists } from './Lists';

const EDITABLE = ['firstname', 'lastname', 'company', 'jobtitle', 'phone', 'timezone', 'lifecyclestage', 'hubspot_owner_id'];

export const EVENT_LABELS: Record<string, string> = {
  CONTACT_CREATED: 'Contact created',
  FORM_SUBMITTED: 'Form submitted',
  MEETING_BOOKED: 'Meeting booked',
  PROPERTY_CHANGED: 'Property changed',
  EMAIL_SENT: 'Email sent',
  EMAIL_REPLIED: 'Replied to an email',
  EMAIL_REPLIED_AUTO: 'Automatic reply received',
  EMAIL_BOUNCED: 'Email bounced',
  EMAIL_DELAYED: 'Email delivery delayed',
  EMAIL_OPENED: 'Email opened',
  EMAIL_CLICKED: 'Link in an email clicked',
  UNSUBSCRIBED: 'Unsubscribed',
  SEQUENCE_ENROLLED: 'Enrolled in a sequence',
  SEQUENCE_UNENROLLED: 'Unenrolled from a sequence',
  SEQUENCE_FINISHED: 'Finished a sequence',
  ADDED_TO_LIST: 'Added to a list',
  REMOVED_FROM_LIST: 'Removed from a list',
  CALL_LOGGED: 'Call logged',
  TASK_COMPLETED: 'Task completed',
  TASK_SKIPPED: 'Task skipped',
  SEQUENCE_PAUSED: 'Sequence paused',
  SEQUENCE_RESUMED: 'Sequence resumed',
};

export function ContactRecord({ id }: { id: string }) {
  const queryClient = useQueryClient();
  const contact = useQuery({ queryKey: ['contact', id], queryFn: () => get<Contact>(`/crm/v3/objects/contacts/${id}`) });
  const enrollments = useEnrollments({ contactId: id });
  const sequences = useAllSequences();
  const users = useUsers();
  const timeline = useQuery({
    queryKey: ['timeline', id],
    queryFn: async () => (await get<{ results: { id?: string; type: string; at: string; data: Record<string, unknown> }[] }>(`/seqflow/v1/contacts/${id}/timeline`)).results,
  });
  const [confirm, setConfirm] = useState<Enrollment | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [editing, setEditing] = useState(false);
  const current = enrollments.data?.find((e) => e.state === 'ACTIVE' || e.state === 'PAUSED');
  const past = (enrollments.data ?? []).filter((e) => e !== current).sort((a, b) => b.enrolledAt.localeCompare(a.enrolledAt));
  const sequenceName = (sid: string) => sequences.data?.find((s) => s.id === sid)?.name ?? `Deleted sequence #${sid}`;
  const sender = (uid: string) => users.data?.find((u) => u.id === uid);

  const unenroll = async () => {
    setError(null);
    try {
      await post(`/seqflow/v1/contacts/${id}/unenroll`);
      await Promise.all([queryClient.invalidateQueries({ queryKey: ['enrollments'] }), queryClient.invalidateQueries({ queryKey: ['timeline', id] })]);
    } catch (err) {
      setError(err);
    }
    setConfirm(null);
  };

  if (contact.error) return <main className="page"><ErrorMessage error={contact.error} title="Could not load the contact" /><Link to="/contacts">All contacts</Link></main>;
  if (!contact.data) return <main className="page"><Loading what="the contact" /></main>;
  const c = contact.data;
  return (
    <main className="page">
      <div className="page-head">
        <div className="crumbs">
          <Link to="/contacts">Contacts</Link> /
        </div>
        <h1>{contactName(c)}</h1>
        {c.archived && <Badge kind="off">Deleted</Badge>}
      </div>
      <ErrorMessage error={error} />
      <div className="grid-2">
        <div>
          <section className="card" aria-labelledby="enrollment-h">
            <h2 id="enrollment-h">Sequence enrollment</h2>
            {enrollments.isLoading && <Loading />}
            {enrollments.data && !current && <p className="muted">Not enrolled in a sequence.</p>}
            {current && (
              <div>
                <p>
                  <Link to={`/sequences/${current.sequenceId}?tab=enrollments`}>{sequenceName(current.sequenceId)}</Link>{' '}
                  <Badge kind={current.state === 'ACTIVE' ? 'ok' : 'warn'}>{STATE_LABELS[current.state]}</Badge>
                </p>
                <dl className="props">
                  <dt>Sender</dt>
                  <dd>{sender(current.senderUserId) ? `${userName(sender(current.senderUserId)!)} <${current.senderEmail}>` : current.senderEmail}</dd>
                  <dt>Current step</dt>
                  <dd>{current.currentStep + 1}</dd>
                  <dt>Next email</dt>
                  <dd>{current.nextDueAt ? dateTime(current.nextDueAt) : '—'}</dd>
                  {current.reason && (
                    <>
                      <dt>Reason</dt>
                      <dd>{reasonText(current.reason)}</dd>
                    </>
                  )}
                  <dt>Enrolled</dt>
                  <dd>{dateTime(current.enrolledAt)}</dd>
                </dl>
                <button type="button" className="danger" onClick={() => setConfirm(current)} style={{ marginTop: '0.75rem' }}>
                  Unenroll
                </button>
              </div>
            )}
            {past.length > 0 && (
              <>
                <h3 style={{ marginTop: '1rem' }}>Earlier enrollments</h3>
                <ul>
                  {past.map((e) => (
                    <li key={e.id}>
                      {sequenceName(e.sequenceId)} — {STATE_LABELS[e.state] ?? e.state}
                      {e.reason && `: ${reasonText(e.reason)}`} ({dateTime(e.endedAt ?? e.updatedAt)}) · {e.sends.filter((s) => s.status === 'SENT').length} sent
                    </li>
                  ))}
                </ul>
              </>
            )}
          </section>
          <ContactCompanies contactId={id} />
          <ContactLists id={id} />
          <ContactWorkflows contactId={id} />
          <section className="card" aria-labelledby="props-h">
            <div className="step-head">
              <h2 id="props-h">Properties</h2>
              <div className="spacer" />
              <button type="button" className="small" onClick={() => setEditing(true)}>
                Edit properties
              </button>
            </div>
            <dl className="props">
              {Object.entries(c.properties)
                .filter(([, v]) => v !== null && v !== '')
                .sort(([a], [b]) => a.localeCompare(b))
                .map(([k, v]) => (
                  <div key={k} style={{ display: 'contents' }}>
                    <dt>{k}</dt>
                    <dd>{v}</dd>
                  </div>
                ))}
            </dl>
          </section>
        </div>
        <section className="card" aria-labelledby="timeline-h">
          <h2 id="timeline-h">Timeline</h2>
          <ErrorMessage error={timeline.error} />
          {timeline.isLoading && <Loading />}
          {timeline.data?.length === 0 && <Empty>Nothing has happened yet.</Empty>}
          <ol className="timeline" aria-label="Timeline">
            {[...(timeline.data ?? [])].reverse().map((e, i) => (
              <li key={e.id ?? i}>
                <strong>{e.type === 'EMAIL_OPENED' && e.data.proxy === true ? 'Email fetched by a mail privacy proxy (maybe not opened)' : (EVENT_LABELS[e.type] ?? e.type)}</strong> <span className="when">{dateTime(e.at)}</span>
                <EventData data={e.data} />
              </li>
            ))}
          </ol>
        </section>
      </div>
      {confirm && (
        <Dialog
          title="Unenroll this contact?"
          onClose={() => setConfirm(null)}
          actions={
            <>
              <button type="button" onClick={() => setConfirm(null)}>
                Cancel
              </button>
              <button type="button" className="danger" onClick={unenroll}>
                Unenroll
              </button>
            </>
          }
        >
          <p>
            {contactName(c)} will get no more emails from {sequenceName(confirm.sequenceId)}. Emails already sent stay in the history.
          </p>
        </Dialog>
      )}
      {editing && <EditProperties contact={c} onClose={() => setEditing(false)} />}
    </main>
  );
}

function EventData({ data }: { data: Record<string, unknown> }) {
  const entries = Object.entries(data ?? {}).filter(([, v]) => v !== null && v !== undefined && v !== '');
  if (!entries.length) return null;
  return (
    <div className="muted" style={{ fontSize: '0.87rem' }}>
      {entries
        .slice(0, 6)
        .map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
        .join(' · ')}
    </div>
  );
}

function EditProperties({ contact, onClose }: { contact: Contact; onClose(): void }) {
  const queryClient = useQueryClient();
  const [values, setValues] = useState<Record<string, string>>(() => Object.fromEntries(EDITABLE.map((k) => [k, contact.properties[k] ?? ''])));
  const [error, setError] = useState<unknown>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      const changed = Object.fromEntries(Object.entries(values).filter(([k, v]) => (contact.properties[k] ?? '') !== v));
      if (Object.keys(changed).length) await patch(`/crm/v3/objects/contacts/${contact.id}`, { properties: changed });
      await queryClient.invalidateQueries({ queryKey: ['contact', contact.id] });
      await queryClient.invalidateQueries({ queryKey: ['timeline', contact.id] });
      onClose();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <Dialog
      title="Edit properties"
      onClose={onClose}
      actions={
        <>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" form="edit-props" className="primary">
            Save
          </button>
        </>
      }
    >
      <form id="edit-props" onSubmit={submit}>
        <ErrorMessage error={error} />
        {EDITABLE.map((k) => (
          <Field key={k} label={k}>
            {(id) => <input id={id} value={values[k]} onChange={(e) => setValues((v) => ({ ...v, [k]: e.target.value }))} />}
          </Field>
        ))}
      </form>
    </Dialog>
  );
}

/** The contact's companies (issue #13), its primary one marked (what associatedcompanyid holds). */
function ContactCompanies({ contactId }: { contactId: string }) {
  const companies = useQuery({
    queryKey: ['contact-companies', contactId],
    queryFn: async () => {
      const links = (await get<{ results: AssociatedObject[] }>(`/crm/v4/objects/contacts/${contactId}/associations/companies`)).results;
      if (!links.length) return [];
      const read = await post<{ results: Company[] }>('/crm/v3/objects/companies/batch/read', { inputs: links.map((l) => ({ id: String(l.toObjectId) })), properties: ['name', 'domain'] });
      const primary = new Set(links.filter((l) => l.associationTypes.some((t) => t.typeId === 1)).map((l) => String(l.toObjectId)));
      return read.results.map((c) => ({ company: c, primary: primary.has(c.id) }));
    },
  });
  return (
    <section className="card" aria-labelledby="companies-h">
      <h2 id="companies-h">Companies</h2>
      <ErrorMessage error={companies.error} />
      {companies.isLoading && <Loading />}
      {companies.data?.length === 0 && <p className="muted">Not associated with a company.</p>}
      {!!companies.data?.length && (
        <ul>
          {companies.data.map(({ company, primary }) => (
            <li key={company.id}>
              <Link to={`/companies/${company.id}`}>{company.properties.name || company.properties.domain || `Company #${company.id}`}</Link>
              {company.properties.domain && <span className="muted"> · {company.properties.domain}</span>} {primary && <Badge kind="info">Primary</Badge>}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** The lists the contact is on (HubSpot's record memberships), each a link to the list. */
function ContactLists({ id }: { id: string }) {
  const memberships = useQuery({
    queryKey: ['contact-lists', id],
    queryFn: async () => (await get<{ results: { listId: string }[] }>(`/crm/v3/lists/records/0-1/${id}/memberships`)).results,
  });
  const lists = useLists();
  const name = (listId: string) => lists.data?.find((l) => l.listId === listId)?.name ?? `List ${listId}`;
  return (
    <section className="card" aria-labelledby="lists-h">
      <h2 id="lists-h">Lists</h2>
      <ErrorMessage error={memberships.error} />
      {memberships.data?.length === 0 && <p className="muted">Not on any list.</p>}
      {memberships.data && memberships.data.length > 0 && (
        <ul>
          {memberships.data.map((m) => (
            <li key={m.listId}>
              <Link to={`/lists/${m.listId}`}>{name(m.listId)}</Link>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
