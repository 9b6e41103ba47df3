/**
 * Loopback fake of VirusTotal API v3 (https://docs.virustotal.com/reference/overview): `GET /api/v3/ip_addresses/{ip}`
 * and `GET /api/v3/domains/{domain}` with header `x-apikey`. Answers `{data: {id, type, links, attributes}}` from
 * adapters/enrichment/virustotal/fixtures and VirusTotal's error documents `{error: {code, message}}`
 * (https://docs.virustotal.com/reference/errors): AuthenticationRequiredError / WrongCredentialsError 401,
 * NotFoundError 404, InvalidArgumentError 400, QuotaExceededError 429 once the quota (`/__fake/quota {remaining}`)
 * is used up.
 * Admin: POST /__fake/reset, /__fake/quota {remaining}, /__fake/fail {status, times, retryAfterSeconds, body},
 * GET /__fake/requests.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { parseIpAddress } from '../../core/net/special-purpose-ip';
import { sendJson, startFakeServer, type RunningFake } from './fake-server';

export const virustotalFakeKey = 'f4k3v1rustota1k3y0123456789abcdef0123456789abcdef0123456789abcd';

const fixturesDir = new URL('../../adapters/enrichment/virustotal/fixtures/', import.meta.url);

export async function startVirustotalFake(): Promise<RunningFake> {
  const known = new Map(
    readdirSync(fixturesDir)
      .filter((f) => f.endsWith('.json'))
      .map((f) => [f.slice(0, -'.json'.length), JSON.parse(readFileSync(new URL(f, fixturesDir), 'utf8')) as unknown]),
  );
  let remaining = 500;
  const error = (code: string, message: string) => ({ error: { code, message } });
  return startFakeServer(
    (req, res, url) => {
      const match = /^\/api\/v3\/(ip_addresses|domains)\/([^/]+)$/.exec(url.pathname);
      if (req.method !== 'GET' || !match) return sendJson(res, 404, error('NotFoundError', `Resource "${url.pathname}" not found`));
      const key = req.headers['x-apikey'];
      if (key === undefined) return sendJson(res, 401, error('AuthenticationRequiredError', 'X-Apikey header is missing'));
      if (key !== virustotalFakeKey) return sendJson(res, 401, error('WrongCredentialsError', 'Wrong API key'));
      if (remaining <= 0) return sendJson(res, 429, error('QuotaExceededError', 'Quota exceeded'));
      remaining--;
      const [, collection, id] = match as unknown as [string, string, string];
      const value = decodeURIComponent(id);
      if (collection === 'ip_addresses' && !parseIpAddress(value)) return sendJson(res, 400, error('InvalidArgumentError', `"${value}" is not a valid IP address`));
      const body = known.get(`${collection === 'ip_addresses' ? 'ip' : 'domain'}-${value}`);
      if (!body) return sendJson(res, 404, error('NotFoundError', `${collection === 'ip_addresses' ? 'IP address' : 'Domain'} "${value}" not found`));
      sendJson(res, 200, body);
    },
    (action, body) => {
      if (action === 'reset') remaining = 500;
      if (action === 'quota') remaining = (body as { remaining: number }).remaining;
      return { remaining };
    },
  );
}
