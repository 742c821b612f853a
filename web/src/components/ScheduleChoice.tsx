import { useSchedules } from '../lib/schedules';
import { Link } from '../router';
import { Field } from './ui';

/** A sequence's "Use schedule": its own send window and days, or a named schedule shared with other sequences. */
export function ScheduleChoice({ value, onChange }: { value: string | null; onChange(v: string | null): void }) {
  const schedules = useSchedules();
  return (
    <Field
      label="Use schedule"
      hint={
        value ? (
          <>
            The schedule&apos;s hours, days and holidays apply instead of this sequence&apos;s own (kept for switching back); editing it in <Link to="/account/schedules">Settings › Schedules</Link> changes every sequence
            using it.
          </>
        ) : undefined
      }
    >
      {(id) => (
        <select id={id} value={value ?? ''} onChange={(e) => onChange(e.target.value || null)}>
          <option value="">Own settings</option>
          {schedules.data?.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}
