/** Wire shapes of a person's identity state (the Durable Object's RPC answers and inputs). */
import { z } from 'zod';
import type { IdentityEventSummary } from './identity-event';
import type {
  BaselineMaturity,
  Detection,
  IdentityIncident,
  IncidentChange,
  KillChainStage,
  RiskLevel,
  RiskView,
  SessionRecord,
  SeenCount,
} from '../itdr/types';

/** Identity events kept per person; older ones are dropped (the events table keeps everything). */
export const identityEventsKept = 200;
/** Sign-ins (with coordinates) kept per person for the map. */
export const identitySignInsKept = 1000;
/** Risk history points kept per person. */
export const riskHistoryKept = 500;

export const containmentSchema = z.object({
  playbookRunId: z.string(),
  reason: z.string(),
  containedAt: z.string(),
  containedBy: z.string(),
});
export type Containment = z.infer<typeof containmentSchema>;

export interface IdentitySnapshot {
  readonly user: string;
  /** Identity events ever recorded for this person (not only the ones kept). */
  readonly eventCount: number;
  readonly firstSeen: string | null;
  readonly lastSeen: string | null;
  readonly containment: Containment | null;
  /** The most recent identity events, newest first, at most `identityEventsKept`. */
  readonly events: IdentityEventSummary[];
}

/** A detection as the host sees it: the core's, with the sources and addresses of its evidence events. */
export type HostedDetection = Detection & { readonly sources: string[]; readonly ips: string[] };

/** What one `process` call of a person's Durable Object answers (the ingest path turns it into alerts). */
export interface PersonProcessAnswer {
  readonly person: string;
  /** Events not seen before (a retried batch: 0). */
  readonly stored: number;
  readonly eventCount: number;
  readonly lastSeen: string | null;
  /** Provider identities folded into this person (`source:account`). */
  readonly identities: string[];
  readonly detections: HostedDetection[];
  readonly detectionCount: number;
  readonly lastDetection: { kind: string; at: string } | null;
  readonly risk: { score: number; level: RiskLevel };
  readonly stages: KillChainStage[];
  readonly incidentChange: IncidentChange['action'];
  /** The person's incident (open or escalated), with its detections, when this call changed or fed it. */
  readonly incident: (IdentityIncident & { detections: HostedDetection[] }) | null;
}

export interface RiskHistoryPoint {
  readonly at: string;
  readonly score: number;
  readonly level: RiskLevel;
  readonly reason: string | null;
}

export interface SeenValue extends SeenCount {
  readonly value: string;
}

export interface MapPoint {
  readonly at: string;
  readonly lat: number;
  readonly lon: number;
  readonly city: string | null;
  readonly country: string | null;
  readonly ip: string | null;
  readonly outcome: string;
  readonly source: string;
}

export interface MapArc {
  readonly detectionId: string;
  readonly at: string;
  readonly from: { lat: number; lon: number; label: string };
  readonly to: { lat: number; lon: number; label: string };
  readonly speedKmh: number | null;
}

export interface TimelineEntry {
  readonly at: string;
  readonly type: 'detection' | 'event';
  readonly source: string | null;
  /** detection: the kind; event: the provider's action. */
  readonly name: string;
  readonly identityAction: string | null;
  readonly outcome: string | null;
  readonly severity: string | null;
  readonly stage: KillChainStage | null;
  readonly summary: string;
  readonly ip: string | null;
  readonly place: string | null;
  readonly detectionId: string | null;
}

/** `GET /api/identity/users/:id`: the snapshot fields, plus everything ITDR knows about the person. */
export interface PersonView extends IdentitySnapshot {
  readonly identities: string[];
  readonly risk: RiskView;
  readonly riskThresholds: { level: RiskLevel; min: number }[];
  readonly detections: (HostedDetection & { title: string })[];
  readonly stages: { stage: KillChainStage; firstAt: string; lastAt: string; detectionIds: string[] }[];
  readonly incident: IdentityIncident | null;
  readonly baseline: {
    readonly startedAt: string | null;
    readonly signIns: number;
    readonly maturity: BaselineMaturity;
    readonly hourOfWeek: number[];
    readonly countries: SeenValue[];
    readonly cities: SeenValue[];
    readonly asns: SeenValue[];
    readonly ips: SeenValue[];
    readonly devices: SeenValue[];
    readonly apps: SeenValue[];
    readonly mfaMethods: SeenValue[];
    readonly providers: SeenValue[];
    readonly dailyVolume: [string, number][];
    readonly sessionCount: number;
    readonly sessionMeanSeconds: number;
  } | null;
  readonly sessions: SessionRecord[];
  readonly timeline: TimelineEntry[];
  readonly map: { points: MapPoint[]; arcs: MapArc[] };
  readonly riskHistory: RiskHistoryPoint[];
}
