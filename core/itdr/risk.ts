/**
 * Risk score and kill chain, as pure functions.
 *
 * Risk: every detection adds its points as a factor; a factor's contribution at time t is
 * `points × 0.5^((t − at) / halfLife)`; the score is the sum, capped at 100 and rounded. The breakdown lists
 * each factor's decayed contribution, largest first, so a reader sees which events made the score.
 *
 * Kill chain: each detection marks its stage (catalog.ts) as hit at its time. The incident rule: a person with
 * at least `openAtStages` distinct stages hit within `windowHours` opens an identity incident; reaching
 * `escalateAtStages` escalates it. An incident with no detection for `windowHours` expires, so a later attack
 * opens a new one.
 */
import type { ItdrConfig } from './config';
import type { Detection, IdentityIncident, IncidentChange, KillChainStage, RiskFactor, RiskLevel, RiskView, StageHit } from './types';
import { killChainStages } from './types';

const HOUR_MS = 3_600_000;

export function decayedPoints(factor: Pick<RiskFactor, 'points' | 'at'>, asOfMs: number, halfLifeHours: number): number {
  const ageHours = Math.max(0, asOfMs - Date.parse(factor.at)) / HOUR_MS;
  return halfLifeHours > 0 ? factor.points * 0.5 ** (ageHours / halfLifeHours) : factor.points;
}

export function riskLevel(score: number, config: ItdrConfig['risk']): RiskLevel {
  if (score >= config.critical) return 'critical';
  if (score >= config.high) return 'high';
  if (score >= config.medium) return 'medium';
  if (score >= config.low) return 'low';
  return 'none';
}

export function riskView(factors: readonly RiskFactor[], asOf: string, config: ItdrConfig['risk']): RiskView {
  const asOfMs = Date.parse(asOf);
  const breakdown = factors
    .map((f) => ({
      kind: f.kind,
      detectionId: f.detectionId,
      contribution: Math.round(decayedPoints(f, asOfMs, config.halfLifeHours) * 10) / 10,
      at: f.at,
      eventUids: f.eventUids,
    }))
    .filter((b) => b.contribution > 0)
    .sort((a, b) => b.contribution - a.contribution || a.at.localeCompare(b.at));
  const total = breakdown.reduce((sum, b) => sum + b.contribution, 0);
  const score = Math.min(100, Math.round(total));
  return { score, level: riskLevel(score, config), asOf, breakdown };
}

/** Adds a detection's factor and drops factors that decayed away or exceed the cap (oldest first). */
export function addRiskFactor(factors: readonly RiskFactor[], detection: Detection, config: ItdrConfig['risk']): RiskFactor[] {
  const at = Date.parse(detection.at);
  const kept = factors.filter((f) => decayedPoints(f, at, config.halfLifeHours) >= 0.5);
  kept.push({ kind: detection.kind, detectionId: detection.id, points: detection.score, at: detection.at, eventUids: detection.evidence.eventUids });
  kept.sort((a, b) => a.at.localeCompare(b.at));
  return kept.slice(Math.max(0, kept.length - config.maxFactors));
}

/** Marks the detection's stage as hit. */
export function hitStage(stages: readonly StageHit[], detection: Detection): StageHit[] {
  const next = stages.map((s) => ({ ...s, detectionIds: [...s.detectionIds] }));
  const hit = next.find((s) => s.stage === detection.stage);
  if (hit) {
    if (detection.at < hit.firstAt) hit.firstAt = detection.at;
    if (detection.at > hit.lastAt) hit.lastAt = detection.at;
    hit.detectionIds = [...hit.detectionIds.filter((id) => id !== detection.id), detection.id].slice(-20);
  } else {
    next.push({ stage: detection.stage, firstAt: detection.at, lastAt: detection.at, detectionIds: [detection.id] });
  }
  return next.sort((a, b) => killChainStages.indexOf(a.stage) - killChainStages.indexOf(b.stage));
}

/** Stages hit within the incident window ending at `now`, in kill-chain order. */
export function activeStages(stages: readonly StageHit[], now: string, config: ItdrConfig['incident']): KillChainStage[] {
  const from = Date.parse(now) - config.windowHours * HOUR_MS;
  return stages.filter((s) => Date.parse(s.lastAt) >= from).map((s) => s.stage);
}

/**
 * The incident rule. Returns the person's incident after `now` and what changed: `open` when the active stages
 * reach `openAtStages` and no incident is open, `escalate` when an open incident's stages reach
 * `escalateAtStages`.
 */
export function evaluateIncident(
  person: string,
  stages: readonly StageHit[],
  current: IdentityIncident | null,
  now: string,
  config: ItdrConfig['incident'],
): { incident: IdentityIncident | null; change: IncidentChange } {
  const active = activeStages(stages, now, config);
  const activeHits = stages.filter((s) => active.includes(s.stage));
  const detectionIds = [...new Set(activeHits.flatMap((s) => s.detectionIds))];
  let incident = current;
  if (incident !== null && Date.parse(incident.lastAt) < Date.parse(now) - config.windowHours * HOUR_MS) incident = null;
  if (incident === null) {
    if (active.length < config.openAtStages) return { incident: null, change: { action: 'none' } };
    const openedAt = activeHits.map((s) => s.lastAt).sort().at(-1) ?? now;
    const opened: IdentityIncident = {
      id: `incident:${person}:${openedAt}`,
      person,
      status: active.length >= config.escalateAtStages ? 'escalated' : 'open',
      openedAt,
      escalatedAt: active.length >= config.escalateAtStages ? openedAt : null,
      lastAt: openedAt,
      stages: active,
      detectionIds,
    };
    return { incident: opened, change: { action: 'open', incident: opened } };
  }
  const merged = killChainStages.filter((s) => incident!.stages.includes(s) || active.includes(s));
  const updated: IdentityIncident = {
    ...incident,
    lastAt: now > incident.lastAt ? now : incident.lastAt,
    stages: merged,
    detectionIds: [...new Set([...incident.detectionIds, ...detectionIds])].slice(-100),
  };
  if (incident.status === 'open' && merged.length >= config.escalateAtStages) {
    const escalated: IdentityIncident = { ...updated, status: 'escalated', escalatedAt: now };
    return { incident: escalated, change: { action: 'escalate', incident: escalated } };
  }
  return { incident: updated, change: { action: 'none' } };
}
