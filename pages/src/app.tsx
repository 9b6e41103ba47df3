/** The whole UI: the auth gate, then the shell with the page chosen by the current path. */
import { useEffect } from 'react';
import { AlertPage } from './alerts/alert-page';
import { AlertsPage } from './alerts/alerts-page';
import { ApmPage } from './apm/apm-page';
import { AuthGate } from './auth/auth-gate';
import { IdentitySearchPage } from './identity/identity-search-page';
import { IdentityUserPage } from './identity/identity-user-page';
import { IncidentPage } from './incidents/incident-page';
import { IncidentsPage } from './incidents/incidents-page';
import { PlaybooksPage } from './playbooks/playbooks-page';
import { QueryPage } from './query/query-page';
import { parseRoute, type AppRoute } from './router/app-routes';
import { Link, navigate, usePathname } from './router/router';
import { RulesPage } from './rules/rules-page';
import { SettingsPage } from './settings/settings-page';
import { AppShell } from './shell/app-shell';
import { SourcesPage } from './sources/sources-page';
import { EmptyState } from './ui/empty-state';
import { PageHeader } from './ui/page-header';

export function App() {
  return (
    <AuthGate>
      <AppShell>
        <CurrentPage />
      </AppShell>
    </AuthGate>
  );
}

function CurrentPage() {
  const route = parseRoute(usePathname());

  useEffect(() => {
    if (route.page === 'root') navigate('/query', { replace: true });
  }, [route.page]);

  return <PageFor route={route} />;
}

function PageFor({ route }: { route: AppRoute }) {
  switch (route.page) {
    case 'root':
    case 'query':
      return <QueryPage />;
    case 'alerts':
      return <AlertsPage />;
    case 'alert':
      return <AlertPage key={route.id} alertId={route.id} />;
    case 'incidents':
      return <IncidentsPage />;
    case 'incident':
      return <IncidentPage key={route.id} incidentId={route.id} />;
    case 'rules':
      return <RulesPage />;
    case 'identity':
      return <IdentitySearchPage />;
    case 'identity-user':
      return <IdentityUserPage key={route.user} user={route.user} />;
    case 'apm':
      return <ApmPage />;
    case 'playbooks':
      return <PlaybooksPage />;
    case 'sources':
      return <SourcesPage />;
    case 'settings':
      return <SettingsPage section={route.section} />;
    case 'not-found':
      return (
        <>
          <PageHeader title="Page not found" />
          <EmptyState title={`Nothing lives at ${route.pathname}`}>
            <Link to="/query">Go to Query</Link>
          </EmptyState>
        </>
      );
  }
}
