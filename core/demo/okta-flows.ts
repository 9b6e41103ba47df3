/**
 * Okta interactions as sequences of System Log events: an interactive sign-in, app single sign-on, sign-out,
 * admin console work, and the pieces the attack stories need (password-spray failures, push denials, privilege
 * grants, ThreatInsight detections).
 *
 * The sign-in follows Okta Identity Engine order: the sign-on policy evaluates to CHALLENGE once the password
 * is right, the second factor is verified (`system.push.send_factor_verify_push` then
 * `user.authentication.auth_via_mfa` for Okta Verify push; only the latter for WebAuthn), then
 * `user.session.start` SUCCESS opens the session that later `user.authentication.sso` events carry. A wrong
 * password is a `user.session.start` FAILURE with reason INVALID_CREDENTIALS and no session.
 *
 * Invariants:
 * - Everything random (session ids, delays) is drawn from `plan.rng` while planning; builders only draw ids.
 * - Every event of one sign-in shares the session id, client and origin.
 */
import { firstNames, lastNames } from './catalog';
import {
  adminConsoleRef,
  appInstanceRef,
  appUserRef,
  dashboardRef,
  mfaEnrollmentRef,
  oktaEvent,
  oktaSessionId,
  passwordEnrollmentRef,
  userRef,
  type OktaClient,
} from './okta-events';
import type { OktaObjectRef } from './okta-wire-schema';
import { oktaId, type DemoApp, type DemoOrganisation, type DemoUser } from './organisation';
import type { Plan } from './timeline';

const SECOND = 1000;
const MINUTE = 60 * SECOND;

const NORMAL_BEHAVIORS =
  '{New Geo-Location=NEGATIVE, New Device=NEGATIVE, New IP=NEGATIVE, New State=NEGATIVE, New Country=NEGATIVE, Velocity=NEGATIVE, New City=NEGATIVE}';
const ANOMALOUS_BEHAVIORS =
  '{New Geo-Location=POSITIVE, New Device=POSITIVE, New IP=POSITIVE, New State=POSITIVE, New Country=POSITIVE, Velocity=POSITIVE, New City=POSITIVE}';

/** How Okta's risk engine sees a sign-in. */
export interface SignInRisk {
  readonly anomalous: boolean;
  readonly threatSuspected: boolean;
}

const NORMAL_RISK: SignInRisk = { anomalous: false, threatSuspected: false };

function riskData(risk: SignInRisk): { behaviors: string; risk: string; threatSuspected: string } {
  return {
    behaviors: risk.anomalous ? ANOMALOUS_BEHAVIORS : NORMAL_BEHAVIORS,
    risk: risk.anomalous ? '{reasons=Anomalous Location, Anomalous Device, level=HIGH}' : '{level=LOW}',
    threatSuspected: String(risk.threatSuspected),
  };
}

/** A `user.session.start` FAILURE: the password was wrong (or, for a spray, the guess). */
export function recordPasswordFailure(plan: Plan, user: DemoUser, client: OktaClient, t: number, requestUri: string, risk: SignInRisk): void {
  plan.okta(t, (rng) =>
    oktaEvent(t, rng, {
      eventType: 'user.session.start',
      displayMessage: 'User login to Okta',
      legacyEventType: 'core.user_auth.login_failed',
      severity: 'WARN',
      actor: userRef(user),
      client,
      sessionId: 'unknown',
      authentication: { authenticationProvider: 'OKTA_AUTHENTICATION_PROVIDER', credentialProvider: null, credentialType: 'PASSWORD' },
      outcome: { result: 'FAILURE', reason: 'INVALID_CREDENTIALS' },
      target: null,
      debugData: { ...riskData(risk), deviceFingerprint: user.deviceFingerprint },
      requestUri,
    }),
  );
}

/** `policy.evaluate_sign_on` → CHALLENGE: the password was right and the policy asks for a second factor. */
export function recordPolicyChallenge(plan: Plan, org: DemoOrganisation, user: DemoUser, client: OktaClient, t: number, sessionId: string, risk: SignInRisk): void {
  plan.okta(t, (rng) =>
    oktaEvent(t, rng, {
      eventType: 'policy.evaluate_sign_on',
      displayMessage: 'Evaluation of sign-on policy',
      legacyEventType: null,
      severity: 'INFO',
      actor: userRef(user),
      client,
      sessionId,
      outcome: { result: 'CHALLENGE', reason: 'Sign-on policy evaluation resulted in CHALLENGE' },
      target: [
        { id: org.okta.signOnPolicyId, type: 'PolicyEntity', alternateId: 'unknown', displayName: 'Default Policy', detailEntry: { policyType: 'OktaSignOn' } },
        { id: org.okta.mfaRuleId, type: 'PolicyRule', alternateId: org.okta.signOnPolicyId, displayName: 'Require MFA for all sign-ins', detailEntry: null },
      ],
      debugData: { ...riskData(risk), deviceFingerprint: user.deviceFingerprint },
      requestUri: '/idp/idx/identify',
    }),
  );
}

/** `system.push.send_factor_verify_push`: Okta sent an Okta Verify push to the user's phone. */
export function recordPushSent(plan: Plan, user: DemoUser, client: OktaClient, t: number, sessionId: string, risk: SignInRisk): void {
  plan.okta(t, (rng) =>
    oktaEvent(t, rng, {
      eventType: 'system.push.send_factor_verify_push',
      displayMessage: 'Push notification sent for verification',
      legacyEventType: null,
      severity: 'INFO',
      actor: userRef(user),
      client,
      sessionId,
      outcome: { result: 'SUCCESS', reason: null },
      target: [{ ...mfaEnrollmentRef(user), detailEntry: null }],
      debugData: { behaviors: riskData(risk).behaviors },
      requestUri: '/idp/idx/challenge',
    }),
  );
}

/** `user.mfa.okta_verify.deny_push`: the user tapped "No, it's not me". */
export function recordPushDenied(plan: Plan, user: DemoUser, client: OktaClient, t: number, sessionId: string): void {
  plan.okta(t, (rng) =>
    oktaEvent(t, rng, {
      eventType: 'user.mfa.okta_verify.deny_push',
      displayMessage: 'User rejected Okta push verify',
      legacyEventType: null,
      severity: 'WARN',
      actor: userRef(user),
      client,
      sessionId,
      authentication: { authenticationProvider: 'FACTOR_PROVIDER', credentialProvider: 'OKTA_CREDENTIAL_PROVIDER', credentialType: null },
      outcome: { result: 'FAILURE', reason: 'User rejected Okta push verify' },
      target: [userRef(user), mfaEnrollmentRef(user)],
      debugData: { factor: 'OKTA_VERIFY_PUSH', pushOnlyResponseType: 'OV_RESPONSE_DENY' },
      requestUri: '/idp/idx/authenticators/poll',
    }),
  );
}

/** `user.authentication.auth_via_mfa` SUCCESS with the user's factor. */
export function recordMfaSuccess(plan: Plan, user: DemoUser, client: OktaClient, t: number, sessionId: string, risk: SignInRisk): void {
  const push = user.mfaFactor === 'OKTA_VERIFY_PUSH';
  plan.okta(t, (rng) =>
    oktaEvent(t, rng, {
      eventType: 'user.authentication.auth_via_mfa',
      displayMessage: 'Authentication of user via MFA',
      legacyEventType: 'core.user.factor.attempt_success',
      severity: 'INFO',
      actor: userRef(user),
      client,
      sessionId,
      authentication: {
        authenticationProvider: 'FACTOR_PROVIDER',
        credentialProvider: push ? 'OKTA_CREDENTIAL_PROVIDER' : null,
        credentialType: push ? 'OTP' : null,
      },
      outcome: { result: 'SUCCESS', reason: null },
      target: [userRef(user), mfaEnrollmentRef(user)],
      debugData: {
        ...riskData(risk),
        factor: user.mfaFactor,
        factorIntent: 'AUTHENTICATION',
        promptingPolicyTypes: '[OKTA_SIGN_ON]',
        ...(push ? { pushOnlyResponseType: 'OV_RESPONSE_APPROVE' } : {}),
      },
      requestUri: push ? '/idp/idx/authenticators/poll' : '/idp/idx/challenge/answer',
    }),
  );
}

/** `user.session.start` SUCCESS: the Okta session exists from here on. */
export function recordSessionStart(plan: Plan, org: DemoOrganisation, user: DemoUser, client: OktaClient, t: number, sessionId: string, risk: SignInRisk): void {
  plan.okta(t, (rng) =>
    oktaEvent(t, rng, {
      eventType: 'user.session.start',
      displayMessage: 'User login to Okta',
      legacyEventType: 'core.user_auth.login_success',
      severity: 'INFO',
      actor: userRef(user),
      client,
      sessionId,
      authentication: { authenticationProvider: 'OKTA_AUTHENTICATION_PROVIDER', credentialProvider: null, credentialType: 'PASSWORD' },
      outcome: { result: 'SUCCESS', reason: null },
      target: [passwordEnrollmentRef(user), dashboardRef(org)],
      debugData: { ...riskData(risk), deviceFingerprint: user.deviceFingerprint },
      requestUri: '/idp/idx/challenge/answer',
    }),
  );
}

export interface SignInOptions {
  /** The user first mistypes the password. */
  readonly mistype?: boolean;
  readonly risk?: SignInRisk;
}

/**
 * A complete interactive sign-in starting at `t0` (the moment the password is accepted). Returns the session
 * id and the time the session started.
 */
export function recordSignIn(
  plan: Plan,
  org: DemoOrganisation,
  user: DemoUser,
  client: OktaClient,
  t0: number,
  options: SignInOptions = {},
): { sessionId: string; startedAt: number } {
  const risk = options.risk ?? NORMAL_RISK;
  const sessionId = oktaSessionId(plan.rng);
  if (options.mistype) {
    recordPasswordFailure(plan, user, client, t0 - plan.rng.between(15, 75) * SECOND, '/idp/idx/challenge/answer', risk);
  }
  recordPolicyChallenge(plan, org, user, client, t0, sessionId, risk);
  let t = t0;
  if (user.mfaFactor === 'OKTA_VERIFY_PUSH') {
    t += plan.rng.between(0.3, 1.5) * SECOND;
    recordPushSent(plan, user, client, t, sessionId, risk);
    t += plan.rng.between(4, 28) * SECOND;
  } else {
    t += plan.rng.between(3, 10) * SECOND;
  }
  recordMfaSuccess(plan, user, client, t, sessionId, risk);
  t += plan.rng.between(0.15, 0.9) * SECOND;
  recordSessionStart(plan, org, user, client, t, sessionId, risk);
  return { sessionId, startedAt: t };
}

/** `user.authentication.sso` into an app, within an Okta session. */
export function recordSso(plan: Plan, user: DemoUser, client: OktaClient, t: number, sessionId: string, app: DemoApp): void {
  plan.okta(t, (rng) =>
    oktaEvent(t, rng, {
      eventType: 'user.authentication.sso',
      displayMessage: 'User single sign on to app',
      legacyEventType: 'app.auth.sso',
      severity: 'INFO',
      actor: userRef(user),
      client,
      sessionId,
      outcome: { result: 'SUCCESS', reason: null },
      target: [
        appInstanceRef(app),
        appUserRef(app, user),
      ],
      debugData: {
        initiationType: rng.chance(0.7) ? 'IDP_INITIATED' : 'SP_INITIATED',
        signOnMode: app.spec.signOnMode === 'SAML_2_0' ? 'SAML 2.0' : 'OpenID Connect',
      },
      requestUri: `/app/${app.spec.slug}/exk${app.id.slice(3)}/sso/saml`,
    }),
  );
}

/** `user.session.end`: the user signed out. */
export function recordSignOut(plan: Plan, user: DemoUser, client: OktaClient, t: number, sessionId: string): void {
  plan.okta(t, (rng) =>
    oktaEvent(t, rng, {
      eventType: 'user.session.end',
      displayMessage: 'User logout from Okta',
      legacyEventType: 'core.user_auth.logout_success',
      severity: 'INFO',
      actor: userRef(user),
      client,
      sessionId,
      outcome: { result: 'SUCCESS', reason: null },
      target: null,
      requestUri: '/login/signout',
    }),
  );
}

/** `user.session.access_admin_app`: an admin opened the Okta Admin Console. */
export function recordAdminConsoleAccess(plan: Plan, org: DemoOrganisation, user: DemoUser, client: OktaClient, t: number, sessionId: string): void {
  plan.okta(t, (rng) =>
    oktaEvent(t, rng, {
      eventType: 'user.session.access_admin_app',
      displayMessage: 'User accessing Okta admin app',
      legacyEventType: null,
      severity: 'INFO',
      actor: userRef(user),
      client,
      sessionId,
      outcome: { result: 'SUCCESS', reason: null },
      target: [adminConsoleRef(org)],
      requestUri: '/admin/sso/callback',
    }),
  );
}

/** `user.account.privilege.grant`: `actor` gave `grantee` an Okta admin role. */
export function recordPrivilegeGrant(
  plan: Plan,
  actor: DemoUser,
  client: OktaClient,
  t: number,
  sessionId: string,
  grantee: DemoUser,
  role: { readonly id: string; readonly name: string; readonly privilege: string },
): void {
  plan.okta(t, (rng) =>
    oktaEvent(t, rng, {
      eventType: 'user.account.privilege.grant',
      displayMessage: 'Grant user privilege',
      legacyEventType: 'core.user.admin_privilege.granted',
      severity: 'INFO',
      actor: userRef(actor),
      client,
      sessionId,
      outcome: { result: 'SUCCESS', reason: null },
      target: [
        userRef(grantee),
        { id: 'ROLE_ASSIGNED', type: 'ROLE_ASSIGNED', alternateId: 'unknown', displayName: 'Role Assigned', detailEntry: null },
        { id: role.id, type: 'ROLE', alternateId: 'unknown', displayName: role.name, detailEntry: null },
      ],
      debugData: { privilegeGranted: role.privilege },
      requestUri: `/api/internal/administrators/${grantee.oktaId}`,
    }),
  );
}

/** `security.threat.detected`: ThreatInsight flagged a source address (log-only mode, so ALLOW). */
export function recordThreatDetected(plan: Plan, client: OktaClient, t: number, threat: string): void {
  plan.okta(t, (rng) =>
    oktaEvent(t, rng, {
      eventType: 'security.threat.detected',
      displayMessage: 'Request from suspicious actor',
      legacyEventType: null,
      severity: 'WARN',
      actor: { id: 'unknown', type: 'User', alternateId: 'unknown', displayName: 'unknown', detailEntry: null },
      client,
      sessionId: 'unknown',
      outcome: { result: 'ALLOW', reason: threat },
      target: null,
      debugData: { threatSuspected: 'true', threatDetections: `{"${threat}":"HIGH"}` },
      requestUri: '/api/v1/authn',
    }),
  );
}

/**
 * An admin's routine directory work in the Admin Console: group and app assignments, onboarding a new hire,
 * offboarding a contractor. `colleagues` are the people whose memberships change.
 */
export function recordAdminTasks(
  plan: Plan,
  org: DemoOrganisation,
  admin: DemoUser,
  client: OktaClient,
  t0: number,
  sessionId: string,
  colleagues: readonly DemoUser[],
): void {
  recordAdminConsoleAccess(plan, org, admin, client, t0, sessionId);
  const tasks = plan.rng.int(1, 3);
  let t = t0;
  for (let i = 0; i < tasks; i++) {
    t += plan.rng.between(1, 25) * MINUTE;
    const kind = plan.rng.weighted([
      ['group-add', 5],
      ['group-remove', 2],
      ['app-assign', 3],
      ['onboard', 1],
      ['offboard', 1],
    ] as const);
    const colleague = plan.rng.pick(colleagues);
    const group = plan.rng.pick(org.groups);
    const app = plan.rng.pick(colleague.apps);
    switch (kind) {
      case 'group-add':
      case 'group-remove':
        recordGroupMembership(plan, admin, client, t, sessionId, colleague, group, kind === 'group-add');
        break;
      case 'app-assign':
        recordAppAssignment(plan, admin, client, t, sessionId, colleague, app);
        break;
      case 'onboard': {
        const newcomer = newAccount(plan, org, 'employee');
        recordLifecycle(plan, admin, client, t, sessionId, newcomer, 'create');
        recordLifecycle(plan, admin, client, t + plan.rng.between(20, 90) * SECOND, sessionId, newcomer, 'activate');
        break;
      }
      case 'offboard':
        recordLifecycle(plan, admin, client, t, sessionId, newAccount(plan, org, 'contractor'), 'deactivate');
        break;
    }
  }
}

function recordGroupMembership(
  plan: Plan,
  admin: DemoUser,
  client: OktaClient,
  t: number,
  sessionId: string,
  member: DemoUser,
  group: { readonly name: string; readonly id: string },
  add: boolean,
): void {
  plan.okta(t, (rng) =>
    oktaEvent(t, rng, {
      eventType: add ? 'group.user_membership.add' : 'group.user_membership.remove',
      displayMessage: add ? 'Add user to group membership' : 'Remove user from group membership',
      legacyEventType: add ? 'core.user_group_member.user_add' : 'core.user_group_member.user_remove',
      severity: 'INFO',
      actor: userRef(admin),
      client,
      sessionId,
      outcome: { result: 'SUCCESS', reason: null },
      target: [userRef(member), { id: group.id, type: 'UserGroup', alternateId: 'unknown', displayName: group.name, detailEntry: null }],
      requestUri: `/api/v1/groups/${group.id}/users/${member.oktaId}`,
    }),
  );
}

function recordAppAssignment(plan: Plan, admin: DemoUser, client: OktaClient, t: number, sessionId: string, member: DemoUser, app: DemoApp): void {
  plan.okta(t, (rng) =>
    oktaEvent(t, rng, {
      eventType: 'application.user_membership.add',
      displayMessage: 'Add user to application membership',
      legacyEventType: 'app.generic.provision.assign_user_to_app',
      severity: 'INFO',
      actor: userRef(admin),
      client,
      sessionId,
      outcome: { result: 'SUCCESS', reason: null },
      target: [
        appUserRef(app, member),
        appInstanceRef(app),
        userRef(member),
      ],
      requestUri: `/api/v1/apps/${app.id}/users`,
    }),
  );
}

/** An Okta account outside the generated workforce (a new hire, a departing contractor). */
interface OutsideAccount {
  readonly ref: OktaObjectRef;
}

function newAccount(plan: Plan, org: DemoOrganisation, kind: 'employee' | 'contractor'): OutsideAccount {
  const first = plan.rng.pick(firstNames);
  const last = plan.rng.pick(lastNames);
  const local = `${first}.${last}`.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
  const email = kind === 'contractor' ? `ext.${local}@${org.domain}` : `${local}.${plan.rng.int(10, 99)}@${org.domain}`;
  return { ref: { id: oktaId(plan.rng, '00u', org.oktaIdSuffix), type: 'User', alternateId: email, displayName: `${first} ${last}`, detailEntry: null } };
}

function recordLifecycle(
  plan: Plan,
  admin: DemoUser,
  client: OktaClient,
  t: number,
  sessionId: string,
  account: OutsideAccount,
  change: 'create' | 'activate' | 'deactivate',
): void {
  const spec = {
    create: { message: 'Create Okta user', legacy: 'core.user.config.user_creation.success' },
    activate: { message: 'Activate Okta user', legacy: 'core.user.config.user_activated' },
    deactivate: { message: 'Deactivate Okta user', legacy: 'core.user.config.user_deactivated' },
  }[change];
  plan.okta(t, (rng) =>
    oktaEvent(t, rng, {
      eventType: `user.lifecycle.${change}`,
      displayMessage: spec.message,
      legacyEventType: spec.legacy,
      severity: 'INFO',
      actor: userRef(admin),
      client,
      sessionId,
      outcome: { result: 'SUCCESS', reason: null },
      target: [account.ref],
      requestUri: change === 'create' ? '/api/v1/users' : `/api/v1/users/${account.ref.id}/lifecycle/${change}`,
    }),
  );
}

