import { useState, type FormEvent } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { get, post } from '../api';
import { Link, useRouter } from '../router';
import { Dialog, Empty, ErrorMessage, Field, Loading } from '../components/ui';
import { dateTime } from '../lib/format';
import type { ContactList } from '../types';

const TYPE_LABELS: Record<string, string> = { MANUAL: 'Static', DYNAMIC: 'Active (filters)', SNAPSHOT: 'Snapshot' };
export const listTypeLabel = (t: string) => TYPE_LABELS[t] ?? t;

export const useLists = () => useQuery({ queryKey: ['lists'], queryFn: async () => (await get<{ lists: ContactList[] }>('/crm/v3/lists')).lists });

/** Lists of contacts: static ones managed by hand, active ones kept to whoever matches their filters. */
export function ListsPage() {
  const lists = useLists();
  const [creating, setCreating] = useState(false);
  return (
    <main className="page">
      <div className="page-head">
        <h1>Lists</h1>
        <button type="button" className="primary" onClick={() => setCreating(true)}>
          Create list
        </button>
      </div>
      <ErrorMessage error={lists.error} title="Could not load lists" />
      {lists.isLoading && <Loading what="lists" />}
      {lists.data?.length === 0 && <Empty>No lists yet. A list can enroll its contacts in a sequence at once, or start a workflow when a contact joins it.</Empty>}
      {lists.data && lists.data.length > 0 && (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Type</th>
                <th scope="col">Contacts</th>
                <th scope="col">Updated</th>
              </tr>
            </thead>
            <tbody>
              {lists.data.map((l) => (
                <tr key={l.listId}>
                  <th scope="row">
                    <Link to={`/lists/${l.listId}`}>{l.name}</Link>
                  </th>
                  <td>{listTypeLabel(l.processingType)}</td>
                  <td>{l.size ?? 0}</td>
                  <td>{dateTime(l.updatedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {creating && <CreateList onClose={() => setCreating(false)} />}
    </main>
  );
}

const OPERATORS = [
  { id: 'IS_EQUAL_TO', label: 'is' },
  { id: 'IS_NOT_EQUAL_TO', label: 'is not' },
  { id: 'CONTAINS', label: 'contains' },
  { id: 'IS_KNOWN', label: 'is known' },
  { id: 'IS_UNKNOWN', label: 'is unknown' },
];

/** One condition on a property: the simple active list the UI builds (the API takes any filter branch). */
function CreateList({ onClose }: { onClose(): void }) {
  const queryClient = useQueryClient();
  const { navigate } = useRouter();
  const [name, setName] = useState('');
  const [kind, setKind] = useState<'MANUAL' | 'DYNAMIC'>('MANUAL');
  const [property, setProperty] = useState('lifecyclestage');
  const [operator, setOperator] = useState('IS_EQUAL_TO');
  const [value, setValue] = useState('');
  const [error, setError] = useState<unknown>(null);
  const needsValue = !['IS_KNOWN', 'IS_UNKNOWN'].includes(operator);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    const operation =
      operator === 'CONTAINS'
        ? { operationType: 'STRING', operator, value }
        : needsValue
          ? { operationType: 'MULTISTRING', operator, values: [value] }
          : { operationType: 'ALL_PROPERTY', operator };
    try {
      const created = await post<{ list: ContactList }>('/crm/v3/lists', {
        name,
        objectTypeId: '0-1',
        processingType: kind,
        ...(kind === 'DYNAMIC' && {
          filterBranch: { filterBranchType: 'OR', filters: [], filterBranches: [{ filterBranchType: 'AND', filterBranches: [], filters: [{ filterType: 'PROPERTY', property, operation }] }] },
        }),
      });
      await queryClient.invalidateQueries({ queryKey: ['lists'] });
      onClose();
      navigate(`/lists/${created.list.listId}`);
    } catch (err) {
      setError(err);
    }
  };
  return (
    <Dialog
      title="Create list"
      onClose={onClose}
      actions={
        <>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" form="create-list" className="primary">
            Create
          </button>
        </>
      }
    >
      <form id="create-list" onSubmit={submit}>
        <ErrorMessage error={error} />
        <Field label="List name">{(id) => <input id={id} required value={name} onChange={(e) => setName(e.target.value)} placeholder="Webinar attendees" />}</Field>
        <fieldset>
          <legend>Type</legend>
          <label className="check">
            <input type="radio" name="list-kind" checked={kind === 'MANUAL'} onChange={() => setKind('MANUAL')} /> Static: add and remove contacts by hand
          </label>
          <label className="check">
            <input type="radio" name="list-kind" checked={kind === 'DYNAMIC'} onChange={() => setKind('DYNAMIC')} /> Active: contacts that match a filter, kept up to date
          </label>
        </fieldset>
        {kind === 'DYNAMIC' && (
          <div className="row">
            <Field label="Property">{(id) => <input id={id} required value={property} onChange={(e) => setProperty(e.target.value)} />}</Field>
            <Field label="Condition">
              {(id) => (
                <select id={id} value={operator} onChange={(e) => setOperator(e.target.value)}>
                  {OPERATORS.map((o) => (
                    <option key={o.id} value={o.id}>
                      {o.label}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            {needsValue && <Field label="Value">{(id) => <input id={id} required value={value} onChange={(e) => setValue(e.target.value)} />}</Field>}
          </div>
        )}
      </form>
    </Dialog>
  );
}
