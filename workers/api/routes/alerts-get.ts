/** GET /api/alerts/:id — one alert with its delivery log, its incident and how many hits it counted. */
import { AlertsRepository } from '../../../adapters/d1/alerts-repository';
import type { App } from '../../app';
import { ApiError } from '../../errors';
import { requirePermission } from '../../middleware/require-permission';
import { alertView } from './alerts-list';
import { incidentView, type IncidentRow } from './incidents-list';

interface DeliveryRow {
  id: string;
  delivery_key: string;
  destination_id: string;
  destination_type: string;
  kind: string;
  route: string;
  status: string;
  attempts: number;
  not_before: string;
  last_error: string | null;
  external_id: string | null;
  detail: string | null;
  created_at: string;
  updated_at: string;
  sent_at: string | null;
}

export function registerAlertsGet(app: App) {
  app.get('/alerts/:id', requirePermission('alerts:read'), async (c) => {
    const id = c.req.param('id');
    const repository = new AlertsRepository(c.env.DB);
    const row = await repository.get(id);
    if (!row) throw new ApiError('not_found', `No alert ${id}.`);
    const [deliveries, hits, incident] = await c.env.DB.batch<Record<string, unknown>>([
      c.env.DB.prepare('SELECT * FROM alert_deliveries WHERE alert_id = ?1 ORDER BY created_at, destination_id').bind(id),
      c.env.DB.prepare('SELECT count(*) AS n FROM alert_hits WHERE alert_id = ?1').bind(id),
      c.env.DB.prepare('SELECT * FROM incidents WHERE id = ?1').bind(row.incidentId ?? ''),
    ]);
    return c.json({
      alert: alertView(row, (await repository.ruleAttributions([row])).get(row.ruleId)),
      hitsRecorded: Number(hits!.results[0]?.n ?? 0),
      incident: incident!.results[0] ? incidentView(incident!.results[0] as unknown as IncidentRow) : null,
      deliveries: (deliveries!.results as unknown as DeliveryRow[]).map((d) => ({
        id: d.id,
        deliveryKey: d.delivery_key,
        destinationId: d.destination_id,
        destinationType: d.destination_type,
        kind: d.kind,
        route: d.route,
        status: d.status,
        attempts: d.attempts,
        notBefore: d.not_before,
        lastError: d.last_error,
        externalId: d.external_id,
        detail: d.detail,
        createdAt: d.created_at,
        updatedAt: d.updated_at,
        sentAt: d.sent_at,
      })),
    });
  });
}
