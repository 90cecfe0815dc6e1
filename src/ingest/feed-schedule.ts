/**
 * @module Pure: when to poll a feed next. Success waits the feed's interval; failure backs off
 * exponentially up to a cap (and at least as long as a Retry-After asked); repeated failure marks the
 * feed unhealthy, but it is still retried at the capped interval so it recovers by itself.
 */
import type { FeedState, FeedStatus } from '../store/ports.ts';

export interface ScheduleSettings {
  intervalMs: number;
  maxBackoffMs: number;
  unhealthyAfter: number;
}

/** A stable 0..1 fraction per URL, so feeds with the same interval spread out instead of polling in lockstep. */
export function jitterFraction(url: string): number {
  let h = 2166136261;
  for (let i = 0; i < url.length; i++) h = Math.imul(h ^ url.charCodeAt(i), 16777619);
  return ((h >>> 0) % 1000) / 1000;
}

export function nextPollAfterSuccess(url: string, now: Date, s: ScheduleSettings): string {
  const jitter = 0.1 * s.intervalMs * jitterFraction(url);
  return new Date(now.getTime() + s.intervalMs + jitter).toISOString();
}

export function backoffMs(failures: number, s: ScheduleSettings, retryAfterMs?: number): number {
  const exp = s.intervalMs * 2 ** Math.max(0, failures - 1);
  const base = Math.min(s.maxBackoffMs, Math.max(exp, 60_000));
  return Math.max(base, retryAfterMs ?? 0);
}

export function statusAfterFailure(failures: number, s: ScheduleSettings): FeedStatus {
  return failures >= s.unhealthyAfter ? 'unhealthy' : 'failing';
}

export function emptyFeedState(url: string): FeedState {
  return {
    url,
    title: null,
    etag: null,
    lastModified: null,
    lastPolledAt: null,
    lastSuccessAt: null,
    lastError: null,
    lastErrorCode: null,
    lastErrorAt: null,
    consecutiveFailures: 0,
    nextPollAt: null,
    status: 'new',
    lastWarnings: [],
  };
}

export function isDue(state: FeedState | null, now: Date): boolean {
  return !state?.nextPollAt || Date.parse(state.nextPollAt) <= now.getTime();
}
