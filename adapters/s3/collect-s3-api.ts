/**
 * The two S3 calls the bucket collector makes, signed with SigV4 (aws4fetch's AwsV4Signer, service `s3`) and
 * sent through the collector's guarded fetch:
 * - ListObjectsV2 (https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html): `GET
 *   /?list-type=2&prefix=…&max-keys=…&encoding-type=url` with `start-after` or `continuation-token`; the XML
 *   answer's `IsTruncated`, `NextContinuationToken`, `KeyCount` and `Contents` (`Key`, `LastModified`, `Size`).
 *   `encoding-type=url` makes S3 percent-encode keys (spaces as `+`), so that any key survives XML 1.0;
 * - GetObject (https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html).
 * Errors are S3's XML `<Error><Code>…</Code><Message>…</Message></Error>`: 429/5xx (`SlowDown`,
 * `InternalError`) are retryable, with Retry-After when the store sends one; the rest fail with S3's code.
 *
 * Requests go to the configured endpoint only — path-style `<endpoint>/<bucket>/<key>` (R2, MinIO, tests) or
 * virtual-hosted `https://<bucket>.<endpoint host>/<key>` (AWS) — and every key is encoded segment by segment,
 * so no key (they are data written by others) can move a signed request to another host or bucket: a key
 * with `.`/`..` segments, which URL resolution would turn into another path, is refused.
 */
import { AwsV4Signer } from 'aws4fetch';
import { parseRetryAfter, type HttpFetch, type TransportResult } from '../../core/collect/transport';

export interface S3Location {
  /** `https://s3.<region>.amazonaws.com`, `https://<account>.r2.cloudflarestorage.com`, … (no path). */
  readonly endpoint: string;
  readonly bucket: string;
  readonly region: string;
  readonly pathStyle: boolean;
}

export interface S3Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

export interface ListedObject {
  readonly key: string;
  readonly lastModified: string;
  readonly size: number;
}

export interface ListPage {
  readonly objects: ListedObject[];
  readonly isTruncated: boolean;
  readonly nextContinuationToken: string | null;
}

/** RFC 3986 encoding of one path segment, as SigV4 canonicalises it (aws4fetch does the same). */
function encodeSegment(segment: string): string {
  return encodeURIComponent(segment).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** The bucket's base URL (no trailing slash): where every request of this collector goes. */
export function bucketBase(location: S3Location): string {
  const endpoint = new URL(location.endpoint);
  return location.pathStyle ? `${endpoint.origin}/${encodeSegment(location.bucket)}` : `${endpoint.protocol}//${location.bucket}.${endpoint.host}`;
}

/** The URL of one object, or null when the key could only be addressed by leaving the bucket's path. */
export function objectUrl(location: S3Location, key: string): string | null {
  const segments = key.split('/');
  if (segments.some((s) => s === '.' || s === '..')) return null;
  const base = bucketBase(location);
  const url = `${base}/${segments.map(encodeSegment).join('/')}`;
  const parsed = new URL(url);
  // Belt and braces: whatever the key, the request stays on the bucket's origin and under its path.
  const baseUrl = new URL(base);
  if (parsed.origin !== baseUrl.origin || !parsed.pathname.startsWith(`${baseUrl.pathname.replace(/\/$/, '')}/`)) return null;
  return url;
}

function xmlDecode(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/gi, (_, entity: string) => {
    const e = entity.toLowerCase();
    if (e === 'amp') return '&';
    if (e === 'lt') return '<';
    if (e === 'gt') return '>';
    if (e === 'quot') return '"';
    if (e === 'apos') return "'";
    return String.fromCodePoint(e.startsWith('#x') ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
  });
}

/** Text of each `<tag>…</tag>` (or `<tag/>`) in `xml`, in order. S3's XML has no attributes on these elements. */
function elements(xml: string, tag: string): string[] {
  const out: string[] = [];
  const re = new RegExp(`<${tag}(?:\\s[^>]*)?(?:/>|>([\\s\\S]*?)</${tag}>)`, 'g');
  for (let m = re.exec(xml); m; m = re.exec(xml)) out.push(m[1] ?? '');
  return out;
}

function element(xml: string, tag: string): string | null {
  const [first] = elements(xml, tag);
  return first === undefined ? null : xmlDecode(first);
}

/** `encoding-type=url` keys: percent-encoded, spaces as `+` (botocore decodes them with unquote_plus). */
function urlDecodeKey(value: string): string {
  return decodeURIComponent(value.replace(/\+/g, ' '));
}

export function parseListObjectsV2(xml: string): ListPage | null {
  if (!/<ListBucketResult[\s>]/.test(xml)) return null;
  const urlEncoded = element(xml, 'EncodingType') === 'url';
  const objects = elements(xml, 'Contents').map((block) => {
    const rawKey = element(block, 'Key') ?? '';
    return {
      key: urlEncoded ? urlDecodeKey(rawKey) : rawKey,
      lastModified: element(block, 'LastModified') ?? '',
      size: Number(element(block, 'Size') ?? 0),
    };
  });
  return { objects, isTruncated: element(xml, 'IsTruncated') === 'true', nextContinuationToken: element(xml, 'NextContinuationToken') };
}

/** S3's error, as a transport result: its code and message, retryable for 429/5xx. */
async function s3Error(response: Response, what: string): Promise<TransportResult<never>> {
  const xml = await response.text().catch(() => '');
  const code = element(xml, 'Code');
  const detail = code ? `${code}: ${element(xml, 'Message') ?? ''}`.trim() : xml.slice(0, 300);
  const message = `${what} answered ${response.status}${detail ? ` ${detail}` : ''}`;
  if (response.status === 429 || response.status >= 500) {
    const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
    return retryAfterMs === undefined ? { kind: 'retryable', message } : { kind: 'retryable', message, retryAfterMs };
  }
  return { kind: 'failure', message };
}

/** Signs a GET for `url` and sends it; network errors are retryable. */
async function signedGet(
  fetchImpl: HttpFetch,
  location: S3Location,
  credentials: S3Credentials,
  url: string,
  what: string,
): Promise<TransportResult<Response>> {
  const signer = new AwsV4Signer({
    method: 'GET',
    url,
    accessKeyId: credentials.accessKeyId,
    secretAccessKey: credentials.secretAccessKey,
    ...(credentials.sessionToken ? { sessionToken: credentials.sessionToken } : {}),
    service: 's3',
    region: location.region,
  });
  const signed = await signer.sign();
  let response: Response;
  try {
    response = await fetchImpl(signed.url.toString(), { method: 'GET', headers: signed.headers });
  } catch (err) {
    return { kind: 'retryable', message: `${what} failed: ${err instanceof Error ? err.message : String(err)}` };
  }
  return response.ok ? { kind: 'success', value: response } : s3Error(response, what);
}

export interface ListRequest {
  readonly prefix: string;
  readonly maxKeys: number;
  readonly startAfter?: string | null;
  readonly continuationToken?: string | null;
}

export async function listObjectsV2(
  fetchImpl: HttpFetch,
  location: S3Location,
  credentials: S3Credentials,
  request: ListRequest,
): Promise<TransportResult<ListPage>> {
  const params: [string, string][] = [
    ['list-type', '2'],
    ['encoding-type', 'url'],
    ['max-keys', String(request.maxKeys)],
    ['prefix', request.prefix],
  ];
  if (request.continuationToken) params.push(['continuation-token', request.continuationToken]);
  else if (request.startAfter) params.push(['start-after', request.startAfter]);
  // Built by hand (RFC 3986, %20 for spaces) so that the query sent is the one signed.
  const query = params.map(([k, v]) => `${encodeSegment(k)}=${encodeSegment(v)}`).join('&');
  const what = `S3 ListObjectsV2 (${location.bucket})`;
  const result = await signedGet(fetchImpl, location, credentials, `${bucketBase(location)}/?${query}`, what);
  if (result.kind !== 'success') return result;
  const page = parseListObjectsV2(await result.value.text());
  return page ? { kind: 'success', value: page } : { kind: 'failure', message: `${what} did not answer a ListBucketResult` };
}

export type GetResult = { found: true; response: Response } | { found: false };

/** GetObject; an object deleted since it was listed (404 NoSuchKey) is `found: false`, not an error. */
export async function getObject(
  fetchImpl: HttpFetch,
  location: S3Location,
  credentials: S3Credentials,
  key: string,
  url: string,
): Promise<TransportResult<GetResult>> {
  const what = `S3 GetObject (${location.bucket}/${key})`;
  const result = await signedGet(fetchImpl, location, credentials, url, what);
  if (result.kind === 'success') return { kind: 'success', value: { found: true, response: result.value } };
  if (result.kind === 'failure' && /answered 404 NoSuchKey\b/.test(result.message)) return { kind: 'success', value: { found: false } };
  return result;
}
