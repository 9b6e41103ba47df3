/**
 * Duo API request signing (https://duo.com/docs/adminapi#authentication), signature version 5 — the scheme
 * Duo's docs and its current client libraries use (duo_client_python ≥ 5 defaults to it; Duo's standalone
 * duo_hmac implements only it; the Policies and Integrations v2 endpoints accept nothing else). The older
 * version 2 (HMAC-SHA1 over date, method, host, path and parameters) is still accepted by the log endpoints
 * but is not used here: SHA-1 is deprecated, and v5 also binds the body and the `X-Duo-*` headers.
 *
 * The password of HTTP Basic is the hex HMAC-SHA512, keyed with the secret key, of these lines joined by
 * `\n`:
 *   1. the date, RFC 2822 (`Tue, 21 Aug 2012 17:29:18 -0000`), also sent as `X-Duo-Date`;
 *   2. the method, upper case;
 *   3. the API host, lower case;
 *   4. the path;
 *   5. the parameters: keys and values percent-encoded (every byte but A-Z a-z 0-9 `_ . ~ -`, upper-case hex),
 *      sorted by key then value, `k=v` joined by `&` (empty line when there are none);
 *   6. the SHA-512 hex of the body (of the empty string for GET);
 *   7. the SHA-512 hex of the `X-Duo-*` headers — lower-cased names sorted, `name\0value` pairs joined by `\0`
 *      (so `x-duo-date\0<date>` here).
 * The username is the integration key. WebCrypto only; pure.
 */

const encoder = new TextEncoder();

/** Duo's (and OAuth 1.0's) parameter encoding: RFC 3986 unreserved characters only, upper-case hex. */
export function duoQuote(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Line 5: `k=v&…`, encoded, sorted by key then value. */
export function duoCanonicalParams(params: readonly (readonly [string, string])[]): string {
  return params
    .map(([k, v]) => [duoQuote(k), duoQuote(v)] as const)
    .sort(([k1, v1], [k2, v2]) => (k1 < k2 ? -1 : k1 > k2 ? 1 : v1 < v2 ? -1 : v1 > v2 ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
}

const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** RFC 2822 in UTC, as Python's email.utils.formatdate() writes it (Duo's reference clients). */
export function duoDate(at: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return (
    `${days[at.getUTCDay()]}, ${p(at.getUTCDate())} ${months[at.getUTCMonth()]} ${at.getUTCFullYear()} ` +
    `${p(at.getUTCHours())}:${p(at.getUTCMinutes())}:${p(at.getUTCSeconds())} -0000`
  );
}

async function sha512Hex(text: string): Promise<string> {
  return hex(await crypto.subtle.digest('SHA-512', encoder.encode(text)));
}

function hex(buffer: ArrayBuffer): string {
  return [...new Uint8Array(buffer)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export interface DuoRequestToSign {
  readonly integrationKey: string;
  readonly secretKey: string;
  readonly method: string;
  /** The API host as the request addresses it (`api-xxxxxxxx.duosecurity.com`; with its port when not the default). */
  readonly host: string;
  readonly path: string;
  readonly params: readonly (readonly [string, string])[];
  readonly date: Date;
  /** Extra `X-Duo-*` headers to send and sign (besides `X-Duo-Date`). */
  readonly duoHeaders?: Readonly<Record<string, string>>;
  /** JSON body of a POST/PUT/PATCH; GET sends none. */
  readonly body?: string;
}

/** The string signed for `request` (exported for tests and for the fake's error messages). */
export async function duoCanonicalRequest(request: Omit<DuoRequestToSign, 'integrationKey' | 'secretKey'>): Promise<string> {
  const date = duoDate(request.date);
  const headers = Object.entries({ ...request.duoHeaders, 'x-duo-date': date })
    .map(([name, value]) => [name.toLowerCase(), value] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return [
    date,
    request.method.toUpperCase(),
    request.host.toLowerCase(),
    request.path,
    duoCanonicalParams(request.params),
    await sha512Hex(request.body ?? ''),
    await sha512Hex(headers.flatMap(([name, value]) => [name, value]).join('\0')),
  ].join('\n');
}

/** The headers that authenticate `request`: `Authorization` (Basic ikey:signature) and `X-Duo-Date`. */
export async function signDuoRequest(request: DuoRequestToSign): Promise<Record<string, string>> {
  const key = await crypto.subtle.importKey('raw', encoder.encode(request.secretKey), { name: 'HMAC', hash: 'SHA-512' }, false, ['sign']);
  const signature = hex(await crypto.subtle.sign('HMAC', key, encoder.encode(await duoCanonicalRequest(request))));
  const basic = btoa(String.fromCharCode(...encoder.encode(`${request.integrationKey}:${signature}`)));
  return { ...request.duoHeaders, authorization: `Basic ${basic}`, 'x-duo-date': duoDate(request.date) };
}
