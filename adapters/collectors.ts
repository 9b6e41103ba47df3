/** The pull collectors this build can run, by type (the `type` of an entry in COLLECTORS). */
import type { CollectorDefinition } from '../core/collect/collector';
import { oktaSystemLogCollector } from './okta/collect';

const definitions = [oktaSystemLogCollector] as CollectorDefinition[];

export const collectorDefinitions: ReadonlyMap<string, CollectorDefinition> = new Map(definitions.map((d) => [d.type, d]));
