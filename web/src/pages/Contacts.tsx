import { useState, type FormEvent } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { post } from '../api';
import { Link, useRouter } from '../router';
import { RecordTable, type RecordColumn } from '../components/RecordTable';
import { Dialog, ErrorMessage, Field } from '../components/ui';
import { contactName } from '../lib/format';
import type { Contact } from '../types';

const PROPS = ['email', 'firstname', 'lastname', 'company', 'jobtitle', 'lifecyclestage', 'createdate'];
const COLUMNS: RecordColumn<Contact>[] = [
  { header: 'Email', cell: (c) => c.properties.email },
  { header: 'Company', cell: (c) => c.properties.company },
  { header: 'Lifecycle stage', cell: (c) => c.properties.lifecyclestage },
];

export function ContactsPage() {
  const [adding, setAdding] = useState(false);
  return (
    <main className="page">
      <div className="page-head">
        <h1>Contacts</h1>
        <button type="button" className="primary" onClick={() => setAdding(true)}>
          Create contact
        </button>
        <Link to="/import">Import contacts</Link>
      </div>
      <RecordTable<Contact>
        objectType="contacts"
        noun="contact"
        placeholder="name, email or company"
        properties={PROPS}
        name={contactName}
        columns={COLUMNS}
        empty="No contacts yet. Contacts are created by form submissions, the API, CSV import or here."
      />
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
