/** The frame around every signed-in page: product header with the identity and Sign out, and the left nav. */
import type { ReactNode } from 'react';
import { useSession } from '../auth/session-context';
import { navItems } from '../router/app-routes';
import { Link, usePathname } from '../router/router';

export function AppShell({ children }: { children: ReactNode }) {
  const { me, signOut } = useSession();
  const pathname = usePathname();

  return (
    <div className="app">
      <header className="topbar">
        <Link to="/query" className="brand">
          <span className="brand-mark" aria-hidden="true" />
          Mantissa Log
        </Link>
        <div className="topbar-spacer" />
        <div className="identity" data-testid="signed-in-identity" title={`${me.id} · via ${me.via}`}>
          <span className="identity-name">{me.name}</span>
          <span className="role-pill">{me.role}</span>
          {me.source && <span className="muted small mono">source {me.source}</span>}
        </div>
        <button type="button" className="button button-small" data-testid="sign-out" onClick={signOut}>
          Sign out
        </button>
      </header>
      <nav className="sidenav" aria-label="Main">
        {navItems.map((item) => {
          const active = pathname === item.path || pathname.startsWith(`${item.path}/`);
          return (
            <Link key={item.path} to={item.path} className={active ? 'nav-link active' : 'nav-link'} aria-current={active ? 'page' : undefined}>
              {item.label}
            </Link>
          );
        })}
        <div className="sidenav-footer muted small">Times shown in UTC</div>
      </nav>
      <main className="content">{children}</main>
    </div>
  );
}
