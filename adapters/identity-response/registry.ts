/**
 * The identity responders an operator configured: `IDENTITY_RESPONDERS` is a JSON array of provider entries
 * (docs/itdr.md, "Response actions"), each naming the Worker secret holding its credentials — by default the same
 * secrets the collectors use (OKTA_API_TOKEN, GRAPH_CLIENT_SECRET, GOOGLE_SERVICE_ACCOUNT_KEY), which then need the
 * write permissions listed there. Responding is opt-in: nothing is configured from the collectors implicitly, since
 * a read-only collector credential would only fail and a write-capable one should be a deliberate choice.
 */
import { z } from 'zod';
import type { IdentityResponder, ResponseAction, ResponseContext, ResponseResult } from '../../core/identity/respond';
import { createEntraResponder, entraResponderConfigSchema } from '../entra_id/respond';
import { createGoogleWorkspaceResponder, googleResponderConfigSchema } from '../google_workspace/respond';
import { createOktaResponder, oktaResponderConfigSchema } from '../okta/respond';

export const identityResponderEntrySchema = z.discriminatedUnion('provider', [oktaResponderConfigSchema, entraResponderConfigSchema, googleResponderConfigSchema]);
export type IdentityResponderEntry = z.infer<typeof identityResponderEntrySchema>;

export type IdentityRespondersSetting = { ok: true; responders: IdentityResponder[] } | { ok: false; message: string };

export function createResponder(entry: IdentityResponderEntry): IdentityResponder {
  switch (entry.provider) {
    case 'okta':
      return createOktaResponder(entry);
    case 'entra_id':
      return createEntraResponder(entry);
    case 'google_workspace':
      return createGoogleWorkspaceResponder(entry);
  }
}

/** Parses IDENTITY_RESPONDERS; every problem names the entry. Empty or unset → no responders. */
export function parseIdentityResponders(value: string | undefined): IdentityRespondersSetting {
  if (!value || value.trim() === '') return { ok: true, responders: [] };
  let raw: unknown;
  try {
    raw = JSON.parse(value);
  } catch (err) {
    return { ok: false, message: `IDENTITY_RESPONDERS is not valid JSON: ${err instanceof Error ? err.message : String(err)}` };
  }
  if (!Array.isArray(raw)) return { ok: false, message: 'IDENTITY_RESPONDERS must be a JSON array of responder objects.' };
  const responders: IdentityResponder[] = [];
  const ids = new Set<string>();
  for (const [i, item] of raw.entries()) {
    const entry = identityResponderEntrySchema.safeParse(item);
    if (!entry.success) return { ok: false, message: `IDENTITY_RESPONDERS[${i}]: ${entry.error.issues.map((x) => `${x.path.join('.') || '(entry)'}: ${x.message}`).join('; ')}` };
    if (ids.has(entry.data.id)) return { ok: false, message: `IDENTITY_RESPONDERS[${i}]: id "${entry.data.id}" is used twice.` };
    ids.add(entry.data.id);
    responders.push(createResponder(entry.data));
  }
  return { ok: true, responders };
}

/** The responders whose secrets are set: the ones that can act. */
export function configuredResponders(responders: readonly IdentityResponder[], secret: (name: string) => string | undefined): IdentityResponder[] {
  return responders.filter((r) => r.secretNames.every((n) => secret(n) !== undefined));
}

/**
 * Runs `actions` for `user` on every responder, one after the other (a provider's actions in order: sessions are
 * ended before the account is disabled). A failure of one action does not stop the others — each is recorded.
 */
export async function respondEverywhere(
  responders: readonly IdentityResponder[],
  actions: readonly ResponseAction[],
  user: string,
  ctx: ResponseContext,
): Promise<ResponseResult[]> {
  const results: ResponseResult[] = [];
  for (const responder of responders) {
    for (const action of actions) {
      const result = await responder.perform(action, user, ctx);
      results.push(result);
      // A user unknown to this provider is unknown for every action: no need to ask again.
      if (!result.ok && (result.reason === 'not_found' || result.reason === 'not_configured' || result.reason === 'refused')) break;
    }
  }
  return results;
}
