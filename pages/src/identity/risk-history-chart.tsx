/**
 * A person's risk score over time (`riskHistory` of `GET /api/identity/users/:id`) as a small SVG line chart
 * on a fixed 0–100 scale, with the level thresholds drawn as faint bands so a rise reads at a glance.
 */
import type { IdentityRiskPoint } from '../api/api-types';

const width = 560;
const height = 140;
const pad = { left: 30, right: 10, top: 10, bottom: 22 };

export function RiskHistoryChart({ points, thresholds }: { points: readonly IdentityRiskPoint[]; thresholds: readonly { level: string; min: number }[] }) {
  if (points.length === 0) return <div className="muted panel-body">No risk changes recorded yet.</div>;
  const times = points.map((p) => Date.parse(p.at));
  const t0 = Math.min(...times);
  const t1 = Math.max(...times);
  const span = Math.max(1, t1 - t0);
  const x = (t: number) => pad.left + ((t - t0) / span) * (width - pad.left - pad.right);
  const y = (score: number) => pad.top + (1 - score / 100) * (height - pad.top - pad.bottom);
  // Straight segments: between two points the score decays (or jumps at the next detection).
  let d = '';
  points.forEach((p, i) => {
    d += `${i === 0 ? 'M' : 'L'}${x(times[i]!).toFixed(1)},${y(p.score).toFixed(1)}`;
  });
  if (points.length === 1) d += `H${(width - pad.right).toFixed(1)}`;
  const last = points.at(-1)!;
  return (
    <svg className="risk-chart" viewBox={`0 0 ${width} ${height}`} role="img" aria-label={`Risk history: ${points.filter((p) => p.reason !== 'decay').length} points, now ${last.score}`} data-testid="risk-history-chart">
      {thresholds
        .filter((t) => t.min > 0 && t.min < 100)
        .map((t) => (
          <g key={t.level}>
            <line x1={pad.left} x2={width - pad.right} y1={y(t.min)} y2={y(t.min)} className="risk-chart-threshold" />
            <text x={width - pad.right} y={y(t.min) - 2} className="risk-chart-label" textAnchor="end">
              {t.level}
            </text>
          </g>
        ))}
      {[0, 50, 100].map((v) => (
        <text key={v} x={pad.left - 4} y={y(v) + 3} className="risk-chart-axis" textAnchor="end">
          {v}
        </text>
      ))}
      <line x1={pad.left} x2={width - pad.right} y1={y(0)} y2={y(0)} className="risk-chart-baseline" />
      <path d={d} className="risk-chart-line" />
      {points.map((p, i) =>
        p.reason === 'decay' ? null : (
          <circle key={`${p.at}-${i}`} cx={x(times[i]!)} cy={y(p.score)} r={2.5} className="risk-chart-dot">
            <title>{`${new Date(p.at).toISOString().replace('T', ' ').slice(0, 16)} UTC — ${p.score}${p.reason ? ` (${p.reason})` : ''}`}</title>
          </circle>
        ),
      )}
      <text x={pad.left} y={height - 6} className="risk-chart-axis">
        {new Date(t0).toISOString().slice(0, 10)}
      </text>
      <text x={width - pad.right} y={height - 6} className="risk-chart-axis" textAnchor="end">
        {new Date(t1).toISOString().slice(0, 10)}
      </text>
    </svg>
  );
}
