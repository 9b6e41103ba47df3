// Integration tests inside workerd (the Workers runtime) with the real bindings of wrangler.toml:
// D1 (migrations applied in test/setup/apply-migrations.ts), R2, the Durable Object and the Workflow.
// Pure logic is tested in plain Node instead (vitest.unit.config.ts); keep these files few and large —
// each costs ≈ 2 s of runtime start-up.
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';
import { microsoftFakeClientId, microsoftFakeClientSecret, microsoftFakeTenant } from './test/fakes/microsoft';
import { oktaFakeToken } from './test/fakes/okta';
import { pagerDutyFakeRoutingKey } from './test/fakes/pagerduty';
import { slackChatFakeToken } from './test/fakes/slack-chat';
import { webhookReceiverSecret } from './test/fakes/webhook-receiver';

export default defineConfig(async () => {
  const migrations = await readD1Migrations('migrations');
  return {
    plugins: [
      cloudflareTest(({ inject }) => ({
        wrangler: { configPath: './wrangler.toml' },
        miniflare: {
          bindings: {
            TEST_MIGRATIONS: migrations,
            // Loopback fakes (test/fakes) are reached through the outbound allow-list, as an operator would.
            OUTBOUND_ALLOWLIST: [
              ...['accessFakePort', 'googleFakePort', 'oktaFakePort'].map((k) => inject(k as never) as number),
              ...Object.values(inject('fakePorts' as never) as Record<string, number>),
            ]
              .map((port) => `127.0.0.1:${port}`)
              .join(','),
            ACCESS_TEAM_DOMAIN: `http://127.0.0.1:${inject('accessFakePort' as never)}`,
            ACCESS_AUD: 'test-audience',
            ACCESS_ROLES: JSON.stringify({ 'boss@acme.test': 'admin', 'soc-responders': 'responder' }),
            PUBSUB_PUSH_AUDIENCE: 'https://mantissa.test/ingest/gcp_audit',
            PUBSUB_PUSH_SERVICE_ACCOUNTS: 'pubsub-push@acme-prod.iam.gserviceaccount.com',
            PUBSUB_PUSH_SOURCES: 'gcp_audit,google_workspace',
            GOOGLE_OIDC_JWKS_URL: `http://127.0.0.1:${inject('googleFakePort' as never)}/oauth2/v3/certs`,
            GITHUB_WEBHOOK_SECRET: 'test-github-webhook-secret',
            // Alert destinations (test/fakes/group-alerting.ts): the secrets the test routing documents name, and
            // short delivery timings so retries and timeouts play out within a test.
            WEBHOOK_SIGNING_SECRET: webhookReceiverSecret,
            PAGERDUTY_ROUTING_KEY: pagerDutyFakeRoutingKey,
            SLACK_BOT_TOKEN: slackChatFakeToken,
            DELIVERY_BACKOFF_MS: '200',
            DELIVERY_TIMEOUT_MS: '1500',
            // Identity responders of the contain-user playbook, on the dedicated fakes of
            // test/fakes/group-identity-response.ts; secret names of their own, so that the collector tests of a
            // missing OKTA_API_TOKEN / GRAPH_CLIENT_SECRET still see them missing.
            IDENTITY_RESPONDERS: JSON.stringify([
              { provider: 'okta', id: 'okta-test', orgUrl: `http://127.0.0.1:${(inject('fakePorts' as never) as Record<string, number>).respondOkta}`, tokenSecret: 'TEST_RESPOND_OKTA_TOKEN' },
              {
                provider: 'entra_id',
                id: 'entra-test',
                tenantId: microsoftFakeTenant,
                clientId: microsoftFakeClientId,
                clientSecretName: 'TEST_RESPOND_GRAPH_SECRET',
                tokenUrl: `http://127.0.0.1:${(inject('fakePorts' as never) as Record<string, number>).respondMsLogin}/${microsoftFakeTenant}/oauth2/v2.0/token`,
                graphBaseUrl: `http://127.0.0.1:${(inject('fakePorts' as never) as Record<string, number>).respondMsGraph}`,
              },
            ]),
            TEST_RESPOND_OKTA_TOKEN: oktaFakeToken,
            TEST_RESPOND_GRAPH_SECRET: microsoftFakeClientSecret,
          },
        },
      })),
    ],
    test: {
      include: ['test/**/*.test.ts'],
      exclude: ['test/e2e/**'],
      globalSetup: ['test/setup/global-fakes.ts'],
      setupFiles: ['test/setup/apply-migrations.ts'],
      maxWorkers: 2,
      // Shared 2-core machines: a test that is merely slow under load must not fail (no test asserts on time).
      testTimeout: 30_000,
    },
  };
});
