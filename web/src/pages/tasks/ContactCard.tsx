import { useQuery } from '@tanstack/react-query';
import { get } from '../../api';
import { Link } from '../../router';
import { ErrorMessage, Loading } from '../../components/ui';
import { contactName, dateTime } from '../../lib/format';
import type { Contact } from '../../types';
import { EVENT_LABELS } from '../ContactRecord';

const PROPS = ['firstname', 'lastname', 'email', 'company', 'jobtitle', 'phone'];

/** Who the task is about, beside it while the rep works: details and the latest of the timeline. */
export function ContactCard({ contactId }: { contactId: number }) {
  const contact = useQuery({ queryKey: ['contact', String(contactId)], queryFn: () => get<Contact>(`/crm/v3/objects/contacts/${contactId}?properties=${PROPS.join(',')}`) });
  const timeline = useQuery({
    queryKey: ['timeline', String(contactId)],
    queryFn: async () => (await get<{ results: { id?: string; type: string; at: string; data: Record<string, unknown> }[] }>(`/seqflow/v1/contacts/${contactId}/timeline`)).results,
  });
  const c = contact.data;
  return (
    <section className="card" aria-label="Contact">
      <ErrorMessage error={contact.error ?? timeline.error} />
      {contact.isLoading && <Loading what="the contact" />}
      {c && (
        <>
          <h2>
            <Link to={`/contacts/${contactId}`}>{contactName(c)}</Link>
          </h2>
          <dl className="props">
            <dt>Email</dt>
            <dd>{c.properties.email || '—'}</dd>
            <dt>Company</dt>
            <dd>{c.properties.company || '—'}</dd>
            <dt>Job title</dt>
            <dd>{c.properties.jobtitle || '—'}</dd>
            <dt>Phone</dt>
            <dd>{c.properties.phone ? <a href={`tel:${c.properties.phone}`}>{c.properties.phone}</a> : '—'}</dd>
          </dl>
        </>
      )}
      <h3>Recent activity</h3>
      <ol className="timeline" aria-label="Recent activity">
        {[...(timeline.data ?? [])]
          .reverse()
          .slice(0, 6)
          .map((e, i) => (
            <li key={e.id ?? i}>
              <strong>{EVENT_LABELS[e.type] ?? e.type}</strong> <span className="when">{dateTime(e.at)}</span>
              {(typeof e.data.outcome === 'string' || typeof e.data.note === 'string') && (
                <div className="muted">{[e.data.outcome, e.data.note].filter((x) => typeof x === 'string').join(' · ')}</div>
              )}
              {typeof e.data.subject === 'string' && <div className="muted">{e.data.subject}</div>}
            </li>
          ))}
      </ol>
    </section>
  );
}
