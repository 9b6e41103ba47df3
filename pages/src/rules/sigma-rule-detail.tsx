/**
 * The expanded view of a Sigma rule: its id, licence and attribution, the YAML and the D1 SQL compiled from it,
 * "Edit YAML" (`PATCH /api/rules/:id` with `{yaml}`), whose refusals point at line and column, and the noise
 * settings and test run every rule has.
 *
 * The attribution is shown in full, never truncated: the Detection Rule License (SigmaHQ's rules) makes
 * displaying it a condition of use.
 */
import { useRef, useState } from 'react';
import { ApiError, apiRequest } from '../api/api-client';
import type { DetectionRule, SigmaProblem } from '../api/api-types';
import { CopyButton } from '../ui/copy-button';
import { Timestamp } from '../ui/timestamp';
import { RuleAlertingPanels } from './rule-alerting-panels';
import { SigmaErrorBox, selectProblem } from './sigma-errors';

export function SigmaRuleDetail({ rule, writeHint, onChanged }: { rule: DetectionRule; writeHint: string | undefined; onChanged: () => void }) {
  const yamlRef = useRef<HTMLTextAreaElement>(null);
  const [draft, setDraft] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<ApiError | null>(null);
  const yaml = rule.yaml ?? '';

  async function save(text: string) {
    setSaving(true);
    setSaveError(null);
    try {
      await apiRequest<DetectionRule>(`/api/rules/${encodeURIComponent(rule.id)}`, { method: 'PATCH', body: { yaml: text } });
      setDraft(null);
      onChanged();
    } catch (cause) {
      if (cause instanceof ApiError) setSaveError(cause);
    } finally {
      setSaving(false);
    }
  }

  const select = (problem: SigmaProblem) => {
    if (yamlRef.current) selectProblem(yamlRef.current, problem);
  };

  return (
    <div className="rule-detail" data-testid="sigma-rule-detail">
      {rule.description && <p>{rule.description}</p>}
      <dl className="details-list rule-facts">
        <dt>Sigma id</dt>
        <dd className="mono selectable">{rule.sigmaId ?? <span className="dim">none</span>}</dd>
        <dt>Licence</dt>
        <dd>{rule.license ?? <span className="dim">not stated</span>}</dd>
      </dl>
      {rule.attribution && (
        <p className="attribution" data-testid="rule-attribution">
          Attribution: {rule.attribution}
        </p>
      )}
      <div className="rule-sources">
        <div className="rule-source">
          <div className="block-heading">
            <span className="field-label">Sigma YAML</span>
            <span className="panel-title-spacer" />
            {draft === null && (
              <>
                <CopyButton text={yaml} />
                <button
                  type="button"
                  className="button button-small"
                  disabled={writeHint !== undefined}
                  title={writeHint}
                  onClick={() => {
                    setSaveError(null);
                    setDraft(yaml);
                  }}
                  data-testid="edit-yaml"
                >
                  Edit YAML
                </button>
              </>
            )}
          </div>
          {draft === null ? (
            <pre className="sql-block yaml-block mono" data-testid="rule-yaml">
              {yaml}
            </pre>
          ) : (
            <form
              onSubmit={(event) => {
                event.preventDefault();
                void save(draft);
              }}
            >
              <textarea
                ref={yamlRef}
                className="sql-editor yaml-editor mono"
                rows={Math.min(24, Math.max(10, draft.split('\n').length + 1))}
                value={draft}
                onChange={(event) => setDraft(event.target.value)}
                spellCheck={false}
                aria-label={`Sigma YAML of ${rule.name}`}
                data-testid="edit-yaml-text"
              />
              {saveError && <SigmaErrorBox error={saveError} title="The YAML was not saved" onSelect={select} />}
              <div className="form-actions edit-actions">
                <button type="submit" className="button button-primary button-small" disabled={saving || draft === yaml} data-testid="save-yaml">
                  {saving ? 'Saving…' : 'Save YAML'}
                </button>
                <button type="button" className="button button-small" onClick={() => setDraft(null)}>
                  Cancel
                </button>
              </div>
            </form>
          )}
        </div>
        <div className="rule-source">
          <div className="block-heading">
            <span className="field-label">Compiled D1 SQL</span>
          </div>
          <pre className="sql-block yaml-block mono" data-testid="rule-compiled-sql">
            {rule.sql}
          </pre>
        </div>
      </div>
      {rule.lastError && <pre className="error-pre mono">{rule.lastError}</pre>}
      <RuleAlertingPanels rule={rule} writeHint={writeHint} onChanged={onChanged} />
      <div className="muted small">
        id <span className="mono">{rule.id}</span> · created by {rule.createdBy} <Timestamp iso={rule.createdAt} /> · updated{' '}
        <Timestamp iso={rule.updatedAt} />
      </div>
    </div>
  );
}
