import { useEffect, useState, type FormEvent } from 'react';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { post } from '../api';
import { Link, useRouter } from '../router';
import { Dialog, Empty, ErrorMessage, Field, Loading, Pager } from '../components/ui';
import { contactName, dateTime } from '../lib/format';
import type { Contact, Paged } from '../types';

const PAGE = 25;
const PROPS = ['email', 'firstname', 'lastname', 'company', 'jobtitle', 'lifecyclestage', 'createdate'];

export function ContactsPage() {
  const [input, setInput] = useState('');
  const [query, setQuery] = useState('');
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const [adding, setAdding] = useState(false);
  useEffect(() => {
    const t = setTimeout(() => {
      setQuery(input.trim());
      setCursors([undefined]);
    }, 250);
    return () => clearTimeout(t);
  }, [input]);
  const after = cursors[cursors.length - 1];
  const list = useQuery({
    queryKey: ['contacts', query, after ?? ''],
    placeholderData: keepPreviousData,
    queryFn: () =>
      post<Paged<Contact>>('/crm/v3/objects/contacts/search', {
        query: query || undefined,
        limit: PAGE,
        after,
        properties: PROPS,
        sorts: [{ propertyName: 'createdate', direction: 'DESCENDING' }],
      }),
  });
  return (
    <main className="page">
      <div className="page-head">
        <h1>Contacts</h1>
        <button type="button" className="primary" onClick={() => setAdding(true)}>
          Create contact
        </button>
        <Link to="/import">Import contacts</Link>
      </div>
      <div className="filters">
        <div className="field">
          <label htmlFor="contact-search">Search contacts</label>
          <input id="contact-search" type="search" value={input} onChange={(e) => setInput(e.target.value)} placeholder="name, email or company" />
        </div>
      </div>
      <ErrorMessage error={list.error} title="Could not load contacts" />
      {list.isLoading && <Loading what="contacts" />}
      {list.data && list.data.results.length === 0 && <Empty>{query ? `No contact matches “${query}”.` : 'No contacts yet. Contacts are created by form submissions, the API, CSV import or here.'}</Empty>}
      {list.data && list.data.results.length > 0 && (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Email</th>
                <th scope="col">Company</th>
                <th scope="col">Lifecycle stage</th>
                <th scope="col">Created</th>
              </tr>
            </thead>
            <tbody>
              {list.data.results.map((c) => (
                <tr key={c.id}>
                  <th scope="row">
                    <Link to={`/contacts/${c.id}`}>{contactName(c)}</Link>
                  </th>
                  <td>{c.properties.email}</td>
                  <td>{c.properties.company}</td>
                  <td>{c.properties.lifecyclestage}</td>
                  <td>{dateTime(c.properties.createdate ?? c.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {list.data && (
        <Pager
          label="Contact pages"
          page={cursors.length}
          total={list.data.total}
          hasNext={!!list.data.paging?.next}
          onPrev={() => setCursors((c) => c.slice(0, -1))}
          onNext={() => setCursors((c) => [...c, list.data!.paging!.next!.after])}
        />
      )}
      {adding && <CreateContact onClose={() => setAdding(false)} />}
    </main>
  );
}

function CreateContact({ onClose }: { onClose(): void }) {
  const { navigate } = useRouter();
  const queryClient = useQueryClient();
  const [p, setP] = useState({ email: '', firstname: '', lastname: '', company: '' });
  const [error, setError] = useState<unknown>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      const properties = Object.fromEntries(Object.entries(p).filter(([, v]) => v.trim()));
      const c = await post<Contact>('/crm/v3/objects/contacts', { properties });
      await queryClient.invalidateQueries({ queryKey: ['contacts'] });
      navigate(`/contacts/${c.id}`);
    } catch (err) {
      setError(err);
    }
  };
  const field = (k: keyof typeof p, label: string, type = 'text') => (
    <Field label={label}>{(id) => <input id={id} type={type} value={p[k]} required={k === 'email'} onChange={(e) => setP((x) => ({ ...x, [k]: e.target.value }))} />}</Field>
  );
  return (
    <Dialog
      title="Create contact"
      onClose={onClose}
      actions={
        <>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" form="create-contact" className="primary">
            Create
          </button>
        </>
      }
    >
      <form id="create-contact" onSubmit={submit}>
        <ErrorMessage error={error} />
        {field('email', 'Email', 'email')}
        {field('firstname', 'First name')}
        {field('lastname', 'Last name')}
        {field('company', 'Company')}
      </form>
    </Dialog>
  );
}
