/**
 * `PUT /api/routing` with the YAML text as the body (`Content-Type: application/yaml`), so the server reports
 * problems against the document the admin wrote. `apiRequest` only sends JSON, hence this one call of its own;
 * it keeps the same contract: the stored token as credential, and any refusal as an `ApiError` whose `details`
 * carry the `problems` (`path: message`, one per line).
 */
import { ApiError } from '../api/api-client';
import type { RoutingSaved } from '../api/api-types';
import { readStoredToken } from '../auth/token-store';

export async function putRoutingYaml(yaml: string): Promise<RoutingSaved> {
  const headers = new Headers({ Accept: 'application/json', 'Content-Type': 'application/yaml' });
  const token = readStoredToken();
  if (token) headers.set('Authorization', `Bearer ${token}`);
  let response: Response;
  try {
    response = await fetch('/api/routing', { method: 'PUT', headers, body: yaml, credentials: 'same-origin' });
  } catch (cause) {
    throw new ApiError(0, 'network_error', `Could not reach the API (${cause instanceof Error ? cause.message : String(cause)}).`, null);
  }
  const text = await response.text();
  let body: unknown;
  try {
    body = text.trim() === '' ? undefined : JSON.parse(text);
  } catch {
    body = text;
  }
  if (response.ok) return body as RoutingSaved;
  const requestId = response.headers.get('x-request-id');
  if (typeof body === 'object' && body !== null && 'error' in body && typeof body.error === 'object' && body.error !== null) {
    const { error, ...details } = body as { error: { code?: unknown; message?: unknown; requestId?: unknown } } & Record<string, unknown>;
    throw new ApiError(
      response.status,
      typeof error.code === 'string' ? error.code : `http_${response.status}`,
      typeof error.message === 'string' ? error.message : `The API answered ${response.status}.`,
      typeof error.requestId === 'string' ? error.requestId : requestId,
      Object.keys(details).length > 0 ? details : undefined,
    );
  }
  throw new ApiError(response.status, `http_${response.status}`, `The API answered ${response.status} without an error body; is the Worker running?`, requestId);
}

/** The `problems` beside a refused document's error, if the refusal carries them. */
export function routingProblems(error: ApiError): string[] {
  const problems = error.details?.problems;
  return Array.isArray(problems) ? problems.filter((p): p is string => typeof p === 'string') : [];
}
