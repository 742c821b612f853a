import { Field } from '../ui';
import type { ActionForm } from './form';

/** "Send a webhook": the method, the URL, and the secret requests are signed with. */
export const sendWebhookForm: ActionForm = {
  actionTypeId: 'WEBHOOK',
  Fields: ({ fields, set }) => (
    <>
      <Field label="Method">
        {(id) => (
          <select id={id} value={String(fields.method ?? 'POST')} onChange={(e) => set('method', e.target.value)}>
            <option value="POST">POST (sends the contact's properties)</option>
            <option value="GET">GET (sends the contact's id and email as query parameters)</option>
          </select>
        )}
      </Field>
      <Field label="Webhook URL">{(id) => <input id={id} type="url" placeholder="https://hooks.example.com/seqflow" value={String(fields.webhookUrl ?? '')} onChange={(e) => set('webhookUrl', e.target.value)} />}</Field>
      <Field label="Signing secret (optional)">
        {(id) => <input id={id} type="password" autoComplete="off" value={String(fields.signingSecret ?? '')} onChange={(e) => set('signingSecret', e.target.value || undefined)} />}
      </Field>
      <p className="hint">With a secret, each request carries X-Seqflow-Signature: base64 HMAC-SHA256 of method + URL + body + X-Seqflow-Request-Timestamp. Failed calls are retried for up to three days.</p>
    </>
  ),
  validate(f) {
    const url = String(f.webhookUrl ?? '').trim();
    if (!url) return 'Enter the webhook URL.';
    if (!/^https?:\/\/[^/\s]+/i.test(url)) return 'The webhook URL must start with https:// or http://.';
    return null;
  },
  // The select shows POST until the user picks a method; what is shown is what is saved.
  clean: (f) => ({ ...f, method: f.method ?? 'POST' }),
  summary: (f) => [`${String(f.method ?? 'POST')} ${String(f.webhookUrl ?? '')}`],
};
