/**
 * What every HTTP enrichment provider does the same way: read its secret (a missing one is a `failure` naming the
 * secret), send one request through the guarded fetch (a refused URL is a `failure`, not worth retrying; a network
 * error is `retryable`), and classify an unexpected status with core/collect/transport's `classifyResponse`
 * (429/5xx retryable with Retry-After, other 4xx failures).
 */
import type { EnrichmentNote } from '../alerting/notification';
import { classifyResponse, type TransportResult } from '../collect/transport';
import { parseIpAddress, specialPurposeReason } from '../net/special-purpose-ip';
import { defaultLookupTimeoutMs, type EnrichmentContext, type EnrichmentSubject } from './provider';

export type Failure = Extract<TransportResult<never>, { kind: 'failure' }>;

/** The secret's value, or a failure that names it (never its value). */
export function readSecret(ctx: EnrichmentContext, name: string, provider: string): { ok: true; value: string } | { ok: false; result: Failure } {
  const value = ctx.secret(name);
  if (value) return { ok: true, value };
  return { ok: false, result: { kind: 'failure', message: `${provider}: the secret ${name} is not set (wrangler secret put ${name})` } };
}

/**
 * Guards an IP lookup, whoever calls the provider: a value that is not an IP address is a failure (it would end up
 * in a URL path), and a private or reserved address is answered "nothing known" without asking anyone.
 * Null when the address may be looked up.
 */
export function ipLookupGuard(subject: EnrichmentSubject, provider: string): TransportResult<EnrichmentNote | null> | null {
  if (subject.kind !== 'ip') return { kind: 'success', value: null };
  const ip = parseIpAddress(subject.value);
  if (!ip) return { kind: 'failure', message: `${provider}: "${subject.value.slice(0, 100)}" is not an IP address` };
  return specialPurposeReason(ip) ? { kind: 'success', value: null } : null;
}

/**
 * Sends one request, abandoned after `ctx.timeoutMs` (default 5 s). Any HTTP answer is a success here (the
 * provider reads its own error documents); the outbound guard's refusal (SSRF) is a failure; a timeout or any
 * other thrown error is a retryable network error.
 */
export async function send(ctx: EnrichmentContext, url: string, init: RequestInit, what: string): Promise<TransportResult<Response>> {
  const timeoutMs = ctx.timeoutMs ?? defaultLookupTimeoutMs;
  try {
    return { kind: 'success', value: await ctx.fetch(url, { ...init, signal: init.signal ?? AbortSignal.timeout(timeoutMs) }) };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    // adapters/http/guarded-fetch throws OutboundRefusedError; core cannot import adapters, so match by name.
    if (err instanceof Error && err.name === 'OutboundRefusedError') return { kind: 'failure', message: `${what}: ${message}` };
    if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')) return { kind: 'retryable', message: `${what} did not answer within ${timeoutMs} ms` };
    return { kind: 'retryable', message: `${what} failed: ${message}` };
  }
}

/** Reads a JSON body; null when it is not JSON. */
export async function readJson(response: Response): Promise<unknown> {
  try {
    return (await response.json()) as unknown;
  } catch {
    return null;
  }
}

/**
 * An answer the provider did not expect: transport's classification (429/5xx retryable with Retry-After, other
 * 4xx failure). The message quotes the start of the vendor's body, minus the secrets the request carried.
 */
export async function unexpected(response: Response, what: string, secrets: readonly string[] = []): Promise<Exclude<TransportResult<never>, { kind: 'success' }>> {
  const result = await classifyResponse(response, what);
  if (result.kind === 'success') return { kind: 'failure', message: `${what} answered ${response.status} without the document it documents` };
  return { ...result, message: scrubSecrets(result.message, new Set(secrets)) };
}

/** Removes secret values (as is, base64- and URL-encoded) from a message, and caps it at 500 characters. */
export function scrubSecrets(message: string, secrets: ReadonlySet<string>): string {
  let out = message;
  for (const secret of secrets) {
    if (secret.length < 4) continue;
    for (const form of new Set([secret, encodeURIComponent(secret), base64(secret)])) out = out.split(form).join('[secret]');
  }
  return out.length > 500 ? `${out.slice(0, 500)}…` : out;
}

function base64(text: string): string {
  return btoa(String.fromCharCode(...new TextEncoder().encode(text)));
}

/** Milliseconds until an epoch-seconds reset time (Okta X-Rate-Limit-Reset, AbuseIPDB X-RateLimit-Reset). */
export function resetHeaderMs(value: string | null, now: Date): number | undefined {
  if (!value || !/^\d{9,11}$/.test(value.trim())) return undefined;
  return Math.max(0, Number(value) * 1000 - now.getTime());
}

/** Joins the non-empty parts of a note with the middle dot the alert templates use. */
export function noteLine(parts: readonly (string | null | undefined | false)[]): string {
  return parts.filter((p): p is string => typeof p === 'string' && p.trim() !== '').join(' · ');
}
