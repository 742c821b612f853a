import { useState, type FormEvent } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { del, get, patch, post } from '../api';
import { Badge, Dialog, Empty, ErrorMessage, Field, Loading } from '../components/ui';
import { Link } from '../router';
import type { Property, PropertyGroup } from '../types';

/** Settings › Properties: the contact and company properties, built in and custom (CRM properties v3). */

const OBJECTS = [
  { objectType: 'contacts', label: 'Contact properties' },
  { objectType: 'companies', label: 'Company properties' },
] as const;
type ObjectType = (typeof OBJECTS)[number]['objectType'];

/** The field types a user picks from, as HubSpot names them, with the type/fieldType pair each stands for. */
const KINDS = [
  { key: 'text', label: 'Single-line text', type: 'string', fieldType: 'text' },
  { key: 'textarea', label: 'Multi-line text', type: 'string', fieldType: 'textarea' },
  { key: 'number', label: 'Number', type: 'number', fieldType: 'number' },
  { key: 'date', label: 'Date picker', type: 'date', fieldType: 'date' },
  { key: 'datetime', label: 'Date and time picker', type: 'datetime', fieldType: 'date' },
  { key: 'select', label: 'Dropdown select', type: 'enumeration', fieldType: 'select' },
  { key: 'radio', label: 'Radio select', type: 'enumeration', fieldType: 'radio' },
  { key: 'checkbox', label: 'Multiple checkboxes', type: 'enumeration', fieldType: 'checkbox' },
  { key: 'booleancheckbox', label: 'Single checkbox', type: 'bool', fieldType: 'booleancheckbox' },
] as const;

const kindOf = (p: Pick<Property, 'type' | 'fieldType'>) => KINDS.find((k) => k.type === p.type && k.fieldType === p.fieldType)?.label ?? `${p.type} / ${p.fieldType}`;

/** HubSpot's internal names: lower-case snake case made from the label. */
const internalName = (label: string) =>
  label
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^[^a-z]+|_+$/g, '')
    .slice(0, 100);

interface OptionRow {
  label: string;
  value: string;
}

export function PropertiesPage() {
  const [objectType, setObjectType] = useState<ObjectType>('contacts');
  const [showBuiltIn, setShowBuiltIn] = useState(true);
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<Property | null>(null);
  const [error, setError] = useState<unknown>(null);
  const queryClient = useQueryClient();
  const base = `/crm/v3/properties/${objectType}`;
  const properties = useQuery({ queryKey: ['properties', objectType], queryFn: () => get<{ results: Property[] }>(base) });
  const groups = useQuery({ queryKey: ['property-groups', objectType], queryFn: () => get<{ results: PropertyGroup[] }>(`${base}/groups`) });
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['properties', objectType] });
  const archive = async (p: Property) => {
    if (!window.confirm(`Archive the property "${p.label}"? Its values stay on records but it can no longer be written.`)) return;
    setError(null);
    try {
      await del(`${base}/${encodeURIComponent(p.name)}`);
      await refresh();
    } catch (err) {
      setError(err);
    }
  };
  const groupLabel = (name: string) => groups.data?.results.find((g) => g.name === name)?.label ?? name;
  const list = (properties.data?.results ?? []).filter((p) => showBuiltIn || !p.hubspotDefined);
  return (
    <main className="page">
      <div className="page-head">
        <h1>
          <Link to="/account">Settings</Link> › Properties
        </h1>
        <button type="button" className="primary" onClick={() => setCreating(true)}>
          Create property
        </button>
      </div>
      <p className="hint">
        Custom properties can be written through the API, used in search and workflow filters and in templates as <code>{'{{ contact.name }}'}</code>. Values must suit the property&apos;s type.
        Properties Seqflow maintains (sequence enrollment, bounces, opt-out) are read-only.
      </p>
      <div className="row">
        <Field label="Object">
          {(id) => (
            <select id={id} value={objectType} onChange={(e) => setObjectType(e.target.value as ObjectType)}>
              {OBJECTS.map((o) => (
                <option key={o.objectType} value={o.objectType}>
                  {o.label}
                </option>
              ))}
            </select>
          )}
        </Field>
        <label className="checkbox">
          <input type="checkbox" checked={showBuiltIn} onChange={(e) => setShowBuiltIn(e.target.checked)} /> Show HubSpot-defined properties
        </label>
      </div>
      <ErrorMessage error={error ?? properties.error ?? groups.error} />
      {properties.isLoading && <Loading what="properties" />}
      {properties.data && list.length === 0 && <Empty>No custom properties yet.</Empty>}
      {list.length > 0 && (
        <div className="table-wrap">
          <table aria-label={OBJECTS.find((o) => o.objectType === objectType)!.label}>
            <thead>
              <tr>
                <th scope="col">Property</th>
                <th scope="col">Field type</th>
                <th scope="col">Group</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.map((p) => (
                <tr key={p.name}>
                  <th scope="row">
                    {p.label}
                    <div className="muted" style={{ fontWeight: 'normal' }}>
                      {p.name}
                    </div>
                  </th>
                  <td>
                    {kindOf(p)}
                    {p.options.length > 0 && p.type === 'enumeration' && <div className="muted">{p.options.map((o) => o.label).join(', ')}</div>}
                  </td>
                  <td>{groupLabel(p.groupName)}</td>
                  <td>
                    {p.hubspotDefined ? (
                      <Badge kind="off">HubSpot-defined</Badge>
                    ) : (
                      <>
                        <button type="button" className="small" onClick={() => setEditing(p)}>
                          Edit<span className="sr-only"> {p.label}</span>
                        </button>{' '}
                        <button type="button" className="small secondary" onClick={() => archive(p)}>
                          Archive<span className="sr-only"> {p.label}</span>
                        </button>
                      </>
                    )}
                    {p.modificationMetadata.readOnlyValue && (
                      <>
                        {' '}
                        <Badge kind="info" title="Maintained by Seqflow; the API cannot set it">
                          Read-only value
                        </Badge>
                      </>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {creating && <PropertyDialog base={base} groups={groups.data?.results ?? []} onClose={() => setCreating(false)} onDone={refresh} />}
      {editing && <PropertyDialog base={base} groups={groups.data?.results ?? []} property={editing} onClose={() => setEditing(null)} onDone={refresh} />}
    </main>
  );
}

/** Create a property (label, name, field type, group, options) or edit one (label, description, group, options). */
function PropertyDialog({ base, groups, property, onClose, onDone }: { base: string; groups: PropertyGroup[]; property?: Property; onClose(): void; onDone(): Promise<unknown> }) {
  const [label, setLabel] = useState(property?.label ?? '');
  const [name, setName] = useState(property?.name ?? '');
  const [nameTouched, setNameTouched] = useState(false);
  const [kind, setKind] = useState<string>(property ? (KINDS.find((k) => k.type === property.type && k.fieldType === property.fieldType)?.key ?? 'text') : 'text');
  const [chosenGroup, setGroupName] = useState(property?.groupName ?? '');
  // The groups may answer after the dialog opened (a slow network): until the user picks one, the
  // first group is the choice, in what the select shows and in what is sent alike.
  const groupName = chosenGroup || groups[0]?.name || '';
  const [description, setDescription] = useState(property?.description ?? '');
  const [options, setOptions] = useState<OptionRow[]>(property?.options.map((o) => ({ label: o.label, value: o.value })) ?? [{ label: '', value: '' }]);
  const [error, setError] = useState<unknown>(null);
  const chosen = KINDS.find((k) => k.key === kind)!;
  const enumeration = chosen.type === 'enumeration';
  const setOption = (i: number, o: Partial<OptionRow>) => setOptions((all) => all.map((x, j) => (j === i ? { ...x, ...o } : x)));
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    const opts = enumeration
      ? options.filter((o) => o.label.trim() !== '').map((o, i) => ({ label: o.label.trim(), value: o.value.trim() || internalName(o.label) || o.label.trim(), displayOrder: i, hidden: false }))
      : [];
    try {
      if (property) await patch(`${base}/${encodeURIComponent(property.name)}`, { label, description, groupName, ...(property.type === 'enumeration' && { options: opts }) });
      else await post(base, { name, label, type: chosen.type, fieldType: chosen.fieldType, groupName, description, options: opts });
      await onDone();
      onClose();
    } catch (err) {
      setError(err);
    }
  };
  const formId = property ? 'edit-property' : 'create-property';
  return (
    <Dialog
      title={property ? `Edit property ${property.label}` : 'Create property'}
      onClose={onClose}
      actions={
        <>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" form={formId} className="primary">
            {property ? 'Save' : 'Create'}
          </button>
        </>
      }
    >
      <form id={formId} onSubmit={submit}>
        <ErrorMessage error={error} />
        <Field label="Label">
          {(id) => (
            <input
              id={id}
              required
              value={label}
              onChange={(e) => {
                setLabel(e.target.value);
                if (!property && !nameTouched) setName(internalName(e.target.value));
              }}
            />
          )}
        </Field>
        {!property && (
          <Field label="Internal name" hint="What the API and templates use: lower case, digits and underscores. It cannot be changed later.">
            {(id) => (
              <input
                id={id}
                required
                pattern="[a-z][a-z0-9_]*"
                value={name}
                onChange={(e) => {
                  setNameTouched(true);
                  setName(e.target.value);
                }}
              />
            )}
          </Field>
        )}
        <Field label="Field type" hint={property ? 'The field type of an existing property is kept.' : undefined}>
          {(id) => (
            <select id={id} value={kind} disabled={!!property} onChange={(e) => setKind(e.target.value)}>
              {KINDS.map((k) => (
                <option key={k.key} value={k.key}>
                  {k.label}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Group">
          {(id) => (
            <select id={id} value={groupName} onChange={(e) => setGroupName(e.target.value)}>
              {groups.map((g) => (
                <option key={g.name} value={g.name}>
                  {g.label}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Description">{(id) => <textarea id={id} rows={2} value={description} onChange={(e) => setDescription(e.target.value)} />}</Field>
        {enumeration && (
          <fieldset>
            <legend>Options</legend>
            {options.map((o, i) => (
              <div className="row" key={i}>
                <Field label={`Option ${i + 1} label`}>{(id) => <input id={id} value={o.label} onChange={(e) => setOption(i, { label: e.target.value })} />}</Field>
                <Field label={`Option ${i + 1} value`} hint={i === 0 ? 'Leave empty to derive it from the label.' : undefined}>
                  {(id) => <input id={id} value={o.value} onChange={(e) => setOption(i, { value: e.target.value })} />}
                </Field>
                <button type="button" className="small secondary" onClick={() => setOptions((all) => all.filter((_, j) => j !== i))} disabled={options.length === 1}>
                  Remove<span className="sr-only"> option {i + 1}</span>
                </button>
              </div>
            ))}
            <button type="button" className="small" onClick={() => setOptions((all) => [...all, { label: '', value: '' }])}>
              Add option
            </button>
          </fieldset>
        )}
      </form>
    </Dialog>
  );
}
