import { useQuery } from '@tanstack/react-query';
import { get, post } from '../api';
import { Link } from '../router';
import { Badge, Empty, ErrorMessage, Loading } from '../components/ui';
import { useAllSequences, useEnrollments } from '../lib/data';
import { contactName, reasonText, STATE_LABELS } from '../lib/format';
import type { AssociatedObject, Company, Contact } from '../types';

const PROPS = ['name', 'domain', 'industry', 'city', 'country', 'phone', 'numberofemployees', 'createdate', 'hs_lastmodifieddate'];
const PRIMARY = 2;

/** A company (issue #13): its properties and its associated contacts with their sequence enrollment. */
export function CompanyRecord({ id }: { id: string }) {
  const company = useQuery({ queryKey: ['company', id], queryFn: () => get<Company>(`/crm/v3/objects/companies/${id}?properties=${PROPS.join(',')}`) });
  const people = useQuery({
    queryKey: ['company-contacts', id],
    queryFn: async () => {
      const links = (await get<{ results: AssociatedObject[] }>(`/crm/v4/objects/companies/${id}/associations/contacts`)).results;
      if (!links.length) return [];
      const read = await post<{ results: Contact[] }>('/crm/v3/objects/contacts/batch/read', {
        inputs: links.map((l) => ({ id: String(l.toObjectId) })),
        properties: ['email', 'firstname', 'lastname', 'jobtitle'],
      });
      const primary = new Set(links.filter((l) => l.associationTypes.some((t) => t.typeId === PRIMARY)).map((l) => String(l.toObjectId)));
      return read.results.map((c) => ({ contact: c, primary: primary.has(c.id) }));
    },
  });
  if (company.error) return <main className="page"><ErrorMessage error={company.error} title="Could not load the company" /><Link to="/companies">All companies</Link></main>;
  if (!company.data) return <main className="page"><Loading what="the company" /></main>;
  const c = company.data;
  return (
    <main className="page">
      <div className="page-head">
        <div className="crumbs">
          <Link to="/companies">Companies</Link> /
        </div>
        <h1>{c.properties.name || c.properties.domain || `Company #${c.id}`}</h1>
      </div>
      <div className="grid-2">
        <section className="card" aria-labelledby="company-props-h">
          <h2 id="company-props-h">Properties</h2>
          <dl className="props">
            {PROPS.filter((k) => c.properties[k]).map((k) => (
              <div key={k} style={{ display: 'contents' }}>
                <dt>{k}</dt>
                <dd>{c.properties[k]}</dd>
              </div>
            ))}
          </dl>
        </section>
        <section className="card" aria-labelledby="company-contacts-h">
          <h2 id="company-contacts-h">Contacts</h2>
          <ErrorMessage error={people.error} />
          {people.isLoading && <Loading />}
          {people.data?.length === 0 && <Empty>No contacts are associated with this company.</Empty>}
          {!!people.data?.length && (
            <table>
              <thead>
                <tr>
                  <th scope="col">Contact</th>
                  <th scope="col">Email</th>
                  <th scope="col">Sequence</th>
                </tr>
              </thead>
              <tbody>
                {people.data.map(({ contact, primary }) => (
                  <tr key={contact.id}>
                    <th scope="row">
                      <Link to={`/contacts/${contact.id}`}>{contactName(contact)}</Link> {primary && <Badge kind="info">Primary</Badge>}
                    </th>
                    <td>{contact.properties.email}</td>
                    <td>
                      <ContactEnrollment contactId={contact.id} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      </div>
    </main>
  );
}

/** The contact's running enrollment, else its latest one with why it ended. */
function ContactEnrollment({ contactId }: { contactId: string }) {
  const enrollments = useEnrollments({ contactId });
  const sequences = useAllSequences();
  if (!enrollments.data) return <span className="muted">…</span>;
  const latest = [...enrollments.data].sort((a, b) => b.enrolledAt.localeCompare(a.enrolledAt))[0];
  if (!latest) return <span className="muted">Not enrolled</span>;
  const name = sequences.data?.find((s) => s.id === latest.sequenceId)?.name ?? `Sequence #${latest.sequenceId}`;
  return (
    <span>
      <Link to={`/sequences/${latest.sequenceId}?tab=enrollments`}>{name}</Link> — {STATE_LABELS[latest.state] ?? latest.state}
      {latest.reason && <span className="muted">: {reasonText(latest.reason)}</span>}
    </span>
  );
}
