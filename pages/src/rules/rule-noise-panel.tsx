/**
 * A rule's noise control and real-time switch: dedup window and fields (which hits fold into one alert),
 * threshold (hits before it notifies) and, for Sigma rules, real-time evaluation on ingest. Editable by
 * rules:write users through `PATCH /api/rules/:id`; only the changed settings are sent.
 */
import { useState, type FormEvent } from 'react';
import { ApiError, apiRequest } from '../api/api-client';
import { maxNoiseFields, noiseFields, type DetectionRule, type NoiseField, type RuleNoisePatch } from '../api/api-types';
import { ErrorBox } from '../ui/error-box';

export function RuleNoisePanel({ rule, writeHint, onChanged }: { rule: DetectionRule; writeHint: string | undefined; onChanged: () => void }) {
  const [editing, setEditing] = useState(false);
  return (
    <div className="rule-panel" data-testid="rule-noise">
      <div className="block-heading">
        <span className="field-label">Noise &amp; real-time</span>
        <span className="panel-title-spacer" />
        {!editing && (
          <button type="button" className="button button-small" disabled={writeHint !== undefined} title={writeHint} onClick={() => setEditing(true)} data-testid="rule-noise-edit">
            Edit
          </button>
        )}
      </div>
      {editing ? (
        <RuleNoiseForm
          rule={rule}
          onCancel={() => setEditing(false)}
          onSaved={() => {
            setEditing(false);
            onChanged();
          }}
        />
      ) : (
        <dl className="details-list noise-facts">
          <dt>Dedup window</dt>
          <dd>
            {formatMinutes(rule.dedupWindowMinutes)}
            <span className="muted small"> · later hits open a new alert</span>
          </dd>
          <dt>Dedup fields</dt>
          <dd className="mono">{rule.dedupFields.length > 0 ? rule.dedupFields.join(', ') : <span className="dim">none</span>}</dd>
          <dt>Threshold</dt>
          <dd>
            {rule.threshold === 1 ? 'notify on the first hit' : `notify once an alert has ${rule.threshold} hits`}
          </dd>
          {rule.format === 'sigma' && (
            <>
              <dt>Real-time</dt>
              <dd>{rule.realtime ? 'on: single-event documents also run on ingest, within seconds' : 'off: runs on its schedule only'}</dd>
            </>
          )}
        </dl>
      )}
    </div>
  );
}

function RuleNoiseForm({ rule, onCancel, onSaved }: { rule: DetectionRule; onCancel: () => void; onSaved: () => void }) {
  const [windowMinutes, setWindowMinutes] = useState(String(rule.dedupWindowMinutes));
  const [fields, setFields] = useState<NoiseField[]>(rule.dedupFields);
  const [threshold, setThreshold] = useState(String(rule.threshold));
  const [realtime, setRealtime] = useState(rule.realtime);
  const [problem, setProblem] = useState<string | null>(null);
  const [failure, setFailure] = useState<ApiError | null>(null);
  const [saving, setSaving] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setFailure(null);
    const minutes = Number(windowMinutes);
    const hits = Number(threshold);
    if (!Number.isInteger(minutes) || minutes < 1 || minutes > 90 * 24 * 60) return setProblem('The dedup window is a whole number of minutes, 1 to 129600 (90 days).');
    if (fields.length < 1 || fields.length > maxNoiseFields) return setProblem(`Dedup on 1 to ${maxNoiseFields} fields.`);
    if (!Number.isInteger(hits) || hits < 1 || hits > 1_000_000) return setProblem('The threshold is a whole number of hits, at least 1.');
    setProblem(null);
    const patch: RuleNoisePatch = {};
    if (minutes !== rule.dedupWindowMinutes) patch.dedupWindowMinutes = minutes;
    if (fields.join(',') !== rule.dedupFields.join(',')) patch.dedupFields = fields;
    if (hits !== rule.threshold) patch.threshold = hits;
    if (rule.format === 'sigma' && realtime !== rule.realtime) patch.realtime = realtime;
    if (Object.keys(patch).length === 0) return onCancel();
    setSaving(true);
    try {
      await apiRequest<DetectionRule>(`/api/rules/${encodeURIComponent(rule.id)}`, { method: 'PATCH', body: patch });
      onSaved();
    } catch (cause) {
      if (cause instanceof ApiError) setFailure(cause);
    } finally {
      setSaving(false);
    }
  }

  return (
    <form className="noise-form" onSubmit={submit} noValidate data-testid="rule-noise-form">
      <div className="form-row">
        <label className="field field-narrow">
          <span className="field-label">Dedup window (minutes)</span>
          <input type="number" min={1} step={1} value={windowMinutes} onChange={(event) => setWindowMinutes(event.target.value)} data-testid="noise-window" />
        </label>
        <label className="field field-narrow">
          <span className="field-label">Threshold (hits)</span>
          <input type="number" min={1} step={1} value={threshold} onChange={(event) => setThreshold(event.target.value)} data-testid="noise-threshold" />
        </label>
        {rule.format === 'sigma' && (
          <label className="field field-checkbox">
            <input type="checkbox" checked={realtime} onChange={(event) => setRealtime(event.target.checked)} data-testid="noise-realtime" />
            <span>Real-time on ingest</span>
          </label>
        )}
      </div>
      <fieldset className="field fieldset">
        <legend className="field-label">
          Dedup fields <span className="muted">(1 to {maxNoiseFields}; hits with the same values fold into one alert)</span>
        </legend>
        <div className="checkbox-list">
          {noiseFields.map((field) => {
            const checked = fields.includes(field);
            return (
              <label key={field} className="checkbox-option">
                <input
                  type="checkbox"
                  checked={checked}
                  disabled={!checked && fields.length >= maxNoiseFields}
                  onChange={(event) => setFields((current) => (event.target.checked ? [...current, field] : current.filter((f) => f !== field)))}
                />
                <span className="mono">{field}</span>
              </label>
            );
          })}
        </div>
      </fieldset>
      {problem && <div className="field-error">{problem}</div>}
      {failure && <ErrorBox error={failure} title="The settings were not saved" />}
      <div className="form-actions">
        <button type="submit" className="button button-primary button-small" disabled={saving} data-testid="noise-save">
          {saving ? 'Saving…' : 'Save'}
        </button>
        <button type="button" className="button button-small" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** 1440 → "24 h", 90 → "90 min", 2880 → "2 d". */
export function formatMinutes(minutes: number): string {
  if (minutes % 1440 === 0) return `${minutes / 1440} d`.replace(/^1 d$/, '24 h');
  if (minutes % 60 === 0) return `${minutes / 60} h`;
  return `${minutes} min`;
}
