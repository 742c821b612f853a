import { useState, type FormEvent } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { post, q } from '../../api';
import { SenderFields, type SenderChoice } from '../../components/SenderFields';
import { Dialog, ErrorMessage } from '../../components/ui';
import { useSenders } from '../../lib/data';
import type { Contact, Sequence } from '../../types';
import { ContactPicker } from './ContactPicker';

/** Enrolls one contact by hand, choosing who sends and from which address. */
export function EnrollDialog({ sequence, onClose }: { sequence: Sequence; onClose(): void }) {
  const senders = useSenders();
  const queryClient = useQueryClient();
  const [contact, setContact] = useState<Contact | null>(null);
  const [userId, setUserId] = useState(sequence.userId);
  const [address, setAddress] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState(false);
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
      await post(`/automation/v4/sequences/enrollments${q({ userId })}`, { contactId: contact.id, sequenceId: sequence.id, senderEmail: address });
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
        </form>
      )}
    </Dialog>
  );
}
