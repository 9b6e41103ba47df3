/**
 * A token bucket, pure: `requests` tokens per `perMs`, bursting up to `requests`. `take` either spends a token
 * (wait 0) or says how long until one is free, without spending it. Used per destination by the
 * DeliveryRateLimiter Durable Object so every queue consumer, everywhere, shares one budget.
 */
export interface BucketState {
  readonly tokens: number;
  readonly at: number;
}

export interface BucketLimit {
  readonly requests: number;
  readonly perMs: number;
}

export function takeToken(state: BucketState | null, limit: BucketLimit, now: number): { state: BucketState; waitMs: number } {
  const rate = limit.requests / limit.perMs;
  const current = state ? Math.min(limit.requests, state.tokens + Math.max(0, now - state.at) * rate) : limit.requests;
  if (current >= 1) return { state: { tokens: current - 1, at: now }, waitMs: 0 };
  return { state: { tokens: current, at: now }, waitMs: Math.ceil((1 - current) / rate) };
}
