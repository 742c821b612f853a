import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { get, put } from '../api';
import { CreateRecordDialog, type RecordField } from '../components/CreateRecordDialog';
import { RecordTable, type RecordColumn } from '../components/RecordTable';
import { ErrorMessage } from '../components/ui';
import type { Company } from '../types';

const PROPS = ['name', 'domain', 'industry', 'city', 'country', 'createdate'];
const COLUMNS: RecordColumn<Company>[] = [
  { header: 'Domain', cell: (c) => c.properties.domain },
  { header: 'Industry', cell: (c) => c.properties.industry },
  { header: 'City', cell: (c) => [c.properties.city, c.properties.country].filter(Boolean).join(', ') },
];
const NEW_COMPANY: RecordField[] = [
  { property: 'name', label: 'Name', required: true },
  { property: 'domain', label: 'Domain' },
  { property: 'industry', label: 'Industry' },
  { property: 'city', label: 'City' },
  { property: 'country', label: 'Country' },
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
      {adding && <CreateRecordDialog objectType="companies" noun="company" fields={NEW_COMPANY} onClose={() => setAdding(false)} />}
    </main>
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
