/**
 * The chart of an answer whose rows are a time series (a line) or a grouped count (horizontal bars), as chosen by
 * core/query-results/chart-shape.ts. Plain SVG scaled to the panel's width; each point and bar has a tooltip with
 * its exact value, and the table below the chart stays the source of truth.
 */
import type { ChartShape } from '../../../core/query-results/chart-shape';
import { formatUtc } from '../ui/format-time';
import { formatCount } from './answer-format';

export function AnswerChart({ shape }: { shape: ChartShape }) {
  return (
    <figure className="answer-chart" data-testid="answer-chart" data-kind={shape.kind}>
      {shape.kind === 'line' ? <LineChart shape={shape} /> : <BarChart shape={shape} />}
    </figure>
  );
}

/** A rounded-up axis maximum (1, 2 or 5 × 10^n) so the top gridline reads as a round number. */
function niceMax(max: number): number {
  if (max <= 0) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(max));
  for (const step of [1, 2, 5, 10]) if (step * magnitude >= max) return step * magnitude;
  return 10 * magnitude;
}

function timeLabel(ms: number, label: string): string {
  // Dates stay dates; anything with a time of day is shown as UTC minutes.
  return /^\d{4}-\d{2}(-\d{2})?$/.test(label) ? label : formatUtc(new Date(ms).toISOString()).slice(0, 16);
}

function LineChart({ shape }: { shape: Extract<ChartShape, { kind: 'line' }> }) {
  const width = 720;
  const height = 200;
  const pad = { left: 48, right: 14, top: 12, bottom: 26 };
  const { points } = shape;
  const t0 = points[0]!.time;
  const t1 = points.at(-1)!.time;
  const span = Math.max(1, t1 - t0);
  const top = niceMax(Math.max(...points.map((p) => p.value)));
  const x = (t: number) => pad.left + ((t - t0) / span) * (width - pad.left - pad.right);
  const y = (v: number) => pad.top + (1 - v / top) * (height - pad.top - pad.bottom);
  const d = points.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(p.time).toFixed(1)},${y(p.value).toFixed(1)}`).join('');
  const area = `${d}L${x(t1).toFixed(1)},${y(0).toFixed(1)}L${x(t0).toFixed(1)},${y(0).toFixed(1)}Z`;
  const middle = points[Math.floor(points.length / 2)]!;
  return (
    <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={`${shape.valueColumn} by ${shape.timeColumn}: ${points.length} points, highest ${formatCount(Math.max(...points.map((p) => p.value)))}`}>
      {[0, 0.5, 1].map((f) => (
        <g key={f}>
          <line x1={pad.left} x2={width - pad.right} y1={y(top * f)} y2={y(top * f)} className={f === 0 ? 'chart-baseline' : 'chart-grid'} />
          <text x={pad.left - 6} y={y(top * f) + 4} className="chart-axis" textAnchor="end">
            {formatCount(top * f)}
          </text>
        </g>
      ))}
      <path d={area} className="chart-area" />
      <path d={d} className="chart-line" />
      {points.map((p) => (
        <circle key={p.time} cx={x(p.time)} cy={y(p.value)} r={points.length > 60 ? 1.5 : 3} className="chart-dot">
          <title>{`${timeLabel(p.time, p.label)} — ${formatCount(p.value)} ${shape.valueColumn}`}</title>
        </circle>
      ))}
      <text x={pad.left} y={height - 8} className="chart-axis">
        {timeLabel(t0, points[0]!.label)}
      </text>
      {points.length > 2 && (
        <text x={x(middle.time)} y={height - 8} className="chart-axis" textAnchor="middle">
          {timeLabel(middle.time, middle.label)}
        </text>
      )}
      <text x={width - pad.right} y={height - 8} className="chart-axis" textAnchor="end">
        {timeLabel(t1, points.at(-1)!.label)}
      </text>
    </svg>
  );
}

function BarChart({ shape }: { shape: Extract<ChartShape, { kind: 'bar' }> }) {
  const width = 720;
  const rowHeight = 22;
  const labelWidth = 190;
  const valueWidth = 70;
  const pad = { top: 6, bottom: 6 };
  const { bars } = shape;
  const height = pad.top + bars.length * rowHeight + pad.bottom;
  const top = Math.max(1, ...bars.map((b) => b.value));
  const barSpace = width - labelWidth - valueWidth - 16;
  return (
    <>
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={`${shape.valueColumn} by ${shape.labelColumn}: ${bars.length} bars`}>
        {bars.map((bar, i) => {
          const yTop = pad.top + i * rowHeight;
          const barWidth = Math.max(bar.value > 0 ? 1 : 0, (bar.value / top) * barSpace);
          const label = bar.label.length > 28 ? `${bar.label.slice(0, 27)}…` : bar.label;
          return (
            <g key={`${bar.label}-${i}`} className="chart-bar-row">
              <title>{`${bar.label} — ${formatCount(bar.value)} ${shape.valueColumn}`}</title>
              <text x={labelWidth - 8} y={yTop + rowHeight / 2 + 4} className="chart-label" textAnchor="end">
                {label}
              </text>
              <rect x={labelWidth} y={yTop + 3} width={barWidth} height={rowHeight - 6} rx={2} className="chart-bar" />
              <text x={labelWidth + barWidth + 6} y={yTop + rowHeight / 2 + 4} className="chart-value">
                {formatCount(bar.value)}
              </text>
            </g>
          );
        })}
      </svg>
      {shape.omitted > 0 && (
        <figcaption className="muted small">
          The first {bars.length} of {bars.length + shape.omitted} {shape.labelColumn} values are drawn; the table has them all.
        </figcaption>
      )}
    </>
  );
}
