/**
 * Reading the shared corpus for the SaaS vendor fakes (group-saas.ts): the real samples of one corpus
 * directory, one object per NDJSON line, with Panther's `p_*` metadata dropped (a vendor never sends it).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export type CorpusRecord = Record<string, unknown>;

/** The samples of `logs/<dir>/` whose file name passes `pick`, in file order. */
export function corpusRecords(corpusDir: string, dir: string, pick: (file: string) => boolean = () => true): CorpusRecord[] {
  const path = join(corpusDir, 'logs', dir);
  return readdirSync(path)
    .filter((f) => f.endsWith('.ndjson') && !f.endsWith('.labels.ndjson') && pick(f))
    .sort()
    .flatMap((f) => readFileSync(join(path, f), 'utf8').split('\n').filter((l) => l.trim() !== ''))
    .map((l) => Object.fromEntries(Object.entries(JSON.parse(l) as object).filter(([k]) => !k.startsWith('p_'))) as CorpusRecord);
}

/** A bearer token from an Authorization header, or null. */
export function bearer(header: string | string[] | undefined): string | null {
  const value = Array.isArray(header) ? header[0] : header;
  const m = /^Bearer\s+(\S+)$/i.exec(value ?? '');
  return m ? m[1]! : null;
}

/** Opaque cursors as vendors hand them out: base64url JSON the client must not read. */
export function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

export function decodeCursor<T>(cursor: string): T | null {
  try {
    return JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as T;
  } catch {
    return null;
  }
}

/** RFC 3339 with nanoseconds, as 1Password and CrowdStrike write times. */
export function nanoIso(ms: number, nanos = 0): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, (_, millis: string) => `.${millis}${String(nanos).padStart(6, '0')}Z`);
}
