import { minuteToTime, timeToMinute } from '../lib/format';
import { Field } from './ui';

const WEEKDAYS = ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'] as const;
type Weekday = (typeof WEEKDAYS)[number];
export type ByWeekday = Partial<Record<Weekday, { startMinute: number; endMinute: number } | null>>;

/**
 * Days with other hours than the usual send window (Fri 08–12), or none at all: the one editor
 * of a sequence's own settings and of a named schedule. A day switched to its own hours starts
 * from `window`.
 */
export function HoursByDay({ window, days, onChange }: { window: { startMinute: number; endMinute: number }; days: ByWeekday; onChange(v: ByWeekday): void }) {
  const put = (day: Weekday, w: ByWeekday[Weekday] | undefined) => {
    const next = { ...days };
    if (w === undefined) delete next[day];
    else next[day] = w;
    onChange(next);
  };
  return (
    <fieldset className="row" aria-label="Hours by day">
      <legend>Hours by day</legend>
      {WEEKDAYS.map((day) => {
        const w = days[day];
        const mode = w === undefined ? 'usual' : w === null ? 'none' : 'own';
        const name = day.charAt(0) + day.slice(1).toLowerCase();
        return (
          <Field key={day} label={name}>
            {(id) => (
              <span>
                <select id={id} value={mode} onChange={(e) => put(day, e.target.value === 'usual' ? undefined : e.target.value === 'none' ? null : { ...window })}>
                  <option value="usual">Send window</option>
                  <option value="own">Own hours</option>
                  <option value="none">No sending</option>
                </select>
                {w && (
                  <>
                    <input aria-label={`${name} starts`} type="time" value={minuteToTime(w.startMinute)} onChange={(e) => put(day, { ...w, startMinute: timeToMinute(e.target.value) })} />
                    <input
                      aria-label={`${name} ends`}
                      type="time"
                      value={w.endMinute >= 1440 ? '23:59' : minuteToTime(w.endMinute)}
                      onChange={(e) => put(day, { ...w, endMinute: e.target.value === '23:59' ? 1440 : timeToMinute(e.target.value) })}
                    />
                  </>
                )}
              </span>
            )}
          </Field>
        );
      })}
    </fieldset>
  );
}
