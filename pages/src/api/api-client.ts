/**
 * The one way the UI talks to the Worker: a same-origin fetch wrapper and the `useApi` data hook.
 *
 * Invariants:
 * - Every request carries `Authorization: Bearer <token>` when a token is stored; without one the browser's
 *   Cloudflare Access cookie (if any) is the credential.
 * - Every failure becomes an `ApiError` with the API's `{error:{code,message,requestId}}`, or a synthesized
 *   code (`network_error`, `http_502`, …) when the answer is not the API's JSON. The fields the API sends beside
 *   `error` (a Sigma rule's located `errors`, an ingest batch's per-line errors) are kept as `details`.
 * - A 401 from any call notifies the session (which returns to sign-in), except where the caller opts out
 *   (the sign-in check itself).
 */
import { useCallback, useEffect, useState } from 'react';
import { readStoredToken } from '../auth/token-store';

export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly requestId: string | null,
    /** The top-level fields of the error body other than `error`, when it has any. */
    readonly details?: Readonly<Record<string, unknown>>,
  ) {
    super(message);
  }
}

export interface ApiRequestOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  body?: unknown;
  signal?: AbortSignal;
  /** Use this token instead of the stored one (`null` sends none). */
  token?: string | null;
  /** Non-2xx statuses whose body is still the answer (health answers 503 with its report). */
  acceptStatuses?: readonly number[];
  /** Set false for calls whose 401 is an expected answer, not a lost session. */
  notifyUnauthenticated?: boolean;
}

let unauthenticatedListener: (() => void) | null = null;

/** The session registers here to be told when the credential stops working. */
export function onUnauthenticated(listener: (() => void) | null): void {
  unauthenticatedListener = listener;
}

export async function apiRequest<T>(path: string, options: ApiRequestOptions = {}): Promise<T> {
  const headers = new Headers({ Accept: 'application/json' });
  const token = options.token === undefined ? readStoredToken() : options.token;
  if (token) headers.set('Authorization', `Bearer ${token}`);
  if (options.body !== undefined) headers.set('Content-Type', 'application/json');

  let response: Response;
  try {
    response = await fetch(path, {
      method: options.method ?? 'GET',
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
      credentials: 'same-origin',
    });
  } catch (cause) {
    if (options.signal?.aborted) throw cause;
    const detail = cause instanceof Error ? cause.message : String(cause);
    throw new ApiError(0, 'network_error', `Could not reach the API (${detail}).`, null);
  }

  const body = await readJsonBody(response);
  const accepted = response.ok || (options.acceptStatuses?.includes(response.status) ?? false);
  if (accepted && !hasErrorShape(body)) return body as T;

  const error = toApiError(response, body);
  if (error.status === 401 && options.notifyUnauthenticated !== false) unauthenticatedListener?.();
  throw error;
}

async function readJsonBody(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

interface ErrorBody {
  error: { code?: unknown; message?: unknown; requestId?: unknown };
}

function hasErrorShape(body: unknown): body is ErrorBody {
  return typeof body === 'object' && body !== null && 'error' in body && typeof body.error === 'object' && body.error !== null;
}

function toApiError(response: Response, body: unknown): ApiError {
  const headerRequestId = response.headers.get('x-request-id');
  if (hasErrorShape(body)) {
    const { code, message, requestId } = body.error;
    return new ApiError(
      response.status,
      typeof code === 'string' ? code : `http_${response.status}`,
      typeof message === 'string' ? message : `The API answered ${response.status}.`,
      typeof requestId === 'string' ? requestId : headerRequestId,
      detailsOf(body),
    );
  }
  const statusText = response.statusText ? ` ${response.statusText}` : '';
  return new ApiError(
    response.status,
    `http_${response.status}`,
    `The API answered ${response.status}${statusText} without an error body; is the Worker running?`,
    headerRequestId,
  );
}

function detailsOf(body: ErrorBody): Record<string, unknown> | undefined {
  const entries = Object.entries(body).filter(([key]) => key !== 'error');
  return entries.length > 0 ? Object.fromEntries(entries) : undefined;
}

export interface ApiState<T> {
  /** The latest answer for this path (kept while a reload is in flight). */
  data: T | undefined;
  error: ApiError | undefined;
  loading: boolean;
  reload: () => void;
}

interface SettledRequest<T> {
  path: string;
  requestKey: string;
  data: T | undefined;
  error: ApiError | undefined;
}

/**
 * Fetch `path` (GET) whenever it changes; `null` fetches nothing. `loading` is derived (the latest request
 * has not settled yet) so the effect never sets state synchronously.
 */
export function useApi<T>(path: string | null, options: { acceptStatuses?: readonly number[] } = {}): ApiState<T> {
  const [reloadCount, setReloadCount] = useState(0);
  const [settled, setSettled] = useState<SettledRequest<T> | null>(null);
  const acceptStatusesKey = (options.acceptStatuses ?? []).join(',');
  const requestKey = path === null ? null : `${path}#${reloadCount}`;

  useEffect(() => {
    if (path === null) return;
    const controller = new AbortController();
    const key = `${path}#${reloadCount}`;
    const acceptStatuses = acceptStatusesKey === '' ? [] : acceptStatusesKey.split(',').map(Number);
    apiRequest<T>(path, { signal: controller.signal, acceptStatuses }).then(
      (data) => setSettled({ path, requestKey: key, data, error: undefined }),
      (cause: unknown) => {
        if (controller.signal.aborted) return;
        const error =
          cause instanceof ApiError ? cause : new ApiError(0, 'client_error', cause instanceof Error ? cause.message : String(cause), null);
        setSettled((previous) => ({
          path,
          requestKey: key,
          data: previous?.path === path ? previous.data : undefined,
          error,
        }));
      },
    );
    return () => controller.abort();
  }, [path, reloadCount, acceptStatusesKey]);

  const reload = useCallback(() => setReloadCount((count) => count + 1), []);
  const current = settled !== null && settled.path === path ? settled : null;
  return {
    data: current?.data,
    error: current?.error,
    loading: requestKey !== null && current?.requestKey !== requestKey,
    reload,
  };
}
