/**
 * One detection rule in the Rules table: its format (and licence), schedule and last run, an enabled switch
 * (`PATCH /api/rules/:id`), and on click the description and SQL (for a Sigma rule, its YAML, compiled SQL and
 * attribution), its noise settings and a test run over the last day.
 */
import { Fragment, useState } from 'react';
import { ApiError, apiRequest } from '../api/api-client';
import type { DetectionRule } from '../api/api-types';
import { ErrorBox } from '../ui/error-box';
import { RuleAlertingPanels } from './rule-alerting-panels';
import { SigmaRuleDetail } from './sigma-rule-detail';
import { SeverityBadge } from '../ui/severity-badge';
import { StatusBadge } from '../ui/status-badge';
import { Timestamp } from '../ui/timestamp';

const columnCount = 9;

export function RuleRow({ rule, writeHint, onChanged }: { rule: DetectionRule; writeHint: string | undefined; onChanged: () => void }) {
  const [expanded, setExpanded] = useState(false);
  const [saving, setSaving] = useState(false);
  const [toggleError, setToggleError] = useState<ApiError | null>(null);

  async function setEnabled(enabled: boolean) {
    setSaving(true);
    setToggleError(null);
    try {
      await apiRequest<DetectionRule>(`/api/rules/${encodeURIComponent(rule.id)}`, { method: 'PATCH', body: { enabled } });
      onChanged();
    } catch (cause) {
      if (cause instanceof ApiError) setToggleError(cause);
    } finally {
      setSaving(false);
    }
  }

  return (
    <Fragment>
      <tr
        className={expanded ? 'clickable expanded' : 'clickable'}
        onClick={() => setExpanded(!expanded)}
        aria-expanded={expanded}
        data-testid="rule-row"
        data-format={rule.format}
      >
        <td className="wrap">
          <span className="disclosure" aria-hidden="true">
            {expanded ? '▾' : '▸'}
          </span>
          <span className="strong">{rule.name}</span>
          {rule.description && <div className="muted small clamp">{rule.description}</div>}
        </td>
        <td>
          <RuleFormatBadges rule={rule} />
        </td>
        <td>
          <SeverityBadge severity={rule.severity} />
        </td>
        <td onClick={(event) => event.stopPropagation()}>
          <label className="switch" title={writeHint ?? (rule.enabled ? 'Disable this rule' : 'Enable this rule')}>
            <input
              type="checkbox"
              role="switch"
              checked={rule.enabled}
              disabled={saving || writeHint !== undefined}
              onChange={(event) => void setEnabled(event.target.checked)}
              aria-label={`Rule ${rule.name} enabled`}
            />
            <span className="switch-track" aria-hidden="true" />
            <span className="switch-label">{rule.enabled ? 'on' : 'off'}</span>
          </label>
        </td>
        <td>
          every {rule.intervalMinutes} min
          <div className="muted small">looks back {rule.lookbackMinutes} min</div>
        </td>
        <td>
          {rule.lastRunAt ? <Timestamp iso={rule.lastRunAt} /> : <span className="dim">never run</span>}
        </td>
        <td>{rule.lastRunStatus ? <StatusBadge status={rule.lastRunStatus} /> : <span className="dim">—</span>}</td>
        <td className="numeric">{rule.lastHits ?? <span className="dim">—</span>}</td>
        <td className="error-cell">
          {rule.lastError ? (
            <span className="cell-text error-text" title={rule.lastError}>
              {rule.lastError}
            </span>
          ) : (
            <span className="dim">—</span>
          )}
        </td>
      </tr>
      {toggleError && (
        <tr className="detail-row">
          <td colSpan={columnCount}>
            <ErrorBox error={toggleError} title="Could not change the rule" />
          </td>
        </tr>
      )}
      {expanded && rule.format === 'sigma' && (
        <tr className="detail-row">
          <td colSpan={columnCount}>
            <SigmaRuleDetail rule={rule} writeHint={writeHint} onChanged={onChanged} />
          </td>
        </tr>
      )}
      {expanded && rule.format !== 'sigma' && (
        <tr className="detail-row">
          <td colSpan={columnCount}>
            <div className="rule-detail">
              {rule.description && <p>{rule.description}</p>}
              <pre className="sql-block mono">{rule.sql}</pre>
              {rule.lastError && <pre className="error-pre mono">{rule.lastError}</pre>}
              <RuleAlertingPanels rule={rule} writeHint={writeHint} onChanged={onChanged} />
              <div className="muted small">
                id <span className="mono">{rule.id}</span> · created <Timestamp iso={rule.createdAt} /> · updated{' '}
                <Timestamp iso={rule.updatedAt} />
              </div>
            </div>
          </td>
        </tr>
      )}
    </Fragment>
  );
}

function RuleFormatBadges({ rule }: { rule: DetectionRule }) {
  return (
    <span className="format-badges" data-testid="rule-format">
      {rule.format === 'sigma' ? <span className="badge badge-soft tone-info">Sigma</span> : <span className="badge badge-soft tone-neutral">SQL</span>}
      {rule.license && (
        <span className="badge badge-soft tone-muted license-badge" title={rule.attribution ?? `Licence: ${rule.license}`}>
          {rule.license}
        </span>
      )}
    </span>
  );
}
