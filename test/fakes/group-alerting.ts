/**
 * The loopback fakes of the alert destinations (adapters/alerting/*), started once for the workers tests of the
 * delivery pipeline: the signed-webhook receiver, PagerDuty Events v2, Slack (chat API and incoming webhooks),
 * Microsoft Teams, Jira Cloud, ServiceNow, SendGrid and Amazon SES. Their ports join `fakePorts` (and so the
 * Worker's outbound allow-list); their credentials are the Worker secrets set in vitest.workers.config.ts.
 */
import type { RunningFake } from './fake-server';
import { startJiraFake } from './jira';
import { startPagerDutyFake } from './pagerduty';
import { startSendgridFake } from './sendgrid';
import { startServiceNowFake } from './servicenow';
import { startSesFake } from './ses';
import { startSlackChatFake } from './slack-chat';
import { startTeamsFake } from './teams';
import { startWebhookReceiver } from './webhook-receiver';

export async function startFakes(): Promise<{ ports: Record<string, number>; close(): Promise<void> }> {
  const fakes: Record<string, RunningFake> = {
    webhookReceiver: await startWebhookReceiver(),
    pagerduty: await startPagerDutyFake(),
    slackChat: await startSlackChatFake(),
    teams: await startTeamsFake(),
    jira: await startJiraFake(),
    servicenow: await startServiceNowFake(),
    sendgrid: await startSendgridFake(),
    ses: await startSesFake(),
  };
  return {
    ports: Object.fromEntries(Object.entries(fakes).map(([name, fake]) => [name, fake.port])),
    close: async () => {
      await Promise.all(Object.values(fakes).map((f) => f.close()));
    },
  };
}
