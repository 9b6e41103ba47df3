/**
 * Schedule a maintenance window (`POST /api/maintenance-windows`): while it is on, alerts of its rules (or all
 * rules) from its sources (or all sources) are recorded but notify nobody. Times are entered in UTC, like every
 * time the UI shows; a window lasts at most 31 days.
 */
import { useState, type FormEvent } from 'react';
import { ApiError, apiRequest } from '../api/api-client';
import type { MaintenanceWindow, NewMaintenanceWindow } from '../api/api-types';
import { ErrorBox } from '../ui/error-box';
import type { RuleChoice } from './rule-choices';

export function NewMaintenanceForm({ rules, onCancel, onCreated }: { rules: readonly RuleChoice[]; onCancel: () => void; onCreated: (created: MaintenanceWindow) => void }) {
  const [initialStart] = useState(() => Date.now());
  const [name, setName] = useState('');
  const [startsAt, setStartsAt] = useState(() => utcInputValue(initialStart));
  const [endsAt, setEndsAt] = useState(() => utcInputValue(initialStart + 2 * 3_600_000));
  const [allRules, setAllRules] = useState(true);
  const [ruleIds, setRuleIds] = useState<string[]>([]);
  const [sources, setSources] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [failure, setFailure] = useState<ApiError | null>(null);
  const [saving, setSaving] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setFailure(null);
    const start = fromUtcInput(startsAt);
    const end = fromUtcInput(endsAt);
    if (name.trim() === '') return setProblem('Name the window (what is being maintained).');
    if (start === null || end === null) return setProblem('Give a start and an end.');
    if (end <= start) return setProblem('The end must be after the start.');
    if (!allRules && ruleIds.length === 0) return setProblem('Choose at least one rule, or “All rules”.');
    setProblem(null);
    const body: NewMaintenanceWindow = {
      name: name.trim(),
      startsAt: start,
      endsAt: end,
      ruleIds: allRules ? [] : ruleIds,
      sources: sources
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    };
    setSaving(true);
    try {
      onCreated(await apiRequest<MaintenanceWindow>('/api/maintenance-windows', { method: 'POST', body }));
    } catch (cause) {
      if (cause instanceof ApiError) setFailure(cause);
    } finally {
      setSaving(false);
    }
  }

  return (
    <form className="settings-form" onSubmit={submit} noValidate data-testid="new-maintenance-form">
      <div className="form-grid settings-form-grid">
        <label className="field">
          <span className="field-label">Name</span>
          <input value={name} onChange={(event) => setName(event.target.value)} placeholder="Okta SSO migration" />
        </label>
        <label className="field">
          <span className="field-label">Starts (UTC)</span>
          <input type="datetime-local" value={startsAt} onChange={(event) => setStartsAt(event.target.value)} />
        </label>
        <label className="field">
          <span className="field-label">Ends (UTC)</span>
          <input type="datetime-local" value={endsAt} onChange={(event) => setEndsAt(event.target.value)} />
        </label>
      </div>
      <div className="form-grid settings-form-grid">
        <div className="field">
          <span className="field-label">Rules</span>
          <label className="inline-field">
            <input type="radio" name="maintenance-rules" checked={allRules} onChange={() => setAllRules(true)} /> All rules
          </label>
          <label className="inline-field">
            <input type="radio" name="maintenance-rules" checked={!allRules} onChange={() => setAllRules(false)} /> Only these:
          </label>
          {!allRules && (
            <select
              multiple
              size={Math.min(8, Math.max(3, rules.length))}
              value={ruleIds}
              onChange={(event) => setRuleIds([...event.target.selectedOptions].map((option) => option.value))}
              aria-label="Rules of the window"
              className="multi-select"
            >
              {rules.map((rule) => (
                <option key={rule.id} value={rule.id}>
                  {rule.name}
                </option>
              ))}
            </select>
          )}
        </div>
        <label className="field">
          <span className="field-label">
            Sources <span className="muted">(comma-separated; empty: all)</span>
          </span>
          <input className="mono" value={sources} onChange={(event) => setSources(event.target.value)} placeholder="okta, cloudtrail" />
        </label>
      </div>
      {problem && <div className="field-error">{problem}</div>}
      {failure && <ErrorBox error={failure} title="The maintenance window was not created" />}
      <div className="form-actions">
        <button type="submit" className="button button-primary button-small" disabled={saving}>
          {saving ? 'Scheduling…' : 'Schedule window'}
        </button>
        <button type="button" className="button button-small" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** `datetime-local` value (`YYYY-MM-DDTHH:MM`) for an instant, read as UTC. */
function utcInputValue(ms: number): string {
  return new Date(Math.floor(ms / 60_000) * 60_000).toISOString().slice(0, 16);
}

/** A `datetime-local` value taken as UTC, as ISO 8601; null when empty or not a time. */
function fromUtcInput(value: string): string | null {
  if (value === '') return null;
  const ms = Date.parse(`${value}Z`);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}
