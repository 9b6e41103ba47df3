/**
 * The attack timeline: the person's detections (with kill-chain stage and severity) and identity events, newest
 * first; each detection is followed by the events that are its evidence, so an attack reads as a story.
 */
import type { IdentityTimelineEntry } from '../api/api-types';
import { SeverityBadge } from '../ui/severity-badge';
import { Timestamp } from '../ui/timestamp';
import { humanize } from './identity-labels';

export function AttackTimeline({ entries, detectionsOnly }: { entries: readonly IdentityTimelineEntry[]; detectionsOnly: boolean }) {
  const shown = detectionsOnly ? entries.filter((e) => e.type === 'detection' || e.detectionId !== null) : entries;
  if (shown.length === 0) return <div className="muted panel-body">Nothing to show yet.</div>;
  return (
    <ol className="timeline" data-testid="attack-timeline">
      {shown.map((e, i) => (
        <li
          key={`${e.at}-${e.type}-${e.detectionId ?? ''}-${i}`}
          className={e.type === 'detection' ? `timeline-item timeline-detection timeline-${e.severity ?? 'info'}` : e.detectionId ? 'timeline-item timeline-evidence' : 'timeline-item'}
          data-testid={e.type === 'detection' ? 'timeline-detection' : 'timeline-event'}
        >
          <span className="timeline-time">
            <Timestamp iso={e.at} stacked />
          </span>
          <span className="timeline-marker" aria-hidden="true" />
          <div className="timeline-body">
            {e.type === 'detection' ? (
              <>
                <div>
                  <SeverityBadge severity={e.severity ?? 'info'} /> <strong className="mono">{e.name}</strong>{' '}
                  {e.stage && <span className="badge badge-soft itdr-stage">{humanize(e.stage)}</span>}
                  {e.source && <span className="muted small"> · {e.source}</span>}
                </div>
                <div className="small">{e.summary}</div>
              </>
            ) : (
              <div className="small">
                <span className="muted">{e.source}</span> <span className="mono">{e.name}</span>{' '}
                <span className={e.outcome === 'failure' ? 'text-danger' : undefined}>{e.summary}</span>
                {e.ip && <span className="mono muted"> · {e.ip}</span>}
                {e.place && <span className="muted"> · {e.place}</span>}
              </div>
            )}
          </div>
        </li>
      ))}
    </ol>
  );
}
