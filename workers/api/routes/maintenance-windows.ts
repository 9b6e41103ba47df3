/**
 * Maintenance windows: while one is on, alerts of its rules (or all rules) on its sources (or all sources) are
 * recorded but notify nobody (`muted_by: maintenance:<id>`). GET/POST /api/maintenance-windows,
 * DELETE /api/maintenance-windows/:id.
 */
import { z } from 'zod';
import { jsonBody, type App } from '../../app';
import { ApiError } from '../../errors';
import { requirePermission } from '../../middleware/require-permission';

interface WindowRow {
  id: string;
  name: string;
  starts_at: string;
  ends_at: string;
  rule_ids: string;
  sources: string;
  created_by: string;
  created_at: string;
}

const createSchema = z
  .strictObject({
    name: z.string().trim().min(1).max(200),
    startsAt: z.iso.datetime({ offset: true }),
    endsAt: z.iso.datetime({ offset: true }),
    ruleIds: z.array(z.string().min(1).max(200)).max(100).default([]),
    sources: z.array(z.string().min(1).max(100)).max(50).default([]),
  })
  .refine((w) => Date.parse(w.endsAt) > Date.parse(w.startsAt), { message: 'endsAt must be after startsAt', path: ['endsAt'] })
  .refine((w) => Date.parse(w.endsAt) - Date.parse(w.startsAt) <= 31 * 86_400_000, { message: 'a maintenance window lasts at most 31 days', path: ['endsAt'] });

function view(row: WindowRow) {
  return {
    id: row.id,
    name: row.name,
    startsAt: row.starts_at,
    endsAt: row.ends_at,
    ruleIds: JSON.parse(row.rule_ids) as string[],
    sources: JSON.parse(row.sources) as string[],
    createdBy: row.created_by,
    createdAt: row.created_at,
  };
}

export function registerMaintenanceWindows(app: App) {
  app.get('/maintenance-windows', requirePermission('rules:read'), async (c) => {
    const { results } = await c.env.DB.prepare('SELECT * FROM maintenance_windows ORDER BY starts_at DESC LIMIT 500').all<WindowRow>();
    return c.json({ maintenanceWindows: results.map(view) });
  });

  app.post('/maintenance-windows', requirePermission('rules:write'), async (c) => {
    const body = await jsonBody(c, createSchema);
    const row = await c.env.DB.prepare(
      `INSERT INTO maintenance_windows (id, name, starts_at, ends_at, rule_ids, sources, created_by, created_at)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) RETURNING *`,
    )
      .bind(
        `mw_${crypto.randomUUID().replaceAll('-', '').slice(0, 20)}`,
        body.name,
        new Date(body.startsAt).toISOString(),
        new Date(body.endsAt).toISOString(),
        JSON.stringify(body.ruleIds),
        JSON.stringify(body.sources),
        c.get('principal').id,
        new Date().toISOString(),
      )
      .first<WindowRow>();
    return c.json(view(row!), 201);
  });

  app.delete('/maintenance-windows/:id', requirePermission('rules:write'), async (c) => {
    const id = c.req.param('id');
    const row = await c.env.DB.prepare('DELETE FROM maintenance_windows WHERE id = ?1 RETURNING *').bind(id).first<WindowRow>();
    if (!row) throw new ApiError('not_found', `No maintenance window ${id}.`);
    return c.json(view(row));
  });
}
