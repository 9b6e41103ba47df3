/**
 * How every failed call is shown: the API's message, its error code and the request id (which finds the
 * request in the Worker's logs).
 */
import type { ApiError } from '../api/api-client';

export function ErrorBox({ error, title, testId }: { error: ApiError; title?: string; testId?: string }) {
  return (
    <div className="error-box" role="alert" data-testid={testId}>
      <div className="error-title">{title ?? defaultTitle(error)}</div>
      <div className="error-message">{error.message}</div>
      <div className="error-meta">
        <span className="mono">{error.code}</span>
        {error.status > 0 && <span className="mono">HTTP {error.status}</span>}
        {error.requestId && (
          <span>
            request id <span className="mono selectable">{error.requestId}</span>
          </span>
        )}
      </div>
    </div>
  );
}

function defaultTitle(error: ApiError): string {
  switch (error.status) {
    case 0:
      return 'The API could not be reached';
    case 403:
      return 'Not allowed';
    case 404:
      return 'Not found';
    case 409:
      return 'Not possible in the current state';
    default:
      return error.status >= 500 ? 'The server failed' : 'Request refused';
  }
}
