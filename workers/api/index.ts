/** The /api application: every route registered by its own file (workers/api/routes/*). */
import { Hono } from 'hono';
import type { AppEnv } from '../app';
import { registerAlertsGet } from './routes/alerts-get';
import { registerAlertsList } from './routes/alerts-list';
import { registerAlertsUpdate } from './routes/alerts-update';
import { registerAuditList } from './routes/audit-list';
import { registerHealth } from './routes/health';
import { registerIdentityIncidentsList } from './routes/identity-incidents-list';
import { registerIdentityRebuild } from './routes/identity-rebuild';
import { registerIdentityUserGet } from './routes/identity-user-get';
import { registerIncidents } from './routes/incidents-list';
import { registerMaintenanceWindows } from './routes/maintenance-windows';
import { registerIdentityUsersList } from './routes/identity-users-list';
import { registerMe } from './routes/me';
import { registerPlaybookRunDecide } from './routes/playbook-run-decide';
import { registerPlaybookRunGet } from './routes/playbook-run-get';
import { registerPlaybookRunsCreate } from './routes/playbook-runs-create';
import { registerPlaybookRunsList } from './routes/playbook-runs-list';
import { registerRulesConvert } from './routes/rules-convert';
import { registerRulesCreate } from './routes/rules-create';
import { registerRulesFromQuestion } from './routes/rules-from-question';
import { registerRulesList } from './routes/rules-list';
import { registerRulesRuns } from './routes/rules-runs';
import { registerRulesTest } from './routes/rules-test';
import { registerRouting } from './routes/routing';
import { registerRulesUpdate } from './routes/rules-update';
import { registerSourcesList } from './routes/sources-list';
import { registerQuery } from './routes/query';
import { registerQueryConversations } from './routes/query-conversations';
import { registerSql } from './routes/sql';
import { registerSuppressions } from './routes/suppressions';
import { registerTokensCreate } from './routes/tokens-create';
import { registerTokensList } from './routes/tokens-list';
import { registerTokensRevoke } from './routes/tokens-revoke';

export function apiRoutes() {
  const app = new Hono<AppEnv>();
  for (const register of [
    registerMe,
    registerHealth,
    registerSql,
    registerQuery,
    registerQueryConversations,
    registerAlertsList,
    registerAlertsGet,
    registerAlertsUpdate,
    registerSuppressions,
    registerIncidents,
    registerMaintenanceWindows,
    registerRouting,
    registerRulesList,
    registerRulesConvert,
    registerRulesCreate,
    registerRulesFromQuestion,
    registerRulesUpdate,
    registerRulesTest,
    registerRulesRuns,
    registerIdentityUsersList,
    registerIdentityUserGet,
    registerIdentityIncidentsList,
    registerIdentityRebuild,
    registerPlaybookRunsList,
    registerPlaybookRunsCreate,
    registerPlaybookRunGet,
    registerPlaybookRunDecide,
    registerSourcesList,
    registerTokensList,
    registerTokensCreate,
    registerTokensRevoke,
    registerAuditList,
  ]) {
    register(app);
  }
  return app;
}
