/**
 * fetch() behind the outbound policy (core/net/outbound-policy): the only way the Worker calls out to a URL.
 *
 * Redirects are followed by hand so every hop passes the same check, with the Fetch standard's rules: 303
 * (and 301/302 after a POST) become a GET without a body, and credentials (`Authorization`, `Cookie`,
 * `Proxy-Authorization`) are dropped when a redirect leaves the origin — a vendor API redirecting elsewhere must
 * never receive our token. A 307/308 that leaves the origin with a request body is refused outright: the body
 * itself may be a credential (an OAuth client secret or assertion).
 */
import { checkOutboundUrl, type OutboundPolicy } from '../../core/net/outbound-policy';

export class OutboundRefusedError extends Error {
  override readonly name = 'OutboundRefusedError';
}

const credentialHeaders = ['authorization', 'cookie', 'proxy-authorization'];
const maxRedirects = 5;

export function guardedFetch(policy: OutboundPolicy, fetchImpl: typeof fetch = fetch) {
  return async function fetchGuarded(input: string | URL, init: RequestInit = {}): Promise<Response> {
    const decision = checkOutboundUrl(input, policy);
    if (!decision.ok) throw new OutboundRefusedError(`outbound request refused: ${decision.reason}`);
    let url = decision.url;
    let method = (init.method ?? 'GET').toUpperCase();
    let body = init.body;
    const headers = new Headers(init.headers);
    for (let hop = 0; ; hop++) {
      const response = await fetchImpl(url, { ...init, method, body, headers, redirect: 'manual' });
      const location = response.status >= 300 && response.status < 400 ? response.headers.get('location') : null;
      if (!location) return response;
      if (hop === maxRedirects) throw new OutboundRefusedError(`outbound request refused: more than ${maxRedirects} redirects`);
      const next = checkOutboundUrl(new URL(location, url), policy);
      if (!next.ok) throw new OutboundRefusedError(`outbound redirect refused: ${next.reason}`);
      const crossOrigin = next.url.origin !== url.origin;
      const keepsBody = (response.status === 307 || response.status === 308) && body !== undefined && body !== null;
      if (crossOrigin && keepsBody) {
        throw new OutboundRefusedError(`outbound redirect refused: ${response.status} to ${next.url.origin} would resend the request body, which may hold credentials`);
      }
      if (crossOrigin) for (const name of credentialHeaders) headers.delete(name);
      if (response.status === 303 || ((response.status === 301 || response.status === 302) && method === 'POST')) {
        method = 'GET';
        body = undefined;
        headers.delete('content-type');
        headers.delete('content-length');
      }
      url = next.url;
    }
  };
}
