/**
 * The identity-provider side of the contain-user playbook: after approval, every responder configured in
 * IDENTITY_RESPONDERS whose secret is set runs the containment actions (core/soar/contain-user.ts) for the user.
 * Never throws: a provider that does not know the user, refuses, or stays throttled is recorded in the summary,
 * which the playbook run keeps as its audit record (docs/itdr.md, "Response actions").
 */
import { containmentResponseActions } from '../../core/soar/contain-user';
import { describeResponseResult, type ResponseResult } from '../../core/identity/respond';
import { guardedFetch } from '../../adapters/http/guarded-fetch';
import { configuredResponders, parseIdentityResponders, respondEverywhere } from '../../adapters/identity-response/registry';
import { readConfig, type Env } from '../env';

export interface IdentityContainmentSummary {
  /** `provider/id` of the responders that acted. */
  readonly responders: string[];
  /** Why nothing ran, when IDENTITY_RESPONDERS is invalid. */
  readonly error: string | null;
  readonly results: ResponseResult[];
}

export async function containAtIdentityProviders(env: Env, user: string): Promise<IdentityContainmentSummary> {
  const vars = env as unknown as Record<string, unknown>;
  const secret = (name: string) => {
    const value = vars[name];
    return typeof value === 'string' && value !== '' ? value : undefined;
  };
  const setting = parseIdentityResponders(typeof vars.IDENTITY_RESPONDERS === 'string' ? vars.IDENTITY_RESPONDERS : '');
  if (!setting.ok) {
    console.error(JSON.stringify({ level: 'error', msg: 'IDENTITY_RESPONDERS is invalid; no identity provider was asked to contain the user', error: setting.message }));
    return { responders: [], error: setting.message, results: [] };
  }
  const responders = configuredResponders(setting.responders, secret);
  const results = await respondEverywhere(responders, containmentResponseActions, user, { fetch: guardedFetch(readConfig(env).outbound), secret });
  for (const r of results) if (!r.ok && r.reason !== 'not_found') console.warn(JSON.stringify({ level: 'warn', msg: 'identity response failed', result: describeResponseResult(r) }));
  return { responders: responders.map((r) => `${r.provider}/${r.id}`), error: null, results };
}
