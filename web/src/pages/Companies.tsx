import { useEffect, useState, type FormEvent } from 'react';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { get, post, put } from '../api';
import { Link, useRouter } from '../router';
import { Dialog, Empty, ErrorMessage, Field, Loading, Pager } from '../components/ui';
import { dateTime } from '../lib/format';
import type { Company, Paged } from '../types';

const PAGE = 25;
const PROPS = ['name', 'domain', 'industry', 'city', 'country', 'createdate'];

/** Companies (issue #13): searched by name or domain, newest first. */
export function CompaniesPage() {
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
    queryKey: ['companies', query, after ?? ''],
    placeholderData: keepPreviousData,
    queryFn: () =>
      post<Paged<Company> & { total: number }>('/crm/v3/objects/companies/search', {
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
        <h1>Companies</h1>
        <button type="button" className="primary" onClick={() => setAdding(true)}>
          Create company
        </button>
      </div>
      <div className="filters">
        <div className="field">
          <label htmlFor="company-search">Search companies</label>
          <input id="company-search" type="search" value={input} onChange={(e) => setInput(e.target.value)} placeholder="name or domain" />
        </div>
      </div>
      <AutoAssociate />
      <ErrorMessage error={list.error} title="Could not load companies" />
      {list.isLoading && <Loading what="companies" />}
      {list.data && list.data.results.length === 0 && <Empty>{query ? `No company matches “${query}”.` : 'No companies yet. Create one here or through the API; contacts of its domain join it.'}</Empty>}
      {list.data && list.data.results.length > 0 && (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Domain</th>
                <th scope="col">Industry</th>
                <th scope="col">City</th>
                <th scope="col">Created</th>
              </tr>
            </thead>
            <tbody>
              {list.data.results.map((c) => (
                <tr key={c.id}>
                  <th scope="row">
                    <Link to={`/companies/${c.id}`}>{c.properties.name || c.properties.domain || `Company #${c.id}`}</Link>
                  </th>
                  <td>{c.properties.domain}</td>
                  <td>{c.properties.industry}</td>
                  <td>{[c.properties.city, c.properties.country].filter(Boolean).join(', ')}</td>
                  <td>{dateTime(c.properties.createdate ?? c.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {list.data && (
        <Pager
          label="Company pages"
          page={cursors.length}
          total={list.data.total}
          hasNext={!!list.data.paging?.next}
          onPrev={() => setCursors((c) => c.slice(0, -1))}
          onNext={() => setCursors((c) => [...c, list.data!.paging!.next!.after])}
        />
      )}
      {adding && <CreateCompany onClose={() => setAdding(false)} />}
    </main>
  );
}

function CreateCompany({ onClose }: { onClose(): void }) {
  const { navigate } = useRouter();
  const queryClient = useQueryClient();
  const [p, setP] = useState({ name: '', domain: '', industry: '', city: '', country: '' });
  const [error, setError] = useState<unknown>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      const properties = Object.fromEntries(Object.entries(p).filter(([, v]) => v.trim()));
      const c = await post<Company>('/crm/v3/objects/companies', { properties });
      await queryClient.invalidateQueries({ queryKey: ['companies'] });
      navigate(`/companies/${c.id}`);
    } catch (err) {
      setError(err);
    }
  };
  const field = (k: keyof typeof p, label: string) => (
    <Field label={label}>{(id) => <input id={id} value={p[k]} required={k === 'name'} onChange={(e) => setP((x) => ({ ...x, [k]: e.target.value }))} />}</Field>
  );
  return (
    <Dialog
      title="Create company"
      onClose={onClose}
      actions={
        <>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" form="create-company" className="primary">
            Create
          </button>
        </>
      }
    >
      <form id="create-company" onSubmit={submit}>
        <ErrorMessage error={error} />
        {field('name', 'Name')}
        {field('domain', 'Domain')}
        {field('industry', 'Industry')}
        {field('city', 'City')}
        {field('country', 'Country')}
      </form>
    </Dialog>
  );
}

/** The account setting: contacts join the company of their email domain (admins change it). */
function AutoAssociate() {
  const queryClient = useQueryClient();
  const settings = useQuery({ queryKey: ['company-settings'], queryFn: () => get<{ autoAssociate: boolean }>('/seqflow/v1/companies/settings') });
  const [error, setError] = useState<unknown>(null);
  const toggle = async (autoAssociate: boolean) => {
    setError(null);
    try {
      await put('/seqflow/v1/companies/settings', { autoAssociate });
      await queryClient.invalidateQueries({ queryKey: ['company-settings'] });
    } catch (err) {
      setError(err);
    }
  };
  if (!settings.data) return null;
  return (
    <div className="filters">
      <label>
        <input type="checkbox" checked={settings.data.autoAssociate} onChange={(e) => void toggle(e.target.checked)} /> Associate new contacts with the company of their email domain
        (never free-mail domains)
      </label>
      <ErrorMessage error={error} />
    </div>
  );
}
