import { useState, type FormEvent } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { del, patch, post } from '../api';
import { HoursByDay } from '../components/HoursByDay';
import { Empty, ErrorMessage, Field, Loading } from '../components/ui';
import { minuteToTime, timeToMinute } from '../lib/format';
import { useSchedules } from '../lib/schedules';
import { Link } from '../router';
import type { Schedule } from '../types';

type Fields = Omit<Schedule, 'id' | 'createdAt' | 'updatedAt'>;

const NEW: Fields = { name: '', sendWindowStartMinute: 480, sendWindowEndMinute: 1080, sendWindowsByWeekday: {}, eligibleFollowUpDays: 'WEEKDAYS_ONLY', holidayCalendar: 'ACCOUNT_AND_SENDER' };
const DAYS: Record<Schedule['eligibleFollowUpDays'], string> = { EVERYDAY: 'Every day', WEEKDAYS_ONLY: 'Weekdays only', BUSINESS_DAYS: 'Business days (skip holidays)' };
const CALENDARS: Record<Schedule['holidayCalendar'], string> = {
  ACCOUNT_AND_SENDER: "The account's and the sender's own",
  ACCOUNT: "The account's only",
  SENDER: "The sender's own only",
};
const options = (labels: Record<string, string>) =>
  Object.entries(labels).map(([v, label]) => (
    <option key={v} value={v}>
      {label}
    </option>
  ));

/** What the form edits of a saved schedule (the API refuses its id and stamps in a patch). */
const fieldsOf = ({ id: _id, createdAt: _c, updatedAt: _u, ...f }: Schedule): Fields => ({ ...NEW, ...f });
const hours = (s: Fields) => `${minuteToTime(s.sendWindowStartMinute)}–${s.sendWindowEndMinute >= 1440 ? '24:00' : minuteToTime(s.sendWindowEndMinute)}`;

/** Settings › Schedules (issue #14 item 4): send windows and follow-up days several sequences share. */
export function SchedulesPage() {
  const schedules = useSchedules();
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState<{ id: string | null; fields: Fields } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const act = async (fn: () => Promise<unknown>) => {
    setError(null);
    try {
      await fn();
      await queryClient.invalidateQueries({ queryKey: ['schedules'] });
      return true;
    } catch (err) {
      setError(err);
      return false;
    }
  };
  const save = async (e: FormEvent) => {
    e.preventDefault();
    if (!editing) return;
    const { id, fields } = editing;
    if (await act(() => (id ? patch(`/seqflow/v1/schedules/${id}`, fields) : post('/seqflow/v1/schedules', fields)))) setEditing(null);
  };
  const set = <K extends keyof Fields>(k: K, v: Fields[K]) => setEditing((ed) => ed && { ...ed, fields: { ...ed.fields, [k]: v } });
  const f = editing?.fields;
  return (
    <main className="page">
      <div className="page-head">
        <h1>
          <Link to="/account">Settings</Link> › Schedules
        </h1>
        <button type="button" className="primary" onClick={() => setEditing({ id: null, fields: NEW })}>
          New schedule
        </button>
      </div>
      <p className="hint">
        A schedule is a send window and the days follow-ups go on, shared by every sequence that uses it (a sequence&apos;s Settings › Use schedule). Hours are read in each contact&apos;s time
        zone. Editing a schedule moves the waiting emails of all its sequences; a schedule in use cannot be deleted.
      </p>
      <ErrorMessage error={error ?? schedules.error} />
      {f && (
        <form className="card" aria-label={editing.id ? 'Edit schedule' : 'New schedule'} onSubmit={(e) => void save(e)}>
          <div className="row">
            <Field label="Name">{(id) => <input id={id} required value={f.name} onChange={(e) => set('name', e.target.value)} />}</Field>
            <Field label="Send follow-ups on">
              {(id) => (
                <select id={id} value={f.eligibleFollowUpDays} onChange={(e) => set('eligibleFollowUpDays', e.target.value as Fields['eligibleFollowUpDays'])}>
                  {options(DAYS)}
                </select>
              )}
            </Field>
            <Field label="Holidays skipped" hint="Business days only">
              {(id) => (
                <select id={id} value={f.holidayCalendar} onChange={(e) => set('holidayCalendar', e.target.value as Fields['holidayCalendar'])}>
                  {options(CALENDARS)}
                </select>
              )}
            </Field>
            <Field label="Send window starts">{(id) => <input id={id} type="time" value={minuteToTime(f.sendWindowStartMinute)} onChange={(e) => set('sendWindowStartMinute', timeToMinute(e.target.value))} />}</Field>
            <Field label="Send window ends">
              {(id) => <input id={id} type="time" value={f.sendWindowEndMinute >= 1440 ? '23:59' : minuteToTime(f.sendWindowEndMinute)} onChange={(e) => set('sendWindowEndMinute', e.target.value === '23:59' ? 1440 : timeToMinute(e.target.value))} />}
            </Field>
          </div>
          <HoursByDay window={{ startMinute: f.sendWindowStartMinute, endMinute: f.sendWindowEndMinute }} days={f.sendWindowsByWeekday} onChange={(v) => set('sendWindowsByWeekday', v)} />
          <div className="row">
            <button type="submit" className="primary">
              Save schedule
            </button>
            <button type="button" className="secondary" onClick={() => setEditing(null)}>
              Cancel
            </button>
          </div>
        </form>
      )}
      {schedules.isLoading && <Loading what="schedules" />}
      {schedules.data?.length === 0 && <Empty>No schedules yet: each sequence uses its own send window.</Empty>}
      {schedules.data && schedules.data.length > 0 && (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th>Name</th>
                <th>Hours</th>
                <th>Follow-ups on</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {schedules.data.map((s) => (
                <tr key={s.id}>
                  <td>{s.name}</td>
                  <td>
                    {hours(s)}
                    {Object.keys(s.sendWindowsByWeekday).length > 0 && <span className="muted"> (other hours on {Object.keys(s.sendWindowsByWeekday).length} days)</span>}
                  </td>
                  <td>{DAYS[s.eligibleFollowUpDays]}</td>
                  <td>
                    <button type="button" className="small secondary" onClick={() => setEditing({ id: s.id, fields: fieldsOf(s) })}>
                      Edit<span className="sr-only"> {s.name}</span>
                    </button>
                    <button type="button" className="small secondary" onClick={() => void act(() => del(`/seqflow/v1/schedules/${s.id}`))}>
                      Delete<span className="sr-only"> {s.name}</span>
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </main>
  );
}
