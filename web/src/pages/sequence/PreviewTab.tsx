import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { SequencePreview } from '../../../../src/schemas/sequences';
import { post } from '../../api';
import { ErrorMessage, Field } from '../../components/ui';
import type { Contact, Sequence } from '../../types';
import { ContactPicker } from './ContactPicker';

/**
 * One email step of the saved sequence rendered for one contact, or for the built-in sample
 * contact until one is chosen (so a new install with no contacts can preview too), with what
 * would stop it being sent.
 */
export function PreviewTab({ sequence, dirty }: { sequence: Sequence; dirty: boolean }) {
  const [contact, setContact] = useState<Contact | null>(null);
  const emails = sequence.steps.filter((s) => s.actionType === 'EMAIL').sort((a, b) => a.stepOrder - b.stepOrder);
  const [stepOrder, setStepOrder] = useState(emails[0]?.stepOrder ?? 0);
  const preview = useQuery({
    queryKey: ['preview', sequence.id, sequence.updatedAt, contact?.id ?? 'sample', stepOrder],
    enabled: emails.length > 0,
    queryFn: () => post<SequencePreview>(`/seqflow/v1/sequences/${sequence.id}/preview`, { ...(contact ? { contactId: contact.id } : { sample: true }), stepOrder }),
  });
  const p = preview.data;
  return (
    <section className="card" aria-label="Preview">
      <h2>Preview</h2>
      {dirty && <p className="message info">The preview shows the saved sequence; save to preview your changes.</p>}
      <ContactPicker value={contact} onChange={setContact} none="Sample contact (Jane Doe at Example Co)" />
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
      {p && (
        <div aria-label="Email preview" role="region">
          <p data-testid="preview-contact">
            To {p.contact.name} &lt;{p.contact.email}&gt;{p.contact.sample && <span className="muted"> — the sample contact; choose a contact above to see a real one</span>}
          </p>
          <p>
            <strong>Subject:</strong> <span data-testid="preview-subject">{p.subject}</span>
          </p>
          {p.missingTokens.length > 0 && (
            <p className="message warning">
              Missing values: {p.missingTokens.join(', ')}. An email with a missing token is not sent: the enrollment pauses and the sender gets a task.
            </p>
          )}
          {p.placeholders.length > 0 && <p className="message warning">Placeholders to fill in: {p.placeholders.join('; ')}</p>}
          <iframe className="preview-frame" title="Email body preview" sandbox="" srcDoc={p.html} />
          {p.tokens.length > 0 && (
            <details>
              <summary>Tokens ({p.tokens.length})</summary>
              <table aria-label="Tokens">
                <thead>
                  <tr>
                    <th>Token</th>
                    <th>Value</th>
                  </tr>
                </thead>
                <tbody>
                  {p.tokens.map((t) => (
                    <tr key={t.token}>
                      <td>
                        <code>{`{{ ${t.token} }}`}</code>
                      </td>
                      <td>{t.value ?? <span className="muted">no value</span>}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </details>
          )}
          <details>
            <summary>Plain-text part</summary>
            <pre className="preview-text" aria-label="Plain-text part">
              {p.text}
            </pre>
          </details>
        </div>
      )}
    </section>
  );
}
