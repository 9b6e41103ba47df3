/**
 * User context from Okta, the identity provider: Users API, Get User
 * (https://developer.okta.com/docs/api/openapi/okta-management/management/tag/User/#tag/User/operation/getUser):
 * `GET {orgUrl}/api/v1/users/{id or login}` with `Authorization: SSWS <API token>` (read-only admin is enough).
 * The note says what an analyst asks first: job, manager, account status, last login, last password change —
 * "Safety Inspector, Sector 7G · manager Montgomery Burns · ACTIVE · last login 2026-11-19 · password changed 2026-08-14".
 *
 * Errors (https://developer.okta.com/docs/reference/error-codes/) are `{errorCode, errorSummary, …}`:
 * E0000007 (404) means no such user → a cached negative answer; E0000011 (401) / E0000006 (403) fail; E0000047
 * (429) is retryable after X-Rate-Limit-Reset (epoch seconds; Okta sends no Retry-After).
 */
import { z } from 'zod';
import type { EnrichmentNote } from '../../../core/alerting/notification';
import type { TransportResult } from '../../../core/collect/transport';
import type { EnrichmentProvider } from '../../../core/enrich/provider';
import { noteLine, readJson, readSecret, resetHeaderMs, send, unexpected } from '../../../core/enrich/provider-http';

export interface OktaDirectoryOptions {
  /** The Okta org URL, e.g. https://acme.okta.com. */
  readonly baseUrl: string;
  readonly tokenSecret: string;
  readonly ttlMinutes?: number;
}

const text = z.string().nullish().catch(null);
export const oktaUserSchema = z.object({
  id: z.string(),
  status: z.string(),
  created: text,
  lastLogin: text,
  passwordChanged: text,
  profile: z.object({ login: z.string(), title: text, department: text, manager: text, division: text, organization: text }),
});
export type OktaUser = z.infer<typeof oktaUserSchema>;

const errorSchema = z.object({ errorCode: z.string(), errorSummary: z.string().optional() });
const day = (iso: string | null | undefined) => (iso ? iso.slice(0, 10) : null);

export function describeOktaUser(u: OktaUser): string {
  const p = u.profile;
  const role = [p.title, p.department ?? p.division ?? p.organization].filter(Boolean).join(', ');
  return noteLine([
    role,
    p.manager && `manager ${p.manager}`,
    u.status,
    u.lastLogin ? `last login ${day(u.lastLogin)}` : 'never logged in',
    u.passwordChanged && `password changed ${day(u.passwordChanged)}`,
    u.created && `created ${day(u.created)}`,
  ]);
}

export function createOktaDirectoryProvider(options: OktaDirectoryOptions): EnrichmentProvider {
  const base = options.baseUrl.replace(/\/+$/, '');
  return {
    id: 'okta',
    subjects: ['user'],
    ttlMs: (options.ttlMinutes ?? 60) * 60_000,
    negativeTtlMs: 15 * 60_000,
    async lookup(subject, ctx): Promise<TransportResult<EnrichmentNote | null>> {
      if (subject.kind !== 'user') return { kind: 'success', value: null };
      const token = readSecret(ctx, options.tokenSecret, 'okta');
      if (!token.ok) return token.result;
      const what = 'Okta /api/v1/users';
      const sent = await send(ctx, `${base}/api/v1/users/${encodeURIComponent(subject.value)}`, { headers: { authorization: `SSWS ${token.value}`, accept: 'application/json' } }, what);
      if (sent.kind !== 'success') return sent;
      const response = sent.value;
      if (!response.ok) {
        const error = errorSchema.safeParse(await readJson(response.clone()));
        if (response.status === 404 && error.success && error.data.errorCode === 'E0000007') return { kind: 'success', value: null };
        const result = await unexpected(response, what, [token.value]);
        const reset = resetHeaderMs(response.headers.get('x-rate-limit-reset'), ctx.now);
        return result.kind === 'retryable' && result.retryAfterMs === undefined && reset !== undefined ? { ...result, retryAfterMs: reset } : result;
      }
      const parsed = oktaUserSchema.safeParse(await readJson(response));
      if (!parsed.success) return { kind: 'failure', message: `${what} answered 200 without a user document (id, status, profile.login)` };
      return { kind: 'success', value: { provider: 'okta', subject: subject.value, text: describeOktaUser(parsed.data) } };
    },
  };
}
