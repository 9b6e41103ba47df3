/** The score with a bar scaled to 200 points (two critical alerts), so the ranking reads at a glance. */
export function RiskScore({ score }: { score: number }) {
  const width = Math.max(4, Math.min(100, (score / 200) * 100));
  return (
    <span className="risk-score" title={`Risk score ${score}`}>
      <span className="risk-bar" aria-hidden="true">
        <span className="risk-bar-fill" style={{ width: `${width}%` }} />
      </span>
      <span className="risk-value">{score}</span>
    </span>
  );
}
