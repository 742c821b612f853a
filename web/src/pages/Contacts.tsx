import { useState } from 'react';
import { Link } from '../router';
import { CreateRecordDialog, type RecordField } from '../components/CreateRecordDialog';
import { RecordTable, type RecordColumn } from '../components/RecordTable';
import { contactName } from '../lib/format';
import type { Contact } from '../types';

const PROPS = ['email', 'firstname', 'lastname', 'company', 'jobtitle', 'lifecyclestage', 'createdate'];
const COLUMNS: RecordColumn<Contact>[] = [
  { header: 'Email', cell: (c) => c.properties.email },
  { header: 'Company', cell: (c) => c.properties.company },
  { header: 'Lifecycle stage', cell: (c) => c.properties.lifecyclestage },
];
const NEW_CONTACT: RecordField[] = [
  { property: 'email', label: 'Email', type: 'email', required: true },
  { property: 'firstname', label: 'First name' },
  { property: 'lastname', label: 'Last name' },
  { property: 'company', label: 'Company' },
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
      {adding && <CreateRecordDialog objectType="contacts" noun="contact" fields={NEW_CONTACT} onClose={() => setAdding(false)} />}
    </main>
  );
}
