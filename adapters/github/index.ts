/**
 * GitHub source: audit log events (REST API, audit log streaming, GitHub Enterprise Server syslog lines and
 * their logstash records) and webhook deliveries wrapped as `{x_github_event, x_github_delivery, payload}`.
 */
import type { SourceAdapter } from '../../core/ingest/source-adapter';
import { normalizeGitHubRecord } from './normalize-github-record';

export const githubSource: SourceAdapter = {
  id: 'github',
  name: 'GitHub Audit Log and Webhooks',
  parse: normalizeGitHubRecord,
  text: 'lines',
};
