import { useState } from 'react';
import { Field } from '../../components/ui';
import type { Flow } from '../../types';
import { blockedDateOf, dateOf, DAYS, timingOf, timingProblem, windowsOf, type TimingDraft } from './timing';

/**
 * Settings › Timing: the days and hours actions may run, and dates they never run, in the
 * account's time zone. Delays still count down outside them; the action after a delay waits.
 */
export function TimingCard({ draft, onChange }: { draft: Flow; onChange(timing: Partial<Pick<Flow, 'timeWindows' | 'blockedDates'>>): void }) {
  const [timing, setTiming] = useState<TimingDraft>(() => timingOf(draft.timeWindows));
  const [newDate, setNewDate] = useState('');
  const problem = timingProblem(timing);
  const change = (t: Partial<TimingDraft>) => {
    const next = { ...timing, ...t, custom: false };
    setTiming(next);
    if (!timingProblem(next)) onChange({ timeWindows: windowsOf(next) });
  };
  const addDate = () => {
    const d = blockedDateOf(newDate);
    if (!d || draft.blockedDates.some((b) => dateOf(b) === newDate)) return;
    onChange({ blockedDates: [...draft.blockedDates, d].sort((a, b) => dateOf(a).localeCompare(dateOf(b))) });
    setNewDate('');
  };
  return (
    <section className="card timing" aria-labelledby="timing-h">
      <h2 id="timing-h">Timing</h2>
      <p className="hint">When actions may run, in the account's time zone. A delay still counts down at any time; the action after it waits for the next allowed time.</p>
      <Field label="Run actions">
        {(id) => (
          <select id={id} value={timing.specificTimes ? 'specific' : 'any'} onChange={(e) => change({ specificTimes: e.target.value === 'specific' })}>
            <option value="any">Any time</option>
            <option value="specific">At specific times only</option>
          </select>
        )}
      </Field>
      {timing.specificTimes && (
        <>
          {timing.custom && <p className="hint">These windows were set through the API with different hours per day; changing the form replaces them.</p>}
          <fieldset className="days">
            <legend>Days</legend>
            {DAYS.map((d) => (
              <label key={d.id} className="check">
                <input
                  type="checkbox"
                  checked={timing.days.includes(d.id)}
                  onChange={(e) => change({ days: DAYS.map((x) => x.id).filter((x) => (x === d.id ? e.target.checked : timing.days.includes(x))) })}
                />{' '}
                {d.label}
              </label>
            ))}
          </fieldset>
          <div className="row">
            <Field label="From">{(id) => <input id={id} type="time" value={timing.from} onChange={(e) => change({ from: e.target.value })} />}</Field>
            <Field label="To">{(id) => <input id={id} type="time" value={timing.to === '24:00' ? '23:59' : timing.to} onChange={(e) => change({ to: e.target.value })} />}</Field>
          </div>
          {problem && (
            <p className="message error" role="alert">
              {problem}
            </p>
          )}
        </>
      )}
      <fieldset className="blocked-dates">
        <legend>Dates when no action runs</legend>
        {draft.blockedDates.length === 0 && <p className="muted">None.</p>}
        <ul>
          {draft.blockedDates.map((b) => (
            <li key={dateOf(b)}>
              {dateOf(b)}{' '}
              <button type="button" className="icon" aria-label={`Remove ${dateOf(b)}`} onClick={() => onChange({ blockedDates: draft.blockedDates.filter((x) => dateOf(x) !== dateOf(b)) })}>
                ×
              </button>
            </li>
          ))}
        </ul>
        <div className="row">
          <Field label="Blocked date">{(id) => <input id={id} type="date" value={newDate} onChange={(e) => setNewDate(e.target.value)} />}</Field>
          <button type="button" onClick={addDate} disabled={!blockedDateOf(newDate)}>
            Add date
          </button>
        </div>
      </fieldset>
    </section>
  );
}
