/** @module Cooperative scheduling: long CPU work gives the event loop a turn (a /brief, a socket ping). */

/** When the event loop last reached its timers phase (kept by a heartbeat while anyone yields). */
let lastTurn = performance.now();
let lastAsked = 0;
let heartbeat: ReturnType<typeof setInterval> | null = null;

function keepHeartbeat(): void {
  lastAsked = performance.now();
  if (heartbeat) return;
  heartbeat = setInterval(() => {
    lastTurn = performance.now();
    // Nobody has worked for a while: stop ticking until someone does.
    if (lastTurn - lastAsked > 1_000 && heartbeat) {
      clearInterval(heartbeat);
      heartbeat = null;
    }
  }, 5);
  heartbeat.unref();
}

/**
 * Yields to the event loop once this process has worked for `sliceMs` without the loop getting a
 * turn, whoever did the work. One budget for all callers: several feeds polled at once, each
 * resumed in the same turn, would otherwise each take their own slice and hold the loop for all of them.
 */
export async function maybeYield(sliceMs = 40): Promise<void> {
  keepHeartbeat();
  // Until the loop has had its turn: a task resumed in the same pass as others that used the slice yields
  // again rather than adding its own. setImmediate, not setTimeout: Node runs every timer that falls due
  // while it runs timers, so many tasks yielding by timer would pass the slice round without the loop
  // ever reaching I/O (seen: 0.9 s with sixteen feeds polled at once); an immediate waits for the next pass.
  const slice = Math.max(1, sliceMs);
  while (performance.now() - lastTurn >= slice) {
    await new Promise<void>((resolve) => setImmediate(resolve));
    // Still waiting: the heartbeat must keep ticking (it stops when nobody has asked for a second).
    keepHeartbeat();
  }
}
