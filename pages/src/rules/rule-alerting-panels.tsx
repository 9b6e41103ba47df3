/** The panels under an expanded rule, SQL or Sigma: noise and real-time settings, a test run, the run history. */
import type { DetectionRule } from '../api/api-types';
import { RuleNoisePanel } from './rule-noise-panel';
import { RuleRunsPanel } from './rule-runs-panel';
import { RuleTestPanel } from './rule-test-panel';

export function RuleAlertingPanels({ rule, writeHint, onChanged }: { rule: DetectionRule; writeHint: string | undefined; onChanged: () => void }) {
  return (
    <div className="rule-panels">
      <RuleNoisePanel rule={rule} writeHint={writeHint} onChanged={onChanged} />
      <RuleTestPanel rule={rule} />
      <RuleRunsPanel rule={rule} />
    </div>
  );
}
