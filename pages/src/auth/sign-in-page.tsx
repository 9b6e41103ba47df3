/**
 * The sign-in screen: paste a Mantissa API token, checked with `GET /api/me` before it is stored.
 */
import { useState, type FormEvent } from 'react';
import { ApiError, apiRequest } from '../api/api-client';
import type { Me } from '../api/api-types';
import { ErrorBox } from '../ui/error-box';
import { storeToken } from './token-store';

const notRecognised = 'Token not recognised (revoked, expired or mistyped)';

export function SignInPage({
  notice,
  onSignedIn,
  onUseAccessSession,
}: {
  notice: string | null;
  onSignedIn: (me: Me) => void;
  /** Offered after signing out of a Cloudflare Access session, whose cookie may still be valid. */
  onUseAccessSession?: (() => void) | undefined;
}) {
  const [token, setToken] = useState('');
  const [checking, setChecking] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [failure, setFailure] = useState<ApiError | null>(null);

  async function signIn(event: FormEvent) {
    event.preventDefault();
    const candidate = token.trim();
    setFailure(null);
    if (candidate === '') {
      setProblem('Paste an API token first.');
      return;
    }
    setProblem(null);
    setChecking(true);
    try {
      const me = await apiRequest<Me>('/api/me', { token: candidate, notifyUnauthenticated: false });
      storeToken(candidate);
      onSignedIn(me);
    } catch (cause) {
      if (cause instanceof ApiError && cause.status === 401) {
        setProblem(notRecognised);
      } else {
        setFailure(cause instanceof ApiError ? cause : new ApiError(0, 'client_error', String(cause), null));
      }
    } finally {
      setChecking(false);
    }
  }

  return (
    <main className="sign-in">
      <form className="sign-in-card" onSubmit={signIn}>
        <div className="brand brand-large">
          <span className="brand-mark" aria-hidden="true" />
          Mantissa Log
        </div>
        <p className="muted">Sign in with an API token. Tokens are created with <code>npm start</code>,{' '}
          <code>mantissa token create</code>, or by an admin in Settings → API tokens.</p>
        {notice && <div className="notice">{notice}</div>}
        <label className="field">
          <span className="field-label">API token</span>
          <input
            data-testid="token-input"
            className="mono"
            type="password"
            autoComplete="off"
            spellCheck={false}
            placeholder="mlt_…"
            value={token}
            onChange={(event) => setToken(event.target.value)}
            autoFocus
          />
        </label>
        {problem && (
          <div className="field-error" role="alert">
            {problem}
          </div>
        )}
        {failure && <ErrorBox error={failure} title="Could not check the token" />}
        <button data-testid="sign-in" className="button button-primary" type="submit" disabled={checking}>
          {checking ? 'Checking…' : 'Sign in'}
        </button>
        {onUseAccessSession && (
          <button type="button" className="button access-button" onClick={onUseAccessSession}>
            Continue with Cloudflare Access
          </button>
        )}
        <p className="muted small">The token is kept in this tab only (session storage) and sent as a Bearer header.</p>
      </form>
    </main>
  );
}
