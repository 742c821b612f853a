import { useState, type FormEvent } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { del, get, post, q } from '../api';
import { Empty, ErrorMessage, Field, Loading } from '../components/ui';
import { useUsers } from '../lib/data';
import { userName } from '../lib/format';
import { Link } from '../router';
import type { Holiday, HolidayCountry } from '../types';

/** Settings › Holidays: the days BUSINESS_DAYS sequences send nothing on, for everyone or for one sender. */
export function HolidaysPage() {
  const users = useUsers();
  const [calendar, setCalendar] = useState('');
  const [year, setYear] = useState(new Date().getFullYear());
  const [error, setError] = useState<unknown>(null);
  const [day, setDay] = useState({ date: '', name: '' });
  const [country, setCountry] = useState('');
  const queryClient = useQueryClient();
  const userId = calendar ? Number(calendar) : undefined;
  const days = useQuery({
    queryKey: ['holidays', calendar, year],
    queryFn: () => get<{ results: Holiday[] }>(`/seqflow/v1/holidays${q({ userId, from: `${year}-01-01`, to: `${year}-12-31` })}`),
  });
  const countries = useQuery({ queryKey: ['holiday-countries'], queryFn: () => get<{ results: HolidayCountry[] }>('/seqflow/v1/holidays/countries') });
  const act = async (fn: () => Promise<unknown>) => {
    setError(null);
    try {
      await fn();
      await queryClient.invalidateQueries({ queryKey: ['holidays'] });
    } catch (err) {
      setError(err);
    }
  };
  const add = (e: FormEvent) => {
    e.preventDefault();
    void act(async () => {
      await post('/seqflow/v1/holidays', { userId, holidays: [day] });
      setDay({ date: '', name: '' });
    });
  };
  const importCountry = (e: FormEvent) => {
    e.preventDefault();
    void act(() => post('/seqflow/v1/holidays/import', { userId, country, year }));
  };
  return (
    <main className="page">
      <div className="page-head">
        <h1>
          <Link to="/account">Settings</Link> › Holidays
        </h1>
      </div>
      <p className="hint">
        Sequences set to <strong>business days</strong> send no follow-up on these days, as on weekends: the account&apos;s days apply to every sender, a sender&apos;s own only to them. Each day
        is read in the contact&apos;s time zone.
      </p>
      <ErrorMessage error={error ?? days.error} />
      <div className="filters">
        <Field label="Calendar">
          {(id) => (
            <select id={id} value={calendar} onChange={(e) => setCalendar(e.target.value)}>
              <option value="">Whole account</option>
              {users.data?.map((u) => (
                <option key={u.id} value={u.id}>
                  {userName(u)} (own days off)
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Year">{(id) => <input id={id} type="number" min={2000} max={2100} value={year} onChange={(e) => setYear(Number(e.target.value))} />}</Field>
      </div>
      <form onSubmit={importCountry} className="filters" aria-label="Import a national calendar">
        <Field label="Country or region">
          {(id) => (
            <select id={id} required value={country} onChange={(e) => setCountry(e.target.value)}>
              <option value="">Choose a country</option>
              {countries.data?.results.map((c) => (
                <option key={c.code} value={c.code}>
                  {c.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <button type="submit" className="secondary">
          Import {year}&apos;s public holidays
        </button>
      </form>
      <form onSubmit={add} className="filters" aria-label="Add a day off">
        <Field label="Date">{(id) => <input id={id} type="date" required value={day.date} onChange={(e) => setDay((d) => ({ ...d, date: e.target.value }))} />}</Field>
        <Field label="Name">{(id) => <input id={id} required value={day.name} onChange={(e) => setDay((d) => ({ ...d, name: e.target.value }))} />}</Field>
        <button type="submit" className="primary">
          Add day
        </button>
      </form>
      {days.isLoading && <Loading what="holidays" />}
      {days.data?.results.length === 0 && <Empty>No days off in {year}.</Empty>}
      {days.data && days.data.results.length > 0 && (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th>Date</th>
                <th>Name</th>
                <th>From</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {days.data.results.map((h) => (
                <tr key={h.id}>
                  <td>{h.date}</td>
                  <td>{h.name}</td>
                  <td className="muted">{h.source === 'manual' ? 'added by hand' : h.source.replace('import:', 'imported: ')}</td>
                  <td>
                    <button type="button" className="small secondary" onClick={() => void act(() => del(`/seqflow/v1/holidays/${h.id}`))}>
                      Remove<span className="sr-only"> {h.date}</span>
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
