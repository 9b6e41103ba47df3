/**
 * The baseline viewer: maturity (14 days and 10 sign-ins, whichever comes later), the hour-of-week heat map,
 * and the known countries, cities, networks, devices, applications and MFA methods with how often and when
 * each was last seen.
 */
import type { IdentityBaseline, IdentitySeenValue } from '../api/api-types';
import { Timestamp } from '../ui/timestamp';
import { HourOfWeekHeatmap } from './hour-of-week-heatmap';

export function BaselinePanel({ baseline }: { baseline: IdentityBaseline }) {
  const m = baseline.maturity;
  return (
    <section className="panel" data-testid="baseline-panel">
      <div className="panel-title">
        Baseline{' '}
        <span className={m.mature ? 'badge severity-low' : 'badge badge-soft'} data-testid="baseline-maturity">
          {m.mature ? 'mature' : `learning · ${Math.round(m.confidence * 100)}% confidence`}
        </span>
        <span className="muted small">
          {' '}
          {m.daysObserved} days, {m.signIns} sign-ins observed{!m.mature && m.maturesAt ? ' — matures after 14 days and 10 sign-ins' : ''}
        </span>
      </div>
      <div className="panel-body baseline-grid">
        <div>
          <div className="small muted">Sign-ins by hour of week (UTC)</div>
          <HourOfWeekHeatmap counts={baseline.hourOfWeek} />
          {baseline.sessionCount > 0 && (
            <div className="small muted">
              {baseline.sessionCount} completed sessions, {Math.round(baseline.sessionMeanSeconds / 60)} min on average
            </div>
          )}
        </div>
        <div className="baseline-lists">
          <KnownList title="Countries" values={baseline.countries} testId="known-countries" />
          <KnownList title="Cities" values={baseline.cities} testId="known-cities" />
          <KnownList title="Devices" values={baseline.devices} testId="known-devices" />
          <KnownList title="Networks (ASN)" values={baseline.asns} />
          <KnownList title="Applications" values={baseline.apps} />
          <KnownList title="MFA methods" values={baseline.mfaMethods} />
          <KnownList title="Providers" values={baseline.providers} />
        </div>
      </div>
    </section>
  );
}

function KnownList({ title, values, testId }: { title: string; values: readonly IdentitySeenValue[]; testId?: string }) {
  return (
    <div className="known-list" data-testid={testId}>
      <div className="known-title">
        {title} <span className="muted small">({values.length})</span>
      </div>
      {values.length === 0 ? (
        <div className="dim small">none yet</div>
      ) : (
        <ul>
          {values.slice(0, 8).map((v) => (
            <li key={v.value} title={`${v.count} times; first ${v.first}, last ${v.last}`}>
              <span className="known-value">{v.value}</span>
              <span className="known-count">{v.count}</span>
              <span className="muted small">
                <Timestamp iso={v.last} dateOnly />
              </span>
            </li>
          ))}
          {values.length > 8 && <li className="muted small">and {values.length - 8} more</li>}
        </ul>
      )}
    </div>
  );
}
