/**
 * The HTTP edge's only exception. Everything below the edge returns values; route handlers turn a failure
 * into an ApiError, and the app's one onError renders `{error: {code, message, requestId}}`.
 */
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

export type ApiErrorCode =
  | 'invalid_request'
  | 'invalid_sql'
  | 'invalid_rule'
  | 'invalid_input'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'unavailable'
  | 'internal';

const statusOf: Record<ApiErrorCode, ContentfulStatusCode> = {
  invalid_request: 400,
  invalid_sql: 400,
  invalid_rule: 400,
  invalid_input: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unavailable: 503,
  internal: 500,
};

export class ApiError extends HTTPException {
  readonly code: ApiErrorCode;
  /** Extra machine-readable detail returned beside `error` (e.g. an ingest batch's per-line errors). */
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ApiErrorCode, message: string, details?: Record<string, unknown>) {
    super(statusOf[code], { message });
    this.code = code;
    this.details = details;
  }
}

/** Maps a status from Hono's own exceptions (body limit, malformed JSON) onto our codes. */
export function codeForStatus(status: number): ApiErrorCode {
  switch (status) {
    case 400:
      return 'invalid_request';
    case 401:
      return 'unauthenticated';
    case 403:
      return 'forbidden';
    case 404:
      return 'not_found';
    case 409:
      return 'conflict';
    case 413:
      return 'payload_too_large';
    case 415:
      return 'unsupported_media_type';
    case 503:
      return 'unavailable';
    default:
      return status >= 500 ? 'internal' : 'invalid_request';
  }
}
