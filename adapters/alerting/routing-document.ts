/**
 * The routing document — destinations, routes, escalation, quiet hours, redaction and enrichment — as one zod
 * schema, used alike by `PUT /api/routing` (the UI's settings page), `mantissa routing validate|push` and
 * the version-controlled `config/routing.yml`. Each destination entry is `{id, type, …settings}`; its settings
 * are checked by that destination adapter's own `configSchema`, with the path of the offending field.
 */
import { z } from 'zod';
import { defaultRouteSchema, referencedDestinations, routeSchema, type RoutingRules } from '../../core/alerting/routing';
import { redactionPolicySchema } from '../../core/alerting/redact';
import { enrichmentConfigSchema } from '../../core/enrich/config';
import { destinationTypes, type DestinationType } from './destination';
import { destinationAdapters } from './registry';

const destinationEntrySchema = z
  .looseObject({
    id: z
      .string()
      .regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'a short id of lower-case letters, digits, - and _ (e.g. soc-slack)'),
    type: z.enum(destinationTypes),
    /** A human name for the delivery log and the UI. */
    name: z.string().max(200).optional(),
  })
  .superRefine((entry, ctx) => {
    const adapter = destinationAdapters[entry.type];
    const { id: _id, type: _type, name: _name, ...settings } = entry;
    const parsed = adapter.configSchema.safeParse(settings);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
    }
  });

export const routingDocumentSchema = z
  .strictObject({
    version: z.literal(1).default(1),
    /** Links in notifications point here (the web UI's address), e.g. https://siem.acme.com */
    baseUrl: z.url({ protocol: /^https?$/ }).optional(),
    destinations: z.array(destinationEntrySchema).default([]),
    routes: z.array(routeSchema).default([]),
    defaultRoute: defaultRouteSchema.optional(),
    redaction: redactionPolicySchema.default(redactionPolicySchema.parse({})),
    enrichment: enrichmentConfigSchema.default(enrichmentConfigSchema.parse({})),
  })
  .superRefine((doc, ctx) => {
    const ids = new Set<string>();
    doc.destinations.forEach((d, i) => {
      if (ids.has(d.id)) ctx.addIssue({ code: 'custom', message: `destination id "${d.id}" is used twice`, path: ['destinations', i, 'id'] });
      ids.add(d.id);
    });
    for (const ref of referencedDestinations(doc)) {
      if (!ids.has(ref.id)) ctx.addIssue({ code: 'custom', message: `${ref.where} names "${ref.id}", which is not a destination (known: ${[...ids].join(', ') || 'none'})`, path: [] });
    }
  });
export type RoutingDocument = z.infer<typeof routingDocumentSchema>;

export interface ConfiguredDestination {
  readonly id: string;
  readonly type: DestinationType;
  readonly name: string;
  /** The adapter's parsed settings. */
  readonly config: unknown;
}

export interface RoutingSnapshot {
  readonly document: RoutingDocument;
  readonly rules: RoutingRules;
  readonly destinations: ReadonlyMap<string, ConfiguredDestination>;
  readonly version: number;
}

/** A validated document as the runtime uses it (destinations by id, settings parsed by their adapter). */
export function routingSnapshot(document: RoutingDocument, version: number): RoutingSnapshot {
  const destinations = new Map<string, ConfiguredDestination>();
  for (const entry of document.destinations) {
    const { id, type, name, ...settings } = entry;
    destinations.set(id, { id, type, name: name ?? id, config: destinationAdapters[type].configSchema.parse(settings) });
  }
  return { document, rules: { routes: document.routes, defaultRoute: document.defaultRoute }, destinations, version };
}

/** Readable problems of a document that failed validation: `path: message`, one per line. */
export function describeRoutingIssues(error: z.ZodError): string[] {
  return error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(document)'}: ${i.message}`);
}
