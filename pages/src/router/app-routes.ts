/**
 * The UI's routes: pathname → which page to show, and the paths the nav links to.
 * `/` is not a page of its own; the app redirects it to `/query`.
 */

export type AppRoute =
  | { page: 'root' }
  | { page: 'query' }
  | { page: 'alerts' }
  | { page: 'alert'; id: string }
  | { page: 'incidents' }
  | { page: 'incident'; id: string }
  | { page: 'rules' }
  | { page: 'identity' }
  | { page: 'identity-user'; user: string }
  | { page: 'apm' }
  | { page: 'playbooks' }
  | { page: 'sources' }
  | { page: 'settings'; section: SettingsSection }
  | { page: 'not-found'; pathname: string };

export const settingsSections = [
  { section: 'general', path: '/settings', label: 'General' },
  { section: 'routing', path: '/settings/routing', label: 'Routing' },
  { section: 'suppressions', path: '/settings/suppressions', label: 'Suppressions & maintenance' },
] as const;
export type SettingsSection = (typeof settingsSections)[number]['section'];

export const navItems = [
  { path: '/query', label: 'Query' },
  { path: '/alerts', label: 'Alerts' },
  { path: '/incidents', label: 'Incidents' },
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
  '/incidents': 'incidents',
  '/rules': 'rules',
  '/identity': 'identity',
  '/apm': 'apm',
  '/playbooks': 'playbooks',
  '/sources': 'sources',
} as const satisfies Record<string, AppRoute['page']>;

/** Pages whose path is `<prefix>/<one id>`. */
const idPages = [
  { prefix: '/alerts/', page: 'alert' },
  { prefix: '/incidents/', page: 'incident' },
] as const;

export function parseRoute(pathname: string): AppRoute {
  const path = pathname.length > 1 ? pathname.replace(/\/+$/, '') : pathname;
  if (path === '/' || path === '') return { page: 'root' };
  if (path in simplePages) return { page: simplePages[path as keyof typeof simplePages] };
  const settings = settingsSections.find((entry) => entry.path === path);
  if (settings) return { page: 'settings', section: settings.section };
  for (const { prefix, page } of idPages) {
    const id = path.startsWith(prefix) ? path.slice(prefix.length) : '';
    if (id !== '' && !id.includes('/')) return { page, id: safeDecode(id) };
  }
  const identityUser = /^\/identity\/(.+)$/.exec(path);
  if (identityUser?.[1]) return { page: 'identity-user', user: safeDecode(identityUser[1]) };
  return { page: 'not-found', pathname };
}

export function alertPath(id: string): string {
  return `/alerts/${encodeURIComponent(id)}`;
}

export function incidentPath(id: string): string {
  return `/incidents/${encodeURIComponent(id)}`;
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
