/**
 * Decides between the sign-in screen and the app.
 *
 * On load: with a stored token, `GET /api/me` with it; without one, `GET /api/me` bare, which succeeds when
 * Cloudflare Access already vouches for the browser (its cookie). A 401 from any later call, or Sign out,
 * returns here. After an explicit sign-out the bare probe is skipped for the rest of the tab's session, so
 * an Access cookie does not sign the user straight back in.
 */
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { ApiError, apiRequest, onUnauthenticated } from '../api/api-client';
import type { Me } from '../api/api-types';
import { LoadingIndicator } from '../ui/loading-indicator';
import { SessionContext, type Session } from './session-context';
import { SignInPage } from './sign-in-page';
import { clearStoredToken, readStoredToken } from './token-store';

const signedOutKey = 'mantissa.signedOut';

type GateState =
  | { phase: 'checking' }
  | { phase: 'signed-out'; notice: string | null }
  | { phase: 'signed-in'; me: Me };

export function AuthGate({ children }: { children: ReactNode }) {
  const [state, setState] = useState<GateState>(() =>
    shouldProbeOnLoad() ? { phase: 'checking' } : { phase: 'signed-out', notice: null },
  );

  useEffect(() => {
    if (!shouldProbeOnLoad()) return;
    const storedToken = readStoredToken();
    const controller = new AbortController();
    apiRequest<Me>('/api/me', { token: storedToken, signal: controller.signal, notifyUnauthenticated: false }).then(
      (me) => setState({ phase: 'signed-in', me }),
      (cause: unknown) => {
        if (controller.signal.aborted) return;
        if (storedToken !== null) clearStoredToken();
        const expired = storedToken !== null && cause instanceof ApiError && cause.status === 401;
        const unreachable = cause instanceof ApiError && cause.status !== 401;
        setState({
          phase: 'signed-out',
          notice: expired
            ? 'Your saved token is no longer accepted. Paste a current one.'
            : unreachable
              ? `Could not check for an existing session: ${cause.message}`
              : null,
        });
      },
    );
    return () => controller.abort();
  }, []);

  useEffect(() => {
    onUnauthenticated(() => {
      clearStoredToken();
      setState({ phase: 'signed-out', notice: 'Your session ended (the credential was refused). Sign in again.' });
    });
    return () => onUnauthenticated(null);
  }, []);

  const session = useMemo<Session | null>(() => {
    if (state.phase !== 'signed-in') return null;
    return {
      me: state.me,
      signOut: () => {
        clearStoredToken();
        window.sessionStorage.setItem(signedOutKey, state.me.via);
        setState({ phase: 'signed-out', notice: null });
      },
    };
  }, [state]);

  if (state.phase === 'checking') {
    return (
      <div className="gate-checking">
        <LoadingIndicator label="Checking session…" />
      </div>
    );
  }
  if (state.phase === 'signed-out' || session === null) {
    return (
      <SignInPage
        notice={state.phase === 'signed-out' ? state.notice : null}
        onUseAccessSession={signedOutOfAccessSession() ? retryAccessSession : undefined}
        onSignedIn={(me) => {
          window.sessionStorage.removeItem(signedOutKey);
          setState({ phase: 'signed-in', me });
        }}
      />
    );
  }
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}

function shouldProbeOnLoad(): boolean {
  return readStoredToken() !== null || window.sessionStorage.getItem(signedOutKey) === null;
}

/** True when the user signed out of a Cloudflare Access session in this tab (its cookie may still be valid). */
function signedOutOfAccessSession(): boolean {
  const via = window.sessionStorage.getItem(signedOutKey);
  return via !== null && via !== 'token';
}

function retryAccessSession(): void {
  window.sessionStorage.removeItem(signedOutKey);
  window.location.reload();
}
