/**
 * The routing document (destinations, routes, escalation, quiet hours, redaction, enrichment):
 * GET /api/routing and PUT /api/routing. PUT takes the document as JSON (`{"document": {…}}`) or as the YAML of
 * `config/routing.yml` (`Content-Type: application/yaml`), validated by the same schema as `mantissa routing
 * validate` (adapters/alerting/routing-document). Problems come back one per path; secrets the document names
 * but the Worker does not have are reported as warnings (the document is stored: a secret may be set after).
 */
import { load } from 'js-yaml';
import { z } from 'zod';
import { describeRoutingIssues, routingDocumentSchema, type RoutingDocument } from '../../../adapters/alerting/routing-document';
import { readBody, type App } from '../../app';
import { ApiError } from '../../errors';
import { requirePermission } from '../../middleware/require-permission';
import { readRoutingRow, saveRouting } from '../../detect/routing-store';

const emptyDocument = routingDocumentSchema.parse({});

export function registerRouting(app: App) {
  app.get('/routing', requirePermission('routing:read'), async (c) => {
    const row = await readRoutingRow(c.env);
    if (!row) return c.json({ document: emptyDocument, version: 0, updatedBy: null, updatedAt: null, problems: [], warnings: [] });
    const parsed = routingDocumentSchema.safeParse(row.document);
    return c.json({
      document: row.document,
      version: row.version,
      updatedBy: row.updatedBy,
      updatedAt: row.updatedAt,
      problems: parsed.success ? [] : describeRoutingIssues(parsed.error),
      warnings: parsed.success ? missingSecrets(parsed.data, c.env) : [],
    });
  });

  app.put('/routing', requirePermission('routing:manage'), async (c) => {
    const bytes = await readBody(c.req.raw, 512 * 1024);
    const text = new TextDecoder().decode(bytes);
    const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    let input: unknown;
    try {
      if (type === 'application/yaml' || type === 'application/x-yaml' || type === 'text/yaml') input = load(text);
      else {
        const body = z.object({ document: z.unknown() }).safeParse(JSON.parse(text));
        if (!body.success) throw new ApiError('invalid_request', 'Send {"document": {…}} as JSON, or the YAML document with Content-Type: application/yaml.');
        input = body.data.document;
      }
    } catch (err) {
      if (err instanceof ApiError) throw err;
      throw new ApiError('invalid_request', `The body is not valid ${type.includes('yaml') ? 'YAML' : 'JSON'}: ${err instanceof Error ? err.message : String(err)}`);
    }
    const parsed = routingDocumentSchema.safeParse(input ?? {});
    if (!parsed.success) {
      const problems = describeRoutingIssues(parsed.error);
      throw new ApiError('invalid_request', `The routing document was refused: ${problems.slice(0, 5).join('; ')}`, { problems });
    }
    const saved = await saveRouting(c.env, parsed.data, c.get('principal').id, new Date());
    return c.json({ document: parsed.data, version: saved.version, updatedAt: saved.updatedAt, warnings: missingSecrets(parsed.data, c.env) });
  });
}

/** Secret names the document refers to (settings ending in `Secret`, and `secretName`) that the Worker does not have. */
function missingSecrets(document: RoutingDocument, env: object): string[] {
  const names = new Set<string>();
  const walk = (value: unknown) => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') {
      for (const [key, v] of Object.entries(value)) {
        if ((/Secret$/.test(key) || key === 'secretName') && typeof v === 'string') names.add(v);
        else walk(v);
      }
    }
  };
  walk(document.destinations);
  walk(document.redaction);
  walk(document.enrichment);
  const have = env as Record<string, unknown>;
  return [...names]
    .filter((n) => typeof have[n] !== 'string' || have[n] === '')
    .map((n) => `secret ${n} is not set (wrangler secret put ${n}; locally: .dev.vars)`);
}
