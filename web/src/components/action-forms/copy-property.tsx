import { Field } from '../ui';
import type { ActionForm, ActionFormProps } from './form';

const COMPANY = '0-2';

function Fields({ fields, set }: ActionFormProps) {
  return (
    <>
      <Field label="Copy from">
        {(id) => (
          <select id={id} value={String(fields.source_object_type_id ?? '0-1')} onChange={(e) => set('source_object_type_id', e.target.value)}>
            <option value="0-1">The contact</option>
            <option value={COMPANY}>The contact's primary company</option>
          </select>
        )}
      </Field>
      <Field label="Source property">{(id) => <input id={id} value={String(fields.source_property ?? '')} onChange={(e) => set('source_property', e.target.value.trim())} placeholder="firstname" />}</Field>
      <Field label="Contact property to set" hint="Its type must hold the source's values (any value fits a text property).">
        {(id) => <input id={id} value={String(fields.target_property ?? '')} onChange={(e) => set('target_property', e.target.value.trim())} placeholder="nickname" />}
      </Field>
    </>
  );
}

export const copyPropertyForm: ActionForm = {
  actionTypeId: 'seqflow-copy-property',
  Fields,
  validate: (f) => (!f.source_property ? 'Enter the property to copy from.' : !f.target_property ? 'Enter the contact property to set.' : null),
  clean: (f) => ({ source_object_type_id: '0-1', ...f }),
  summary: (f) => [`Copy ${f.source_object_type_id === COMPANY ? "the company's " : ''}${String(f.source_property ?? '?')} to ${String(f.target_property ?? '?')}`],
};
