/**
 * The routing document in D1 (`routing_config`, one row), parsed once per isolate and version. A stored
 * document that no longer validates (a destination type's settings changed in a release) is reported and
 * treated as absent — alerts are still recorded, and the settings page shows the problems.
 */
import { routingDocumentSchema, routingSnapshot, describeRoutingIssues, type RoutingDocument, type RoutingSnapshot } from '../../adapters/alerting/routing-document';
import type { Env } from '../env';

let cached: { version: number; snapshot: RoutingSnapshot } | null = null;

export async function loadRouting(env: Env): Promise<RoutingSnapshot | null> {
  const row = await env.DB.prepare('SELECT document, version FROM routing_config WHERE id = 1').first<{ document: string; version: number }>();
  if (!row) return null;
  if (cached?.version === row.version) return cached.snapshot;
  const parsed = routingDocumentSchema.safeParse(JSON.parse(row.document));
  if (!parsed.success) {
    console.error(JSON.stringify({ level: 'error', msg: 'the stored routing document is invalid; nothing is routed until it is fixed', issues: describeRoutingIssues(parsed.error) }));
    return null;
  }
  cached = { version: row.version, snapshot: routingSnapshot(parsed.data, row.version) };
  return cached.snapshot;
}

/** Stores a validated document as the next version; returns it. */
export async function saveRouting(env: Env, document: RoutingDocument, updatedBy: string, now: Date): Promise<{ version: number; updatedAt: string }> {
  const iso = now.toISOString();
  const row = await env.DB.prepare(
    `INSERT INTO routing_config (id, document, version, updated_by, updated_at) VALUES (1, ?1, 1, ?2, ?3)
     ON CONFLICT (id) DO UPDATE SET document = excluded.document, version = version + 1, updated_by = excluded.updated_by, updated_at = excluded.updated_at
     RETURNING version, updated_at`,
  )
    .bind(JSON.stringify(document), updatedBy, iso)
    .first<{ version: number; updated_at: string }>();
  return { version: row!.version, updatedAt: row!.updated_at };
}

export async function readRoutingRow(env: Env): Promise<{ document: unknown; version: number; updatedBy: string; updatedAt: string } | null> {
  const row = await env.DB.prepare('SELECT document, version, updated_by, updated_at FROM routing_config WHERE id = 1').first<{
    document: string;
    version: number;
    updated_by: string;
    updated_at: string;
  }>();
  return row ? { document: JSON.parse(row.document) as unknown, version: row.version, updatedBy: row.updated_by, updatedAt: row.updated_at } : null;
}
