/**
 * S3 bucket collector: reads the log files vendors deliver to a bucket — CloudTrail (the default), VPC flow
 * logs, GuardDuty exports, Cloudflare Logpush, CrowdStrike FDR, or any source — from AWS S3, Cloudflare R2 or
 * any S3-compatible store (collect-s3-api.ts: ListObjectsV2 + GetObject, SigV4 with aws4fetch).
 *
 * Keys are read in the order ListObjectsV2 returns them (lexicographic, UTF-8 binary) under the configured
 * prefix, from `start-after` = the last key read, paging one listing with its continuation token. That is the
 * order of arrival for time-named layouts such as CloudTrail's
 * `AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/<account>_CloudTrail_<region>_YYYYMMDDTHHmmZ_<id>.json.gz`
 * (one collector per account+region prefix); a layout where new objects can sort before old ones (several
 * regions or several VPC flow logs under one prefix) needs one collector per prefix. Objects written less
 * than `settleSeconds` ago are left for the next run, and the listing stops at the first of them, so that two
 * files delivered within the same minute (their names differ only by a random suffix) are both read whatever
 * their order of arrival.
 *
 * One object is one page: its records go to the runner as that page's records (keyed by the source's vendor
 * id — CloudTrail's eventID — or a content hash), and the cursor moves past the object only once they are
 * durable, so a failure re-reads that object alone. An object with more than `maxRecordsPerPage` records
 * (a busy VPC's flow log file) is split into several pages of the same object (cursor `offset`), a text
 * file's header line repeated on each. Reading an object: gzip (by its magic bytes, `.gz` or not; an object
 * stored with `Content-Encoding: gzip` may arrive already inflated) is inflated with DecompressionStream; a
 * CloudTrail log file `{"Records": [...]}` gives its records; a JSON array its elements; other JSON is NDJSON,
 * one record per line; a text source (vpc_flow: `text: 'lines'`) gets the file's lines as strings.
 *
 * The entry's `source` (default `cloudtrail`) chooses the parser the records go to: one type, `s3_bucket`,
 * serves every source delivered to a bucket (`vpc_flow`, `guardduty`, `cloudflare`, `crowdstrike`, `json`, …).
 */
import { z } from 'zod';
import type { CollectorDefinition, CollectorDeps, CollectorPage } from '../../core/collect/collector';
import type { TransportResult } from '../../core/collect/transport';
import type { SourceAdapter } from '../../core/ingest/source-adapter';
import type { SourceId } from '../../core/schema/event';
import { sourceAdapters } from '../sources';
import { getObject, listObjectsV2, objectUrl, type S3Credentials, type S3Location } from './collect-s3-api';

const bucketNameSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'an S3 bucket name is 3–63 lower-case letters, digits, dots and hyphens')
  .refine((b) => !b.includes('..'), 'a bucket name has no two adjacent dots');

const endpointSchema = z
  .url()
  .transform((u) => u.replace(/\/+$/, ''))
  .refine((u) => {
    const url = new URL(u);
    return (url.protocol === 'https:' || url.protocol === 'http:') && !url.username && !url.password && url.pathname === '/' && !url.search && !url.hash;
  }, 'endpoint is an origin only (https://host[:port]), without path, query or credentials');

const regexSchema = z.string().refine((p) => {
  try {
    new RegExp(p);
    return true;
  } catch {
    return false;
  }
}, 'keyPattern is not a valid regular expression');

const configSchema = z
    .object({
      bucket: bucketNameSchema,
      prefix: z.string().max(1024).default(''),
      region: z.string().regex(/^[a-z0-9-]{1,32}$/).default('us-east-1'),
      /** Default: AWS S3 in `region`. R2: `https://<account id>.r2.cloudflarestorage.com` with region `auto`. */
      endpoint: endpointSchema.optional(),
      /** Path-style (`<endpoint>/<bucket>/<key>`) rather than AWS's virtual-hosted (`<bucket>.<endpoint host>`). */
      pathStyle: z.boolean().default(false),
      accessKeyIdName: z.string().min(1).default('S3_ACCESS_KEY_ID'),
      secretAccessKeyName: z.string().min(1).default('S3_SECRET_ACCESS_KEY'),
      /** For temporary credentials (AWS STS): the Worker secret holding the session token. */
      sessionTokenName: z.string().min(1).optional(),
      /** The source whose parser reads the objects' records. */
      source: z.string().default('cloudtrail'),
      /** Read only keys after this one (skip history). */
      startAfter: z.string().max(1024).optional(),
      /** Read only keys matching this regular expression (e.g. `\\.json\\.gz$`); others are passed over. */
      keyPattern: regexSchema.optional(),
      maxKeys: z.number().int().min(1).max(1000).default(100),
      settleSeconds: z.number().int().min(0).max(3600).default(120),
      maxRecordsPerPage: z.number().int().min(1).max(50_000).default(10_000),
      maxObjectMiB: z.number().int().min(1).max(100).default(64),
    })
    .superRefine((c, ctx) => {
      if (!sourceAdapters.has(c.source)) {
        ctx.addIssue({ code: 'custom', path: ['source'], message: `unknown source "${c.source}"; sources: ${[...sourceAdapters.keys()].join(', ')}` });
      }
    })
    .transform((c) => ({ ...c, source: c.source as SourceId, endpoint: c.endpoint ?? `https://s3.${c.region}.amazonaws.com` }));
export type S3BucketConfig = z.output<typeof configSchema>;

const cursorSchema = z.object({
  /** Every key up to this one (inclusive) is read or passed over; null = from the start of the prefix. */
  after: z.string().nullable(),
  /** Keys listed and still to read, in order (all after `after`). */
  queue: z.array(z.string()),
  /** The last key the listing in progress has covered (its keys are in `queue` or were passed over). */
  listedUpTo: z.string().nullable(),
  /** ListObjectsV2's NextContinuationToken, when the listing in progress has more pages. */
  continuation: z.string().nullable(),
  /** Records of `queue[0]` already handed over (objects split into several pages). */
  offset: z.number().int().nonnegative(),
});
export type S3BucketCursor = z.infer<typeof cursorSchema>;

function credentialsOf(config: S3BucketConfig, deps: CollectorDeps): TransportResult<S3Credentials> {
  const missing = (name: string): TransportResult<never> => ({ kind: 'failure', message: `the secret ${name} is not set (wrangler secret put ${name})` });
  const accessKeyId = deps.secret(config.accessKeyIdName);
  if (!accessKeyId) return missing(config.accessKeyIdName);
  const secretAccessKey = deps.secret(config.secretAccessKeyName);
  if (!secretAccessKey) return missing(config.secretAccessKeyName);
  if (!config.sessionTokenName) return { kind: 'success', value: { accessKeyId, secretAccessKey } };
  const sessionToken = deps.secret(config.sessionTokenName);
  if (!sessionToken) return missing(config.sessionTokenName);
  return { kind: 'success', value: { accessKeyId, secretAccessKey, sessionToken } };
}

/** Reads a body, refusing more than `maxBytes` (a bomb or a misconfigured prefix must not exhaust the isolate). */
async function readCapped(stream: ReadableStream<Uint8Array>, maxBytes: number): Promise<Uint8Array | null> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

/** The object's text: inflated when it is gzip (by its magic bytes), decoded as UTF-8, BOM dropped. */
async function objectText(response: Response, maxBytes: number): Promise<string | null> {
  if (!response.body) return '';
  const raw = await readCapped(response.body, maxBytes);
  if (!raw) return null;
  let bytes = raw;
  if (raw.length >= 2 && raw[0] === 0x1f && raw[1] === 0x8b) {
    const inflated = await readCapped(new Blob([raw]).stream().pipeThrough(new DecompressionStream('gzip')), maxBytes);
    if (!inflated) return null;
    bytes = inflated;
  }
  return new TextDecoder('utf-8').decode(bytes).replace(/^\uFEFF/, '');
}

function lines(text: string): string[] {
  return text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l)).filter((l) => l.trim() !== '');
}

/** The records of one object, as the source's parser reads them. */
export function objectRecords(text: string, adapter: SourceAdapter): unknown[] {
  const first = text.trimStart()[0];
  if (first === '{' || first === '[') {
    try {
      const whole = JSON.parse(text) as unknown;
      if (Array.isArray(whole)) return whole;
      if (whole && typeof whole === 'object') {
        const records = (whole as { Records?: unknown }).Records;
        // A CloudTrail log file: its events, each keyed by its own eventID.
        return Array.isArray(records) ? records : [whole];
      }
    } catch {
      // Not one JSON document: NDJSON, below.
    }
  }
  if (adapter.text) return lines(text);
  // NDJSON; a line that is not JSON goes on as text and is dead-lettered by the ingest path, not dropped here.
  return lines(text).map((line) => {
    try {
      return JSON.parse(line) as unknown;
    } catch {
      return line;
    }
  });
}

/** Records `offset … offset+max` of an object; a text file's last header line before them is repeated first. */
function recordsSlice(records: unknown[], offset: number, max: number, adapter: SourceAdapter): unknown[] {
  const slice = records.slice(offset, offset + max);
  if (offset === 0 || !adapter.textHeader) return slice;
  for (let i = offset - 1; i >= 0; i--) {
    const line = records[i];
    if (typeof line === 'string' && adapter.textHeader(line)) return [line, ...slice];
  }
  return slice;
}

function page(records: unknown[], cursor: S3BucketCursor): TransportResult<CollectorPage<S3BucketCursor>> {
  return { kind: 'success', value: { records, cursor, done: cursor.queue.length === 0 && cursor.continuation === null } };
}

/** The cursor once `queue[0]` is read (or passed over); with the queue empty, all the listing covered is done. */
function pastFirst(cursor: S3BucketCursor): S3BucketCursor {
  const [key, ...rest] = cursor.queue;
  if (rest.length > 0) return { ...cursor, after: key!, queue: rest, offset: 0 };
  return { ...cursor, after: cursor.listedUpTo ?? key ?? cursor.after, queue: [], listedUpTo: null, offset: 0 };
}

/** S3 lists keys in UTF-8 byte order, which is code point order (JS's `<` compares UTF-16 units). */
export function compareKeys(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = x[i]!.codePointAt(0)! - y[i]!.codePointAt(0)!;
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

export const s3BucketCollector: CollectorDefinition<S3BucketConfig, S3BucketCursor> = {
    type: 's3_bucket',
    source: 'cloudtrail',
    sourceFor: (config) => config.source,
    description: 'Log files in an S3 / R2 bucket',
    configSchema,
    cursorSchema,
    start(config) {
      return { after: config.startAfter ?? null, queue: [], listedUpTo: null, continuation: null, offset: 0 };
    },
    async fetchPage(config, cursor, deps): Promise<TransportResult<CollectorPage<S3BucketCursor>>> {
      const adapter = sourceAdapters.get(config.source);
      if (!adapter) return { kind: 'failure', message: `no parser for source ${config.source}` };
      const credentials = credentialsOf(config, deps);
      if (credentials.kind !== 'success') return credentials;
      const location: S3Location = { endpoint: config.endpoint, bucket: config.bucket, region: config.region, pathStyle: config.pathStyle };

      if (cursor.queue.length === 0) {
        const listed = await listNext(config, cursor, location, credentials.value, deps);
        if (listed.kind !== 'success') return listed;
        cursor = listed.value;
        if (cursor.queue.length === 0) return page([], cursor);
      }

      const key = cursor.queue[0]!;
      const url = objectUrl(location, key);
      if (!url) {
        console.warn(JSON.stringify({ level: 'warn', msg: 'S3 key passed over: it cannot be addressed inside the bucket', bucket: config.bucket, key }));
        return page([], pastFirst(cursor));
      }
      const got = await getObject(deps.fetch, location, credentials.value, key, url);
      if (got.kind !== 'success') return got;
      // Deleted since it was listed (a lifecycle rule, say): nothing left to read.
      if (!got.value.found) return page([], pastFirst(cursor));
      const text = await objectText(got.value.response, config.maxObjectMiB * 1024 * 1024);
      if (text === null) {
        return {
          kind: 'failure',
          message: `S3 object ${config.bucket}/${key} is larger than maxObjectMiB (${config.maxObjectMiB} MiB, inflated); raise it or exclude the key with keyPattern`,
        };
      }
      const records = objectRecords(text, adapter);
      const end = cursor.offset + config.maxRecordsPerPage;
      const slice = recordsSlice(records, cursor.offset, config.maxRecordsPerPage, adapter);
      if (end < records.length) return { kind: 'success', value: { records: slice, cursor: { ...cursor, offset: end }, done: false } };
      return page(slice, pastFirst(cursor));
    },
};

/**
 * Lists the next keys: the next page of the listing in progress (continuation token), else a new listing from
 * `start-after` = the last key read. Returns the cursor with its queue filled (possibly still empty).
 */
async function listNext(
  config: S3BucketConfig,
  cursor: S3BucketCursor,
  location: S3Location,
  credentials: S3Credentials,
  deps: CollectorDeps,
): Promise<TransportResult<S3BucketCursor>> {
  const base = { prefix: config.prefix, maxKeys: config.maxKeys };
  let listed = await listObjectsV2(deps.fetch, location, credentials, cursor.continuation ? { ...base, continuationToken: cursor.continuation } : { ...base, startAfter: cursor.after });
  if (listed.kind === 'failure' && cursor.continuation && /answered 400 InvalidArgument\b/.test(listed.message)) {
    // A token S3 no longer accepts: the last key read says just as well where to go on.
    listed = await listObjectsV2(deps.fetch, location, credentials, { ...base, startAfter: cursor.after });
  }
  if (listed.kind !== 'success') return listed;

  const pattern = config.keyPattern ? new RegExp(config.keyPattern) : null;
  const settledBefore = deps.now.getTime() - config.settleSeconds * 1000;
  const queue: string[] = [];
  let listedUpTo: string | null = cursor.after;
  let stoppedEarly = false;
  for (const object of listed.value.objects) {
    if (cursor.after !== null && compareKeys(object.key, cursor.after) <= 0) continue;
    const modified = Date.parse(object.lastModified);
    if (!Number.isNaN(modified) && modified > settledBefore) {
      stoppedEarly = true;
      break;
    }
    listedUpTo = object.key;
    // Folder markers and keys the configuration leaves out are passed over.
    if (object.key.endsWith('/') || (pattern && !pattern.test(object.key))) continue;
    queue.push(object.key);
  }
  const continuation = !stoppedEarly && listed.value.isTruncated ? listed.value.nextContinuationToken : null;
  const next: S3BucketCursor = { after: cursor.after, queue, listedUpTo, continuation, offset: 0 };
  // Nothing to read in what was listed: everything listed is passed over.
  return { kind: 'success', value: queue.length === 0 ? { ...next, after: listedUpTo, listedUpTo: null } : next };
}
