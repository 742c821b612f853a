import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { get, q, token } from '../../api';
import { StepFunnel } from '../../components/StepFunnel';
import { ErrorMessage, Field, Loading } from '../../components/ui';
import { useUsers } from '../../lib/data';
import { userName } from '../../lib/format';
import type { ReportFigures, Sequence, SequenceReport } from '../../types';

const PRESETS = [7, 30, 90];
const rate = (r: number | null) => (r === null ? '—' : `${Math.round(r * 1000) / 10}%`);
/** An open or click figure: a count, or "—" when the sequence does not track it. */
const tracked = (n: number | null, r?: number | null) => (n === null ? <span title="tracking off">—</span> : r === undefined ? n : rate(r));

/** YYYY-MM-DD `days` before `date`: calendar arithmetic, so UTC is the right frame for it. */
function daysBefore(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - days);
  return d.toISOString().slice(0, 10);
}

/** Today in the account's time zone, by the server's clock (which tests may have moved). */
const todayIn = (now: string, timeZone: string) => new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(now));

/** The per-step report: a range and sender filter, a bar per step, the table and a CSV download. */
export function StepReport({ sequence }: { sequence: Sequence }) {
  const [range, setRange] = useState<{ from?: string; to?: string }>({});
  const [sender, setSender] = useState('');
  const users = useUsers();
  const health = useQuery({ queryKey: ['health'], queryFn: () => get<{ now: string }>('/seqflow/v1/health') });
  const query = q({ from: range.from, to: range.to, senderUserId: sender || undefined });
  const report = useQuery({
    queryKey: ['sequence-report', sequence.id, query],
    queryFn: () => get<SequenceReport>(`/seqflow/v1/sequences/${sequence.id}/report${query}`),
    placeholderData: (previous) => previous,
  });
  const r = report.data;
  const csvUrl = `/seqflow/v1/sequences/${sequence.id}/report.csv${query}`;
  const [csvError, setCsvError] = useState<unknown>(null);

  const preset = (days: number) => {
    if (!r || !health.data) return;
    const to = todayIn(health.data.now, r.timeZone);
    setRange({ from: daysBefore(to, days - 1), to });
  };
  // The link works on its own with a session cookie; signed in with an API token, fetch it with the token.
  const download = async (e: React.MouseEvent<HTMLAnchorElement>) => {
    const t = token.get();
    if (!t) return;
    e.preventDefault();
    setCsvError(null);
    try {
      const res = await fetch(csvUrl, { headers: { authorization: `Bearer ${t}` }, credentials: 'same-origin' });
      if (!res.ok) throw new Error(`The CSV could not be made (HTTP ${res.status}).`);
      const name = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? 'report.csv';
      const a = document.createElement('a');
      a.href = URL.createObjectURL(await res.blob());
      a.download = name;
      a.click();
      setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
    } catch (err) {
      setCsvError(err);
    }
  };

  return (
    <div className="card" aria-label="Per-step report" role="region">
      <h2>Per-step report</h2>
      <div className="filters">
        <Field label="From">{(id) => <input id={id} type="date" value={r?.from ?? ''} max={r?.to} onChange={(e) => e.target.value && setRange({ from: e.target.value, to: r?.to })} />}</Field>
        <Field label="To">{(id) => <input id={id} type="date" value={r?.to ?? ''} min={r?.from} onChange={(e) => e.target.value && setRange({ from: r?.from, to: e.target.value })} />}</Field>
        <div className="presets" role="group" aria-label="Presets">
          {PRESETS.map((d) => (
            <button key={d} type="button" className="secondary" onClick={() => preset(d)}>
              Last {d} days
            </button>
          ))}
        </div>
        <Field label="Sender">
          {(id) => (
            <select id={id} value={sender} onChange={(e) => setSender(e.target.value)}>
              <option value="">All senders</option>
              {users.data?.map((u) => (
                <option key={u.id} value={u.id}>
                  {userName(u)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <a className="button secondary" href={csvUrl} download onClick={(e) => void download(e)}>
          Export CSV
        </a>
      </div>
      <ErrorMessage error={report.error ?? csvError} />
      {report.isLoading && <Loading what="report" />}
      {r && (
        <>
          <p className="hint">
            {r.from} to {r.to} ({r.timeZone}). Replies, meetings and unsubscribes count for the last email sent before them.
            {r.tracking.opens || r.tracking.clicks
              ? ' Opens count emails a person opened; "proxy only" are emails only a mail privacy proxy (Apple Mail, Gmail, Yahoo) fetched, which may be unread.'
              : ''}
          </p>
          <StepFunnel title={`Per-step results of ${sequence.name} from ${r.from} to ${r.to}`} steps={r.steps} />
          <div className="table-wrap">
            <table aria-label="Per-step results">
              <thead>
                <tr>
                  <th>Step</th>
                  <th>Title</th>
                  <th>Sent</th>
                  <th>Delivered</th>
                  <th>Replied</th>
                  <th>Reply rate</th>
                  <th>Meetings</th>
                  <th>Bounced</th>
                  <th>Unsubscribed</th>
                  <th>Tasks created</th>
                  <th>Tasks completed</th>
                  <th>Opened{r.tracking.opens ? '' : ' (tracking off)'}</th>
                  <th>Opened by proxy only</th>
                  <th>Open rate</th>
                  <th>Clicked{r.tracking.clicks ? '' : ' (tracking off)'}</th>
                  <th>Click rate</th>
                </tr>
              </thead>
              <tbody>
                {r.steps.map((s) => (
                  <Row key={s.stepOrder} head={`${s.stepOrder + 1} · ${s.type === 'EMAIL' ? 'Email' : 'Task'}`} title={s.title} f={s} />
                ))}
              </tbody>
              <tfoot>
                <Row head="Total" title="" f={r.totals} />
              </tfoot>
            </table>
          </div>
        </>
      )}
    </div>
  );
}

function Row({ head, title, f }: { head: string; title: string; f: ReportFigures }) {
  return (
    <tr>
      <th scope="row">{head}</th>
      <td>{title}</td>
      <td>{f.sent}</td>
      <td>{f.delivered}</td>
      <td>{f.replied}</td>
      <td>{rate(f.replyRate)}</td>
      <td>{f.meetingsBooked}</td>
      <td>{f.bounced}</td>
      <td>{f.unsubscribed}</td>
      <td>{f.tasksCreated}</td>
      <td>{f.tasksCompleted}</td>
      <td>{tracked(f.opened)}</td>
      <td>{tracked(f.openedByProxy)}</td>
      <td>{tracked(f.opened, f.openRate)}</td>
      <td>{tracked(f.clicked)}</td>
      <td>{tracked(f.clicked, f.clickRate)}</td>
    </tr>
  );
}
