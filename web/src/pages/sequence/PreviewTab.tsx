import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { post } from '../../api';
import { Empty, ErrorMessage, Field } from '../../components/ui';
import type { Contact, Sequence } from '../../types';
import { ContactPicker } from './ContactPicker';

/** One email step of the saved sequence rendered for one contact, with what would stop it being sent. */
export function PreviewTab({ sequence, dirty }: { sequence: Sequence; dirty: boolean }) {
  const [contact, setContact] = useState<Contact | null>(null);
  const emails = sequence.steps.filter((s) => s.actionType === 'EMAIL').sort((a, b) => a.stepOrder - b.stepOrder);
  const [stepOrder, setStepOrder] = useState(emails[0]?.stepOrder ?? 0);
  const preview = useQuery({
    queryKey: ['preview', sequence.id, sequence.updatedAt, contact?.id, stepOrder],
    enabled: !!contact,
    queryFn: () => post<{ subject: string; html: string; text?: string; missingTokens: string[]; placeholders: string[] }>(`/seqflow/v1/sequences/${sequence.id}/preview`, { contactId: contact!.id, stepOrder }),
  });
  return (
    <section className="card" aria-label="Preview">
      <h2>Preview</h2>
      {dirty && <p className="message info">The preview shows the saved sequence; save to preview your changes.</p>}
      <ContactPicker value={contact} onChange={setContact} />
      <Field label="Email step">
        {(id) => (
          <select id={id} value={stepOrder} onChange={(e) => setStepOrder(Number(e.target.value))}>
            {emails.map((s) => (
              <option key={s.id} value={s.stepOrder}>
                Step {s.stepOrder + 1}: {s.emailPattern?.subject || '(reply in thread)'}
              </option>
            ))}
          </select>
        )}
      </Field>
      <ErrorMessage error={preview.error} />
      {!contact && <Empty>Choose a contact to see the email as they would get it.</Empty>}
      {preview.data && (
        <div aria-label="Email preview" role="region">
          <p>
            <strong>Subject:</strong> <span data-testid="preview-subject">{preview.data.subject}</span>
          </p>
          {preview.data.missingTokens.length > 0 && (
            <p className="message warning">
              Missing values: {preview.data.missingTokens.join(', ')}. An email with a missing token is not sent: the enrollment pauses and the sender gets a task.
            </p>
          )}
          {preview.data.placeholders.length > 0 && <p className="message warning">Placeholders to fill in: {preview.data.placeholders.join('; ')}</p>}
          <iframe className="preview-frame" title="Email body preview" sandbox="" srcDoc={preview.data.html} />
        </div>
      )}
    </section>
  );
}
