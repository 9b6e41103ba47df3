/**
 * The log sources this build can ingest, by source id (the `:source` of `POST /ingest/:source`). Each
 * adapter folder exports its SourceAdapter from index.ts; add a source by adding it here.
 */
import type { SourceAdapter } from '../core/ingest/source-adapter';
import { cloudTrailSource } from './cloudtrail';
import { oktaSource } from './okta';

const adapters: SourceAdapter[] = [oktaSource, cloudTrailSource];

export const sourceAdapters: ReadonlyMap<string, SourceAdapter> = new Map(adapters.map((a) => [a.id, a]));
