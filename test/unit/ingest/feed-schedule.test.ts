import { describe, expect, it } from 'vitest';
import { backoffMs, isDue, jitterFraction, nextPollAfterSuccess, statusAfterFailure } from '../../../src/ingest/feed-schedule.ts';

const s = { intervalMs: 15 * 60_000, maxBackoffMs: 6 * 3_600_000, unhealthyAfter: 5 };

describe('ingest/feed-schedule', () => {
  it('doubles the wait with each consecutive failure, up to the cap', () => {
    const waits = [1, 2, 3, 4, 5, 6, 7, 8].map((f) => backoffMs(f, s));
    expect(waits.slice(0, 5)).toEqual([15, 30, 60, 120, 240].map((m) => m * 60_000));
    expect(waits[6]).toBe(6 * 3_600_000);
    expect(waits[7]).toBe(6 * 3_600_000);
  });

  it('never waits less than Retry-After asked', () => {
    expect(backoffMs(1, s, 3 * 3_600_000)).toBe(3 * 3_600_000);
  });

  it('marks a feed unhealthy after the configured number of failures', () => {
    expect(statusAfterFailure(4, s)).toBe('failing');
    expect(statusAfterFailure(5, s)).toBe('unhealthy');
  });

  it('spreads feeds with the same interval by a stable jitter of at most 10%', () => {
    const now = new Date('2025-05-01T00:00:00Z');
    const a = Date.parse(nextPollAfterSuccess('https://a.example/rss', now, s)) - now.getTime();
    const b = Date.parse(nextPollAfterSuccess('https://b.example/rss', now, s)) - now.getTime();
    expect(a).toBeGreaterThanOrEqual(s.intervalMs);
    expect(a).toBeLessThanOrEqual(s.intervalMs * 1.1);
    expect(a).not.toBe(b);
    expect(jitterFraction('https://a.example/rss')).toBe(jitterFraction('https://a.example/rss'));
  });

  it('treats a never-polled feed as due', () => {
    expect(isDue(null, new Date())).toBe(true);
  });
});
