import { useEffect } from 'react';
import { Field } from './ui';
import { userName } from '../lib/format';
import type { User } from '../types';

export interface SenderChoice {
  user: User;
  /** The connected inboxes' addresses and aliases. */
  addresses: string[];
  /** Why this user cannot send here; such a user is shown but cannot be chosen. */
  unavailable: string | null;
}

/** "Send as" and "Send from" for enrolling by hand: the address follows the chosen user. */
export function SenderFields({ options, userId, onUserId, address, onAddress }: { options: SenderChoice[]; userId: string; onUserId(id: string): void; address: string; onAddress(address: string): void }) {
  const chosen = options.find((o) => o.user.id === userId);
  useEffect(() => {
    if (chosen && !chosen.addresses.includes(address)) onAddress(chosen.addresses[0] ?? '');
  }, [chosen, address, onAddress]);
  return (
    <>
      <Field label="Send as">
        {(id) => (
          <select id={id} value={userId} onChange={(e) => onUserId(e.target.value)}>
            {options.map((o) => (
              <option key={o.user.id} value={o.user.id} disabled={!!o.unavailable}>
                {userName(o.user)} ({o.user.email}){o.unavailable ? ` — ${o.unavailable}` : ''}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Send from">
        {(id) => (
          <select id={id} value={address} onChange={(e) => onAddress(e.target.value)}>
            {chosen?.addresses.map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </select>
        )}
      </Field>
    </>
  );
}
