import type { ReportStep } from '../types';

const COLORS = { sent: '#7fd1de', replied: '#ff7a59', bounced: '#d94c53', tasks: '#cbd6e2', completed: '#00bda5' };
const pct = (r: number | null) => (r === null ? '—' : `${Math.round(r * 1000) / 10}%`);

/** What one step's bar says, in words: its label and the screen reader's text. */
export function stepSummary(s: ReportStep): string {
  return s.type === 'EMAIL'
    ? `${s.sent} sent · ${s.replied} replied · ${s.bounced} bounced · ${pct(s.replyRate)} reply rate`
    : `${s.tasksCreated} tasks · ${s.tasksCompleted} completed · ${s.tasksOpen} open`;
}

/**
 * One horizontal bar per step, all on the scale of the busiest step, so the drop from step to
 * step reads like a funnel: emails sent, with the replied and bounced share of them drawn in;
 * tasks created, with the completed share drawn in. Plain SVG, as BarChart.
 */
export function StepFunnel({ title, steps }: { title: string; steps: ReportStep[] }) {
  const W = 860;
  const rowH = 46;
  const labelW = 220;
  const barMax = W - labelW - 20;
  const H = Math.max(1, steps.length) * rowH + 10;
  const top = Math.max(1, ...steps.map((s) => (s.type === 'EMAIL' ? s.sent : s.tasksCreated)));
  const w = (n: number) => (n / top) * barMax;
  return (
    <figure className="chart-figure">
      <svg className="chart" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={title}>
        {steps.map((s, i) => {
          const y = 8 + i * rowH;
          const whole = s.type === 'EMAIL' ? s.sent : s.tasksCreated;
          const parts = s.type === 'EMAIL' ? [{ n: s.replied, color: COLORS.replied, what: 'replied' }, { n: s.bounced, color: COLORS.bounced, what: 'bounced' }] : [{ n: s.tasksCompleted, color: COLORS.completed, what: 'completed' }];
          let x = labelW;
          return (
            <g key={s.stepOrder} aria-label={`Step ${s.stepOrder + 1}: ${stepSummary(s)}`}>
              <text x={labelW - 10} y={y + 15} textAnchor="end" fontSize="13" fill="#33475b">
                {`Step ${s.stepOrder + 1} · ${s.type === 'EMAIL' ? 'Email' : 'Task'}`}
              </text>
              <text x={labelW - 10} y={y + 31} textAnchor="end" fontSize="11" fill="#516f90">
                {s.title.length > 30 ? `${s.title.slice(0, 29)}…` : s.title}
              </text>
              <rect x={labelW} y={y} width={barMax} height={22} fill="#f5f8fa" />
              <rect x={labelW} y={y} width={w(whole)} height={22} fill={s.type === 'EMAIL' ? COLORS.sent : COLORS.tasks}>
                <title>{`${whole} ${s.type === 'EMAIL' ? 'sent' : 'tasks created'}`}</title>
              </rect>
              {parts.map((p) => {
                const r = (
                  <rect key={p.what} x={x} y={y} width={w(p.n)} height={22} fill={p.color}>
                    <title>{`${p.n} ${p.what}`}</title>
                  </rect>
                );
                x += w(p.n);
                return r;
              })}
              <text x={labelW + 4} y={y + 37} fontSize="12" fill="#33475b">
                {stepSummary(s)}
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption className="legend">
        {[
          ['Sent', COLORS.sent],
          ['Replied', COLORS.replied],
          ['Bounced', COLORS.bounced],
          ['Tasks created', COLORS.tasks],
          ['Tasks completed', COLORS.completed],
        ].map(([label, color]) => (
          <span key={label}>
            <i style={{ background: color }} />
            {label}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}
