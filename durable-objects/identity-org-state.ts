/**
 * IdentityOrgState: the one org-wide ITDR Durable Object (named `org`). It runs the cross-person detectors
 * of core/itdr (password spray including slow spray over 24 h, credential stuffing — per source address, over
 * many people) and keeps the org-wide profile each person's young baseline falls back on (cold start).
 *
 * Invariants: serial (no await inside an RPC method; writes in `transactionSync`), idempotent per event uid
 * (the engine remembers the uids it processed), durable (the state is one JSON row, read on every call).
 * Storage layout (docs/storage-schema.md): table `itdr_org_state`.
 */
import { DurableObject } from 'cloudflare:workers';
import { z } from 'zod';
import { identityEventSummarySchema, type IdentityEventSummary } from '../core/identity/identity-event';
import { initialOrgState, processSourceEvents } from '../core/itdr/engine';
import type { Detection, OrgItdrState, OrgProfile } from '../core/itdr/types';
import { readItdrConfig } from '../workers/itdr/itdr-config';

export const orgStateName = 'org';
const processInputSchema = z.array(identityEventSummarySchema).max(50_000);

export interface OrgProcessAnswer {
  /** One detection per targeted person (`user` = the person key). */
  readonly detections: Detection[];
  /** The profile without its per-person bookkeeping (what a person's object needs). */
  readonly profile: OrgProfile;
}

export class IdentityOrgState extends DurableObject<Cloudflare.Env> {
  private readonly sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: Cloudflare.Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.sql.exec('CREATE TABLE IF NOT EXISTS itdr_org_state (key TEXT PRIMARY KEY, value TEXT NOT NULL)');
  }

  /** `now` is the fallback clock when the batch is empty; windows run on event time (a replay behaves as live). */
  process(events: IdentityEventSummary[], now: string): OrgProcessAnswer {
    const input = processInputSchema.parse(events).sort((a, b) => a.eventTime.localeCompare(b.eventTime) || a.eventUid.localeCompare(b.eventUid));
    const config = readItdrConfig(this.env);
    return this.ctx.storage.transactionSync(() => {
      const previous = this.load();
      const latest = input.at(-1)?.eventTime ?? previous.clock ?? now;
      const result = processSourceEvents(previous, input, config, previous.clock && previous.clock > latest ? previous.clock : latest);
      this.sql.exec(
        "INSERT INTO itdr_org_state (key, value) VALUES ('org', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        JSON.stringify(result.state),
      );
      return { detections: result.detections, profile: { ...result.state.profile, seen: {} } };
    });
  }

  /** The profile as it stands, for a single person's rebuild (no events processed). */
  profile(): OrgProfile {
    return { ...this.load().profile, seen: {} };
  }

  reset(): { cleared: boolean } {
    this.sql.exec('DELETE FROM itdr_org_state');
    return { cleared: true };
  }

  private load(): OrgItdrState {
    const row = this.sql.exec<{ value: string }>("SELECT value FROM itdr_org_state WHERE key = 'org'").toArray()[0];
    return row ? (JSON.parse(row.value) as OrgItdrState) : initialOrgState();
  }
}
