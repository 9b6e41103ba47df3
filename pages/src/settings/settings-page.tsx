/** Settings: deployment health and API token management. */
import { PageHeader } from '../ui/page-header';
import { HealthPanel } from './health-panel';
import { TokensPanel } from './tokens-panel';

export function SettingsPage() {
  return (
    <>
      <PageHeader title="Settings" />
      <HealthPanel />
      <TokensPanel />
    </>
  );
}
