/**
 * Loopback fake of MaxMind's GeoIP2 City web service (https://dev.maxmind.com/geoip/docs/web-services/requests/,
 * …/responses/): `GET /geoip/v2.1/city/{ip}` with HTTP Basic auth (account id : license key). Answers the
 * fixtures in adapters/enrichment/maxmind/fixtures with MaxMind's content type, and MaxMind's error documents
 * `{code, error}`: ACCOUNT_ID_REQUIRED / AUTHORIZATION_INVALID 401, IP_ADDRESS_INVALID / IP_ADDRESS_RESERVED
 * 400, IP_ADDRESS_NOT_FOUND 404. OUT_OF_QUERIES 402, 429 and 5xx come from /__fake/fail.
 * Admin: POST /__fake/reset, /__fake/fail {status, times, retryAfterSeconds, body}, GET /__fake/requests.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { isPublicIpAddress, parseIpAddress } from '../../core/net/special-purpose-ip';
import { sendJson, startFakeServer, type RunningFake } from './fake-server';

export const maxmindFakeAccountId = '123456';
export const maxmindFakeLicenseKey = 'fake_mm_Lic3nseKey_0123456789';

const fixturesDir = new URL('../../adapters/enrichment/maxmind/fixtures/', import.meta.url);

function fixtures(): Map<string, unknown> {
  return new Map(
    readdirSync(fixturesDir)
      .filter((f) => f.startsWith('city-') && f.endsWith('.json'))
      .map((f) => [f.slice('city-'.length, -'.json'.length), JSON.parse(readFileSync(new URL(f, fixturesDir), 'utf8')) as unknown]),
  );
}

const errorType = { 'content-type': 'application/vnd.maxmind.com-error+json; charset=UTF-8; version=2.1' };

export async function startMaxmindFake(): Promise<RunningFake> {
  const known = fixtures();
  return startFakeServer(
    (req, res, url) => {
      const match = /^\/geoip\/v2\.1\/city\/([^/]+)$/.exec(url.pathname);
      if (req.method !== 'GET' || !match) return sendJson(res, 404, { code: 'NOT_FOUND', error: 'No such endpoint' }, errorType);
      const auth = req.headers.authorization;
      if (typeof auth !== 'string' || !auth.startsWith('Basic ')) {
        return sendJson(res, 401, { code: 'ACCOUNT_ID_REQUIRED', error: 'You have not supplied a MaxMind account ID in the Authorization header.' }, errorType);
      }
      if (Buffer.from(auth.slice(6), 'base64').toString() !== `${maxmindFakeAccountId}:${maxmindFakeLicenseKey}`) {
        return sendJson(res, 401, { code: 'AUTHORIZATION_INVALID', error: 'Your account ID or license key could not be authenticated.' }, errorType);
      }
      const ip = decodeURIComponent(match[1]!);
      if (!parseIpAddress(ip)) return sendJson(res, 400, { code: 'IP_ADDRESS_INVALID', error: `The value "${ip}" is not a valid IP address.` }, errorType);
      if (!isPublicIpAddress(ip)) return sendJson(res, 400, { code: 'IP_ADDRESS_RESERVED', error: `The value ${ip} belongs to a reserved or private range.` }, errorType);
      const body = known.get(ip);
      if (!body) return sendJson(res, 404, { code: 'IP_ADDRESS_NOT_FOUND', error: `The value ${ip} is not in the database.` }, errorType);
      sendJson(res, 200, body, { 'content-type': 'application/vnd.maxmind.com-city+json; charset=UTF-8; version=2.1' });
    },
    () => ({ ok: true }),
  );
}
