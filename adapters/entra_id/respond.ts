/**
 * Microsoft Entra ID identity responder: the response actions through Microsoft Graph v1.0, with an app-only token
 * from the client credentials grant (collect-token.ts, as the Graph collectors). The app registration needs these
 * application permissions, admin-consented:
 * - User.Read.All — look the user up (`GET /users/{id|userPrincipalName}`);
 * - User.RevokeSessions.All — terminate_sessions and revoke_tokens;
 * - User.EnableDisableAccount.All — disable_account (User.ReadWrite.All also works);
 * - User-PasswordProfile.ReadWrite.All — force_password_reset (User.ReadWrite.All also works);
 * - UserAuthenticationMethod.ReadWrite.All — require_mfa_reenrolment.
 * Graph refuses to change administrators with these alone: acting on a privileged user needs the app to hold a
 * directory role at least as privileged (e.g. Privileged Authentication Administrator).
 *
 * Actions:
 * - terminate_sessions and revoke_tokens: `POST /users/{id}/revokeSignInSessions` — Graph's one call for both: it
 *   resets signInSessionsValidFromDateTime, which invalidates every refresh token and session cookie issued before
 *   (access tokens already issued stay valid until they expire, up to an hour);
 * - disable_account: `PATCH /users/{id} {"accountEnabled": false}` (skipped when already disabled);
 * - force_password_reset: `PATCH /users/{id} {"passwordProfile": {"forceChangePasswordNextSignIn": true}}` — the
 *   user must choose a new password at the next sign-in. Whoever knows the current password (an attacker too) can
 *   do so: pair it with terminate_sessions and disable_account until the user is reached;
 * - require_mfa_reenrolment: `GET /users/{id}/authentication/methods`, then a DELETE of each registered method on its
 *   type's endpoint (`/authentication/{microsoftAuthenticatorMethods|phoneMethods|softwareOathMethods|fido2Methods|
 *   emailMethods|windowsHelloForBusinessMethods|temporaryAccessPassMethods|platformCredentialMethods}/{id}`), phone
 *   methods last (a phone is most often the default MFA method: removing it last means
 *   a failure part-way leaves the user with their default, not with an odd remaining method). The password method cannot be deleted
 *   and is kept; a method type without a delete endpoint is reported as left in place.
 *
 * Errors are Graph's `{"error": {"code", "message"}}`; 429 (and 503) carry Retry-After
 * (https://learn.microsoft.com/en-us/graph/throttling), honoured by the retry wrapper.
 */
import { z } from 'zod';
import { parseRetryAfter } from '../../core/collect/transport';
import type { IdentityResponder, ResponseAction, ResponseContext, ResponseResult, ResponseSuccess } from '../../core/identity/respond';
import { clip, VendorSession, type VendorAnswer, type VendorDialect, type VendorFailure } from '../identity-response/vendor-session';
import { clientCredentialsToken, microsoftTokenUrl } from './collect-token';

const secretName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'a Worker secret name (letters, digits, _)');

export const entraResponderConfigSchema = z
  .object({
    provider: z.literal('entra_id'),
    id: z
      .string()
      .regex(/^[a-z0-9][a-z0-9_-]{0,63}$/)
      .default('entra_id'),
    tenantId: z.string().regex(/^[A-Za-z0-9.-]+$/, 'a tenant GUID or domain'),
    clientId: z.string().min(1),
    clientSecretName: secretName.default('GRAPH_CLIENT_SECRET'),
    tokenUrl: z.url().optional(),
    graphBaseUrl: z
      .url()
      .default('https://graph.microsoft.com')
      .transform((u) => u.replace(/\/+$/, '')),
  })
  .transform((c) => ({ ...c, tokenUrl: c.tokenUrl ?? microsoftTokenUrl(c.tenantId) }));
export type EntraResponderConfig = z.infer<typeof entraResponderConfigSchema>;

const graphScope = 'https://graph.microsoft.com/.default';

const userSchema = z.object({ id: z.string().min(1), userPrincipalName: z.string().optional(), accountEnabled: z.boolean().nullable().optional() });
const methodsSchema = z.object({ value: z.array(z.object({ '@odata.type': z.string(), id: z.string().min(1) })) });

/** Graph's method types and the endpoint each is deleted on; phone is last (see the header). */
export const deletableMethodEndpoints: Readonly<Record<string, string>> = {
  '#microsoft.graph.microsoftAuthenticatorAuthenticationMethod': 'microsoftAuthenticatorMethods',
  '#microsoft.graph.softwareOathAuthenticationMethod': 'softwareOathMethods',
  '#microsoft.graph.fido2AuthenticationMethod': 'fido2Methods',
  '#microsoft.graph.emailAuthenticationMethod': 'emailMethods',
  '#microsoft.graph.windowsHelloForBusinessAuthenticationMethod': 'windowsHelloForBusinessMethods',
  '#microsoft.graph.temporaryAccessPassAuthenticationMethod': 'temporaryAccessPassMethods',
  '#microsoft.graph.platformCredentialAuthenticationMethod': 'platformCredentialMethods',
  '#microsoft.graph.phoneAuthenticationMethod': 'phoneMethods',
};
const passwordMethod = '#microsoft.graph.passwordAuthenticationMethod';

function graphDialect(config: EntraResponderConfig, clientSecret: string): VendorDialect {
  const credentials = { tokenUrl: config.tokenUrl, clientId: config.clientId, clientSecret, scope: graphScope };
  return {
    baseUrl: config.graphBaseUrl,
    async authorize(fetchImpl, fresh) {
      const token = await clientCredentialsToken(fetchImpl, credentials, fresh);
      return token.kind === 'success' ? { kind: 'success', value: { headers: { authorization: `Bearer ${token.value.token}` }, cached: token.value.cached } } : token;
    },
    isRetryable: (a) => a.status === 429 || a.status >= 500,
    retryAfterMs: (a) => parseRetryAfter(a.headers.get('retry-after')),
    errorMessage: graphErrorMessage,
  };
}

function graphErrorMessage(a: VendorAnswer): string {
  const e = (a.body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  if (e && typeof e === 'object' && (typeof e.code === 'string' || typeof e.message === 'string')) {
    return clip(`Microsoft Graph answered ${a.status} ${typeof e.code === 'string' ? `${e.code}: ` : ''}${typeof e.message === 'string' ? e.message : ''}`);
  }
  return clip(`Microsoft Graph answered ${a.status}${typeof a.body === 'string' ? `: ${a.body}` : ''}`);
}

const enc = encodeURIComponent;

export function createEntraResponder(config: EntraResponderConfig): IdentityResponder {
  return {
    provider: 'entra_id',
    id: config.id,
    secretNames: [config.clientSecretName],
    async perform(action: ResponseAction, user: string, ctx: ResponseContext): Promise<ResponseResult> {
      const base = { action, provider: 'entra_id' as const, responderId: config.id, user };
      const clientSecret = ctx.secret(config.clientSecretName);
      if (!clientSecret) {
        return {
          ...base,
          ok: false,
          userId: null,
          reason: 'not_configured',
          status: null,
          message: `the secret ${config.clientSecretName} is not set (wrangler secret put ${config.clientSecretName})`,
          steps: [],
        };
      }
      const session = new VendorSession(graphDialect(config, clientSecret), ctx);
      let userId: string | null = null;
      const fail = (f: VendorFailure): ResponseResult => ({ ...base, ok: false, userId, ...f, steps: session.steps });
      const done = (details: string, alreadyDone = false): ResponseSuccess => ({ ...base, ok: true, userId: userId!, alreadyDone, details, steps: session.steps });
      const isFailure = (x: VendorAnswer | VendorFailure): x is VendorFailure => 'reason' in x;
      const expect = async (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, ok: number[], body?: unknown): Promise<VendorAnswer | VendorFailure> => {
        const out = await session.send(method, path, body);
        if (out.kind === 'failure') return out.failure;
        return ok.includes(out.answer.status) ? out.answer : session.failureOf(out.answer);
      };

      const lookup = await expect('GET', `/v1.0/users/${enc(user)}?$select=id,userPrincipalName,accountEnabled`, [200]);
      if (isFailure(lookup)) return fail(lookup);
      const found = userSchema.safeParse(lookup.body);
      if (!found.success) return fail({ reason: 'vendor_error', status: lookup.status, message: 'Microsoft Graph answered a user without an id' });
      userId = found.data.id;
      const id = enc(found.data.id);

      switch (action) {
        case 'terminate_sessions':
        case 'revoke_tokens': {
          const r = await expect('POST', `/v1.0/users/${id}/revokeSignInSessions`, [200, 204]);
          return isFailure(r)
            ? fail(r)
            : done('revoked all sign-in sessions: refresh tokens and session cookies issued before now are invalid (access tokens lapse within their lifetime)');
        }
        case 'disable_account': {
          if (found.data.accountEnabled === false) return done('already disabled (accountEnabled false)', true);
          const r = await expect('PATCH', `/v1.0/users/${id}`, [200, 204], { accountEnabled: false });
          return isFailure(r) ? fail(r) : done('disabled (accountEnabled true → false)');
        }
        case 'force_password_reset': {
          const r = await expect('PATCH', `/v1.0/users/${id}`, [200, 204], { passwordProfile: { forceChangePasswordNextSignIn: true } });
          return isFailure(r) ? fail(r) : done('the user must change the password at the next sign-in (forceChangePasswordNextSignIn)');
        }
        case 'require_mfa_reenrolment': {
          const list = await expect('GET', `/v1.0/users/${id}/authentication/methods`, [200]);
          if (isFailure(list)) return fail(list);
          const methods = methodsSchema.safeParse(list.body);
          if (!methods.success) return fail({ reason: 'vendor_error', status: list.status, message: 'Microsoft Graph answered an authentication method list without value[]' });
          const order = Object.keys(deletableMethodEndpoints);
          const deletable = methods.data.value
            .filter((m) => m['@odata.type'] in deletableMethodEndpoints)
            .sort((a, b) => order.indexOf(a['@odata.type']) - order.indexOf(b['@odata.type']));
          const unknown = methods.data.value.filter((m) => m['@odata.type'] !== passwordMethod && !(m['@odata.type'] in deletableMethodEndpoints)).map((m) => m['@odata.type']);
          const note = unknown.length ? `; left in place (no delete endpoint known): ${unknown.join(', ')}` : '';
          if (deletable.length === 0) return done(`no authentication method to remove besides the password${note}`, true);
          for (const m of deletable) {
            const r = await expect('DELETE', `/v1.0/users/${id}/authentication/${deletableMethodEndpoints[m['@odata.type']]}/${enc(m.id)}`, [200, 204, 404]);
            if (isFailure(r)) return fail(r);
          }
          const kinds = deletable.map((m) => deletableMethodEndpoints[m['@odata.type']]!.replace(/Methods$/, ''));
          return done(`removed ${deletable.length} authentication method(s) (${kinds.join(', ')}); the user must register MFA again${note}`);
        }
      }
    },
  };
}
