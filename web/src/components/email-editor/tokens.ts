import { useQuery } from '@tanstack/react-query';
import { get } from '../../api';
import type { Property } from '../../types';

export interface TokenGroup {
  group: string;
  tokens: { label: string; text: string }[];
}

/**
 * What the renderer can fill in (src/domain/templates.ts: `contact`, `sender`, `unsubscribe_link`)
 * and the placeholder a rep types by hand. The renderer has no company scope: a contact's
 * company is its `company` property, listed among the contact's.
 */
export function tokenGroups(contactProperties: Pick<Property, 'name' | 'label' | 'hidden'>[]): TokenGroup[] {
  const contact = contactProperties
    .filter((p) => !p.hidden)
    .map((p) => ({ label: p.label || p.name, text: `{{ contact${/^[A-Za-z_][\w-]*$/.test(p.name) ? `.${p.name}` : `[${JSON.stringify(p.name)}]`} }}` }))
    .sort((a, b) => a.label.localeCompare(b.label));
  return [
    { group: 'Contact', tokens: [{ label: 'First name, or "there"', text: '{{ contact.firstname | default: "there" }}' }, ...contact] },
    {
      group: 'Sender',
      tokens: [
        { label: 'Sender first name', text: '{{ sender.firstname }}' },
        { label: 'Sender last name', text: '{{ sender.lastname }}' },
        { label: 'Sender email', text: '{{ sender.email }}' },
        { label: 'Sender signature', text: '{{ sender.signature }}' },
      ],
    },
    { group: 'Links', tokens: [{ label: 'Unsubscribe link', text: '{{ unsubscribe_link }}' }] },
    { group: 'Typed by the sender', tokens: [{ label: 'Placeholder', text: '[[placeholder: what to write]]' }] },
  ];
}

/** The token groups, with the contact properties the Properties page reads (same query, so one fetch). */
export function useTokens(): TokenGroup[] {
  const properties = useQuery({ queryKey: ['properties', 'contacts'], queryFn: () => get<{ results: Property[] }>('/crm/v3/properties/contacts') });
  return tokenGroups(properties.data?.results ?? []);
}
