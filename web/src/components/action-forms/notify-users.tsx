import { userName } from '../../lib/format';
import { Field } from '../ui';
import type { ActionForm, ActionFormProps } from './form';

const ids = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);

/** Who a notification goes to: the contact owner and any users; the subject and text with contact tokens. */
function NotifyFields({ fields, set, users }: ActionFormProps) {
  const chosen = ids(fields.user_ids);
  const owner = ids(fields.owner_properties).includes('hubspot_owner_id');
  const toggle = (id: string, on: boolean) => set('user_ids', on ? [...chosen, id] : chosen.filter((x) => x !== id));
  return (
    <>
      <fieldset>
        <legend>Recipients</legend>
        <label>
          <input type="checkbox" checked={owner} onChange={(e) => set('owner_properties', e.target.checked ? ['hubspot_owner_id'] : [])} /> The contact owner
        </label>
        {users?.map((u) => (
          <label key={u.id}>
            <input type="checkbox" checked={chosen.includes(u.id)} onChange={(e) => toggle(u.id, e.target.checked)} /> {userName(u)}
          </label>
        ))}
      </fieldset>
      <Field label="Subject">{(id) => <input id={id} value={String(fields.subject ?? '')} onChange={(e) => set('subject', e.target.value)} />}</Field>
      <Field label="Message">{(id) => <textarea id={id} rows={4} value={String(fields.body ?? '')} onChange={(e) => set('body', e.target.value)} />}</Field>
      <p className="hint">Contact tokens work as in emails, e.g. {'{{ contact.firstname }}'}.</p>
    </>
  );
}

function validate(f: Record<string, unknown>): string | null {
  if (!ids(f.user_ids).length && !ids(f.owner_properties).length) return 'Choose at least one recipient.';
  if (!String(f.subject ?? '').trim()) return 'Enter the subject.';
  if (!String(f.body ?? '').trim()) return 'Enter the message.';
  return null;
}

function summary(f: Record<string, unknown>, users: ActionFormProps['users']): string[] {
  const names = ids(f.user_ids).map((id) => {
    const u = users?.find((x) => x.id === id);
    return u ? userName(u) : `user ${id}`;
  });
  if (ids(f.owner_properties).length) names.unshift('the contact owner');
  return [`To: ${names.join(', ') || 'nobody'}`, `Subject: ${String(f.subject ?? '')}`];
}

export const internalEmailForm: ActionForm = { actionTypeId: '0-8', Fields: NotifyFields, validate, summary };
export const inAppNotificationForm: ActionForm = { actionTypeId: '0-9', Fields: NotifyFields, validate, summary };
