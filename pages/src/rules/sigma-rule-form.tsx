/**
 * The Sigma side of "New rule": the YAML (prefilled with a small Okta rule under a fresh id), its schedule,
 * licence and attribution; "Preview SQL" translates it without saving (`POST /api/rules/convert`) and
 * "Create rule" saves it (`POST /api/rules`). The API names every problem's line and column; clicking one
 * selects that place in the YAML. "Describe it in English" writes the YAML from a request (describe-rule.tsx).
 */
import { useRef, useState, type FormEvent } from 'react';
import { ApiError, apiRequest } from '../api/api-client';
import type { ConvertResponse, DetectionRule, NewSigmaRule, SigmaProblem } from '../api/api-types';
import { ErrorBox } from '../ui/error-box';
import { ConvertPreview } from './convert-preview';
import { DescribeRule } from './describe-rule';
import { SigmaErrorBox, selectProblem } from './sigma-errors';

type ScheduleField = 'intervalMinutes' | 'lookbackMinutes';
type ScheduleErrors = Partial<Record<ScheduleField, string>>;

/** A valid rule for our `product: okta, service: okta` logsource, to edit rather than start from nothing. */
export function exampleSigmaRule(id: string): string {
  return `title: Okta administrator privilege granted
id: ${id}
status: experimental
description: An Okta user was granted an administrator privilege.
author: Your team
date: ${new Date().toISOString().slice(0, 10)}
tags:
    - attack.persistence
    - attack.t1098.003
logsource:
    product: okta
    service: okta
detection:
    selection:
        eventType: user.account.privilege.grant
        outcome.result: SUCCESS
    condition: selection
falsepositives:
    - Planned administrator onboarding
level: high
`;
}

export function SigmaRuleForm({ onCreated, onCancel }: { onCreated: (rule: DetectionRule) => void; onCancel: () => void }) {
  const yamlRef = useRef<HTMLTextAreaElement>(null);
  const [yaml, setYaml] = useState(() => exampleSigmaRule(newUuid()));
  const [intervalMinutes, setIntervalMinutes] = useState('5');
  const [lookbackMinutes, setLookbackMinutes] = useState('60');
  const [enabled, setEnabled] = useState(true);
  const [license, setLicense] = useState('');
  const [attribution, setAttribution] = useState('');
  const [scheduleErrors, setScheduleErrors] = useState<ScheduleErrors>({});
  const [saveError, setSaveError] = useState<ApiError | null>(null);
  const [saving, setSaving] = useState(false);
  const [preview, setPreview] = useState<{ yaml: string; response: ConvertResponse } | null>(null);
  const [previewError, setPreviewError] = useState<ApiError | null>(null);
  const [previewing, setPreviewing] = useState(false);

  const select = (problem: SigmaProblem) => {
    if (yamlRef.current) selectProblem(yamlRef.current, problem);
  };

  async function submit(event: FormEvent) {
    event.preventDefault();
    const localErrors = validateSchedule(intervalMinutes, lookbackMinutes);
    setScheduleErrors(localErrors);
    setSaveError(null);
    if (Object.keys(localErrors).length > 0) return;

    const rule: NewSigmaRule = {
      yaml,
      enabled,
      intervalMinutes: Number(intervalMinutes),
      lookbackMinutes: Number(lookbackMinutes),
      ...(license.trim() ? { license: license.trim() } : {}),
      ...(attribution.trim() ? { attribution: attribution.trim() } : {}),
    };
    setSaving(true);
    try {
      onCreated(await apiRequest<DetectionRule>('/api/rules', { method: 'POST', body: rule }));
    } catch (cause) {
      if (!(cause instanceof ApiError)) throw cause;
      setSaveError(cause);
    } finally {
      setSaving(false);
    }
  }

  async function previewSql() {
    setPreviewing(true);
    setPreviewError(null);
    try {
      const response = await apiRequest<ConvertResponse>('/api/rules/convert', { method: 'POST', body: { yaml } });
      setPreview({ yaml, response });
      // A YAML that translates has none of the problems listed for an earlier version of it.
      if (response.results.every((result) => result.ok)) setSaveError((error) => (error?.code === 'invalid_rule' ? null : error));
    } catch (cause) {
      if (!(cause instanceof ApiError)) throw cause;
      setPreview(null);
      setPreviewError(cause);
    } finally {
      setPreviewing(false);
    }
  }

  return (
    <form onSubmit={submit} noValidate data-testid="sigma-rule-form">
      <DescribeRule
        onGenerated={(generated) => {
          setYaml(generated);
          setSaveError(null);
        }}
      />
      <label className="field">
        <span className="field-label">
          Sigma YAML <span className="muted">— name, description and severity come from its title, description and level</span>
        </span>
        <textarea
          ref={yamlRef}
          className="sql-editor yaml-editor mono"
          rows={20}
          value={yaml}
          onChange={(event) => setYaml(event.target.value)}
          spellCheck={false}
          data-testid="sigma-yaml"
        />
      </label>
      <div className="form-grid form-grid-sigma">
        <label className="field">
          <span className="field-label">Run every (minutes)</span>
          <input type="number" min={1} step={1} value={intervalMinutes} onChange={(event) => setIntervalMinutes(event.target.value)} />
          {scheduleErrors.intervalMinutes && <span className="field-error">{scheduleErrors.intervalMinutes}</span>}
        </label>
        <label className="field">
          <span className="field-label">Look back on first run (minutes)</span>
          <input type="number" min={1} step={1} value={lookbackMinutes} onChange={(event) => setLookbackMinutes(event.target.value)} />
          {scheduleErrors.lookbackMinutes && <span className="field-error">{scheduleErrors.lookbackMinutes}</span>}
        </label>
        <label className="field">
          <span className="field-label">
            Licence <span className="muted">— optional</span>
          </span>
          <input value={license} onChange={(event) => setLicense(event.target.value)} placeholder="Apache-2.0, DRL-1.1, …" data-testid="sigma-license" />
        </label>
        <label className="field field-checkbox">
          <input type="checkbox" checked={enabled} onChange={(event) => setEnabled(event.target.checked)} />
          <span>Enabled</span>
        </label>
      </div>
      <label className="field">
        <span className="field-label">
          Attribution <span className="muted">— optional; shown with the rule and its alerts (the Detection Rule License requires it)</span>
        </span>
        <input
          value={attribution}
          onChange={(event) => setAttribution(event.target.value)}
          placeholder="“Rule title” by Author; source; licence and link"
          data-testid="sigma-attribution"
        />
      </label>
      {saveError && <SigmaErrorBox error={saveError} title="The rule was not created" onSelect={select} />}
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={saving} data-testid="sigma-create">
          {saving ? 'Creating…' : 'Create rule'}
        </button>
        <button type="button" className="button" disabled={previewing} onClick={() => void previewSql()} data-testid="sigma-preview">
          {previewing ? 'Translating…' : 'Preview SQL'}
        </button>
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
      {previewError &&
        (previewError.code === 'invalid_rule' ? (
          <SigmaErrorBox error={previewError} title="The YAML could not be translated" onSelect={select} />
        ) : (
          <ErrorBox error={previewError} title="The preview failed" />
        ))}
      {preview && <ConvertPreview response={preview.response} stale={preview.yaml !== yaml} onSelect={select} />}
    </form>
  );
}

function validateSchedule(intervalMinutes: string, lookbackMinutes: string): ScheduleErrors {
  const errors: ScheduleErrors = {};
  const interval = Number(intervalMinutes);
  if (!Number.isInteger(interval) || interval < 1 || interval > 1440) errors.intervalMinutes = 'A whole number of minutes, 1 to 1440.';
  const lookback = Number(lookbackMinutes);
  if (!Number.isInteger(lookback) || lookback < 1 || lookback > 43_200) errors.lookbackMinutes = 'A whole number of minutes, 1 to 43200.';
  return errors;
}

/** A UUID v4 for the example's `id`; `randomUUID` is missing outside secure contexts. */
function newUuid(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = [...bytes].map((byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
