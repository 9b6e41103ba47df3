import { describe, expect, it } from 'vitest';
import { defaultItdrConfig } from './config';
import { addRiskFactor, evaluateIncident, hitStage, riskLevel, riskView } from './risk';
import type { Detection, KillChainStage, StageHit } from './types';

const detection = (id: string, stage: KillChainStage, at: string, score = 40): Detection => ({
  id,
  kind: 'impossible_travel',
  severity: 'high',
  at,
  user: 'alice@acme.test',
  stage,
  mitre: ['T1078'],
  score,
  evidence: { eventUids: [`${id}-e`], summary: '', details: {} },
});

describe('risk', () => {
  it('halves a factor after one half-life and lists it in the breakdown', () => {
    const factors = addRiskFactor([], detection('d1', 'initial_access', '2026-11-24T00:00:00.000Z'), defaultItdrConfig.risk);
    expect(riskView(factors, '2026-11-24T00:00:00.000Z', defaultItdrConfig.risk).score).toBe(40);
    const later = riskView(factors, '2026-11-25T00:00:00.000Z', defaultItdrConfig.risk);
    expect(later.score).toBe(20);
    expect(later.breakdown).toEqual([{ kind: 'impossible_travel', detectionId: 'd1', contribution: 20, at: '2026-11-24T00:00:00.000Z', eventUids: ['d1-e'] }]);
  });

  it('caps the score at 100 and orders the breakdown by contribution', () => {
    let factors = addRiskFactor([], detection('a', 'initial_access', '2026-11-24T00:00:00.000Z', 60), defaultItdrConfig.risk);
    factors = addRiskFactor(factors, detection('b', 'credential_attack', '2026-11-24T00:00:00.000Z', 70), defaultItdrConfig.risk);
    const view = riskView(factors, '2026-11-24T00:00:00.000Z', defaultItdrConfig.risk);
    expect(view.score).toBe(100);
    expect(view.level).toBe('critical');
    expect(view.breakdown.map((b) => b.detectionId)).toEqual(['b', 'a']);
  });

  it.each([
    [0, 'none'],
    [5, 'low'],
    [30, 'medium'],
    [60, 'high'],
    [85, 'critical'],
  ] as const)('score %i is %s', (score, level) => {
    expect(riskLevel(score, defaultItdrConfig.risk)).toBe(level);
  });
});

describe('incident rule', () => {
  const cfg = defaultItdrConfig.incident;
  const stagesOf = (...ds: Detection[]): StageHit[] => ds.reduce<StageHit[]>((acc, d) => hitStage(acc, d), []);

  it('does nothing for one stage, however many detections', () => {
    const stages = stagesOf(detection('a', 'initial_access', '2026-11-24T00:00:00.000Z'), detection('b', 'initial_access', '2026-11-24T01:00:00.000Z'));
    expect(evaluateIncident('alice@acme.test', stages, null, '2026-11-24T01:00:00.000Z', cfg).change.action).toBe('none');
  });

  it('opens at two stages and escalates at three', () => {
    const two = stagesOf(detection('a', 'credential_attack', '2026-11-24T00:00:00.000Z'), detection('b', 'initial_access', '2026-11-24T01:00:00.000Z'));
    const opened = evaluateIncident('alice@acme.test', two, null, '2026-11-24T01:00:00.000Z', cfg);
    expect(opened.change.action).toBe('open');
    expect(opened.incident?.stages).toEqual(['credential_attack', 'initial_access']);
    expect(opened.incident?.status).toBe('open');
    const three = hitStage(two, detection('c', 'privilege_escalation', '2026-11-24T02:00:00.000Z'));
    const escalated = evaluateIncident('alice@acme.test', three, opened.incident, '2026-11-24T02:00:00.000Z', cfg);
    expect(escalated.change.action).toBe('escalate');
    expect(escalated.incident?.status).toBe('escalated');
    expect(escalated.incident?.id).toBe(opened.incident?.id);
    expect(escalated.incident?.detectionIds).toEqual(['a', 'b', 'c']);
  });

  it('does not count stages older than the window', () => {
    const stages = stagesOf(detection('a', 'credential_attack', '2026-11-01T00:00:00.000Z'), detection('b', 'initial_access', '2026-11-24T01:00:00.000Z'));
    expect(evaluateIncident('alice@acme.test', stages, null, '2026-11-24T01:00:00.000Z', cfg).change.action).toBe('none');
  });

  it('expires an incident whose stages left the window, so a later attack opens a new one', () => {
    const old = stagesOf(detection('a', 'credential_attack', '2026-11-01T00:00:00.000Z'), detection('b', 'initial_access', '2026-11-01T01:00:00.000Z'));
    const first = evaluateIncident('alice@acme.test', old, null, '2026-11-01T01:00:00.000Z', cfg).incident;
    const fresh = hitStage(hitStage(old, detection('c', 'credential_attack', '2026-11-24T00:00:00.000Z')), detection('d', 'persistence', '2026-11-24T00:10:00.000Z'));
    const second = evaluateIncident('alice@acme.test', fresh, first, '2026-11-24T00:10:00.000Z', cfg);
    expect(second.change.action).toBe('open');
    expect(second.incident?.id).not.toBe(first?.id);
  });
});
