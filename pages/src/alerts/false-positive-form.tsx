/**
 * "False positive": marks the alert a false positive (`POST /api/alerts/:id/false-positive`) and proposes a
 * suppression on up to 3 of its fields. The proposal mutes nothing until someone else with rules:write approves
 * it (Settings → Suppressions & maintenance), so one analyst cannot silence a rule alone.
 */
import { useState, type FormEvent } from 'react';
import { ApiError, apiRequest } from '../api/api-client';
import { commonNoiseFields, maxNoiseFields, type Alert, type FalsePositiveRequest, type FalsePositiveResponse, type NoiseField } from '../api/api-types';
import { ErrorBox } from '../ui/error-box';

export function FalsePositiveForm({ alert, onCancel, onDone }: { alert: Alert; onCancel: () => void; onDone: (result: FalsePositiveResponse) => void }) {
  const values = alertFieldValues(alert);
  const [reason, setReason] = useState('');
  const [fields, setFields] = useState<NoiseField[]>(() => defaultFields(values));
  const [days, setDays] = useState('30');
  const [ruleOnly, setRuleOnly] = useState(true);
  const [problem, setProblem] = useState<string | null>(null);
  const [failure, setFailure] = useState<ApiError | null>(null);
  const [saving, setSaving] = useState(false);

  function toggle(field: NoiseField, on: boolean) {
    setFields((current) => (on ? [...current, field] : current.filter((f) => f !== field)));
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    setFailure(null);
    const dayCount = Number(days);
    if (reason.trim().length < 3) return setProblem('Say why this is a false positive (at least 3 characters).');
    if (fields.length === 0) return setProblem('Choose at least one field for the suppression to match on.');
    if (!Number.isInteger(dayCount) || dayCount < 1 || dayCount > 365) return setProblem('Days is a whole number from 1 to 365.');
    setProblem(null);
    const body: FalsePositiveRequest = { reason: reason.trim(), fields, days: dayCount, ruleOnly };
    setSaving(true);
    try {
      onDone(await apiRequest<FalsePositiveResponse>(`/api/alerts/${encodeURIComponent(alert.id)}/false-positive`, { method: 'POST', body }));
    } catch (cause) {
      if (cause instanceof ApiError) setFailure(cause);
    } finally {
      setSaving(false);
    }
  }

  return (
    <form className="fp-form" onSubmit={submit} noValidate data-testid="false-positive-form">
      <div className="form-heading">
        <h2>Report a false positive</h2>
        <span className="muted small">The alert is closed as a false positive; the suppression below is proposed for review.</span>
      </div>
      <label className="field">
        <span className="field-label">Reason</span>
        <input value={reason} onChange={(event) => setReason(event.target.value)} placeholder="Nightly backup job signs in from the datacenter" data-testid="fp-reason" />
      </label>
      <fieldset className="field fieldset">
        <legend className="field-label">
          Suppress on <span className="muted">(up to {maxNoiseFields} fields; future alerts with all these values are muted)</span>
        </legend>
        <div className="checkbox-list">
          {commonNoiseFields.map((field) => {
            const checked = fields.includes(field);
            const value = values[field];
            const full = !checked && fields.length >= maxNoiseFields;
            return (
              <label key={field} className={value === undefined ? 'checkbox-option dim' : 'checkbox-option'} title={value === undefined ? 'This alert carries no value for this field' : undefined}>
                <input
                  type="checkbox"
                  checked={checked}
                  disabled={value === undefined || full}
                  onChange={(event) => toggle(field, event.target.checked)}
                  data-testid={`fp-field-${field}`}
                />
                <span className="mono">{field}</span>
                {value !== undefined && <span className="muted small checkbox-value">= {value}</span>}
              </label>
            );
          })}
        </div>
      </fieldset>
      <div className="form-row">
        <label className="field field-narrow">
          <span className="field-label">Days</span>
          <input type="number" min={1} max={365} step={1} value={days} onChange={(event) => setDays(event.target.value)} data-testid="fp-days" />
        </label>
        <label className="field field-checkbox">
          <input type="checkbox" checked={ruleOnly} onChange={(event) => setRuleOnly(event.target.checked)} />
          <span>Only alerts of rule “{alert.ruleName}”</span>
        </label>
      </div>
      {problem && <div className="field-error">{problem}</div>}
      {failure && <ErrorBox error={failure} title="The false positive was not recorded" />}
      <div className="form-actions">
        <button type="submit" className="button button-primary button-small" disabled={saving} data-testid="fp-submit">
          {saving ? 'Recording…' : 'Mark false positive and propose suppression'}
        </button>
        <button type="button" className="button button-small" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/**
 * The value the server will suppress on for each field, found the way it finds it: the first user (actor) or
 * IP (src_ip) of the alert, else the first evidence row that has the field.
 */
export function alertFieldValues(alert: Alert): Partial<Record<NoiseField, string>> {
  const values: Partial<Record<NoiseField, string>> = {};
  const rows = (alert.evidence ?? []).filter((row): row is Record<string, unknown> => typeof row === 'object' && row !== null && !Array.isArray(row));
  for (const field of commonNoiseFields) {
    const fromEntities = field === 'actor' ? alert.entities?.users?.[0] : field === 'src_ip' ? alert.entities?.ips?.[0] : undefined;
    const fromEvidence = rows.find((row) => row[field] !== null && row[field] !== undefined && row[field] !== '')?.[field];
    const value = fromEntities ?? (fromEvidence === undefined ? undefined : String(fromEvidence));
    if (value !== undefined) values[field] = value;
  }
  return values;
}

function defaultFields(values: Partial<Record<NoiseField, string>>): NoiseField[] {
  if (values.actor !== undefined) return ['actor'];
  if (values.src_ip !== undefined) return ['src_ip'];
  const first = commonNoiseFields.find((field) => values[field] !== undefined);
  return first ? [first] : [];
}
