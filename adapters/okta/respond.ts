/**
 * Okta identity responder: the response actions through the Okta Management API
 * (https://developer.okta.com/docs/api/openapi/okta-management/management/tag/User/), with an API token
 * (`Authorization: SSWS …`, as the System Log collector) of an admin allowed to manage users (`okta.users.manage`,
 * e.g. Super Administrator, Organization Administrator, or a custom role with "Edit users' lifecycle states",
 * "Clear users' sessions", "Reset users' authenticators" and "Reset users' passwords").
 *
 * The user is first looked up by id or login (`GET /api/v1/users/{id|login}`), then:
 * - terminate_sessions: `DELETE /api/v1/users/{id}/sessions?oauthTokens=true` — ends every Okta session and, as
 *   Okta documents for oauthTokens=true, revokes the OIDC/OAuth access and refresh tokens issued to the user;
 * - revoke_tokens: `GET /api/v1/users/{id}/clients` then `DELETE /api/v1/users/{id}/clients/{clientId}/tokens` for
 *   each client holding tokens for the user (sessions are left alone);
 * - disable_account: `POST /api/v1/users/{id}/lifecycle/suspend` (SUSPENDED, reversible with unsuspend; Okta only
 *   suspends ACTIVE users) or, with `disableWith: "deactivate"`, `POST …/lifecycle/deactivate?sendEmail=false`
 *   (DEPROVISIONED from any state — it also unassigns the user's apps, which is why it is not the default);
 * - force_password_reset: `POST /api/v1/users/{id}/lifecycle/reset_password?sendEmail=true` — the user moves to
 *   RECOVERY and the current password stops working; the reset link goes to the user's email and never to us.
 *   (`expire_password` is not used: whoever holds the current password — the attacker too — could set the next.)
 * - require_mfa_reenrolment: `GET /api/v1/users/{id}/factors` (what is removed, for the record) then
 *   `POST /api/v1/users/{id}/lifecycle/reset_factors` — every factor is unenrolled; the user enrols again at the
 *   next sign-in as the authenticator enrolment policy requires.
 *
 * Repeats: a user already SUSPENDED/DEPROVISIONED is not suspended again; a user already in RECOVERY is not sent a
 * second reset email (it would invalidate the first link); no factors → nothing to reset. Sessions and token
 * revocation are idempotent at Okta (204 with nothing to end). A suspend answered 400 is re-checked: if the user is
 * SUSPENDED by then (a concurrent action), that counts as done.
 * Errors are Okta's `{errorCode, errorSummary, errorCauses}`; 429 carries `X-Rate-Limit-Reset` (epoch seconds),
 * which sets the retry wait (https://developer.okta.com/docs/reference/rl-best-practices/).
 */
import { z } from 'zod';
import type { IdentityResponder, ResponseAction, ResponseContext, ResponseResult, ResponseSuccess } from '../../core/identity/respond';
import { clip, VendorSession, type VendorAnswer, type VendorDialect, type VendorFailure } from '../identity-response/vendor-session';

const secretName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'a Worker secret name (letters, digits, _)');

export const oktaResponderConfigSchema = z.object({
  provider: z.literal('okta'),
  id: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_-]{0,63}$/)
    .default('okta'),
  orgUrl: z.url().transform((u) => u.replace(/\/+$/, '')),
  tokenSecret: secretName.default('OKTA_API_TOKEN'),
  disableWith: z.enum(['suspend', 'deactivate']).default('suspend'),
});
export type OktaResponderConfig = z.infer<typeof oktaResponderConfigSchema>;

const userSchema = z.object({ id: z.string().min(1), status: z.string(), profile: z.object({ login: z.string() }).partial().optional() });
const clientsSchema = z.array(z.object({ client_id: z.string().min(1), client_name: z.string().optional() }));
const factorsSchema = z.array(z.object({ id: z.string(), factorType: z.string(), provider: z.string().optional() }));

function oktaDialect(orgUrl: string, token: string): VendorDialect {
  return {
    baseUrl: orgUrl,
    authorize: () => Promise.resolve({ kind: 'success', value: { headers: { authorization: `SSWS ${token}` }, cached: false } }),
    isRetryable: (a) => a.status === 429 || a.status >= 500,
    retryAfterMs(a) {
      const reset = Number(a.headers.get('x-rate-limit-reset'));
      return Number.isFinite(reset) && reset > 0 ? Math.max(0, reset * 1000 - Date.now()) : undefined;
    },
    errorMessage: oktaErrorMessage,
  };
}

function oktaErrorMessage(a: VendorAnswer): string {
  const e = a.body as { errorCode?: unknown; errorSummary?: unknown; errorCauses?: { errorSummary?: unknown }[] } | null;
  if (e && typeof e === 'object' && typeof e.errorSummary === 'string') {
    const causes = Array.isArray(e.errorCauses) ? e.errorCauses.map((c) => c?.errorSummary).filter((c): c is string => typeof c === 'string') : [];
    return clip(`Okta answered ${a.status} ${typeof e.errorCode === 'string' ? `${e.errorCode} ` : ''}${e.errorSummary}${causes.length ? ` (${causes.join('; ')})` : ''}`);
  }
  return clip(`Okta answered ${a.status}${typeof a.body === 'string' ? `: ${a.body}` : ''}`);
}

const enc = encodeURIComponent;

export function createOktaResponder(config: OktaResponderConfig): IdentityResponder {
  return {
    provider: 'okta',
    id: config.id,
    secretNames: [config.tokenSecret],
    async perform(action: ResponseAction, user: string, ctx: ResponseContext): Promise<ResponseResult> {
      const base = { action, provider: 'okta' as const, responderId: config.id, user };
      const token = ctx.secret(config.tokenSecret);
      if (!token) {
        return { ...base, ok: false, userId: null, reason: 'not_configured', status: null, message: `the secret ${config.tokenSecret} is not set (wrangler secret put ${config.tokenSecret})`, steps: [] };
      }
      const session = new VendorSession(oktaDialect(config.orgUrl, token), ctx);
      let userId: string | null = null;
      const fail = (f: VendorFailure): ResponseResult => ({ ...base, ok: false, userId, ...f, steps: session.steps });
      const done = (details: string, alreadyDone = false): ResponseSuccess => ({ ...base, ok: true, userId: userId!, alreadyDone, details, steps: session.steps });
      /** Sends a request and answers its answer when its status is one of `ok`, else the failure to return. */
      const expect = async (method: 'GET' | 'POST' | 'DELETE', path: string, ok: number[]): Promise<VendorAnswer | VendorFailure> => {
        const out = await session.send(method, path);
        if (out.kind === 'failure') return out.failure;
        return ok.includes(out.answer.status) ? out.answer : session.failureOf(out.answer);
      };
      const isFailure = (x: VendorAnswer | VendorFailure): x is VendorFailure => 'reason' in x;
      const lookup = async () => {
        const answer = await expect('GET', `/api/v1/users/${enc(userId ?? user)}`, [200]);
        if (isFailure(answer)) return answer;
        const parsed = userSchema.safeParse(answer.body);
        return parsed.success ? parsed.data : ({ reason: 'vendor_error', status: answer.status, message: 'Okta answered a user without id or status' } satisfies VendorFailure);
      };

      const found = await lookup();
      if ('reason' in found) return fail(found);
      userId = found.id;
      const id = enc(found.id);

      switch (action) {
        case 'terminate_sessions': {
          const r = await expect('DELETE', `/api/v1/users/${id}/sessions?oauthTokens=true`, [200, 204]);
          return isFailure(r) ? fail(r) : done('ended all Okta sessions and revoked the OAuth/OIDC tokens issued to the user');
        }
        case 'revoke_tokens': {
          const list = await expect('GET', `/api/v1/users/${id}/clients`, [200]);
          if (isFailure(list)) return fail(list);
          const clients = clientsSchema.safeParse(list.body);
          if (!clients.success) return fail({ reason: 'vendor_error', status: list.status, message: 'Okta answered a client list that is not an array of clients' });
          if (clients.data.length === 0) return done('no OAuth client holds tokens for the user', true);
          for (const client of clients.data) {
            const r = await expect('DELETE', `/api/v1/users/${id}/clients/${enc(client.client_id)}/tokens`, [200, 204, 404]);
            if (isFailure(r)) return fail(r);
          }
          return done(`revoked the tokens of ${clients.data.length} OAuth client(s): ${clients.data.map((c) => c.client_name ?? c.client_id).join(', ')}`);
        }
        case 'disable_account': {
          if (found.status === 'SUSPENDED' || found.status === 'DEPROVISIONED') return done(`already ${found.status}`, true);
          if (config.disableWith === 'deactivate') {
            const r = await expect('POST', `/api/v1/users/${id}/lifecycle/deactivate?sendEmail=false`, [200]);
            return isFailure(r) ? fail(r) : done(`deactivated (status ${found.status} → DEPROVISIONED)`);
          }
          const r = await expect('POST', `/api/v1/users/${id}/lifecycle/suspend`, [200]);
          if (!isFailure(r)) return done(`suspended (status ${found.status} → SUSPENDED)`);
          if (r.status !== 400) return fail(r);
          // Okta refuses to suspend a user that is not ACTIVE: done if a concurrent action suspended it meanwhile.
          const again = await lookup();
          if (!('reason' in again) && (again.status === 'SUSPENDED' || again.status === 'DEPROVISIONED')) return done(`already ${again.status}`, true);
          return fail({ ...r, message: `${r.message} — Okta suspends only ACTIVE users (this one is ${found.status}); configure disableWith: "deactivate" to deactivate instead` });
        }
        case 'force_password_reset': {
          if (found.status === 'RECOVERY') return done('a password reset is already pending (status RECOVERY); no second email sent', true);
          const r = await expect('POST', `/api/v1/users/${id}/lifecycle/reset_password?sendEmail=true`, [200]);
          return isFailure(r) ? fail(r) : done(`password reset: the current password no longer works and a reset email was sent (status ${found.status} → RECOVERY)`);
        }
        case 'require_mfa_reenrolment': {
          const list = await expect('GET', `/api/v1/users/${id}/factors`, [200]);
          if (isFailure(list)) return fail(list);
          const factors = factorsSchema.safeParse(list.body);
          if (!factors.success) return fail({ reason: 'vendor_error', status: list.status, message: 'Okta answered a factor list that is not an array of factors' });
          if (factors.data.length === 0) return done('no factor enrolled; the user enrols at the next sign-in', true);
          const r = await expect('POST', `/api/v1/users/${id}/lifecycle/reset_factors`, [200, 204]);
          return isFailure(r) ? fail(r) : done(`reset ${factors.data.length} factor(s) (${factors.data.map((f) => f.factorType).join(', ')}); the user must enrol again`);
        }
      }
    },
  };
}
