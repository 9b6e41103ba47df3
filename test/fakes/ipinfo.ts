/**
 * Loopback fake of IPinfo's IP API (https://ipinfo.io/developers): `GET /{ip}` with `Authorization: Bearer
 * <token>`, JSON `{ip, hostname, city, region, country, loc, org: "AS… name", postal, timezone, privacy?}` from
 * adapters/enrichment/ipinfo/fixtures, `{ip, bogon: true}` for private and reserved addresses, 403
 * `{status, error: {title, message}}` for an unknown token, 404 for a value that is not an IP address. A 429
 * (rate limit) and 5xx come from /__fake/fail.
 * Admin: POST /__fake/reset, /__fake/fail {status, times, retryAfterSeconds, body}, GET /__fake/requests.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { isPublicIpAddress, parseIpAddress } from '../../core/net/special-purpose-ip';
import { sendJson, startFakeServer, type RunningFake } from './fake-server';

export const ipinfoFakeToken = 'fake1pinf0tok3n';

const fixturesDir = new URL('../../adapters/enrichment/ipinfo/fixtures/', import.meta.url);

export async function startIpinfoFake(): Promise<RunningFake> {
  const known = new Map(
    readdirSync(fixturesDir)
      .filter((f) => f.endsWith('.json'))
      .map((f) => [f.slice(0, -'.json'.length), JSON.parse(readFileSync(new URL(f, fixturesDir), 'utf8')) as unknown]),
  );
  return startFakeServer(
    (req, res, url) => {
      if (req.headers.authorization !== `Bearer ${ipinfoFakeToken}`) {
        return sendJson(res, 403, { status: 403, error: { title: 'Unknown token', message: 'Please ensure you\'ve entered your token correctly. Refer to https://ipinfo.io/developers for details.' } });
      }
      const ip = decodeURIComponent(url.pathname.slice(1));
      if (req.method !== 'GET' || !parseIpAddress(ip)) return sendJson(res, 404, { status: 404, error: { title: 'Wrong ip', message: 'Please provide a valid IP address' } });
      if (!isPublicIpAddress(ip)) return sendJson(res, 200, { ip, bogon: true });
      sendJson(res, 200, known.get(ip) ?? { ip });
    },
    () => ({ ok: true }),
  );
}
