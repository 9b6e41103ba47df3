/**
 * DeliveryRateLimiter: one Durable Object per alert destination (named by its id), holding that destination's
 * token bucket (core/alerting/token-bucket) so concurrent queue consumers share one sending budget — PagerDuty's
 * per-routing-key limit, Slack's one message per second per channel. In memory: an evicted object starts with
 * a full bucket, which at worst allows one burst of the documented size.
 */
import { DurableObject } from 'cloudflare:workers';
import { takeToken, type BucketLimit, type BucketState } from '../core/alerting/token-bucket';

export class DeliveryRateLimiter extends DurableObject<Cloudflare.Env> {
  private state: BucketState | null = null;

  /** Spends a token and returns 0, or returns the milliseconds to wait before asking again. */
  take(limit: BucketLimit): number {
    if (!(limit.requests > 0 && limit.perMs > 0)) throw new Error('a rate limit needs positive requests and perMs');
    const result = takeToken(this.state, limit, Date.now());
    this.state = result.state;
    return result.waitMs;
  }
}
