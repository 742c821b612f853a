import { useState, type FormEvent } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { get, post, put } from '../api';
import { useRouter } from '../router';
import { RecordTable, type RecordColumn } from '../components/RecordTable';
import { Dialog, ErrorMessage, Field } from '../components/ui';
import type { Company } from '../types';

const PROPS = ['name', 'domain', 'industry', 'city', 'country', 'createdate'];
const COLUMNS: RecordColumn<Company>[] = [
  { header: 'Domain', cell: (c) => c.properties.domain },
  { header: 'Industry', cell: (c) => c.properties.industry },
  { header: 'City', cell: (c) => [c.properties.city, c.properties.country].filter(Boolean).join(', ') },
];

/** Companies (issue #13): searched by name or domain, newest first. */
export function CompaniesPage() {
  const [adding, setAdding] = useState(false);
  return (
    <main className="page">
      <div className="page-head">
        <h1>Companies</h1>
        <button type="button" className="primary" onClick={() => setAdding(true)}>
          Create company
        </button>
      </div>
      <RecordTable<Company>
        objectType="companies"
        noun="company"
        placeholder="name or domain"
        properties={PROPS}
        name={(c) => c.properties.name || c.properties.domain || `Company #${c.id}`}
        columns={COLUMNS}
        empty="No companies yet. Create one here or through the API; contacts of its domain join it."
      >
        <AutoAssociate />
      </RecordTable>
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
