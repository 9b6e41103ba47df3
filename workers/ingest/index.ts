/** The /ingest application: push ingest for every source this build parses. */
import { Hono } from 'hono';
import type { AppEnv } from '../app';
import { githubWebhookAuthenticator, githubWebhookPath, registerGithubWebhook } from './routes/github-webhook';
import { registerIngestSource } from './routes/ingest-source';
import { registerOktaEventHookVerify } from './routes/okta-event-hook-verify';

/** Webhook paths whose credential is the vendor's signature (see middleware/authenticate). */
export const ingestWebhookAuthenticators = { [githubWebhookPath]: githubWebhookAuthenticator };

export function ingestRoutes() {
  const app = new Hono<AppEnv>();
  registerGithubWebhook(app);
  registerOktaEventHookVerify(app);
  registerIngestSource(app);
  return app;
}
