import { Field } from '../ui';
import { timeOf, timeText, type ActionForm, type ActionFormProps } from './form';

const UNITS = { DAYS: 'Days', WEEKS: 'Weeks', HOURS: 'Hours', MINUTES: 'Minutes' } as const;
type Direction = 'ON' | 'BEFORE' | 'AFTER';
const directionOf = (f: Record<string, unknown>): Direction => (f._direction as Direction | undefined) ?? (Number(f.delta) < 0 ? 'BEFORE' : Number(f.delta) > 0 ? 'AFTER' : 'ON');
const propertyOf = (f: Record<string, unknown>) => String((f.date as { propertyName?: string } | undefined)?.propertyName ?? '');

function Fields({ fields, set }: ActionFormProps) {
  const direction = directionOf(fields);
  const amount = Math.abs(Number(fields.delta ?? 0)) || '';
  const sign = (d: Direction) => (d === 'BEFORE' ? -1 : 1);
  return (
    <>
      <Field label="Date property" hint="A contact date or datetime property, e.g. a renewal date. Contacts whose date is empty or has passed go on at once.">
        {(id) => <input id={id} value={propertyOf(fields)} onChange={(e) => set('date', { type: 'OBJECT_PROPERTY', propertyName: e.target.value.trim() })} placeholder="renewal_date" />}
      </Field>
      <Field label="When">
        {(id) => (
          <select
            id={id}
            value={direction}
            onChange={(e) => {
              const d = e.target.value as Direction;
              set('_direction', d);
              set('delta', d === 'ON' ? '0' : String(sign(d) * (Number(amount) || 1)));
            }}
          >
            <option value="ON">On the date</option>
            <option value="BEFORE">Before the date</option>
            <option value="AFTER">After the date</option>
          </select>
        )}
      </Field>
      {direction !== 'ON' && (
        <div className="row">
          <Field label="Amount">{(id) => <input id={id} type="number" min={1} value={String(amount)} onChange={(e) => set('delta', String(sign(direction) * Number(e.target.value)))} />}</Field>
          <Field label="Unit">
            {(id) => (
              <select id={id} value={String(fields.time_unit ?? 'DAYS')} onChange={(e) => set('time_unit', e.target.value)}>
                {Object.entries(UNITS).map(([v, l]) => (
                  <option key={v} value={v}>
                    {l}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>
      )}
      <Field label="Time of day" hint="In the account's time zone. Empty: midnight for a date, the exact time for a datetime.">
        {(id) => <input id={id} type="time" value={timeText(fields.time_of_day)} onChange={(e) => set('time_of_day', timeOf(e.target.value))} />}
      </Field>
    </>
  );
}

export const delayUntilDateForm: ActionForm = {
  actionTypeId: '0-35',
  Fields,
  validate: (f) => (!propertyOf(f) ? 'Enter the date property to wait for.' : directionOf(f) !== 'ON' && !Number(f.delta) ? 'Enter how long before or after the date.' : null),
  clean: ({ _direction: _d, ...f }) => ({ time_unit: 'DAYS', delta: '0', ...f }),
  summary: (f) => {
    const n = Math.abs(Number(f.delta ?? 0));
    const unit = String(f.time_unit ?? 'DAYS').toLowerCase();
    const offset = n ? `${n} ${unit} ${Number(f.delta) < 0 ? 'before' : 'after'} ` : '';
    const at = timeText(f.time_of_day);
    return [`Wait until ${offset}${propertyOf(f) || '?'}${at ? ` at ${at}` : ''}`];
  },
};
