/** fetch() behind the outbound policy (core/net/outbound-policy): the only way the Worker calls out to a URL. */
import { checkOutboundUrl, type OutboundPolicy } from '../../core/net/outbound-policy';

export class OutboundRefusedError extends Error {
  override readonly name = 'OutboundRefusedError';
}

export function guardedFetch(policy: OutboundPolicy, fetchImpl: typeof fetch = fetch) {
  return async function fetchGuarded(input: string | URL, init?: RequestInit): Promise<Response> {
    const decision = checkOutboundUrl(input, policy);
    if (!decision.ok) throw new OutboundRefusedError(`outbound request refused: ${decision.reason}`);
    // Redirects are followed by hand so that every hop passes the same check.
    let url = decision.url;
    for (let hop = 0; hop < 5; hop++) {
      const response = await fetchImpl(url, { ...init, redirect: 'manual' });
      const location = response.status >= 300 && response.status < 400 ? response.headers.get('location') : null;
      if (!location) return response;
      const next = checkOutboundUrl(new URL(location, url), policy);
      if (!next.ok) throw new OutboundRefusedError(`outbound redirect refused: ${next.reason}`);
      url = next.url;
    }
    throw new OutboundRefusedError('outbound request refused: more than 5 redirects');
  };
}
