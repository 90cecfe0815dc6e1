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
  if (performance.now() - lastTurn < sliceMs) return;
  await new Promise<void>((resolve) => setTimeout(resolve, 0));
}
