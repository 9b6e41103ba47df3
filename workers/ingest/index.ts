/** The /ingest application: push ingest for every source this build parses. */
import { Hono } from 'hono';
import type { AppEnv } from '../app';
import { registerIngestSource } from './routes/ingest-source';

export function ingestRoutes() {
  const app = new Hono<AppEnv>();
  registerIngestSource(app);
  return app;
}
