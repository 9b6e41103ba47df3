/**
 * GET /api/identity/users?q=&limit= — the people ITDR tracks, riskiest first: current risk score and level
 * (decayed to now), the latest detection, the kill-chain stages reached, and activity.
 * Rows are written by the ingest path after each person's Durable Object answers (workers/itdr/itdr-sink.ts).
 */
import { z } from 'zod';
import type { ItdrConfig } from '../../../core/itdr/config';
import { riskLevel } from '../../../core/itdr/risk';
import { queryParams, type App } from '../../app';
import { readItdrConfig } from '../../itdr/itdr-config';
import { requirePermission } from '../../middleware/require-permission';

const listQuerySchema = z.object({
  q: z.string().trim().max(320).default(''),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

interface IdentityUserRow {
  person: string;
  identities: string;
  risk_score: number;
  risk_level: string;
  detection_count: number;
  last_detection_kind: string | null;
  last_detection_at: string | null;
  stages: string;
  event_count: number;
  last_seen: string | null;
  updated_at: string;
}

/**
 * The row's score decayed from its update to `nowMs` (the score halves every `halfLifeHours`, as in the
 * person's object; a score capped at 100 decays from 100, so it may read a little low until the next update).
 */
export function identityUserView(row: IdentityUserRow, nowMs: number, risk: ItdrConfig['risk']) {
  const hours = Math.max(0, nowMs - Date.parse(row.updated_at)) / 3_600_000;
  const score = risk.halfLifeHours > 0 ? Math.round(row.risk_score * 0.5 ** (hours / risk.halfLifeHours)) : row.risk_score;
  return {
    user: row.person,
    identities: JSON.parse(row.identities) as string[],
    riskScore: score,
    riskLevel: riskLevel(score, risk),
    detectionCount: row.detection_count,
    lastDetection: row.last_detection_kind && row.last_detection_at ? { kind: row.last_detection_kind, at: row.last_detection_at } : null,
    stages: JSON.parse(row.stages) as string[],
    events: row.event_count,
    lastSeen: row.last_seen,
    updatedAt: row.updated_at,
  };
}

export function registerIdentityUsersList(app: App) {
  app.get('/identity/users', requirePermission('identity:read'), async (c) => {
    const { q, limit } = queryParams(c, listQuerySchema);
    // The LIKE pattern is bound, and its wildcards escaped, so a search cannot widen itself.
    const pattern = `%${q.toLowerCase().replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
    const { results } = await c.env.DB.prepare(
      `SELECT person, identities, risk_score, risk_level, detection_count, last_detection_kind, last_detection_at, stages,
              event_count, last_seen, updated_at
         FROM identity_users
        WHERE person LIKE ?1 ESCAPE '\\' OR identities LIKE ?1 ESCAPE '\\'
        ORDER BY risk_score DESC, last_detection_at DESC, last_seen DESC, person
        LIMIT ?2`,
    )
      .bind(pattern, limit)
      .all<IdentityUserRow>();
    const risk = readItdrConfig(c.env).risk;
    const now = Date.now();
    const users = results.map((r) => identityUserView(r, now, risk)).sort((a, b) => b.riskScore - a.riskScore);
    return c.json({ users });
  });
}
