/**
 * The detector catalog: for every detection kind its kill-chain stage, MITRE ATT&CK techniques
 * (https://attack.mitre.org/techniques/enterprise/), default severity and risk points. One table, so the
 * README, the API and the engine cannot disagree.
 */
import type { DetectionKind, DetectionSeverity, KillChainStage } from './types';

export interface DetectorSpec {
  readonly stage: KillChainStage;
  readonly mitre: readonly string[];
  readonly severity: DetectionSeverity;
  /** Risk points added when it fires (before decay). */
  readonly score: number;
  readonly title: string;
}

export const detectorCatalog: Readonly<Record<DetectionKind, DetectorSpec>> = {
  impossible_travel: { stage: 'initial_access', mitre: ['T1078', 'T1078.004'], severity: 'high', score: 40, title: 'Impossible travel' },
  new_country: { stage: 'initial_access', mitre: ['T1078'], severity: 'medium', score: 15, title: 'Sign-in from a new country' },
  new_city: { stage: 'initial_access', mitre: ['T1078'], severity: 'low', score: 5, title: 'Sign-in from a new city' },
  new_asn: { stage: 'initial_access', mitre: ['T1078'], severity: 'low', score: 8, title: 'Sign-in from a new network (ASN)' },
  new_device: { stage: 'initial_access', mitre: ['T1078'], severity: 'low', score: 8, title: 'Sign-in from a new device' },
  unusual_hour: { stage: 'initial_access', mitre: ['T1078'], severity: 'low', score: 5, title: 'Sign-in at an unusual hour' },
  brute_force: { stage: 'credential_attack', mitre: ['T1110.001'], severity: 'medium', score: 20, title: 'Brute force against one account' },
  password_spray: { stage: 'credential_attack', mitre: ['T1110.003'], severity: 'medium', score: 15, title: 'Password spray' },
  credential_stuffing: { stage: 'credential_attack', mitre: ['T1110.004'], severity: 'medium', score: 15, title: 'Credential stuffing' },
  spray_then_success: { stage: 'initial_access', mitre: ['T1110.003', 'T1078'], severity: 'critical', score: 50, title: 'Successful sign-in after a credential attack' },
  mfa_fatigue: { stage: 'credential_attack', mitre: ['T1621'], severity: 'high', score: 40, title: 'MFA fatigue (push flood, then accepted)' },
  mfa_factor_removed_then_signin: { stage: 'defense_evasion', mitre: ['T1556.006', 'T1098.005'], severity: 'high', score: 35, title: 'MFA factor removed, then a sign-in' },
  privilege_escalation: { stage: 'privilege_escalation', mitre: ['T1098.003', 'T1078.004'], severity: 'high', score: 40, title: 'Administrative privilege granted' },
  dormant_account_reactivation: { stage: 'initial_access', mitre: ['T1078'], severity: 'medium', score: 25, title: 'Dormant account signs in again' },
  session_hijack: { stage: 'initial_access', mitre: ['T1550.004', 'T1539'], severity: 'high', score: 45, title: 'Session reused from another network and device' },
  concurrent_sessions: { stage: 'initial_access', mitre: ['T1078'], severity: 'medium', score: 25, title: 'Concurrent sessions from distant places' },
  token_anomaly: { stage: 'persistence', mitre: ['T1528', 'T1550.001'], severity: 'medium', score: 25, title: 'New token, then used from an unknown network' },
  illicit_oauth_consent: { stage: 'persistence', mitre: ['T1528'], severity: 'medium', score: 25, title: 'OAuth consent to an application unknown in the organisation' },
  volume_spike: { stage: 'lateral_movement', mitre: ['T1021.007'], severity: 'medium', score: 15, title: 'Identity event volume spike' },
};
