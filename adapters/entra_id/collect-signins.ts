/**
 * Entra ID sign-in logs from Microsoft Graph (`GET /auditLogs/signIns`,
 * https://learn.microsoft.com/en-us/graph/api/signin-list). Needs the application permission AuditLog.Read.All
 * (and Directory.Read.All on v1.0) with admin consent, and an Entra ID P1 or P2 licence in the tenant.
 * v1.0 lists interactive user sign-ins; the beta endpoint also serves the other kinds when asked for them.
 * The cursor and overlap are described in collect-graph.ts.
 */
import { graphAuditLogCollector } from './collect-graph';

export const entraSignInsCollector = graphAuditLogCollector({
  type: 'entra_id_signins',
  description: 'Microsoft Entra ID sign-ins (Microsoft Graph /auditLogs/signIns)',
  path: 'signIns',
  timeField: 'createdDateTime',
});
