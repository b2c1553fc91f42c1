import { describe, expect, test } from 'vitest';
import { RateLimiter, rateConfigFromEnv } from '../../../app/api/rate-limit';

describe('token bucket', () => {
  test('a burst of `burst` requests passes, the next waits for the refill', () => {
    const limiter = new RateLimiter({ ratePerSecond: 20, burst: 100 });
    const results = Array.from({ length: 101 }, () => limiter.take('t', 1_000).ok);
    expect(results.filter(Boolean)).toHaveLength(100);
    // Empty bucket: one request needs 1/20 s = 50 ms; Retry-After is whole seconds, at least 1.
    expect(limiter.take('t', 1_000)).toEqual({ ok: false, retryAfterSeconds: 1 });
    expect(limiter.take('t', 1_049).ok).toBe(false);
    expect(limiter.take('t', 1_050).ok).toBe(true);
    // 2 s later: 2 × 20 = 40 requests are back.
    const after = Array.from({ length: 41 }, () => limiter.take('t', 3_050).ok);
    expect(after.filter(Boolean)).toHaveLength(40);
  });

  test('buckets are per key and never exceed the burst', () => {
    const limiter = new RateLimiter({ ratePerSecond: 1, burst: 2 });
    expect([limiter.take('a', 0).ok, limiter.take('a', 0).ok, limiter.take('a', 0).ok]).toEqual([true, true, false]);
    expect(limiter.take('b', 0).ok).toBe(true);
    // An hour idle refills to 2, not 3600.
    expect([limiter.take('a', 3_600_000).ok, limiter.take('a', 3_600_000).ok, limiter.take('a', 3_600_000).ok]).toEqual([true, true, false]);
  });

  test('Retry-After rounds the wait up to whole seconds', () => {
    const limiter = new RateLimiter({ ratePerSecond: 0.25, burst: 1 });
    limiter.take('a', 0);
    // One request at 0.25/s takes 4 s.
    expect(limiter.take('a', 0)).toEqual({ ok: false, retryAfterSeconds: 4 });
  });

  test('configuration from the environment, defaults for missing or bad values', () => {
    expect(rateConfigFromEnv({})).toEqual({ ratePerSecond: 20, burst: 100 });
    expect(rateConfigFromEnv({ LEADPATH_API_RATE: '5', LEADPATH_API_BURST: '10' })).toEqual({ ratePerSecond: 5, burst: 10 });
    expect(rateConfigFromEnv({ LEADPATH_API_RATE: '-1', LEADPATH_API_BURST: 'lots' })).toEqual({ ratePerSecond: 20, burst: 100 });
  });
});
