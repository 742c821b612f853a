import { useMemo, useState, type FormEvent } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { post, q } from '../../api';
import { SenderFields, type SenderChoice } from '../../components/SenderFields';
import { Dialog, ErrorMessage, Field } from '../../components/ui';
import { useCurrentUser } from '../../lib/current-user';
import { useSenders } from '../../lib/data';
import type { Contact, Sequence } from '../../types';
import { ContactPicker } from './ContactPicker';
import { sequencePlaceholders, unfilledPlaceholders } from './placeholders';

/** Enrolls one contact by hand, choosing who sends and from which address, and filling in the emails' placeholders. */
export function EnrollDialog({ sequence, onClose }: { sequence: Sequence; onClose(): void }) {
  const senders = useSenders();
  const queryClient = useQueryClient();
  const [contact, setContact] = useState<Contact | null>(null);
  const me = useCurrentUser();
  // A rep who is not an admin sends as themselves, whoever owns the sequence.
  const [userId, setUserId] = useState(me && !me.superAdmin ? me.id : sequence.userId);
  const [address, setAddress] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState(false);
  const placeholders = useMemo(() => sequencePlaceholders(sequence), [sequence]);
  const [values, setValues] = useState<Record<string, string>>({});
  const [checked, setChecked] = useState(false);
  const unfilled = unfilledPlaceholders(placeholders, values);
  const SEQUENCE_SEATS = ['sales_professional', 'sales_enterprise', 'service_professional', 'service_enterprise'];
  const options = (senders.users ?? []).map((user): SenderChoice => {
    const connected = (senders.inboxes?.[user.id] ?? []).filter((i) => i.status === 'connected');
    const reason = !SEQUENCE_SEATS.includes(user.seat) ? 'no seat with sequences' : connected.length === 0 ? 'no connected inbox' : null;
    return { user, unavailable: reason && `unavailable: ${reason}`, addresses: [...new Set(connected.flatMap((i) => [i.address, ...i.aliases]))] };
  });
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      if (!contact) throw new Error('Choose a contact.');
      setChecked(true);
      // The API would enroll anyway and pause at the email; by hand the sender is here to fill them in.
      if (unfilled.length) throw new Error(`Fill in every placeholder before enrolling: ${unfilled.map((p) => `"${p}"`).join(', ')}.`);
      const placeholderValues = Object.fromEntries(placeholders.map((p) => [p, values[p].trim()]));
      await post(`/automation/v4/sequences/enrollments${q({ userId })}`, { contactId: contact.id, sequenceId: sequence.id, senderEmail: address, ...(placeholders.length && { placeholderValues }) });
      await queryClient.invalidateQueries({ queryKey: ['enrollments'] });
      await queryClient.invalidateQueries({ queryKey: ['sequences'] });
      setDone(true);
    } catch (err) {
      setError(err);
    }
  };
  return (
    <Dialog
      title={`Enroll a contact in ${sequence.name}`}
      onClose={onClose}
      actions={
        done ? (
          <button type="button" className="primary" onClick={onClose}>
            Done
          </button>
        ) : (
          <>
            <button type="button" onClick={onClose}>
              Cancel
            </button>
            <button type="submit" form="enroll-form" className="primary">
              Enroll
            </button>
          </>
        )
      }
    >
      {done ? (
        <p className="message ok" role="status">
          {contact?.properties.email} is enrolled.
        </p>
      ) : (
        <form id="enroll-form" onSubmit={submit}>
          <ErrorMessage error={error} />
          <ContactPicker value={contact} onChange={setContact} />
          <SenderFields options={options} userId={userId} onUserId={setUserId} address={address} onAddress={setAddress} />
          {placeholders.length > 0 && (
            <fieldset className="placeholders">
              <legend>Placeholders</legend>
              <p className="hint">The emails of this sequence have text only you can write for this contact. It goes into every email that has the placeholder.</p>
              {placeholders.map((p) => (
                <Field key={p} label={`Placeholder: ${p}`} error={checked && !values[p]?.trim() ? 'Fill this in to enroll.' : null}>
                  {(id) => <textarea id={id} rows={2} value={values[p] ?? ''} onChange={(e) => setValues((v) => ({ ...v, [p]: e.target.value }))} />}
                </Field>
              ))}
            </fieldset>
          )}
        </form>
      )}
    </Dialog>
  );
}
