/**
 * The log sources this build can ingest, by source id (the `:source` of `POST /ingest/:source`). Each
 * adapter folder exports its SourceAdapter from index.ts; add a source by adding it here.
 */
import type { SourceAdapter } from '../core/ingest/source-adapter';
import { cloudflareSource } from './cloudflare';
import { cloudTrailSource } from './cloudtrail';
import { jsonSource } from './json';
import { oktaSource } from './okta';
import { syslogSource } from './syslog';

const adapters: SourceAdapter[] = [oktaSource, cloudTrailSource, cloudflareSource, syslogSource, jsonSource];

export const sourceAdapters: ReadonlyMap<string, SourceAdapter> = new Map(adapters.map((a) => [a.id, a]));
