import { useState, type FormEvent } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { post } from '../api';
import { useRouter } from '../router';
import { Dialog, ErrorMessage, Field } from './ui';

export interface RecordField {
  property: string;
  label: string;
  type?: string;
  required?: boolean;
}

/** Creates a record from a few properties, leaving the blank ones unset, then opens it. */
export function CreateRecordDialog({ objectType, noun, fields, onClose }: { objectType: 'contacts' | 'companies'; noun: string; fields: RecordField[]; onClose(): void }) {
  const { navigate } = useRouter();
  const queryClient = useQueryClient();
  const [p, setP] = useState<Record<string, string>>(() => Object.fromEntries(fields.map((f) => [f.property, ''])));
  const [error, setError] = useState<unknown>(null);
  const formId = `create-${noun}`;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      const properties = Object.fromEntries(Object.entries(p).filter(([, v]) => v.trim()));
      const r = await post<{ id: string }>(`/crm/v3/objects/${objectType}`, { properties });
      await queryClient.invalidateQueries({ queryKey: [objectType] });
      navigate(`/${objectType}/${r.id}`);
    } catch (err) {
      setError(err);
    }
  };
  return (
    <Dialog
      title={`Create ${noun}`}
      onClose={onClose}
      actions={
        <>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" form={formId} className="primary">
            Create
          </button>
        </>
      }
    >
      <form id={formId} onSubmit={submit}>
        <ErrorMessage error={error} />
        {fields.map((f) => (
          <Field key={f.property} label={f.label}>
            {(id) => <input id={id} type={f.type ?? 'text'} value={p[f.property]} required={f.required} onChange={(e) => setP((x) => ({ ...x, [f.property]: e.target.value }))} />}
          </Field>
        ))}
      </form>
    </Dialog>
  );
}
