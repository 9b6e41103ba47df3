/** GET /api/me — who the credential belongs to. Any authenticated role. */
import type { App } from '../../app';

export function registerMe(app: App) {
  app.get('/me', (c) => {
    const p = c.get('principal');
    return c.json({ id: p.id, name: p.name, role: p.role, source: p.source, via: p.via });
  });
}
