/** @module Cooperative scheduling: long CPU work gives the event loop a turn (a /brief, a socket ping). */

/** Resolves on the next turn of the event loop, after pending I/O callbacks. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise<void>((resolve) => setImmediate(resolve));
}

/**
 * A time slice: `due()` is true once `sliceMs` have passed since the slice began; `next()` yields and
 * begins a new slice. Work loops call `if (slice.due()) await slice.next()` between small units.
 */
export interface TimeSlice {
  due(): boolean;
  next(): Promise<void>;
}

export function createTimeSlice(sliceMs = 40): TimeSlice {
  let started = performance.now();
  return {
    due: () => performance.now() - started >= sliceMs,
    async next() {
      await yieldToEventLoop();
      started = performance.now();
    },
  };
}
