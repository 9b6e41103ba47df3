/** GET /api/sources — the sources this build parses, with ingest statistics. */
import { sourceAdapters } from '../../../adapters/sources';
import { IngestBatchesRepository } from '../../../adapters/d1/ingest-batches-repository';
import type { App } from '../../app';
import { requirePermission } from '../../middleware/require-permission';

export function registerSourcesList(app: App) {
  app.get('/sources', requirePermission('sources:read'), async (c) => {
    const stats = new Map((await new IngestBatchesRepository(c.env.DB).sourceStats()).map((s) => [s.source, s]));
    const sources = [...sourceAdapters.values()].map((a) => {
      const s = stats.get(a.id);
      return {
        id: a.id,
        name: a.name,
        batches: s?.batches ?? 0,
        accepted: s?.accepted ?? 0,
        rejected: s?.rejected ?? 0,
        events: s?.events ?? 0,
        lastIngestAt: s?.lastIngestAt ?? null,
      };
    });
    return c.json({ sources });
  });
}
