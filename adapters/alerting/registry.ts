/** Every alert destination adapter, by type (adapters/alerting/<type>/index.ts). */
import type { DestinationAdapter, DestinationType } from './destination';
import { emailDestination } from './email';
import { jiraDestination } from './jira';
import { pagerDutyDestination } from './pagerduty';
import { serviceNowDestination } from './servicenow';
import { slackDestination } from './slack';
import { teamsDestination } from './teams';
import { webhookDestination } from './webhook';

export const destinationAdapters: Readonly<Record<DestinationType, DestinationAdapter<unknown>>> = {
  slack: slackDestination as DestinationAdapter<unknown>,
  teams: teamsDestination as DestinationAdapter<unknown>,
  pagerduty: pagerDutyDestination as DestinationAdapter<unknown>,
  jira: jiraDestination as DestinationAdapter<unknown>,
  servicenow: serviceNowDestination as DestinationAdapter<unknown>,
  email: emailDestination as DestinationAdapter<unknown>,
  webhook: webhookDestination as DestinationAdapter<unknown>,
};
