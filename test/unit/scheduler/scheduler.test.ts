import { afterEach, describe, expect, it } from 'vitest';
import { createScheduler, type Scheduler } from '../../../src/scheduler/scheduler.ts';
import { silentLogger } from '../../../src/shared/logger.ts';

let scheduler: Scheduler;
afterEach(() => scheduler?.stop());

describe('scheduler', () => {
  it("finds the last time a channel's brief was due, in the channel's time zone (to make up a missed brief)", () => {
    scheduler = createScheduler(silentLogger);
    scheduler.add({ name: 'brief', cron: '0 8 * * 1-5', timezone: 'Europe/Kyiv', run: () => Promise.resolve() });
    // Monday 28 April 2025, 13:00 in Kyiv (UTC+3): due at 08:00 Kyiv, 05:00 UTC.
    expect(scheduler.previousRun('brief', new Date('2025-04-28T10:00:00Z'))?.toISOString()).toBe('2025-04-28T05:00:00.000Z');
    // Monday 07:00 in Kyiv: the last one was Friday's.
    expect(scheduler.previousRun('brief', new Date('2025-04-28T04:00:00Z'))?.toISOString()).toBe('2025-04-25T05:00:00.000Z');
    expect(scheduler.previousRun('missing', new Date())).toBeNull();
  });
});
