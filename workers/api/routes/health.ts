/** GET /api/health — each binding's status, probed for real (a query, a head, an RPC, a fetch). */
import type { App } from '../../app';
import type { Env } from '../../env';
import { requirePermission } from '../../middleware/require-permission';

interface Probe {
  ok: boolean;
  latencyMs: number;
  error?: string;
}

export const version = '0.1.0';

export function registerHealth(app: App) {
  app.get('/health', requirePermission('health:read'), async (c) => {
    const bindings = await probeBindings(c.env);
    const ok = Object.values(bindings).every((b) => b.ok);
    return c.json({ status: ok ? 'ok' : 'degraded', bindings, version }, ok ? 200 : 503);
  });
}

export async function probeBindings(env: Env): Promise<Record<string, Probe>> {
  const probes: Record<string, () => Promise<unknown>> = {
    DB: () => env.DB.prepare('SELECT 1 AS ok').first(),
    LAKE: () => env.LAKE.head('health/probe'),
    IDENTITY_USER: async () => {
      const stub = env.IDENTITY_USER.get(env.IDENTITY_USER.idFromName('__health__'));
      if ((await stub.ping()) !== 'pong') throw new Error('unexpected ping answer');
    },
    PLAYBOOKS: async () => {
      // Ask the Workflow binding about the newest run; with no run yet there is nothing to ask about (asking
      // for an unknown instance makes the local runtime log an error), so only the binding's presence counts.
      const latest = await env.DB.prepare('SELECT id FROM playbook_runs ORDER BY created_at DESC LIMIT 1').first<{ id: string }>();
      if (typeof env.PLAYBOOKS?.get !== 'function') throw new Error('the PLAYBOOKS Workflow binding is missing');
      if (latest) await (await env.PLAYBOOKS.get(latest.id)).status();
    },
    ASSETS: async () => {
      const res = await env.ASSETS.fetch('http://assets.local/index.html');
      if (!res.ok) throw new Error(`index.html answered ${res.status}; run "npm run build:ui"`);
    },
  };
  const entries = await Promise.all(
    Object.entries(probes).map(async ([name, probe]): Promise<[string, Probe]> => {
      const started = Date.now();
      try {
        await probe();
        return [name, { ok: true, latencyMs: Date.now() - started }];
      } catch (err) {
        return [name, { ok: false, latencyMs: Date.now() - started, error: err instanceof Error ? err.message : String(err) }];
      }
    }),
  );
  return Object.fromEntries(entries);
}
