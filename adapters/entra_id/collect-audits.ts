/**
 * Entra ID directory audit logs from Microsoft Graph (`GET /auditLogs/directoryAudits`,
 * https://learn.microsoft.com/en-us/graph/api/directoryaudit-list). Needs the application permission
 * AuditLog.Read.All with admin consent. The cursor and overlap are described in collect-graph.ts.
 */
import { graphAuditLogCollector } from './collect-graph';

export const entraDirectoryAuditsCollector = graphAuditLogCollector({
  type: 'entra_id_audits',
  description: 'Microsoft Entra ID directory audits (Microsoft Graph /auditLogs/directoryAudits)',
  path: 'directoryAudits',
  timeField: 'activityDateTime',
});
