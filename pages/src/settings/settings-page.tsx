/**
 * Settings, in sections: General (deployment health and API tokens), Routing (who is notified of alerts), and
 * Suppressions & maintenance (what mutes them).
 */
import { settingsSections, type SettingsSection } from '../router/app-routes';
import { Link } from '../router/router';
import { PageHeader } from '../ui/page-header';
import { HealthPanel } from './health-panel';
import { MaintenancePanel } from './maintenance-panel';
import { useRuleChoices } from './rule-choices';
import { RoutingPanel } from './routing-panel';
import { SuppressionsPanel } from './suppressions-panel';
import { TokensPanel } from './tokens-panel';

export function SettingsPage({ section }: { section: SettingsSection }) {
  const current = settingsSections.find((entry) => entry.section === section);
  return (
    <>
      <PageHeader title={section === 'general' ? 'Settings' : `Settings · ${current?.label ?? section}`} />
      <nav className="section-tabs" aria-label="Settings sections">
        {settingsSections.map((entry) => (
          <Link
            key={entry.section}
            to={entry.path}
            className={entry.section === section ? 'section-tab active' : 'section-tab'}
            aria-current={entry.section === section ? 'page' : undefined}
            data-testid={`settings-tab-${entry.section}`}
          >
            {entry.label}
          </Link>
        ))}
      </nav>
      {section === 'general' && (
        <>
          <HealthPanel />
          <TokensPanel />
        </>
      )}
      {section === 'routing' && <RoutingPanel />}
      {section === 'suppressions' && <NoiseControlSection />}
    </>
  );
}

function NoiseControlSection() {
  const { choices, nameOf } = useRuleChoices();
  return (
    <>
      <SuppressionsPanel rules={choices} nameOfRule={nameOf} />
      <MaintenancePanel rules={choices} nameOfRule={nameOf} />
    </>
  );
}
