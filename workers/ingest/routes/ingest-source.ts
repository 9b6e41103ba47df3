/** POST /ingest/:source — a batch of one source's events: NDJSON, a JSON array or one object; gzip allowed. */
import { mayIngest } from '../../../core/auth/roles';
import { sourceAdapters } from '../../../adapters/sources';
import { readBody, readStreamLimited, type App } from '../../app';
import { ApiError } from '../../errors';
import { requirePermission } from '../../middleware/require-permission';
import { ingestBatch, type IngestTimings } from '../ingest-batch';

const idempotencyKeyPattern = /^[A-Za-z0-9._:-]{1,128}$/;

export function registerIngestSource(app: App) {
  app.post('/:source', requirePermission('events:ingest'), async (c) => {
    const source = c.req.param('source');
    const principal = c.get('principal');
    const adapter = sourceAdapters.get(source);
    if (!adapter) {
      throw new ApiError('not_found', `Unknown source "${source}". Sources: ${[...sourceAdapters.keys()].join(', ')}.`);
    }
    if (!mayIngest(principal, source)) {
      throw new ApiError('forbidden', `This token may ingest only into source "${principal.source}", not "${source}".`);
    }
    const idempotencyKey = c.req.header('idempotency-key') ?? null;
    if (idempotencyKey !== null && !idempotencyKeyPattern.test(idempotencyKey)) {
      throw new ApiError('invalid_request', 'Idempotency-Key must be 1–128 characters of letters, digits and . _ : -');
    }
    const config = c.get('config');
    const body = await decodedBody(c.req.raw, config.maxIngestBytes, config.maxDecompressedBytes);
    const timings: IngestTimings = {};
    try {
      const result = await ingestBatch(c.env, { adapter, body, idempotencyKey, principal }, timings);
      return c.json(result);
    } finally {
      c.header('Server-Timing', Object.entries(timings).map(([phase, ms]) => `${phase};dur=${ms}`).join(', '));
    }
  });
}

async function decodedBody(request: Request, maxBytes: number, maxDecompressed: number): Promise<Uint8Array> {
  const encoding = (request.headers.get('content-encoding') ?? 'identity').trim().toLowerCase();
  const body = await readBody(request, maxBytes);
  if (body.byteLength === 0) {
    throw new ApiError('invalid_request', 'The body is empty: send NDJSON (one event per line) or a JSON array of events.');
  }
  if (encoding === 'identity' || encoding === '') return body;
  if (encoding !== 'gzip' && encoding !== 'x-gzip') {
    throw new ApiError('unsupported_media_type', `Content-Encoding "${encoding}" is not supported; send gzip or no encoding.`);
  }
  const stream = new Blob([body as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('gzip'));
  try {
    return await readStreamLimited(
      stream,
      maxDecompressed,
      () => `The body decompresses to more than ${maxDecompressed} bytes; send smaller batches.`,
    );
  } catch (err) {
    if (err instanceof ApiError) throw err;
    throw new ApiError('invalid_request', `The body is not valid gzip: ${err instanceof Error ? err.message : String(err)}`);
  }
}
