/**
 * The signed-in session as React context: who is signed in (`GET /api/me`) and how to sign out.
 * Only rendered inside the auth gate, so pages can rely on a session being present.
 */
import { createContext, useContext } from 'react';
import type { Me } from '../api/api-types';
import { roleCan, type Permission } from './permissions';

export interface Session {
  me: Me;
  signOut: () => void;
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (session === null) throw new Error('useSession used outside the signed-in app');
  return session;
}

export function useCan(permission: Permission): boolean {
  return roleCan(useSession().me.role, permission);
}
