import { useState, type FormEvent } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { post } from '../api';
import { Dialog, Empty, ErrorMessage, Loading } from '../components/ui';
import { useForms } from '../lib/data';
import type { Form } from '../types';

/** Forms: the hosted page and the submission endpoint that workflows trigger on. */
export function FormsPage() {
  const forms = useForms();
  const [creating, setCreating] = useState(false);
  return (
    <main className="page">
      <div className="page-head">
        <h1>Forms</h1>
        <button type="button" className="primary" onClick={() => setCreating(true)}>
          Create form
        </button>
      </div>
      <ErrorMessage error={forms.error} title="Could not load forms" />
      {forms.isLoading && <Loading what="forms" />}
      {forms.data?.length === 0 && <Empty>No forms yet. A form submission is the best trigger for enrolling a contact in a sequence.</Empty>}
      {forms.data && forms.data.length > 0 && (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Fields</th>
                <th scope="col">Hosted page</th>
                <th scope="col">Submission endpoint</th>
              </tr>
            </thead>
            <tbody>
              {forms.data.map((f) => (
                <tr key={f.id}>
                  <th scope="row">{f.name}</th>
                  <td>{f.fields.map((x) => `${x.label || x.name}${x.required ? ' *' : ''}`).join(', ')}</td>
                  <td>
                    <a href={`/forms/${f.id}`} target="_blank" rel="noreferrer">
                      Open<span className="sr-only"> {f.name}</span>
                    </a>
                  </td>
                  <td>
                    <code>
                      POST /submissions/v3/integration/submit/{f.portalId}/{f.id}
                    </code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {creating && <CreateForm onClose={() => setCreating(false)} />}
    </main>
  );
}

const FIELD_CHOICES = [
  { name: 'firstname', label: 'First name' },
  { name: 'lastname', label: 'Last name' },
  { name: 'company', label: 'Company' },
  { name: 'jobtitle', label: 'Job title' },
  { name: 'phone', label: 'Phone' },
];

function CreateForm({ onClose }: { onClose(): void }) {
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [fields, setFields] = useState<string[]>(['firstname', 'lastname']);
  const [error, setError] = useState<unknown>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      await post<Form>('/seqflow/v1/forms', {
        name,
        fields: [{ name: 'email', label: 'Email', required: true }, ...FIELD_CHOICES.filter((c) => fields.includes(c.name)).map((c) => ({ ...c, required: false }))],
      });
      await queryClient.invalidateQueries({ queryKey: ['forms'] });
      onClose();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <Dialog
      title="Create form"
      onClose={onClose}
      actions={
        <>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" form="create-form" className="primary">
            Create
          </button>
        </>
      }
    >
      <form id="create-form" onSubmit={submit}>
        <ErrorMessage error={error} />
        <div className="field">
          <label htmlFor="form-name">Form name</label>
          <input id="form-name" required value={name} onChange={(e) => setName(e.target.value)} placeholder="Book a demo" />
        </div>
        <fieldset>
          <legend>Fields (email is always included)</legend>
          {FIELD_CHOICES.map((c) => (
            <label key={c.name} className="check">
              <input type="checkbox" checked={fields.includes(c.name)} onChange={(e) => setFields((f) => (e.target.checked ? [...f, c.name] : f.filter((x) => x !== c.name)))} /> {c.label}
            </label>
          ))}
        </fieldset>
      </form>
    </Dialog>
  );
}
