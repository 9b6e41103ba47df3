/**
 * The demo dataset's attack stories, replayed through the real parsers and the ITDR core (hourly batches, the
 * hosts' order): each story is detected on the right person with the right kill-chain stage, and nobody
 * outside the stories gets a detection.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { describeDemoStories, type DemoStoryCast } from '../demo/dataset';
import { parseItdrConfig } from './config';
import { demoIdentityBatches } from './demo-replay-support';
import { ItdrReplay, type ReplayBatchResult } from './replay';
import type { Detection, DetectionKind } from './types';

const options = { seed: 1, users: 50, days: 14, end: '2026-11-27T16:00:00Z' };
// AWS IAM user names are the people's email local parts: `paisley.brown` is paisley.brown@acme-demo.test.
const config = parseItdrConfig({ identity: { defaultDomain: 'acme-demo.test' } });
let stories: DemoStoryCast;
let detections: Detection[];
let incidents: ReplayBatchResult['incidentChanges'];
let replay: ItdrReplay;

beforeAll(() => {
  stories = describeDemoStories(options);
  replay = new ItdrReplay(config);
  detections = [];
  incidents = [];
  for (const batch of demoIdentityBatches(options, 60)) {
    const result = replay.ingest(batch.events, batch.end);
    detections.push(...result.detections);
    incidents.push(...result.incidentChanges);
  }
}, 300_000);

const on = (user: string, kind: DetectionKind): Detection[] => detections.filter((d) => d.user === user && d.kind === kind);
const minutesBetween = (a: string, b: string): number => Math.abs(Date.parse(a) - Date.parse(b)) / 60_000;

describe('demo attack stories through the ITDR core', () => {
  it('(a) detects the password spray on every target, from the attacker address', () => {
    const spray = stories.passwordSpray;
    const sprayed = detections.filter((d) => d.kind === 'password_spray');
    expect(new Set(sprayed.map((d) => d.user))).toEqual(new Set(spray.targets));
    expect(sprayed.every((d) => d.stage === 'credential_attack' && d.evidence.details.sourceIp === spray.attackerIp)).toBe(true);
  });

  it('(a) detects MFA fatigue and the success after the spray on the victim', () => {
    const victim = stories.passwordSpray.victim;
    const [fatigue] = on(victim, 'mfa_fatigue');
    expect(fatigue?.stage).toBe('credential_attack');
    expect(fatigue?.evidence.details.denials).toBe(stories.passwordSpray.pushesDenied);
    expect(minutesBetween(fatigue!.at, stories.passwordSpray.sessionStartedAt)).toBeLessThan(2);
    const [success] = on(victim, 'spray_then_success');
    expect(success?.stage).toBe('initial_access');
  });

  it('(a) detects the privilege escalation by the victim, and the grantee receiving it', () => {
    const spray = stories.passwordSpray;
    const [granter] = on(spray.victim, 'privilege_escalation');
    expect(granter?.stage).toBe('privilege_escalation');
    expect(granter?.at).toBe(spray.privilegeGrantedAt);
    expect(granter?.evidence.details.grantee).toBe(spray.privilegeGrantedTo);
    expect(on(spray.privilegeGrantedTo, 'privilege_escalation')).toHaveLength(1);
  });

  it('(a) opens one escalated identity incident for the victim across three stages', () => {
    const victim = stories.passwordSpray.victim;
    const mine = incidents.filter((i) => i.person === victim);
    expect(mine).toHaveLength(1);
    expect(mine[0]!.change.incident.status).toBe('escalated');
    expect(replay.users.get(victim)?.incident?.stages).toEqual(['credential_attack', 'initial_access', 'privilege_escalation']);
  });

  it('(c) detects impossible travel on the traveller at the foreign sign-in', () => {
    const travel = stories.impossibleTravel;
    const found = on(travel.user, 'impossible_travel');
    expect(found).toHaveLength(1);
    expect(found[0]!.stage).toBe('initial_access');
    expect(found[0]!.evidence.details.toIp).toBe(travel.foreignIp);
    expect(minutesBetween(found[0]!.at, travel.foreignSignInAt)).toBeLessThan(2);
  });

  it('(e) detects the dormant account reactivation on the sleeper', () => {
    const dormant = stories.dormantAccount;
    const found = on(dormant.user, 'dormant_account_reactivation');
    expect(found).toHaveLength(1);
    expect(found[0]!.stage).toBe('initial_access');
    expect(found[0]!.evidence.details.sourceIp).toBe(dormant.sourceIp);
    expect(found[0]!.evidence.details.idleDays).toBe(dormant.inactiveDays);
  });

  it('(f) detects the session hijack on the person whose session was stolen', () => {
    const hijack = stories.sessionHijack;
    const found = on(hijack.user, 'session_hijack');
    expect(found).toHaveLength(1);
    expect(found[0]!.stage).toBe('initial_access');
    expect(found[0]!.at).toBe(hijack.firstReuseAt);
    expect(found[0]!.evidence.details.sessionId).toBe(hijack.sessionId);
    expect(found[0]!.evidence.details.newIp).toBe(hijack.hijackIp);
  });

  it('produces no detection for anyone outside the stories', () => {
    const cast = new Set([
      ...stories.passwordSpray.targets,
      stories.passwordSpray.privilegeGrantedTo,
      stories.impossibleTravel.user,
      stories.dormantAccount.user,
      stories.sessionHijack.user,
      // (b) in CloudTrail: the backdoor user the victim's IAM user creates and makes an administrator.
      `${stories.cloudTakeover.backdoorIamUser}@acme-demo.test`,
    ]);
    expect(detections.filter((d) => !cast.has(d.user)).map((d) => `${d.kind} ${d.user} ${d.at}`)).toEqual([]);
  });
});
