/**
 * IdentityUserState: one SQLite-backed Durable Object per account (named by the lower-cased user id), fed by
 * the ingest path with that user's identity events. It keeps the last events (serially, so concurrent batches
 * cannot interleave), how many were ever seen, and whether a playbook contained the user.
 *
 * Recording is idempotent: events are keyed by their storage uid, so a retried batch changes nothing.
 * Storage layout (docs/storage-schema.md): tables `identity_events` and `user_meta`.
 */
import { DurableObject } from 'cloudflare:workers';
import { z } from 'zod';
import { identityEventSummarySchema, type IdentityEventSummary } from '../core/identity/identity-event';
import { containmentSchema, identityEventsKept, type Containment, type IdentitySnapshot } from '../core/identity/identity-state';

const recordInputSchema = z.array(identityEventSummarySchema).max(10_000);

export class IdentityUserState extends DurableObject<Cloudflare.Env> {
  private readonly sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: Cloudflare.Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.sql.exec(`
      CREATE TABLE IF NOT EXISTS identity_events (
        event_uid TEXT PRIMARY KEY,
        event_time TEXT NOT NULL,
        source TEXT NOT NULL,
        action TEXT NOT NULL,
        identity_action TEXT NOT NULL,
        outcome TEXT NOT NULL,
        actor TEXT,
        src_ip TEXT,
        country TEXT,
        city TEXT,
        user_agent TEXT
      );
      CREATE INDEX IF NOT EXISTS identity_events_time ON identity_events (event_time);
      CREATE TABLE IF NOT EXISTS user_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    `);
  }

  ping(): string {
    return 'pong';
  }

  /** Stores the events not seen before; returns how many were new. */
  record(user: string, events: IdentityEventSummary[]): { stored: number } {
    const input = recordInputSchema.parse(events);
    let stored = 0;
    this.ctx.storage.transactionSync(() => {
      this.setMeta('user', user);
      for (const e of input) {
        const cursor = this.sql.exec(
          `INSERT OR IGNORE INTO identity_events
             (event_uid, event_time, source, action, identity_action, outcome, actor, src_ip, country, city, user_agent)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          e.eventUid, e.eventTime, e.source, e.action, e.identityAction, e.outcome, e.actor, e.srcIp, e.country, e.city, e.userAgent,
        );
        stored += cursor.rowsWritten > 0 ? 1 : 0;
      }
      if (stored === 0) return;
      const times = input.map((e) => e.eventTime).sort();
      this.setMeta('event_count', String(Number(this.getMeta('event_count') ?? 0) + stored));
      const first = this.getMeta('first_seen');
      if (!first || times[0]! < first) this.setMeta('first_seen', times[0]!);
      const last = this.getMeta('last_seen');
      if (!last || times.at(-1)! > last) this.setMeta('last_seen', times.at(-1)!);
      this.sql.exec(
        `DELETE FROM identity_events WHERE event_uid NOT IN
           (SELECT event_uid FROM identity_events ORDER BY event_time DESC LIMIT ?)`,
        identityEventsKept,
      );
    });
    return { stored };
  }

  snapshot(user: string): IdentitySnapshot {
    const rows = this.sql
      .exec<Record<string, string | null>>(
        `SELECT event_uid, event_time, source, action, identity_action, outcome, actor, src_ip, country, city, user_agent
           FROM identity_events ORDER BY event_time DESC, event_uid DESC`,
      )
      .toArray();
    const containment = this.getMeta('containment');
    return {
      user: this.getMeta('user') ?? user,
      eventCount: Number(this.getMeta('event_count') ?? 0),
      firstSeen: this.getMeta('first_seen'),
      lastSeen: this.getMeta('last_seen'),
      containment: containment ? containmentSchema.parse(JSON.parse(containment)) : null,
      events: rows.map((r) =>
        identityEventSummarySchema.parse({
          eventUid: r.event_uid,
          eventTime: r.event_time,
          source: r.source,
          action: r.action,
          identityAction: r.identity_action,
          outcome: r.outcome,
          actor: r.actor,
          srcIp: r.src_ip,
          country: r.country,
          city: r.city,
          userAgent: r.user_agent,
        }),
      ),
    };
  }

  setContainment(user: string, containment: Containment): void {
    const value = containmentSchema.parse(containment);
    this.ctx.storage.transactionSync(() => {
      this.setMeta('user', user);
      this.setMeta('containment', JSON.stringify(value));
    });
  }

  private getMeta(key: string): string | null {
    const row = this.sql.exec<{ value: string }>('SELECT value FROM user_meta WHERE key = ?', key).toArray()[0];
    return row?.value ?? null;
  }

  private setMeta(key: string, value: string): void {
    this.sql.exec('INSERT INTO user_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value', key, value);
  }
}
