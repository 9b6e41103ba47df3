/** The two panels under an expanded rule, SQL or Sigma: its noise and real-time settings, and a test run. */
import type { DetectionRule } from '../api/api-types';
import { RuleNoisePanel } from './rule-noise-panel';
import { RuleTestPanel } from './rule-test-panel';

export function RuleAlertingPanels({ rule, writeHint, onChanged }: { rule: DetectionRule; writeHint: string | undefined; onChanged: () => void }) {
  return (
    <div className="rule-panels">
      <RuleNoisePanel rule={rule} writeHint={writeHint} onChanged={onChanged} />
      <RuleTestPanel rule={rule} />
    </div>
  );
}
