/**
 * The "New rule" panel: a Sigma rule (YAML, compiled by the server) or a SQL rule, chosen with a segmented
 * control. Both forms stay mounted so switching back and forth keeps what was typed.
 */
import { useState } from 'react';
import type { DetectionRule, RuleFormat } from '../api/api-types';
import { SigmaRuleForm } from './sigma-rule-form';
import { SqlRuleForm } from './sql-rule-form';

const formatChoices: readonly { format: RuleFormat; label: string }[] = [
  { format: 'sigma', label: 'Sigma' },
  { format: 'sql', label: 'SQL' },
];

export function NewRuleForm({ onCreated, onCancel }: { onCreated: (rule: DetectionRule) => void; onCancel: () => void }) {
  const [format, setFormat] = useState<RuleFormat>('sigma');
  return (
    <section className="panel form-panel" data-testid="new-rule-form">
      <div className="form-heading">
        <h2>New detection rule</h2>
        <div className="segmented" role="group" aria-label="Rule format">
          {formatChoices.map((choice) => (
            <button
              key={choice.format}
              type="button"
              className={choice.format === format ? 'segment active' : 'segment'}
              aria-pressed={choice.format === format}
              onClick={() => setFormat(choice.format)}
              data-testid={`rule-format-${choice.format}`}
            >
              {choice.label}
            </button>
          ))}
        </div>
      </div>
      <div hidden={format !== 'sigma'}>
        <SigmaRuleForm onCreated={onCreated} onCancel={onCancel} />
      </div>
      <div hidden={format !== 'sql'}>
        <SqlRuleForm onCreated={onCreated} onCancel={onCancel} />
      </div>
    </section>
  );
}
