/**
 * Create a suppression by hand (`POST /api/suppressions`): 1 to 3 field = value conditions, optionally limited to
 * one rule. Made by a rules:write user it is active at once (unlike a false-positive proposal, which waits for
 * review). Matching is case-insensitive and needs every condition to hold.
 */
import { useState, type FormEvent } from 'react';
import { ApiError, apiRequest } from '../api/api-client';
import { maxNoiseFields, noiseFields, type NewSuppression, type NoiseField, type Suppression } from '../api/api-types';
import { ErrorBox } from '../ui/error-box';
import type { RuleChoice } from './rule-choices';

interface ConditionRow {
  field: NoiseField;
  value: string;
}

export function NewSuppressionForm({ rules, onCancel, onCreated }: { rules: readonly RuleChoice[]; onCancel: () => void; onCreated: (suppression: Suppression) => void }) {
  const [ruleId, setRuleId] = useState('');
  const [conditions, setConditions] = useState<ConditionRow[]>([{ field: 'actor', value: '' }]);
  const [reason, setReason] = useState('');
  const [days, setDays] = useState('30');
  const [problem, setProblem] = useState<string | null>(null);
  const [failure, setFailure] = useState<ApiError | null>(null);
  const [saving, setSaving] = useState(false);

  function updateCondition(index: number, next: Partial<ConditionRow>) {
    setConditions((rows) => rows.map((row, i) => (i === index ? { ...row, ...next } : row)));
  }

  function addCondition() {
    const used = new Set(conditions.map((row) => row.field));
    const field = noiseFields.find((f) => !used.has(f)) ?? 'actor';
    setConditions((rows) => [...rows, { field, value: '' }]);
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    setFailure(null);
    const filled = conditions.map((row) => ({ field: row.field, value: row.value.trim() }));
    const dayCount = Number(days);
    if (filled.some((row) => row.value === '')) return setProblem('Give every condition a value, or remove it.');
    if (new Set(filled.map((row) => row.field)).size !== filled.length) return setProblem('Each field can appear in one condition only.');
    if (reason.trim().length < 3) return setProblem('Say why these alerts should be muted (at least 3 characters).');
    if (!Number.isInteger(dayCount) || dayCount < 1 || dayCount > 365) return setProblem('Days is a whole number from 1 to 365.');
    setProblem(null);
    const body: NewSuppression = {
      ruleId: ruleId === '' ? null : ruleId,
      conditions: Object.fromEntries(filled.map((row) => [row.field, row.value])),
      reason: reason.trim(),
      days: dayCount,
    };
    setSaving(true);
    try {
      onCreated(await apiRequest<Suppression>('/api/suppressions', { method: 'POST', body }));
    } catch (cause) {
      if (cause instanceof ApiError) setFailure(cause);
    } finally {
      setSaving(false);
    }
  }

  return (
    <form className="settings-form" onSubmit={submit} noValidate data-testid="new-suppression-form">
      <div className="field">
        <span className="field-label">
          Conditions <span className="muted">(all must hold; up to {maxNoiseFields})</span>
        </span>
        {conditions.map((row, index) => (
          <div key={index} className="condition-row">
            <select value={row.field} onChange={(event) => updateCondition(index, { field: event.target.value as NoiseField })} aria-label={`Field of condition ${index + 1}`}>
              {noiseFields.map((field) => (
                <option key={field} value={field}>
                  {field}
                </option>
              ))}
            </select>
            <span className="muted">=</span>
            <input
              className="mono"
              value={row.value}
              onChange={(event) => updateCondition(index, { value: event.target.value })}
              placeholder={row.field === 'src_ip' ? '203.0.113.45' : row.field === 'actor' ? 'svc-backup@acme.com' : 'value'}
              aria-label={`Value of condition ${index + 1}`}
              data-testid={`suppression-value-${index}`}
            />
            {conditions.length > 1 && (
              <button type="button" className="button button-small" onClick={() => setConditions((rows) => rows.filter((_, i) => i !== index))} aria-label={`Remove condition ${index + 1}`}>
                Remove
              </button>
            )}
          </div>
        ))}
        {conditions.length < maxNoiseFields && (
          <div>
            <button type="button" className="button button-small" onClick={addCondition}>
              Add condition
            </button>
          </div>
        )}
      </div>
      <div className="form-grid settings-form-grid">
        <label className="field">
          <span className="field-label">Reason</span>
          <input value={reason} onChange={(event) => setReason(event.target.value)} placeholder="Backup service account, expected nightly" data-testid="suppression-reason" />
        </label>
        <label className="field">
          <span className="field-label">Rule</span>
          <select value={ruleId} onChange={(event) => setRuleId(event.target.value)}>
            <option value="">All rules</option>
            {rules.map((rule) => (
              <option key={rule.id} value={rule.id}>
                {rule.name}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span className="field-label">Days</span>
          <input type="number" min={1} max={365} step={1} value={days} onChange={(event) => setDays(event.target.value)} />
        </label>
      </div>
      {problem && <div className="field-error">{problem}</div>}
      {failure && <ErrorBox error={failure} title="The suppression was not created" />}
      <div className="form-actions">
        <button type="submit" className="button button-primary button-small" disabled={saving} data-testid="suppression-create">
          {saving ? 'Creating…' : 'Create suppression'}
        </button>
        <button type="button" className="button button-small" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
