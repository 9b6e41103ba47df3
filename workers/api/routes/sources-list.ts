/**
 * GET /api/sources — every source this build parses, with push-ingest totals, events received today, and
 * the pull collectors configured for it: last run, last success, lag behind the vendor, errors.
 */
import { parseCollectorsSetting } from '../../../core/collect/collector';
import { collectorDefinitions } from '../../../adapters/collectors';
import { CollectorStateRepository } from '../../../adapters/d1/collector-state-repository';
import { IngestBatchesRepository } from '../../../adapters/d1/ingest-batches-repository';
import { sourceAdapters } from '../../../adapters/sources';
import type { App } from '../../app';
import { requirePermission } from '../../middleware/require-permission';

export function registerSourcesList(app: App) {
  app.get('/sources', requirePermission('sources:read'), async (c) => {
    const now = new Date();
    const startOfDay = `${now.toISOString().slice(0, 10)}T00:00:00.000Z`;
    const [stats, today, states] = await Promise.all([
      new IngestBatchesRepository(c.env.DB).sourceStats(),
      c.env.DB.prepare('SELECT source, count(*) AS n FROM events WHERE ingest_time >= ?1 GROUP BY source').bind(startOfDay).all<{ source: string; n: number }>(),
      new CollectorStateRepository(c.env.DB).list(),
    ]);
    const statsBySource = new Map(stats.map((s) => [s.source, s]));
    const todayBySource = new Map(today.results.map((r) => [r.source, r.n]));
    const stateById = new Map(states.map((s) => [s.collectorId, s]));
    const setting = parseCollectorsSetting(c.env.COLLECTORS ?? '', collectorDefinitions);
    const collectors = (setting.ok ? setting.entries : []).map(({ entry, definition, config }) => {
      const state = stateById.get(entry.id);
      return {
        id: entry.id,
        type: entry.type,
        source: definition.sourceFor?.(config) ?? definition.source,
        description: definition.description,
        enabled: entry.enabled,
        intervalMinutes: entry.intervalMinutes,
        lastRunAt: state?.lastRunAt ?? null,
        lastSuccessAt: state?.lastSuccessAt ?? null,
        lastEventTime: state?.lastEventTime ?? null,
        lagSeconds: state?.lastEventTime ? Math.max(0, Math.round((now.getTime() - Date.parse(state.lastEventTime)) / 1000)) : null,
        lastError: state?.lastError ?? null,
        consecutiveFailures: state?.consecutiveFailures ?? 0,
        eventsTotal: state?.eventsTotal ?? 0,
      };
    });
    const sources = [...sourceAdapters.values()].map((a) => {
      const s = statsBySource.get(a.id);
      return {
        id: a.id,
        name: a.name,
        batches: s?.batches ?? 0,
        accepted: s?.accepted ?? 0,
        rejected: s?.rejected ?? 0,
        events: s?.events ?? 0,
        eventsToday: todayBySource.get(a.id) ?? 0,
        lastIngestAt: s?.lastIngestAt ?? null,
        collectors: collectors.filter((col) => col.source === a.id),
      };
    });
    return c.json({ sources, collectorsError: setting.ok ? null : setting.message });
  });
}
