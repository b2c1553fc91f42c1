// Per-token rate limit of /api/v1: a token bucket per API token, refilled at
// `ratePerSecond` up to `burst` requests. Defaults 20 requests/s with bursts
// of 100 (a Segment client flushing every few seconds stays far below it);
// LEADPATH_API_RATE and LEADPATH_API_BURST change them. The buckets live in
// the server process: several processes each allow the full rate.

export interface RateLimitConfig {
  ratePerSecond: number;
  burst: number;
}

export type RateDecision = { ok: true } | { ok: false; retryAfterSeconds: number };

export const DEFAULT_RATE: RateLimitConfig = { ratePerSecond: 20, burst: 100 };
const MAX_BUCKETS = 10_000;

export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(readonly config: RateLimitConfig = DEFAULT_RATE) {}

  /** Takes one request from the key's bucket at time `now` (ms). */
  take(key: string, now: number): RateDecision {
    const { ratePerSecond, burst } = this.config;
    const bucket = this.buckets.get(key) ?? { tokens: burst, at: now };
    const elapsed = Math.max(0, now - bucket.at) / 1000;
    bucket.tokens = Math.min(burst, bucket.tokens + elapsed * ratePerSecond);
    bucket.at = now;
    // Re-inserted so the Map's order is least recently used first.
    this.buckets.delete(key);
    this.buckets.set(key, bucket);
    if (this.buckets.size > MAX_BUCKETS) this.buckets.delete(this.buckets.keys().next().value as string);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { ok: true };
    }
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / ratePerSecond)) };
  }
}

export function rateConfigFromEnv(env: Record<string, string | undefined>): RateLimitConfig {
  const positive = (value: string | undefined, fallback: number) => {
    const n = Number(value);
    return value !== undefined && Number.isFinite(n) && n > 0 ? n : fallback;
  };
  return {
    ratePerSecond: positive(env.LEADPATH_API_RATE, DEFAULT_RATE.ratePerSecond),
    burst: Math.floor(positive(env.LEADPATH_API_BURST, DEFAULT_RATE.burst)),
  };
}

// One limiter per process, kept on globalThis: the server build bundles its own copy of this module.
const LIMITER = Symbol.for('leadpath.api.rateLimiter');

export function processRateLimiter(): RateLimiter {
  const holder = globalThis as unknown as Record<symbol, RateLimiter | undefined>;
  return (holder[LIMITER] ??= new RateLimiter(rateConfigFromEnv(process.env)));
}
