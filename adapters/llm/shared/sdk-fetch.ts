/**
 * The fetch handed to the vendor SDKs (Anthropic, OpenAI): every request goes through the outbound guard
 * (adapters/http/guarded-fetch.ts), whatever URL the SDK builds. SDKs may call fetch with a Request; the guard
 * takes a URL and options, so a Request is taken apart here (its body read once, as the SDKs send small JSON).
 */
import type { HttpFetch } from '../../../core/collect/transport';

export function sdkFetch(guarded: HttpFetch): typeof fetch {
  const fetchForSdk = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    if (input instanceof Request) {
      const body = input.method === 'GET' || input.method === 'HEAD' ? undefined : await input.arrayBuffer();
      return guarded(input.url, { method: input.method, headers: input.headers, body, signal: input.signal, ...init });
    }
    return guarded(input, init);
  };
  return fetchForSdk as typeof fetch;
}
