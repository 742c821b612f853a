import { Field } from '../../components/ui';
import { useWorkflowCatalog } from '../../lib/data';
import { draftOfOption, PROPERTY_OPERATORS, triggerOptionId, triggerOptions, type PropertyCondition, type TriggerDraft } from '../../lib/flow';
import type { Form } from '../../types';
import { useLists } from '../Lists';
import { TriggerRefinements } from './TriggerRefinements';

/** When contacts are enrolled: a form, a property filter, another event of the catalog with its refinements, a list or none, and re-enrollment. */
export function TriggerCard({ trigger, reEnroll, forms, onChange, onReEnroll }: { trigger: TriggerDraft; reEnroll: boolean; forms: Form[] | undefined; onChange(t: TriggerDraft): void; onReEnroll(v: boolean): void }) {
  const setOption = (id: string) => id !== 'other' && onChange(draftOfOption(id, lists.data?.[0]?.listId ?? ''));
  const lists = useLists();
  const catalog = useWorkflowCatalog();
  const options = triggerOptions(catalog.data?.triggers);
  const value = triggerOptionId(trigger);
  const eventType = trigger.kind === 'event' ? catalog.data?.triggers.find((t) => t.eventTypeId === trigger.eventTypeId) : undefined;
  const setCondition = (i: number, c: Partial<PropertyCondition>) =>
    trigger.kind === 'property' && onChange({ kind: 'property', conditions: trigger.conditions.map((x, j) => (j === i ? { ...x, ...c } : x)) });
  return (
    <section className="card trigger" aria-labelledby="trigger-h">
      <h2 id="trigger-h">Trigger</h2>
      <p className="hint">Contacts are enrolled when…</p>
      <Field label="Trigger">
        {(id) => (
          <select id={id} value={value} onChange={(e) => setOption(e.target.value)}>
            {options.map((t) => (
              <option key={t.id} value={t.id}>
                {t.label}
              </option>
            ))}
            {trigger.kind === 'event' && !options.some((o) => o.id === value) && <option value={value}>Event {trigger.eventTypeId}</option>}
            {trigger.kind === 'other' && <option value="other">Custom trigger (set through the API)</option>}
          </select>
        )}
      </Field>
      {trigger.kind === 'form' && (
        <Field label="Form">
          {(id) => (
            <select id={id} value={trigger.formId} onChange={(e) => onChange({ kind: 'form', formId: e.target.value })}>
              <option value="">Any form</option>
              {forms?.map((f) => (
                <option key={f.id} value={f.id}>
                  {f.name}
                </option>
              ))}
              {trigger.formId && forms && !forms.some((f) => f.id === trigger.formId) && <option value={trigger.formId}>Unknown form {trigger.formId}</option>}
            </select>
          )}
        </Field>
      )}
      {trigger.kind === 'property' && (
        <fieldset className="conditions">
          <legend>Contacts whose properties match all of</legend>
          {trigger.conditions.map((c, i) => {
            const op = PROPERTY_OPERATORS.find((o) => o.id === c.operator);
            return (
              <div key={i} className="condition">
                <input aria-label={`Property ${i + 1}`} placeholder="property, e.g. lifecyclestage" value={c.property} onChange={(e) => setCondition(i, { property: e.target.value })} />
                <select aria-label={`Operator ${i + 1}`} value={c.operator} onChange={(e) => setCondition(i, { operator: e.target.value })}>
                  {PROPERTY_OPERATORS.map((o) => (
                    <option key={o.id} value={o.id}>
                      {o.label}
                    </option>
                  ))}
                </select>
                {op?.needsValue !== false && <input aria-label={`Value ${i + 1}`} placeholder="value" value={c.value} onChange={(e) => setCondition(i, { value: e.target.value })} />}
                <button type="button" className="icon" aria-label={`Remove condition ${i + 1}`} onClick={() => onChange({ kind: 'property', conditions: trigger.conditions.filter((_, j) => j !== i) })}>
                  ×
                </button>
              </div>
            );
          })}
          <button type="button" onClick={() => onChange({ kind: 'property', conditions: [...trigger.conditions, { property: '', operator: 'IS_EQUAL_TO', value: '' }] })}>
            Add condition
          </button>
        </fieldset>
      )}
      {trigger.kind === 'list' && (
        <Field label="List" hint="A contact is enrolled when it joins the list: added by hand, or starting to match an active list's filters.">
          {(id) => (
            <select id={id} value={trigger.listId} onChange={(e) => onChange({ kind: 'list', listId: e.target.value })}>
              {!trigger.listId && <option value="">Choose a list</option>}
              {lists.data?.map((l) => (
                <option key={l.listId} value={l.listId}>
                  {l.name}
                </option>
              ))}
              {trigger.listId && lists.data && !lists.data.some((l) => l.listId === trigger.listId) && <option value={trigger.listId}>Unknown list {trigger.listId}</option>}
            </select>
          )}
        </Field>
      )}
      {trigger.kind === 'event' && eventType && (
        <TriggerRefinements type={eventType} values={trigger.refinements ?? {}} forms={forms} onChange={(refinements) => onChange({ ...trigger, refinements })} />
      )}
      {trigger.kind === 'other' && <p className="hint">This trigger was set through the API; it is kept as it is.</p>}
      <label className="check">
        <input type="checkbox" checked={reEnroll} onChange={(e) => onReEnroll(e.target.checked)} />{' '}
        {trigger.kind === 'none' ? 'Allow enrolling a contact again by hand after its run ends' : 'Re-enroll contacts when the trigger happens again'}
      </label>
    </section>
  );
}
