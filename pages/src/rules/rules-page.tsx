/**
 * Rules: the scheduled detection rules (`GET /api/rules`), SQL and Sigma, filtered by format, their last runs,
 * and creating a new one.
 */
import { useState } from 'react';
import { useApi } from '../api/api-client';
import type { DetectionRule, RuleFormat } from '../api/api-types';
import { missingPermissionHint } from '../auth/permissions';
import { useSession } from '../auth/session-context';
import { EmptyState } from '../ui/empty-state';
import { ErrorBox } from '../ui/error-box';
import { LoadingIndicator } from '../ui/loading-indicator';
import { PageHeader } from '../ui/page-header';
import { NewRuleForm } from './new-rule-form';
import { RuleRow } from './rule-row';

type FormatFilter = RuleFormat | 'all';

const formatFilters: readonly { filter: FormatFilter; label: string }[] = [
  { filter: 'all', label: 'All' },
  { filter: 'sigma', label: 'Sigma' },
  { filter: 'sql', label: 'SQL' },
];

export function RulesPage() {
  const { me } = useSession();
  const { data, error, loading, reload } = useApi<{ rules: DetectionRule[] }>('/api/rules');
  const [formOpen, setFormOpen] = useState(false);
  const [createdName, setCreatedName] = useState<string | null>(null);
  const [formatFilter, setFormatFilter] = useState<FormatFilter>('all');
  const writeHint = missingPermissionHint(me.role, 'rules:write');
  const rules = data?.rules ?? [];
  const enabledCount = rules.filter((rule) => rule.enabled).length;
  const countOf = (filter: FormatFilter) => (filter === 'all' ? rules.length : rules.filter((rule) => rule.format === filter).length);
  const shown = formatFilter === 'all' ? rules : rules.filter((rule) => rule.format === formatFilter);

  return (
    <>
      <PageHeader
        title="Rules"
        subtitle={
          data
            ? `${rules.length} rules · ${enabledCount} enabled · ${countOf('sigma')} Sigma · ${countOf('sql')} SQL`
            : 'Scheduled detection rules'
        }
        actions={
          <>
            {loading && data && <LoadingIndicator inline label="Refreshing…" />}
            <div className="segmented" role="group" aria-label="Format filter">
              {formatFilters.map(({ filter, label }) => (
                <button
                  key={filter}
                  type="button"
                  className={filter === formatFilter ? 'segment active' : 'segment'}
                  aria-pressed={filter === formatFilter}
                  onClick={() => setFormatFilter(filter)}
                  data-testid={`rules-filter-${filter}`}
                >
                  {label} {data && <span className="segment-count">{countOf(filter)}</span>}
                </button>
              ))}
            </div>
            <button
              type="button"
              className="button button-primary"
              disabled={formOpen || writeHint !== undefined}
              title={writeHint}
              onClick={() => {
                setCreatedName(null);
                setFormOpen(true);
              }}
              data-testid="new-rule"
            >
              New rule
            </button>
          </>
        }
      />
      {createdName && (
        <div className="notice notice-success" data-testid="rule-created">
          Rule “{createdName}” created.
        </div>
      )}
      {formOpen && (
        <NewRuleForm
          onCancel={() => setFormOpen(false)}
          onCreated={(rule) => {
            setFormOpen(false);
            setCreatedName(rule.name);
            reload();
          }}
        />
      )}
      {error && <ErrorBox error={error} />}
      {!data && loading && <LoadingIndicator label="Loading rules…" />}
      {data && rules.length === 0 && (
        <EmptyState title="No detection rules yet">Rules run on a schedule over newly ingested events; create one with “New rule”.</EmptyState>
      )}
      {rules.length > 0 && (
        <section className="panel">
          <div className="table-scroll">
            <table className="data-table" data-testid="rules-table">
              <thead>
                <tr>
                  <th>Name</th>
                  <th>Format</th>
                  <th>Severity</th>
                  <th>Enabled</th>
                  <th>Schedule</th>
                  <th>Last run</th>
                  <th>Status</th>
                  <th className="numeric">Hits</th>
                  <th>Last error</th>
                </tr>
              </thead>
              <tbody>
                {shown.map((rule) => (
                  <RuleRow key={rule.id} rule={rule} writeHint={writeHint} onChanged={reload} />
                ))}
                {shown.length === 0 && (
                  <tr>
                    <td className="empty-row" colSpan={9}>
                      No {formatFilter === 'sql' ? 'SQL' : 'Sigma'} rules.
                    </td>
                  </tr>
                )}
              </tbody>
            </table>
          </div>
        </section>
      )}
    </>
  );
}
