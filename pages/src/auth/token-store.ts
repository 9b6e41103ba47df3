/**
 * Where the pasted API token lives while the tab is open.
 *
 * sessionStorage, not localStorage: the secret disappears with the tab and is never shared with other tabs
 * or persisted to disk by the browser beyond the session.
 */

const tokenKey = 'mantissa.apiToken';

export function readStoredToken(): string | null {
  try {
    return window.sessionStorage.getItem(tokenKey);
  } catch {
    return null;
  }
}

export function storeToken(token: string): void {
  window.sessionStorage.setItem(tokenKey, token);
}

export function clearStoredToken(): void {
  window.sessionStorage.removeItem(tokenKey);
}
