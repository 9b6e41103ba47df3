/**
 * The UI's routes: pathname → which page to show, and the paths the nav links to.
 * `/` is not a page of its own; the app redirects it to `/query`.
 */

export type AppRoute =
  | { page: 'root' }
  | { page: 'query' }
  | { page: 'alerts' }
  | { page: 'rules' }
  | { page: 'identity' }
  | { page: 'identity-user'; user: string }
  | { page: 'apm' }
  | { page: 'playbooks' }
  | { page: 'sources' }
  | { page: 'settings' }
  | { page: 'not-found'; pathname: string };

export const navItems = [
  { path: '/query', label: 'Query' },
  { path: '/alerts', label: 'Alerts' },
  { path: '/rules', label: 'Rules' },
  { path: '/identity', label: 'Identity' },
  { path: '/apm', label: 'APM' },
  { path: '/playbooks', label: 'Playbooks' },
  { path: '/sources', label: 'Sources' },
  { path: '/settings', label: 'Settings' },
] as const;

const simplePages = {
  '/query': 'query',
  '/alerts': 'alerts',
  '/rules': 'rules',
  '/identity': 'identity',
  '/apm': 'apm',
  '/playbooks': 'playbooks',
  '/sources': 'sources',
  '/settings': 'settings',
} as const satisfies Record<string, AppRoute['page']>;

export function parseRoute(pathname: string): AppRoute {
  const path = pathname.length > 1 ? pathname.replace(/\/+$/, '') : pathname;
  if (path === '/' || path === '') return { page: 'root' };
  if (path in simplePages) return { page: simplePages[path as keyof typeof simplePages] };
  const identityUser = /^\/identity\/(.+)$/.exec(path);
  if (identityUser?.[1]) return { page: 'identity-user', user: safeDecode(identityUser[1]) };
  return { page: 'not-found', pathname };
}

export function identityUserPath(user: string): string {
  return `/identity/${encodeURIComponent(user)}`;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
