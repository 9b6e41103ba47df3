/**
 * Slack source: Audit Logs API entries (Enterprise Grid), and the team.accessLogs / team.integrationLogs
 * entries of the older Web API; a whole API response (`{entries}`, `{logins}`, `{logs}`) is unwrapped.
 */
import type { SourceAdapter } from '../../core/ingest/source-adapter';
import { normalizeSlackRecord } from './normalize-slack-record';
import { expandSlackResponse } from './slack-log-schema';

export const slackSource: SourceAdapter = {
  id: 'slack',
  name: 'Slack Audit, Access and Integration Logs',
  parse: normalizeSlackRecord,
  expand: expandSlackResponse,
};
