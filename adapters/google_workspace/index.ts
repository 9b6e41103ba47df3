/**
 * Google Workspace source: Admin SDK Reports API activities for every application (login, admin, drive, token,
 * saml, user_accounts, ...). `activities.list` pages are unwrapped and multi-event activities split per event.
 */
import type { SourceAdapter } from '../../core/ingest/source-adapter';
import { normalizeWorkspaceActivity } from './normalize-workspace-activity';
import { expandWorkspaceActivities } from './reports-activity-schema';

export const googleWorkspaceSource: SourceAdapter = {
  id: 'google_workspace',
  name: 'Google Workspace',
  parse: normalizeWorkspaceActivity,
  expand: expandWorkspaceActivities,
};
