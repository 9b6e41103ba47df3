/**
 * Where a person signed in from, on an equirectangular world map (Natural Earth land outline, see
 * world-land-path.ts) with a 30° graticule: one dot per distinct place (sized by sign-ins, red where only
 * failures came from), and impossible-travel detections drawn as arcs from the previous place to the new one.
 */
import type { IdentityMapArc, IdentityMapPoint } from '../api/api-types';
import { worldLandPath } from './world-land-path';

const project = (lat: number, lon: number) => ({ x: lon + 180, y: 90 - lat });

export function SignInMap({ points, arcs }: { points: readonly IdentityMapPoint[]; arcs: readonly IdentityMapArc[] }) {
  const places = new Map<string, { lat: number; lon: number; label: string; ok: number; failed: number }>();
  for (const p of points) {
    const key = `${p.lat.toFixed(1)},${p.lon.toFixed(1)}`;
    const place = places.get(key) ?? { lat: p.lat, lon: p.lon, label: [p.city, p.country].filter(Boolean).join(', ') || key, ok: 0, failed: 0 };
    if (p.outcome === 'failure') place.failed++;
    else place.ok++;
    places.set(key, place);
  }
  const max = Math.max(1, ...[...places.values()].map((p) => p.ok + p.failed));
  return (
    <figure className="signin-map" data-testid="signin-map">
      <svg viewBox="0 0 360 180" role="img" aria-label={`Sign-in map: ${places.size} places, ${arcs.length} impossible-travel arcs`} preserveAspectRatio="xMidYMid meet">
        <rect x={0} y={0} width={360} height={180} className="map-sea" />
        {Array.from({ length: 11 }, (_, i) => (i + 1) * 30).map((x) => (
          <line key={`m${x}`} x1={x} x2={x} y1={0} y2={180} className="map-graticule" />
        ))}
        {[30, 60, 90, 120, 150].map((y) => (
          <line key={`p${y}`} x1={0} x2={360} y1={y} y2={y} className={y === 90 ? 'map-graticule map-equator' : 'map-graticule'} />
        ))}
        <path d={worldLandPath} className="map-land" />
        {[...places.values()].map((p) => {
          const { x, y } = project(p.lat, p.lon);
          const r = 1.2 + 2.2 * Math.sqrt((p.ok + p.failed) / max);
          return (
            <circle key={`${p.lat},${p.lon}`} cx={x} cy={y} r={r} className={p.ok === 0 ? 'map-dot map-dot-failed' : 'map-dot'}>
              <title>{`${p.label}: ${p.ok} successful, ${p.failed} failed`}</title>
            </circle>
          );
        })}
        {arcs.map((arc, i) => {
          const a = project(arc.from.lat, arc.from.lon);
          const b = project(arc.to.lat, arc.to.lon);
          const dist = Math.hypot(b.x - a.x, b.y - a.y);
          // Bend the arc away from the straight line, upwards, by a fifth of its length.
          const cx = (a.x + b.x) / 2;
          const cy = (a.y + b.y) / 2 - Math.max(6, dist / 5);
          return (
            <g key={`${arc.detectionId}-${i}`} className="map-arc" data-testid="travel-arc">
              <path d={`M${a.x.toFixed(2)},${a.y.toFixed(2)} Q${cx.toFixed(2)},${cy.toFixed(2)} ${b.x.toFixed(2)},${b.y.toFixed(2)}`} />
              <circle cx={b.x} cy={b.y} r={2} className="map-arc-end" />
              <title>{`Impossible travel: ${arc.from.label} → ${arc.to.label}${arc.speedKmh ? `, ${Math.round(arc.speedKmh).toLocaleString('en-US')} km/h` : ''}`}</title>
            </g>
          );
        })}
      </svg>
      <figcaption className="muted small">
        {places.size} place{places.size === 1 ? '' : 's'} · {arcs.length} impossible-travel arc{arcs.length === 1 ? '' : 's'} · land: Natural Earth 1:110m (public domain)
      </figcaption>
    </figure>
  );
}
