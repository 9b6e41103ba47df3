/**
 * Loopback fake of AbuseIPDB's APIv2 CHECK endpoint (https://docs.abuseipdb.com/#check-endpoint):
 * `GET /api/v2/check?ipAddress=…&maxAgeInDays=…` with headers `Key: <key>` and `Accept: application/json`.
 * Answers `{data: {…}}` from adapters/enrichment/abuseipdb/fixtures (an unknown public address gets a clean
 * record, a private one `isPublic: false`), and the documented errors `{errors: [{detail, status, source?}]}`:
 * 401 for a missing or wrong key, 422 for an invalid address or maxAgeInDays, 429 with Retry-After and
 * X-RateLimit-* when the daily limit (`/__fake/limit {remaining}`) is used up. Every answer carries
 * X-RateLimit-Limit / X-RateLimit-Remaining.
 * Admin: POST /__fake/reset, /__fake/limit {remaining}, /__fake/fail {status, times, retryAfterSeconds, body},
 * GET /__fake/requests.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { isPublicIpAddress, parseIpAddress } from '../../core/net/special-purpose-ip';
import { sendJson, startFakeServer, type RunningFake } from './fake-server';

export const abuseipdbFakeKey = 'fakeabuseipdbkey0123456789abcdef0123456789abcdef0123456789abcdef0123456789';
const dailyLimit = 1000;

const fixturesDir = new URL('../../adapters/enrichment/abuseipdb/fixtures/', import.meta.url);

export async function startAbuseipdbFake(): Promise<RunningFake> {
  const known = new Map(
    readdirSync(fixturesDir)
      .filter((f) => f.startsWith('check-') && f.endsWith('.json'))
      .map((f) => [f.slice('check-'.length, -'.json'.length), JSON.parse(readFileSync(new URL(f, fixturesDir), 'utf8')) as unknown]),
  );
  let remaining = dailyLimit;
  return startFakeServer(
    (req, res, url) => {
      if (req.method !== 'GET' || url.pathname !== '/api/v2/check') return sendJson(res, 404, { errors: [{ detail: 'Not found.', status: 404 }] });
      if (req.headers.key !== abuseipdbFakeKey) {
        return sendJson(res, 401, { errors: [{ detail: 'Authentication failed. Your API key is either missing, incorrect, or revoked. Note: The APIv2 key differs from the APIv1 key.', status: 401 }] });
      }
      const resetAt = String(Math.floor(Date.now() / 1000) + 3600);
      if (remaining <= 0) {
        return sendJson(
          res,
          429,
          { errors: [{ detail: `Daily rate limit of ${dailyLimit} requests exceeded for this endpoint. See headers for additional details.`, status: 429 }] },
          { 'retry-after': '3600', 'x-ratelimit-limit': String(dailyLimit), 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': resetAt },
        );
      }
      remaining--;
      const limits = { 'x-ratelimit-limit': String(dailyLimit), 'x-ratelimit-remaining': String(remaining) };
      const ip = url.searchParams.get('ipAddress') ?? '';
      const maxAge = Number(url.searchParams.get('maxAgeInDays') ?? 30);
      if (!parseIpAddress(ip)) {
        return sendJson(res, 422, { errors: [{ detail: 'The ip address must be a valid IPv4 or IPv6 address (e.g. 8.8.8.8 or 2001:4860:4860::8888).', status: 422, source: { parameter: 'ipAddress' } }] }, limits);
      }
      if (!Number.isInteger(maxAge) || maxAge < 1 || maxAge > 365) {
        return sendJson(res, 422, { errors: [{ detail: 'The max age in days must be between 1 and 365.', status: 422, source: { parameter: 'maxAgeInDays' } }] }, limits);
      }
      const clean = { ipAddress: ip, isPublic: isPublicIpAddress(ip), ipVersion: ip.includes(':') ? 6 : 4, isWhitelisted: false, abuseConfidenceScore: 0, countryCode: null, usageType: isPublicIpAddress(ip) ? null : 'Reserved', isp: null, domain: null, hostnames: [], isTor: false, totalReports: 0, numDistinctUsers: 0, lastReportedAt: null };
      sendJson(res, 200, known.get(ip) ?? { data: clean }, limits);
    },
    (action, body) => {
      if (action === 'reset') remaining = dailyLimit;
      if (action === 'limit') remaining = (body as { remaining: number }).remaining;
      return { remaining };
    },
  );
}
