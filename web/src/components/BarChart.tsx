/** A dependency-free SVG bar chart of daily counts, with the data as a table for screen readers. */
export interface Series {
  key: string;
  label: string;
  color: string;
}

export function BarChart({ title, days, series }: { title: string; days: ({ date: string } & Record<string, number | string>)[]; series: Series[] }) {
  const W = 860;
  const H = 260;
  const pad = { l: 40, r: 12, t: 14, b: 40 };
  const innerW = W - pad.l - pad.r;
  const innerH = H - pad.t - pad.b;
  const max = Math.max(1, ...days.flatMap((d) => series.map((s) => Number(d[s.key]) || 0)));
  const step = niceStep(max);
  const top = Math.ceil(max / step) * step;
  const slot = innerW / Math.max(1, days.length);
  const barW = Math.max(2, Math.min(28, (slot * 0.8) / series.length));
  const labelEvery = Math.ceil(days.length / 12);
  const y = (v: number) => pad.t + innerH - (v / top) * innerH;
  return (
    <figure className="chart-figure">
      <svg className="chart" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={title}>
        {Array.from({ length: top / step + 1 }, (_, i) => i * step).map((v) => (
          <g key={v}>
            <line x1={pad.l} x2={W - pad.r} y1={y(v)} y2={y(v)} stroke="#eaf0f6" />
            <text x={pad.l - 6} y={y(v) + 4} textAnchor="end" fontSize="11" fill="#516f90">
              {v}
            </text>
          </g>
        ))}
        {days.map((d, i) => {
          const x0 = pad.l + i * slot + (slot - barW * series.length) / 2;
          return (
            <g key={d.date}>
              {series.map((s, j) => {
                const v = Number(d[s.key]) || 0;
                return (
                  <rect key={s.key} x={x0 + j * barW} y={y(v)} width={barW - 1} height={pad.t + innerH - y(v)} fill={s.color}>
                    <title>{`${d.date}: ${v} ${s.label.toLowerCase()}`}</title>
                  </rect>
                );
              })}
              {i % labelEvery === 0 && (
                <text x={pad.l + i * slot + slot / 2} y={H - pad.b + 16} textAnchor="middle" fontSize="11" fill="#516f90">
                  {d.date.slice(5)}
                </text>
              )}
            </g>
          );
        })}
        <line x1={pad.l} x2={W - pad.r} y1={pad.t + innerH} y2={pad.t + innerH} stroke="#cbd6e2" />
      </svg>
      <figcaption className="legend">
        {series.map((s) => (
          <span key={s.key}>
            <i style={{ background: s.color }} />
            {s.label}
          </span>
        ))}
      </figcaption>
      <div className="sr-only">
        <table>
          <caption>{title}</caption>
          <thead>
            <tr>
              <th scope="col">Day</th>
              {series.map((s) => (
                <th key={s.key} scope="col">
                  {s.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {days.map((d) => (
              <tr key={d.date}>
                <th scope="row">{d.date}</th>
                {series.map((s) => (
                  <td key={s.key}>{Number(d[s.key]) || 0}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
}

function niceStep(max: number): number {
  const raw = max / 5;
  const mag = 10 ** Math.floor(Math.log10(raw || 1));
  for (const m of [1, 2, 5, 10]) if (m * mag >= raw) return Math.max(1, m * mag);
  return Math.max(1, 10 * mag);
}

/** Every day from the first to the last (at least `min` days ending today), zeros where nothing happened. */
export function fillDays<T extends { date: string }>(rows: T[], today: string, min = 14): ({ date: string } & Record<string, number | string>)[] {
  const by = new Map(rows.map((r) => [r.date, r]));
  const last = [today, ...rows.map((r) => r.date)].sort().at(-1)!;
  const firstFromData = rows.map((r) => r.date).sort()[0];
  const minStart = new Date(Date.parse(`${last}T00:00:00Z`) - (min - 1) * 86_400_000).toISOString().slice(0, 10);
  let d = firstFromData && firstFromData < minStart ? firstFromData : minStart;
  const out: ({ date: string } & Record<string, number | string>)[] = [];
  for (let i = 0; d <= last && i < 400; i++) {
    out.push({ ...((by.get(d) as unknown as Record<string, number>) ?? {}), date: d });
    d = new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  }
  return out;
}
