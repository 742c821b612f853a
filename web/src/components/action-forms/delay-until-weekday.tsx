import { Field } from '../ui';
import { dayLabel, timeOf, timeText, WEEKDAYS, type ActionForm, type ActionFormProps } from './form';

const daysOf = (f: Record<string, unknown>): string[] => (Array.isArray(f.days_of_week) ? f.days_of_week.map(String) : []);

function Fields({ fields, set }: ActionFormProps) {
  const days = daysOf(fields);
  const toggle = (d: string, on: boolean) => set('days_of_week', WEEKDAYS.filter((w) => (w === d ? on : days.includes(w))));
  return (
    <>
      <fieldset className="days">
        <legend>Days</legend>
        {WEEKDAYS.map((d) => (
          <label key={d} className="check">
            <input type="checkbox" checked={days.includes(d)} onChange={(e) => toggle(d, e.target.checked)} /> {dayLabel(d)}
          </label>
        ))}
      </fieldset>
      <Field label="Time of day">{(id) => <input id={id} type="time" value={timeText(fields.time_of_day)} onChange={(e) => set('time_of_day', timeOf(e.target.value))} />}</Field>
      <Field label="Time zone" hint="An IANA zone such as Europe/Warsaw; empty: the account's time zone.">
        {(id) => <input id={id} value={String(fields.time_zone ?? '')} onChange={(e) => set('time_zone', e.target.value.trim() || undefined)} placeholder="Europe/Warsaw" />}
      </Field>
    </>
  );
}

export const delayUntilWeekdayForm: ActionForm = {
  actionTypeId: 'seqflow-delay-until-weekday',
  Fields,
  validate: (f) => (daysOf(f).length === 0 ? 'Choose at least one day.' : !timeText(f.time_of_day) ? 'Enter the time of day.' : null),
  summary: (f) => [`Wait until ${daysOf(f).map(dayLabel).join(' or ') || '?'} at ${timeText(f.time_of_day) || '?'}${f.time_zone ? ` (${String(f.time_zone)})` : ''}`],
};
