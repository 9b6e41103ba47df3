/**
 * The SQL side of "New rule" (`POST /api/rules`). The API's validation message is attached to the field it names
 * (`invalid_sql` always to the SQL); anything else is shown above the buttons.
 */
import { useState, type FormEvent } from 'react';
import { ApiError, apiRequest } from '../api/api-client';
import { severities, type DetectionRule, type NewDetectionRule, type Severity } from '../api/api-types';
import { ErrorBox } from '../ui/error-box';

type RuleField = 'name' | 'description' | 'severity' | 'sql' | 'intervalMinutes';
type FieldErrors = Partial<Record<RuleField, string>>;

const ruleFields: readonly RuleField[] = ['intervalMinutes', 'description', 'severity', 'name', 'sql'];

const sqlTemplate = `SELECT actor, src_ip, count(*) AS failures
FROM events
WHERE event_time >= :window_start AND event_time < :window_end
  AND outcome = 'failure'
GROUP BY actor, src_ip
HAVING count(*) >= 10`;

export function SqlRuleForm({ onCreated, onCancel }: { onCreated: (rule: DetectionRule) => void; onCancel: () => void }) {
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [severity, setSeverity] = useState<Severity>('medium');
  const [sql, setSql] = useState('');
  const [intervalMinutes, setIntervalMinutes] = useState('5');
  const [enabled, setEnabled] = useState(true);
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<ApiError | null>(null);
  const [saving, setSaving] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const localErrors = validateLocally(name, sql, intervalMinutes);
    setFieldErrors(localErrors);
    setFormError(null);
    if (Object.keys(localErrors).length > 0) return;

    const rule: NewDetectionRule = {
      name: name.trim(),
      description: description.trim(),
      severity,
      sql,
      enabled,
      intervalMinutes: Number(intervalMinutes),
    };
    setSaving(true);
    try {
      onCreated(await apiRequest<DetectionRule>('/api/rules', { method: 'POST', body: rule }));
    } catch (cause) {
      if (!(cause instanceof ApiError)) throw cause;
      const field = fieldNamedBy(cause);
      if (field) setFieldErrors({ [field]: cause.message });
      else setFormError(cause);
    } finally {
      setSaving(false);
    }
  }

  return (
    <form onSubmit={submit} noValidate data-testid="sql-rule-form">
      <div className="form-grid">
        <label className="field">
          <span className="field-label">Name</span>
          <input value={name} onChange={(event) => setName(event.target.value)} placeholder="Brute force against one account" />
          {fieldErrors.name && <span className="field-error">{fieldErrors.name}</span>}
        </label>
        <label className="field">
          <span className="field-label">Severity</span>
          <select value={severity} onChange={(event) => setSeverity(event.target.value as Severity)}>
            {severities.map((value) => (
              <option key={value} value={value}>
                {value}
              </option>
            ))}
          </select>
          {fieldErrors.severity && <span className="field-error">{fieldErrors.severity}</span>}
        </label>
        <label className="field">
          <span className="field-label">Run every (minutes)</span>
          <input type="number" min={1} step={1} value={intervalMinutes} onChange={(event) => setIntervalMinutes(event.target.value)} />
          {fieldErrors.intervalMinutes && <span className="field-error">{fieldErrors.intervalMinutes}</span>}
        </label>
        <label className="field field-checkbox">
          <input type="checkbox" checked={enabled} onChange={(event) => setEnabled(event.target.checked)} />
          <span>Enabled</span>
        </label>
      </div>
      <label className="field">
        <span className="field-label">Description</span>
        <input value={description} onChange={(event) => setDescription(event.target.value)} placeholder="What the rule catches and why it matters" />
        {fieldErrors.description && <span className="field-error">{fieldErrors.description}</span>}
      </label>
      <label className="field">
        <span className="field-label">
          SQL <span className="muted">— bound the event time with <span className="mono">:window_start</span> and{' '}
          <span className="mono">:window_end</span>; every returned row is a hit</span>
        </span>
        <textarea className="sql-editor mono" rows={7} value={sql} onChange={(event) => setSql(event.target.value)} placeholder={sqlTemplate} spellCheck={false} />
        {fieldErrors.sql && <span className="field-error">{fieldErrors.sql}</span>}
      </label>
      {formError && <ErrorBox error={formError} title="The rule was not created" />}
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={saving}>
          {saving ? 'Creating…' : 'Create rule'}
        </button>
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function validateLocally(name: string, sql: string, intervalMinutes: string): FieldErrors {
  const errors: FieldErrors = {};
  if (name.trim() === '') errors.name = 'A rule needs a name.';
  if (sql.trim() === '') errors.sql = 'A rule needs its SQL.';
  const interval = Number(intervalMinutes);
  if (!Number.isInteger(interval) || interval < 1) errors.intervalMinutes = 'A whole number of minutes, at least 1.';
  return errors;
}

/** Which form field an API validation error is about, when its message names one. */
function fieldNamedBy(error: ApiError): RuleField | undefined {
  if (error.code === 'invalid_sql') return 'sql';
  if (error.code !== 'invalid_request') return undefined;
  return ruleFields.find((field) => new RegExp(`\\b${field}\\b`, 'i').test(error.message));
}
