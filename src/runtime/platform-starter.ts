/**
 * @module Starting the chat platforms' inbound side (commands, thread messages, buttons). A platform that
 * cannot be reached at start is retried in the background with backoff while polling and queueing go
 * on; a refused token or a missing scope at the first attempt is for a person to fix, and stops the start.
 */
import type { ChatPlatform, InboundHandlers } from '../platforms/chat-platform.ts';
import { errorMessage, PlatformError } from '../shared/errors.ts';
import type { Logger } from '../shared/logger.ts';

export type InboundState = 'connected' | 'retrying';

export interface PlatformStarter {
  /** Starts every platform in turn (the first attempt of each is awaited). */
  startAll(): Promise<void>;
  /** Whether a platform's inbound side is up, or waiting for its next attempt (undefined before the first). */
  state(name: string): InboundState | undefined;
  /** No more attempts: pending retries are cancelled (the first step of stopping). */
  cancelRetries(): void;
  /** Waits for the starts still in progress. */
  settled(): Promise<void>;
}

export function createPlatformStarter(deps: {
  platforms: ReadonlyMap<string, ChatPlatform>;
  handlers: InboundHandlers;
  log: Logger;
  /** First wait before starting a platform again after it could not be reached. */
  retryMs: number;
}): PlatformStarter {
  const { log } = deps;
  const inbound = new Map<string, InboundState>();
  const retryTimers = new Set<NodeJS.Timeout>();
  /** Platform starts in progress (first or retried): stop() waits for them. */
  const starting = new Set<Promise<void>>();
  let stopping = false;

  const scheduleRetry = (platform: ChatPlatform, attempt: number, err: unknown) => {
    const wait = Math.min(10 * 60_000, deps.retryMs * 2 ** (attempt - 1));
    inbound.set(platform.name, 'retrying');
    log.warn('platform not reachable; briefs are queued, and it is tried again', {
      platform: platform.name,
      attempt,
      retryInMs: wait,
      error: errorMessage(err),
    });
    const timer = setTimeout(() => {
      retryTimers.delete(timer);
      if (stopping) return;
      const again = startPlatform(platform, attempt + 1).catch((e: unknown) =>
        log.error('platform start failed', { platform: platform.name, error: errorMessage(e) }),
      );
      starting.add(again);
      again.finally(() => starting.delete(again)).catch(() => undefined);
    }, wait);
    timer.unref();
    retryTimers.add(timer);
  };

  /** Starts a platform's inbound side; one that cannot be reached now is retried with backoff. */
  const startPlatform = async (platform: ChatPlatform, attempt: number): Promise<void> => {
    try {
      await platform.start(deps.handlers);
      inbound.set(platform.name, 'connected');
      if (attempt > 1) log.info('platform connected', { platform: platform.name, attempt });
    } catch (err) {
      // A refused token or a missing scope is for a person to fix: say so and stop, at start.
      if (err instanceof PlatformError && !err.retryable && attempt === 1) throw err;
      if (stopping) return;
      scheduleRetry(platform, attempt, err);
    }
  };

  return {
    async startAll() {
      for (const platform of deps.platforms.values()) await startPlatform(platform, 1);
    },
    state: (name) => inbound.get(name),
    cancelRetries() {
      stopping = true;
      for (const t of retryTimers) clearTimeout(t);
    },
    async settled() {
      await Promise.allSettled([...starting]);
    },
  };
}
