import { useQuery } from '@tanstack/react-query';
import { get } from '../../api';
import { ErrorMessage, Loading } from '../../components/ui';
import { BarChart, fillDays } from '../../components/BarChart';
import type { SequenceStats } from '../../lib/data';
import type { Sequence } from '../../types';
import { StepReport } from './StepReport';

/** The sequence's totals and emails sent and replies per day. */
export function PerformanceTab({ sequence, stats }: { sequence: Sequence; stats?: SequenceStats }) {
  const perf = useQuery({
    queryKey: ['performance', sequence.id],
    queryFn: () => get<{ summary: SequenceStats; timeline: { date: string; sent: number; replied: number }[] }>(`/seqflow/v1/sequences/${sequence.id}/performance`),
  });
  const health = useQuery({ queryKey: ['health'], queryFn: () => get<{ now: string }>('/seqflow/v1/health') });
  const s = perf.data?.summary ?? stats;
  const sent = perf.data?.timeline.reduce((n, d) => n + d.sent, 0) ?? 0;
  const pct = (n: number, of: number) => (of ? `${Math.round((100 * n) / of)}%` : '—');
  return (
    <section aria-label="Performance">
      <ErrorMessage error={perf.error} />
      {s && (
        <ul className="kpis" aria-label="Totals">
          <li>
            <span className="n">{s.enrolled}</span>
            <span className="l">Enrolled</span>
          </li>
          <li>
            <span className="n">{s.active}</span>
            <span className="l">Active</span>
          </li>
          <li>
            <span className="n">{sent}</span>
            <span className="l">Emails sent</span>
          </li>
          <li>
            <span className="n">{s.replied}</span>
            <span className="l">Replied ({pct(s.replied, s.enrolled)})</span>
          </li>
          <li>
            <span className="n">{s.meetingsBooked}</span>
            <span className="l">Meetings booked</span>
          </li>
          <li>
            <span className="n">{s.bounced}</span>
            <span className="l">Bounced</span>
          </li>
          <li>
            <span className="n">{s.unsubscribed}</span>
            <span className="l">Unsubscribed</span>
          </li>
        </ul>
      )}
      {perf.isLoading && <Loading what="performance" />}
      {perf.data && (
        <div className="card">
          <h2>Emails sent and replies per day</h2>
          <BarChart
            title={`Emails sent and replies per day for ${sequence.name}`}
            days={fillDays(perf.data.timeline, (health.data?.now ?? new Date().toISOString()).slice(0, 10))}
            series={[
              { key: 'sent', label: 'Emails sent', color: '#00a4bd' },
              { key: 'replied', label: 'Replies', color: '#ff7a59' },
            ]}
          />
        </div>
      )}
      <StepReport sequence={sequence} />
    </section>
  );
}
