/**
 * Loopback fake of Amazon S3 (path-style: `/<bucket>/<key>`), for the S3 bucket collector:
 * - SigV4 (https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html) verified for real:
 *   the canonical request is rebuilt from what arrived (method, the path's segments re-encoded, the query
 *   decoded, re-encoded and sorted, the SignedHeaders' values, x-amz-content-sha256), signed with the key
 *   derived from the fake's secret, and compared. Answers, as S3 does, in XML: 403 `InvalidAccessKeyId`,
 *   403 `SignatureDoesNotMatch` (with the StringToSign and CanonicalRequest S3 computed), 400
 *   `AuthorizationHeaderMalformed` (wrong region), 403 `RequestTimeTooSkewed` (more than 15 minutes),
 *   403 `InvalidToken` (temporary credentials without their session token), 403 `AccessDenied` (unsigned);
 * - ListObjectsV2 (`list-type=2`): `prefix`, `start-after`, `continuation-token` (opaque, tamper-checked: 400
 *   `InvalidArgument` otherwise), `max-keys` (default and cap 1000), `encoding-type=url` (keys percent-encoded,
 *   spaces as `+`); keys in UTF-8 byte order; `Name`, `Prefix`, `StartAfter`, `ContinuationToken`,
 *   `NextContinuationToken`, `KeyCount`, `MaxKeys`, `EncodingType`, `IsTruncated`, `Contents` (`Key`,
 *   `LastModified`, `ETag`, `Size`, `StorageClass`) in S3's order;
 * - GetObject, 404 `NoSuchKey` / `NoSuchBucket`; 503 `SlowDown` when asked to throttle.
 * Objects: gzip'd CloudTrail log files (`{"Records": [...]}`) built from the CloudTrail samples of the shared
 * corpus (p_* keys dropped, re-timed, unique eventIDs) under CloudTrail's key layout
 * `AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/<account>_CloudTrail_<region>_<YYYYMMDDTHHmmZ>_<id>.json.gz`
 * (served with Content-Encoding: gzip), a digest file beside them, and gzip'd VPC flow log files (default
 * format, header line first) from the VPC flow samples under `AWSLogs/<account>/vpcflowlogs/…log.gz`.
 *
 * Admin: POST /__fake/reset, /__fake/add {count} (new CloudTrail files, written now), /__fake/put {key, text,
 * gzip?, agoSeconds?}, /__fake/delete {key}, /__fake/clock {offsetSeconds}, /__fake/slowdown {times},
 * /__fake/fail, GET /__fake/requests.
 */
import { createHash, createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { startFakeServer, type FakeRequest, type RunningFake } from './fake-server';

export const s3Fake = {
  bucket: 'acme-audit-logs',
  region: 'us-east-1',
  account: '123456789012',
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  /** Temporary credentials (STS): valid only with their session token. */
  tempAccessKeyId: 'ASIAIOSFODNN7EXAMPLE',
  tempSecretAccessKey: 'je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY',
  sessionToken: 'IQoJb3JpZ2luX2VjEXAMPLESESSIONTOKEN//////////wEaCXVzLWVhc3QtMSJHMEUCIQ',
  cloudTrailPrefix: 'AWSLogs/123456789012/CloudTrail/us-east-1/',
  vpcFlowPrefix: 'AWSLogs/123456789012/vpcflowlogs/us-east-1/',
} as const;

interface StoredObject {
  readonly body: Buffer;
  readonly lastModified: Date;
  readonly etag: string;
  readonly contentType: string;
  readonly contentEncoding?: string;
}

const flowHeader = 'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status';

/** RFC 3986 encoding, as SigV4 canonicalises URIs and query strings. */
function uriEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function xmlEscape(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data, 'utf8').digest();

function corpusLines(corpusDir: string, dir: string, files: string[]): string[] {
  return files.flatMap((f) => readFileSync(join(corpusDir, 'logs', dir, f), 'utf8').split('\n')).filter((l) => l.trim() !== '');
}

/** `20260101T1205Z` and `2026/01/01`, CloudTrail's key parts for a time. */
function keyTime(at: Date): { day: string; stamp: string } {
  const iso = at.toISOString();
  return { day: `${iso.slice(0, 4)}/${iso.slice(5, 7)}/${iso.slice(8, 10)}`, stamp: `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}T${iso.slice(11, 13)}${iso.slice(14, 16)}Z` };
}

export async function startS3Fake(corpusDir: string): Promise<RunningFake> {
  const trailPool = corpusLines(corpusDir, 'aws-cloudtrail', ['otrf.ec2_proxy_s3_exfiltration_2020-09-14011940.ndjson', 'panther-analysis.AWS.CloudTrail.ndjson'])
    .map((l) => Object.fromEntries(Object.entries(JSON.parse(l) as object).filter(([k]) => !k.startsWith('p_'))) as Record<string, unknown>)
    .filter((r) => typeof r.eventName === 'string' && !('Records' in r));
  const flowPool = corpusLines(corpusDir, 'aws-vpcflow', ['panther-analysis.scenario.compromised-root-creds.attacker_vpc.log']);

  const objects = new Map<string, StoredObject>();
  const tokenSecret = randomBytes(16);
  let clockOffsetMs = 0;
  let slowdowns = 0;
  let trailRecords = 0;
  let made = 0;
  const now = () => Date.now() + clockOffsetMs;

  const put = (key: string, body: Buffer, lastModified: Date, contentType: string, contentEncoding?: string) => {
    objects.set(key, { body, lastModified, etag: createHash('md5').update(body).digest('hex'), contentType, ...(contentEncoding ? { contentEncoding } : {}) });
  };

  /** A CloudTrail log file named for `at` (written then, unless `written` says otherwise), with `count` re-timed records with fresh eventIDs. */
  const putTrailFile = (at: Date, count: number, written: Date = at) => {
    const records = Array.from({ length: count }, (_, j) => ({
      ...trailPool[made++ % trailPool.length]!,
      eventID: randomUUID(),
      eventTime: new Date(at.getTime() - 60_000 - j * 7_000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    }));
    trailRecords += count;
    const { day, stamp } = keyTime(at);
    const key = `${s3Fake.cloudTrailPrefix}${day}/${s3Fake.account}_CloudTrail_${s3Fake.region}_${stamp}_${randomBytes(8).toString('hex').toUpperCase()}.json.gz`;
    put(key, gzipSync(JSON.stringify({ Records: records })), written, 'application/json', 'gzip');
    return key;
  };

  /**
   * A VPC flow log file delivered at `at`, its records re-timed before it: the default format, or a custom
   * one (`fields`, in that order) as AWS writes it when the flow log has a custom format — header line first.
   */
  const putFlowFile = (at: Date, fields: readonly string[] = flowHeader.split(' ')) => {
    const base = Math.floor(at.getTime() / 1000) - 600;
    const names = flowHeader.split(' ');
    const lines = flowPool.map((line, i) => {
      const f = line.split(' ');
      const duration = Number(f[11]) - Number(f[10]);
      f[10] = String(base + i * 13);
      f[11] = String(base + i * 13 + duration);
      return fields.map((name) => f[names.indexOf(name)] ?? '-').join(' ');
    });
    const { day, stamp } = keyTime(at);
    const key = `${s3Fake.vpcFlowPrefix}${day}/${s3Fake.account}_vpcflowlogs_${s3Fake.region}_fl-0a1b2c3d4e5f67890_${stamp}_${randomBytes(4).toString('hex')}.log.gz`;
    put(key, gzipSync(`${fields.join(' ')}\n${lines.join('\n')}\n`), at, 'application/octet-stream');
    return key;
  };

  const reset = () => {
    objects.clear();
    clockOffsetMs = 0;
    slowdowns = 0;
    trailRecords = 0;
    made = 0;
    const t = now();
    // Eight log files over the last day (two UTC days' directories), 55 records.
    [7, 5, 9, 6, 8, 4, 10, 6].forEach((count, i) => putTrailFile(new Date(t - (8 - i) * 3 * 3600_000 - 600_000), count));
    const digestDay = keyTime(new Date(t - 3600_000));
    put(
      `AWSLogs/${s3Fake.account}/CloudTrail-Digest/${s3Fake.region}/${digestDay.day}/${s3Fake.account}_CloudTrail-Digest_${s3Fake.region}_trail_${s3Fake.region}_${digestDay.stamp}.json.gz`,
      gzipSync(JSON.stringify({ awsAccountId: s3Fake.account, digestStartTime: new Date(t - 7200_000).toISOString(), logFiles: [] })),
      new Date(t - 3600_000),
      'application/json',
      'gzip',
    );
    putFlowFile(new Date(t - 2 * 3600_000));
    putFlowFile(new Date(t - 3600_000));
  };
  reset();

  const requestId = () => randomBytes(8).toString('hex').toUpperCase();
  function sendError(res: ServerResponse, status: number, code: string, message: string, extra: Record<string, string> = {}): void {
    const id = requestId();
    const fields = Object.entries({ Code: code, Message: message, ...extra, RequestId: id, HostId: randomBytes(24).toString('base64') })
      .map(([k, v]) => `<${k}>${xmlEscape(v)}</${k}>`)
      .join('');
    res.writeHead(status, { 'content-type': 'application/xml', 'x-amz-request-id': id, server: 'AmazonS3' });
    res.end(`<?xml version="1.0" encoding="UTF-8"?>\n<Error>${fields}</Error>`);
  }

  /** SigV4, as S3 checks it; false when an error was sent. */
  function authenticate(req: FakeRequest, res: ServerResponse): boolean {
    const header = (name: string) => {
      const v = req.headers[name];
      return Array.isArray(v) ? v.join(',') : v;
    };
    const authorization = header('authorization');
    if (!authorization) {
      sendError(res, 403, 'AccessDenied', 'Access Denied');
      return false;
    }
    const m = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/.exec(authorization);
    if (!m) {
      sendError(res, 400, 'AuthorizationHeaderMalformed', 'The authorization header is malformed; the authorization header requires three components: Credential, SignedHeaders, and Signature.');
      return false;
    }
    const [, accessKeyId, date, region, service, signedHeaders, signature] = m as unknown as [string, string, string, string, string, string, string];
    const secret = accessKeyId === s3Fake.accessKeyId ? s3Fake.secretAccessKey : accessKeyId === s3Fake.tempAccessKeyId ? s3Fake.tempSecretAccessKey : null;
    if (!secret) {
      sendError(res, 403, 'InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.', { AWSAccessKeyId: accessKeyId });
      return false;
    }
    if (region !== s3Fake.region) {
      sendError(res, 400, 'AuthorizationHeaderMalformed', `The authorization header is malformed; the region '${region}' is wrong; expecting '${s3Fake.region}'`, { Region: s3Fake.region });
      return false;
    }
    const amzDate = header('x-amz-date') ?? '';
    const payloadHash = header('x-amz-content-sha256');
    if (!payloadHash) {
      sendError(res, 400, 'InvalidRequest', 'Missing required header for this request: x-amz-content-sha256');
      return false;
    }
    if (service !== 's3' || !amzDate.startsWith(date)) {
      sendError(res, 400, 'AuthorizationHeaderMalformed', 'The authorization header is malformed; Invalid credential date or service.');
      return false;
    }
    const signed = signedHeaders.split(';');
    if (!signed.includes('host') || signed.some((h) => header(h) === undefined)) {
      sendError(res, 403, 'AccessDenied', 'There were headers present in the request which were not signed');
      return false;
    }
    // The canonical request, from what arrived.
    const q = req.url.indexOf('?');
    const rawPath = q === -1 ? req.url : req.url.slice(0, q);
    const rawQuery = q === -1 ? '' : req.url.slice(q + 1);
    const canonicalUri = rawPath.split('/').map((s) => uriEncode(decodeURIComponent(s))).join('/');
    const canonicalQuery = rawQuery
      .split('&')
      .filter((p) => p !== '')
      .map((p) => {
        const eq = p.indexOf('=');
        const [k, v] = eq === -1 ? [p, ''] : [p.slice(0, eq), p.slice(eq + 1)];
        return [uriEncode(decodeURIComponent(k)), uriEncode(decodeURIComponent(v))] as const;
      })
      .sort(([k1, v1], [k2, v2]) => (k1 < k2 ? -1 : k1 > k2 ? 1 : v1 < v2 ? -1 : v1 > v2 ? 1 : 0))
      .map(([k, v]) => `${k}=${v}`)
      .join('&');
    const canonicalHeaders = signed.map((h) => `${h}:${(header(h) ?? '').trim().replace(/\s+/g, ' ')}\n`).join('');
    const canonicalRequest = [req.method, canonicalUri, canonicalQuery, canonicalHeaders, signedHeaders, payloadHash].join('\n');
    const scope = `${date}/${region}/${service}/aws4_request`;
    const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonicalRequest)].join('\n');
    const key = hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), service), 'aws4_request');
    const expected = createHmac('sha256', key).update(stringToSign, 'utf8').digest('hex');
    if (!timingSafeEqual(Buffer.from(expected), Buffer.from(signature))) {
      sendError(res, 403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided. Check your key and signing method.', {
        AWSAccessKeyId: accessKeyId,
        StringToSign: stringToSign,
        SignatureProvided: signature,
        CanonicalRequest: canonicalRequest,
      });
      return false;
    }
    const at = Date.parse(amzDate.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'));
    if (Number.isNaN(at) || Math.abs(at - Date.now()) > 15 * 60_000) {
      sendError(res, 403, 'RequestTimeTooSkewed', 'The difference between the request time and the current time is too large.', {
        RequestTime: amzDate,
        ServerTime: new Date().toISOString(),
        MaxAllowedSkewMilliseconds: '900000',
      });
      return false;
    }
    if (accessKeyId === s3Fake.tempAccessKeyId && (header('x-amz-security-token') !== s3Fake.sessionToken || !signed.includes('x-amz-security-token'))) {
      sendError(res, 403, 'InvalidToken', 'The provided token is malformed or otherwise invalid.');
      return false;
    }
    if (payloadHash !== 'UNSIGNED-PAYLOAD' && payloadHash !== sha256(req.body)) {
      sendError(res, 400, 'XAmzContentSHA256Mismatch', "The provided 'x-amz-content-sha256' header does not match what was computed.");
      return false;
    }
    return true;
  }

  const byUtf8 = (a: string, b: string) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
  const tokenFor = (after: string) => {
    const payload = Buffer.from(after, 'utf8').toString('base64');
    return `${payload}.${createHmac('sha256', tokenSecret).update(payload).digest('base64').slice(0, 16)}`;
  };
  const afterOf = (token: string): string | null => {
    const [payload, tag] = token.split('.');
    if (!payload || tag !== createHmac('sha256', tokenSecret).update(payload).digest('base64').slice(0, 16)) return null;
    return Buffer.from(payload, 'base64').toString('utf8');
  };
  const urlEncodeKey = (key: string) => encodeURIComponent(key).replace(/%2F/g, '/').replace(/%20/g, '+');

  function listObjectsV2(url: URL, res: ServerResponse): void {
    const q = url.searchParams;
    if (q.get('list-type') !== '2') return sendError(res, 501, 'NotImplemented', 'This fake only answers ListObjectsV2 (list-type=2).');
    const encoding = q.get('encoding-type');
    if (encoding !== null && encoding !== 'url') return sendError(res, 400, 'InvalidArgument', 'Invalid Encoding Method specified in Request', { ArgumentName: 'encoding-type', ArgumentValue: encoding });
    const maxKeysRaw = q.get('max-keys') ?? '1000';
    if (!/^\d+$/.test(maxKeysRaw)) return sendError(res, 400, 'InvalidArgument', 'Provided max-keys not an integer or within integer range', { ArgumentName: 'max-keys', ArgumentValue: maxKeysRaw });
    const maxKeys = Math.min(1000, Number(maxKeysRaw));
    const prefix = q.get('prefix') ?? '';
    const startAfter = q.get('start-after');
    const token = q.get('continuation-token');
    let after = startAfter;
    if (token !== null) {
      after = afterOf(token);
      if (after === null) return sendError(res, 400, 'InvalidArgument', 'The continuation token provided is incorrect', { ArgumentName: 'continuation-token', ArgumentValue: token });
    }
    const keys = [...objects.keys()].filter((k) => k.startsWith(prefix) && (after === null || byUtf8(k, after) > 0)).sort(byUtf8);
    const page = keys.slice(0, maxKeys);
    const truncated = keys.length > page.length;
    const enc = (v: string) => xmlEscape(encoding === 'url' ? urlEncodeKey(v) : v);
    const contents = page
      .map((k) => {
        const o = objects.get(k)!;
        return `<Contents><Key>${enc(k)}</Key><LastModified>${o.lastModified.toISOString()}</LastModified><ETag>&quot;${o.etag}&quot;</ETag><Size>${o.body.length}</Size><StorageClass>STANDARD</StorageClass></Contents>`;
      })
      .join('');
    const xml =
      `<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">` +
      `<Name>${s3Fake.bucket}</Name><Prefix>${enc(prefix)}</Prefix>` +
      (startAfter !== null ? `<StartAfter>${enc(startAfter)}</StartAfter>` : '') +
      (token !== null ? `<ContinuationToken>${xmlEscape(token)}</ContinuationToken>` : '') +
      (truncated ? `<NextContinuationToken>${xmlEscape(tokenFor(page[page.length - 1]!))}</NextContinuationToken>` : '') +
      `<KeyCount>${page.length}</KeyCount><MaxKeys>${maxKeys}</MaxKeys>` +
      (encoding === 'url' ? '<EncodingType>url</EncodingType>' : '') +
      `<IsTruncated>${truncated}</IsTruncated>${contents}</ListBucketResult>`;
    res.writeHead(200, { 'content-type': 'application/xml', 'x-amz-request-id': requestId(), server: 'AmazonS3' });
    res.end(xml);
  }

  return startFakeServer(
    (req, res, url) => {
      if (!authenticate(req, res)) return;
      if (slowdowns > 0) {
        slowdowns--;
        return sendError(res, 503, 'SlowDown', 'Please reduce your request rate.');
      }
      const rawPath = req.url.split('?')[0]!;
      const [, bucket, ...keyParts] = rawPath.split('/').map((s) => decodeURIComponent(s));
      if (bucket !== s3Fake.bucket) return sendError(res, 404, 'NoSuchBucket', 'The specified bucket does not exist', { BucketName: bucket ?? '' });
      if (req.method !== 'GET') return sendError(res, 405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.');
      const key = keyParts.join('/');
      if (key === '') return listObjectsV2(url, res);
      const object = objects.get(key);
      if (!object) return sendError(res, 404, 'NoSuchKey', 'The specified key does not exist.', { Key: key });
      res.writeHead(200, {
        'content-type': object.contentType,
        ...(object.contentEncoding ? { 'content-encoding': object.contentEncoding } : {}),
        'content-length': String(object.body.length),
        etag: `"${object.etag}"`,
        'last-modified': object.lastModified.toUTCString(),
        'x-amz-request-id': requestId(),
        server: 'AmazonS3',
      });
      res.end(object.body);
    },
    (action, body) => {
      const b = (body ?? {}) as {
        count?: number;
        key?: string;
        text?: string;
        gzip?: boolean;
        agoSeconds?: number;
        writtenAgoSeconds?: number;
        offsetSeconds?: number;
        times?: number;
        fields?: string[];
      };
      if (action === 'reset') reset();
      else if (action === 'add') {
        // Files named for now − agoSeconds (one minute apart), written then or `writtenAgoSeconds` ago.
        const keys = Array.from({ length: b.count ?? 1 }, (_, i) => {
          const at = new Date(now() - (b.agoSeconds ?? 0) * 1000 + i * 60_000);
          return putTrailFile(at, 3, b.writtenAgoSeconds === undefined ? at : new Date(now() - b.writtenAgoSeconds * 1000));
        });
        return { keys, trailRecords };
      } else if (action === 'add-flow') {
        return { key: putFlowFile(new Date(now() - (b.agoSeconds ?? 600) * 1000), b.fields), lines: flowPool.length };
      } else if (action === 'put') {
        const text = Buffer.from(b.text ?? '', 'utf8');
        put(b.key!, b.gzip ? gzipSync(text) : text, new Date(now() - (b.agoSeconds ?? 3600) * 1000), 'application/octet-stream');
      } else if (action === 'delete') objects.delete(b.key!);
      else if (action === 'clock') clockOffsetMs = (b.offsetSeconds ?? 0) * 1000;
      else if (action === 'slowdown') slowdowns = b.times ?? 1;
      return {
        trailRecords,
        trailFiles: [...objects.keys()].filter((k) => k.startsWith(s3Fake.cloudTrailPrefix)).length,
        flowLines: [...objects.keys()].filter((k) => k.startsWith(s3Fake.vpcFlowPrefix)).length * flowPool.length,
      };
    },
  );
}
