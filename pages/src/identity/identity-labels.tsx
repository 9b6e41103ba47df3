/** Shared bits of the Identity pages: detection kind and kill-chain stage labels, the risk badge. */
import { killChainStages } from '../../../core/itdr/types';
import type { IdentityRiskLevel } from '../api/api-types';

/** `impossible_travel` → `Impossible travel`. */
export function humanize(snake: string): string {
  const text = snake.replaceAll('_', ' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

const levelSeverity: Record<IdentityRiskLevel, string> = { none: 'info', low: 'low', medium: 'medium', high: 'high', critical: 'critical' };

/** The 0–100 score with a bar and the level as a severity-coloured badge. */
export function RiskBadge({ score, level }: { score: number; level: IdentityRiskLevel }) {
  return (
    <span className="risk-score itdr-risk" title={`Risk ${score}/100 (${level})`} data-testid="risk-badge">
      <span className="risk-bar" aria-hidden="true">
        <span className={`risk-bar-fill itdr-risk-${level}`} style={{ width: `${Math.max(3, score)}%` }} />
      </span>
      <span className="risk-value">{score}</span>
      <span className={`badge severity-${levelSeverity[level]}`}>{level}</span>
    </span>
  );
}

/** The eight stages as a strip, the ones reached highlighted. */
export function KillChainStrip({ reached }: { reached: readonly string[] }) {
  return (
    <ol className="killchain" aria-label="Kill-chain stages reached" data-testid="kill-chain">
      {killChainStages.map((stage) => (
        <li key={stage} className={reached.includes(stage) ? 'killchain-stage reached' : 'killchain-stage'}>
          {humanize(stage)}
        </li>
      ))}
    </ol>
  );
}
