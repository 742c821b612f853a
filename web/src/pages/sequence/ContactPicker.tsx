import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { post } from '../../api';
import { Field } from '../../components/ui';
import type { Contact, Paged } from '../../types';

/** Search box and list of contacts, newest first: the preview and the enroll dialog both pick one; `none` names the empty choice. */
export function ContactPicker({ value, onChange, label = 'Contact', none = 'Choose a contact' }: { value: Contact | null; onChange(c: Contact | null): void; label?: string; none?: string }) {
  const [query, setQuery] = useState('');
  const results = useQuery({
    queryKey: ['contact-picker', query],
    queryFn: async () =>
      (await post<Paged<Contact>>('/crm/v3/objects/contacts/search', { query: query.trim() || undefined, limit: 20, properties: ['email', 'firstname', 'lastname', 'company'], sorts: [{ propertyName: 'createdate', direction: 'DESCENDING' }] })).results,
  });
  return (
    <div className="row">
      <Field label={`Find ${label.toLowerCase()}`}>{(id) => <input id={id} type="search" value={query} onChange={(e) => setQuery(e.target.value)} placeholder="name, email or company" />}</Field>
      <Field label={label}>
        {(id) => (
          <select id={id} value={value?.id ?? ''} onChange={(e) => onChange(results.data?.find((c) => c.id === e.target.value) ?? null)}>
            <option value="">{none}</option>
            {value && !results.data?.some((c) => c.id === value.id) && <option value={value.id}>{value.properties.email}</option>}
            {results.data?.map((c) => (
              <option key={c.id} value={c.id}>
                {[c.properties.firstname, c.properties.lastname].filter(Boolean).join(' ') || '(no name)'} — {c.properties.email}
              </option>
            ))}
          </select>
        )}
      </Field>
    </div>
  );
}
