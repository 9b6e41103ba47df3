/**
 * The Mantissa Log Worker: one deployable that composes the HTTP apps (API, ingest), the cron handler
 * (replay of pending ingest batches, pull collectors, the real-time backlog, scheduled detection, alert
 * housekeeping, the NLQ entity-values snapshot), the alert-delivery queue consumer, and re-exports the Durable Object and Workflow classes
 * wrangler.toml binds.
 * Static assets (the web UI) are served by Workers Static Assets before this code runs, except for
 * /api/*, /ingest/* and /v1/* (`run_worker_first`).
 */
import { newApp } from './app';
import { apiRoutes } from './api';
import { runCollectors } from './collect/run-collectors';
import { runScheduledDetection } from './detect/scheduled-detection';
import { runAlertHousekeeping } from './detect/alert-lifecycle';
import { handleDeliveryBatch } from './detect/deliver-queue';
import type { DeliveryMessage } from './detect/deliveries';
import { sweepRealtimeBacklog } from './detect/realtime-detection';
import type { Env } from './env';
import { ingestRoutes, ingestWebhookAuthenticators } from './ingest';
import { replayPendingBatches } from './ingest/ingest-batch';
import { refreshEntityValues } from '../adapters/d1/nlq-entity-values';
import { auditTrail } from './middleware/audit-trail';
import { authenticate } from './middleware/authenticate';
import { corsAllowList } from './middleware/cors-allow-list';

export { IdentityUserState } from '../durable-objects/identity-user-state';
export { IdentityOrgState } from '../durable-objects/identity-org-state';
export { DeliveryRateLimiter } from '../durable-objects/delivery-rate-limiter';
export { PlaybookWorkflow } from './soar/playbook-workflow';

export function createApp() {
  const app = newApp();
  app.use('/api/*', corsAllowList(), authenticate(), auditTrail());
  app.use('/ingest/*', corsAllowList(), authenticate({ webhooks: ingestWebhookAuthenticators }));
  app.use('/v1/*', corsAllowList(), authenticate());
  app.route('/api', apiRoutes());
  app.route('/ingest', ingestRoutes());
  return app;
}

const app = createApp();

export default {
  fetch: app.fetch,
  async scheduled(controller, env) {
    const started = Date.now();
    const now = new Date(controller.scheduledTime);
    const replay = await replayPendingBatches(env, now);
    if (replay.replayed + replay.abandoned + replay.failed > 0) {
      console.log(JSON.stringify({ level: 'info', msg: 'replayed pending ingest batches from R2', ...replay }));
    }
    const collected = (await runCollectors(env, now)).filter((c) => c.status !== 'skipped');
    if (collected.length > 0) {
      console.log(JSON.stringify({ level: 'info', msg: 'pull collectors', runs: collected }));
    }
    const swept = await sweepRealtimeBacklog(env, now);
    if (swept > 0) console.log(JSON.stringify({ level: 'info', msg: 'real-time detection re-run on batches it had not finished', batches: swept }));
    const summaries = await runScheduledDetection(env, now);
    const housekeeping = await runAlertHousekeeping(env, now);
    // The values questions resolve names against, off the request path (hourly; a failure is retried next run).
    const entityValuesRefreshed = await refreshEntityValues(env.DB, now).catch((err: unknown) => {
      console.log(JSON.stringify({ level: 'error', msg: 'refreshing the NLQ entity values failed', error: err instanceof Error ? err.message : String(err) }));
      return false;
    });
    const ran = summaries.filter((s) => s.status !== 'skipped');
    console.log(
      JSON.stringify({
        level: 'info',
        msg: 'scheduled detection',
        cron: controller.cron,
        rulesRun: ran.length,
        errors: ran.filter((s) => s.status === 'error').length,
        newAlerts: ran.reduce((n, s) => n + s.newAlerts, 0),
        escalated: housekeeping.escalated,
        deliveriesRequeued: housekeeping.requeued,
        entityValuesRefreshed,
        durationMs: Date.now() - started,
      }),
    );
  },
  async queue(batch, env) {
    await handleDeliveryBatch(batch as MessageBatch<DeliveryMessage>, env);
  },
} satisfies ExportedHandler<Env, DeliveryMessage>;
