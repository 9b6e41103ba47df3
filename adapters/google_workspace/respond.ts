/**
 * Google Workspace identity responder: the response actions through the Admin SDK Directory API
 * (https://developers.google.com/workspace/admin/directory/reference/rest/v1/users), with a service account acting
 * for a Workspace admin by domain-wide delegation (collect-token.ts, as the Reports collector). The service
 * account's client id must be granted these scopes in the Admin console (Security → API controls → Domain-wide
 * delegation), and the delegated admin must hold an admin role allowed to manage the users concerned:
 * - https://www.googleapis.com/auth/admin.directory.user — look users up, suspend, force a password change;
 * - https://www.googleapis.com/auth/admin.directory.user.security — sign out, tokens, 2-Step Verification, backup
 *   codes.
 *
 * The user is looked up by primary email, alias or id (`GET users/{userKey}?projection=basic`), then:
 * - terminate_sessions: `POST users/{userKey}/signOut` — signs the user out of all web and device sessions and
 *   resets their sign-in cookies;
 * - revoke_tokens: `GET users/{userKey}/tokens`, then `DELETE users/{userKey}/tokens/{clientId}` for each third-party
 *   application the user granted OAuth access to (a 404 on delete means that grant is already gone);
 * - disable_account: `PUT users/{userKey} {"suspended": true}` (skipped when already suspended);
 * - force_password_reset: `PUT users/{userKey} {"changePasswordAtNextLogin": true}` — whoever knows the current
 *   password (an attacker too) can then choose the next one: pair with terminate_sessions and disable_account;
 * - require_mfa_reenrolment: `POST users/{userKey}/twoStepVerification/turnOff` when the user is enrolled in 2SV, and
 *   `POST users/{userKey}/verificationCodes/invalidate` (the backup codes). Honestly: this removes the user's 2SV
 *   enrolment. Only where the organisational unit *enforces* 2SV does the user have to enrol again at the next
 *   sign-in; where 2SV is optional, the account is left without a second factor until the user enrols. Google's
 *   API offers no "re-enrol" action; docs/itdr.md says so.
 *
 * Errors are Google's `{"error": {"code", "message", "errors": [{"reason"}], "status"}}`. 429, 5xx and a 403 whose
 * reason is rateLimitExceeded / userRateLimitExceeded / quotaExceeded (how the Directory API reports quota) are
 * retried, honouring Retry-After when sent.
 */
import { z } from 'zod';
import { parseRetryAfter } from '../../core/collect/transport';
import type { IdentityResponder, ResponseAction, ResponseContext, ResponseResult, ResponseSuccess } from '../../core/identity/respond';
import { clip, VendorSession, type VendorAnswer, type VendorDialect, type VendorFailure } from '../identity-response/vendor-session';
import { parseServiceAccountKey, serviceAccountToken } from './collect-token';

export const directoryUserScope = 'https://www.googleapis.com/auth/admin.directory.user';
export const directoryUserSecurityScope = 'https://www.googleapis.com/auth/admin.directory.user.security';

export const googleResponderConfigSchema = z.object({
  provider: z.literal('google_workspace'),
  id: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_-]{0,63}$/)
    .default('google_workspace'),
  serviceAccountKeySecret: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'a Worker secret name (letters, digits, _)')
    .default('GOOGLE_SERVICE_ACCOUNT_KEY'),
  clientEmail: z.email().optional(),
  /** The Workspace admin the service account acts for (the JWT's `sub`). */
  delegatedAdmin: z.email(),
  tokenUrl: z.url().default('https://oauth2.googleapis.com/token'),
  directoryBaseUrl: z
    .url()
    .default('https://admin.googleapis.com')
    .transform((u) => u.replace(/\/+$/, '')),
});
export type GoogleResponderConfig = z.infer<typeof googleResponderConfigSchema>;

const userSchema = z.object({
  id: z.string().min(1),
  primaryEmail: z.string().optional(),
  suspended: z.boolean().optional(),
  isEnrolledIn2Sv: z.boolean().optional(),
});
const tokensSchema = z.object({ items: z.array(z.object({ clientId: z.string().min(1), displayText: z.string().optional() })).optional() });

const quotaReasons = new Set(['rateLimitExceeded', 'userRateLimitExceeded', 'quotaExceeded']);

function errorReasons(a: VendorAnswer): string[] {
  const errors = (a.body as { error?: { errors?: { reason?: unknown }[] } } | null)?.error?.errors;
  return Array.isArray(errors) ? errors.map((e) => e?.reason).filter((r): r is string => typeof r === 'string') : [];
}

function directoryDialect(config: GoogleResponderConfig, privateKeySecret: string): VendorDialect | string {
  const key = parseServiceAccountKey(privateKeySecret, config.clientEmail);
  if (!key.ok) return key.message;
  const credentials = { tokenUrl: config.tokenUrl, key: key.key, subject: config.delegatedAdmin, scope: `${directoryUserScope} ${directoryUserSecurityScope}` };
  return {
    baseUrl: config.directoryBaseUrl,
    async authorize(fetchImpl, fresh) {
      const token = await serviceAccountToken(fetchImpl, credentials, fresh);
      return token.kind === 'success' ? { kind: 'success', value: { headers: { authorization: `Bearer ${token.value.token}` }, cached: token.value.cached } } : token;
    },
    isRetryable: (a) => a.status === 429 || a.status >= 500 || (a.status === 403 && errorReasons(a).some((r) => quotaReasons.has(r))),
    retryAfterMs: (a) => parseRetryAfter(a.headers.get('retry-after')),
    errorMessage(a) {
      const e = (a.body as { error?: { message?: unknown; status?: unknown } } | null)?.error;
      const reasons = errorReasons(a);
      if (e && typeof e === 'object' && typeof e.message === 'string') {
        return clip(`Google Directory API answered ${a.status} ${e.message}${reasons.length ? ` (${reasons.join(', ')})` : ''}`);
      }
      return clip(`Google Directory API answered ${a.status}${typeof a.body === 'string' ? `: ${a.body}` : ''}`);
    },
  };
}

const enc = encodeURIComponent;
const users = '/admin/directory/v1/users';

export function createGoogleWorkspaceResponder(config: GoogleResponderConfig): IdentityResponder {
  return {
    provider: 'google_workspace',
    id: config.id,
    secretNames: [config.serviceAccountKeySecret],
    async perform(action: ResponseAction, user: string, ctx: ResponseContext): Promise<ResponseResult> {
      const base = { action, provider: 'google_workspace' as const, responderId: config.id, user };
      const secret = ctx.secret(config.serviceAccountKeySecret);
      const dialect = secret ? directoryDialect(config, secret) : `the secret ${config.serviceAccountKeySecret} is not set (wrangler secret put ${config.serviceAccountKeySecret})`;
      if (typeof dialect === 'string') return { ...base, ok: false, userId: null, reason: 'not_configured', status: null, message: dialect, steps: [] };
      const session = new VendorSession(dialect, ctx);
      let userId: string | null = null;
      const fail = (f: VendorFailure): ResponseResult => ({ ...base, ok: false, userId, ...f, steps: session.steps });
      const done = (details: string, alreadyDone = false): ResponseSuccess => ({ ...base, ok: true, userId: userId!, alreadyDone, details, steps: session.steps });
      const isFailure = (x: VendorAnswer | VendorFailure): x is VendorFailure => 'reason' in x;
      const expect = async (method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, ok: number[], body?: unknown): Promise<VendorAnswer | VendorFailure> => {
        const out = await session.send(method, path, body);
        if (out.kind === 'failure') return out.failure;
        return ok.includes(out.answer.status) ? out.answer : session.failureOf(out.answer);
      };

      const lookup = await expect('GET', `${users}/${enc(user)}?projection=basic`, [200]);
      if (isFailure(lookup)) return fail(lookup);
      const found = userSchema.safeParse(lookup.body);
      if (!found.success) return fail({ reason: 'vendor_error', status: lookup.status, message: 'the Directory API answered a user without an id' });
      userId = found.data.id;
      const key = `${users}/${enc(found.data.id)}`;

      switch (action) {
        case 'terminate_sessions': {
          const r = await expect('POST', `${key}/signOut`, [200, 204]);
          return isFailure(r) ? fail(r) : done('signed out of all web and device sessions; sign-in cookies reset');
        }
        case 'revoke_tokens': {
          const list = await expect('GET', `${key}/tokens`, [200]);
          if (isFailure(list)) return fail(list);
          const tokens = tokensSchema.safeParse(list.body);
          if (!tokens.success) return fail({ reason: 'vendor_error', status: list.status, message: 'the Directory API answered a token list without items[]' });
          const items = tokens.data.items ?? [];
          if (items.length === 0) return done('no third-party application holds an OAuth grant from the user', true);
          for (const t of items) {
            const r = await expect('DELETE', `${key}/tokens/${enc(t.clientId)}`, [200, 204, 404]);
            if (isFailure(r)) return fail(r);
          }
          return done(`revoked the OAuth tokens of ${items.length} application(s): ${items.map((t) => t.displayText ?? t.clientId).join(', ')}`);
        }
        case 'disable_account': {
          if (found.data.suspended === true) return done('already suspended', true);
          const r = await expect('PUT', key, [200], { suspended: true });
          return isFailure(r) ? fail(r) : done('suspended (suspended false → true)');
        }
        case 'force_password_reset': {
          const r = await expect('PUT', key, [200], { changePasswordAtNextLogin: true });
          return isFailure(r) ? fail(r) : done('the user must change the password at the next sign-in (changePasswordAtNextLogin)');
        }
        case 'require_mfa_reenrolment': {
          const enrolled = found.data.isEnrolledIn2Sv === true;
          if (enrolled) {
            const r = await expect('POST', `${key}/twoStepVerification/turnOff`, [200, 204]);
            if (isFailure(r)) return fail(r);
          }
          const codes = await expect('POST', `${key}/verificationCodes/invalidate`, [200, 204]);
          if (isFailure(codes)) return fail(codes);
          return done(
            enrolled
              ? '2-Step Verification turned off and backup codes invalidated: the user must enrol again where 2SV is enforced (where it is optional, the account has no second factor until they do)'
              : 'not enrolled in 2-Step Verification; backup codes invalidated',
            !enrolled,
          );
        }
      }
    },
  };
}
