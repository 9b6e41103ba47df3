/**
 * The baseline's sign-in hours as a 7 × 24 hour-of-week heat map (UTC; rows Monday–Sunday), shaded by the
 * share of the busiest cell, with the counts in each cell's tooltip.
 */
/** Rows Monday first; `day` is the index in the baseline (0 = Sunday, as core/itdr's `hourOfWeek`). */
const rows = [
  { label: 'Mon', day: 1 },
  { label: 'Tue', day: 2 },
  { label: 'Wed', day: 3 },
  { label: 'Thu', day: 4 },
  { label: 'Fri', day: 5 },
  { label: 'Sat', day: 6 },
  { label: 'Sun', day: 0 },
];

/** `counts` has 168 cells, index = weekday (0 = Sunday) × 24 + UTC hour. */
export function HourOfWeekHeatmap({ counts }: { counts: readonly number[] }) {
  const max = Math.max(1, ...counts);
  const cell = 16;
  const left = 32;
  const top = 14;
  return (
    <svg className="heatmap" viewBox={`0 0 ${left + 24 * cell + 2} ${top + 7 * cell + 2}`} role="img" aria-label="Sign-ins by hour of week (UTC)" data-testid="baseline-heatmap">
      {[0, 6, 12, 18].map((h) => (
        <text key={h} x={left + h * cell + 1} y={10} className="heatmap-axis">
          {String(h).padStart(2, '0')}h
        </text>
      ))}
      {rows.map(({ label: day, day: index }, d) => (
        <g key={day}>
          <text x={0} y={top + d * cell + 12} className="heatmap-axis">
            {day}
          </text>
          {Array.from({ length: 24 }, (_, h) => {
            const n = counts[index * 24 + h] ?? 0;
            const share = n / max;
            return (
              <rect
                key={h}
                x={left + h * cell}
                y={top + d * cell}
                width={cell - 2}
                height={cell - 2}
                rx={2}
                className={n === 0 ? 'heatmap-cell empty' : 'heatmap-cell'}
                style={n === 0 ? undefined : { fillOpacity: 0.15 + 0.85 * share }}
              >
                <title>{`${day} ${String(h).padStart(2, '0')}:00 UTC — ${n}`}</title>
              </rect>
            );
          })}
        </g>
      ))}
    </svg>
  );
}
