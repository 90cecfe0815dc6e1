/**
 * Many tasks working at once and yielding with maybeYield (sixteen feeds polled together, say) share one
 * slice per turn of the event loop: between two turns, about a slice's worth of work runs, not one step
 * of every task (which held the loop for most of a second with sixteen feeds on PostgreSQL). Counted in
 * steps of a known length, not timed.
 */
import { expect, it } from 'vitest';
import { maybeYield } from '../../../src/shared/yield.ts';

/** Busy for `ms` milliseconds (CPU work the loop cannot interrupt). */
function busy(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // working
  }
}

it('runs about one slice of work per turn of the event loop, however many tasks yield at once', async () => {
  let steps = 0;
  let stepsAtLastTurn = 0;
  let mostPerTurn = 0;
  let working = true;
  // A probe that runs once per turn of the loop (it re-arms itself for the next one).
  const probe = () => {
    mostPerTurn = Math.max(mostPerTurn, steps - stepsAtLastTurn);
    stepsAtLastTurn = steps;
    if (working) setImmediate(probe);
  };
  setImmediate(probe);
  const tasks = Array.from({ length: 16 }, async () => {
    // All resumed in one turn, as sixteen feeds whose responses arrived together.
    await new Promise((resolve) => setImmediate(resolve));
    for (let i = 0; i < 8; i++) {
      await maybeYield(40);
      busy(10);
      steps++;
    }
  });
  await Promise.all(tasks);
  working = false;
  expect(steps).toBe(128);
  // A 40 ms slice holds four 10 ms steps; the step that crosses it ends the turn.
  expect(mostPerTurn).toBeLessThanOrEqual(6);
});
