import { useQuery } from '@tanstack/react-query';
import { get } from '../../api';
import { Field } from '../../components/ui';
import { useAllSequences } from '../../lib/data';
import { REASONS } from '../../lib/format';
import type { Form, Property, TriggerType } from '../../types';

type FilterProperty = TriggerType['filterProperties'][number];

/**
 * The refinement fields of a catalog trigger, one per property its filters can refine on (the
 * server's catalog says which, and where the values come from). An empty field means "any".
 */
export function TriggerRefinements({ type, values, forms, onChange }: { type: TriggerType; values: Record<string, string>; forms: Form[] | undefined; onChange(v: Record<string, string>): void }) {
  if (type.filterProperties.length === 0) return null;
  return (
    <fieldset className="conditions refinements">
      <legend>Only when (leave a field empty for any)</legend>
      {type.filterProperties.map((p) => (
        <RefinementField key={p.name} property={p} value={values[p.name] ?? ''} forms={forms} onChange={(v) => onChange({ ...values, [p.name]: v })} />
      ))}
    </fieldset>
  );
}

function RefinementField({ property: p, value, forms, onChange }: { property: FilterProperty; value: string; forms: Form[] | undefined; onChange(v: string): void }) {
  const sequences = useAllSequences();
  const properties = useQuery({ queryKey: ['properties', 'contacts'], queryFn: () => get<{ results: Property[] }>('/crm/v3/properties/contacts'), enabled: p.valuesFrom === 'contactProperties' });
  const choices: { value: string; label: string }[] | null = p.options
    ? p.options.map((o) => ({ value: o, label: `${o}: ${REASONS[o] ?? o}` }))
    : p.valuesFrom === 'forms'
      ? (forms ?? []).map((f) => ({ value: f.id, label: f.name }))
      : p.valuesFrom === 'sequences'
        ? (sequences.data ?? []).map((s) => ({ value: s.id, label: s.name }))
        : p.valuesFrom === 'contactProperties'
          ? (properties.data?.results ?? []).map((x) => ({ value: x.name, label: `${x.label} (${x.name})` }))
          : null;
  if (!choices) {
    return <Field label={p.label}>{(id) => <input id={id} value={value} placeholder="any value" onChange={(e) => onChange(e.target.value)} />}</Field>;
  }
  return (
    <Field label={p.label}>
      {(id) => (
        <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
          <option value="">Any</option>
          {choices.map((c) => (
            <option key={c.value} value={c.value}>
              {c.label}
            </option>
          ))}
          {value && !choices.some((c) => c.value === value) && <option value={value}>{value}</option>}
        </select>
      )}
    </Field>
  );
}
