/**
 * @module Starting the chat platforms' inbound side (commands, thread messages, buttons). A platform that
 * cannot be reached at start is retried in the background with backoff while polling and queueing go
 * on; a refused token or a missing scope at the first attempt is for a person to fix, and stops the start.
 * With several instances on one database, a platform that allows one inbound connection (Discord's
 * gateway) connects on the instance holding its lease; the others stand by and take over when it lapses.
 */
import type { ChatPlatform, InboundHandlers } from '../platforms/chat-platform.ts';
import { errorMessage, PlatformError } from '../shared/errors.ts';
import type { Logger } from '../shared/logger.ts';

/** `standby`: another instance holds the platform's single inbound connection; this one takes over when it goes. */
export type InboundState = 'connected' | 'retrying' | 'standby';

/** Who holds a platform's single inbound connection, across instances (see `ChatPlatform.singleInbound`). */
export interface InboundLeases {
  /** Takes or renews the lease of this platform's connection; false while another instance holds it. */
  acquire(platform: string): boolean;
  release(platform: string): void;
  /** How often the holder renews it, and a standby instance asks for it. */
  renewMs: number;
  /** How long it lasts unrenewed: a holder that could not renew it for most of this lets the connection go. */
  ttlMs: number;
}

export interface PlatformStarter {
  /** Starts every platform in turn (the first attempt of each is awaited). */
  startAll(): Promise<void>;
  /** Whether a platform's inbound side is up, or waiting for its next attempt (undefined before the first). */
  state(name: string): InboundState | undefined;
  /** No more attempts: pending retries are cancelled (the first step of stopping). */
  cancelRetries(): void;
  /** Waits for the starts still in progress. */
  settled(): Promise<void>;
  /** Gives up the platform connections this instance holds (after stopping the platforms), so another takes over at once. */
  releaseLeases(): void;
}

export function createPlatformStarter(deps: {
  platforms: ReadonlyMap<string, ChatPlatform>;
  handlers: InboundHandlers;
  log: Logger;
  /** First wait before starting a platform again after it could not be reached. */
  retryMs: number;
  /** Set when several instances share the database: single-inbound platforms connect on one of them. */
  leases?: InboundLeases;
}): PlatformStarter {
  const { log } = deps;
  const inbound = new Map<string, InboundState>();
  const retryTimers = new Set<NodeJS.Timeout>();
  /** Platform starts in progress (first or retried): stop() waits for them. */
  const starting = new Set<Promise<void>>();
  let stopping = false;

  /** The single-inbound platforms whose lease this instance holds. */
  const leaders = new Set<string>();
  /** Whether this instance may open the platform's inbound connection now (a single-inbound one: while it leads). */
  const mayConnect = (platform: ChatPlatform) => !(platform.singleInbound && deps.leases) || leaders.has(platform.name);
  /** Runs a start in the background; stop() waits for it. */
  const inBackground = (platform: ChatPlatform, start: () => Promise<void>) => {
    const running = start().catch((e: unknown) => log.error('platform start failed', { platform: platform.name, error: errorMessage(e) }));
    starting.add(running);
    running.finally(() => starting.delete(running)).catch(() => undefined);
  };

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
      if (stopping || !mayConnect(platform)) return;
      inBackground(platform, () => startPlatform(platform, attempt + 1));
    }, wait);
    timer.unref();
    retryTimers.add(timer);
  };

  /** Starts a platform's inbound side; one that cannot be reached now is retried with backoff. */
  const startPlatform = async (platform: ChatPlatform, attempt: number): Promise<void> => {
    try {
      await platform.start(deps.handlers);
      if (!mayConnect(platform)) {
        // The lease was lost while it connected: leave again at once.
        await platform.stopInbound?.();
        inbound.set(platform.name, 'standby');
        return;
      }
      inbound.set(platform.name, 'connected');
      if (attempt > 1) log.info('platform connected', { platform: platform.name, attempt });
    } catch (err) {
      // A refused token or a missing scope is for a person to fix: say so and stop, at start.
      if (err instanceof PlatformError && !err.retryable && attempt === 1) throw err;
      if (stopping) return;
      scheduleRetry(platform, attempt, err);
    }
  };

  const leaseTimers = new Set<NodeJS.Timeout>();
  /** When each held lease was last renewed. */
  const renewedAt = new Map<string, number>();

  /** Lets a platform's single inbound connection go (posting goes on): another instance may hold it now. */
  const standBy = async (platform: ChatPlatform, why: string) => {
    leaders.delete(platform.name);
    renewedAt.delete(platform.name);
    inbound.set(platform.name, 'standby');
    log.warn('letting the platform connection go', { platform: platform.name, why });
    await platform.stopInbound?.();
  };

  /** A single-inbound platform: connect while this instance holds its lease, stand by otherwise. */
  const lead = async (platform: ChatPlatform, leases: InboundLeases, first: boolean): Promise<void> => {
    if (stopping) return;
    let held: boolean;
    try {
      held = leases.acquire(platform.name);
    } catch (err) {
      log.warn('could not renew the lease of a platform connection', { platform: platform.name, error: errorMessage(err) });
      // Not renewed for most of its life: another instance may take it any moment, so let it go first.
      const last = renewedAt.get(platform.name);
      if (leaders.has(platform.name) && last !== undefined && Date.now() - last > (leases.ttlMs * 2) / 3) {
        await standBy(platform, 'the lease could not be renewed');
      }
      return;
    }
    if (held) renewedAt.set(platform.name, Date.now());
    if (held && !leaders.has(platform.name)) {
      leaders.add(platform.name);
      log.info('this instance holds the platform connection', { platform: platform.name });
      // At start a refused token stops the bot, as for any platform; a takeover later only logs it.
      await startPlatform(platform, first ? 1 : 2);
    } else if (!held && leaders.has(platform.name)) {
      // This instance stalled past the lease and another one connected meanwhile: two connections would
      // answer every command twice.
      await standBy(platform, 'another instance holds it now');
    } else if (!held) {
      inbound.set(platform.name, 'standby');
    }
  };

  const startLeading = async (platform: ChatPlatform, leases: InboundLeases): Promise<void> => {
    await lead(platform, leases, true);
    const timer = setInterval(() => inBackground(platform, () => lead(platform, leases, false)), leases.renewMs);
    timer.unref();
    leaseTimers.add(timer);
  };

  return {
    async startAll() {
      for (const platform of deps.platforms.values()) {
        if (platform.singleInbound && deps.leases) await startLeading(platform, deps.leases);
        else await startPlatform(platform, 1);
      }
    },
    state: (name) => inbound.get(name),
    cancelRetries() {
      stopping = true;
      for (const t of retryTimers) clearTimeout(t);
      for (const t of leaseTimers) clearInterval(t);
    },
    async settled() {
      await Promise.allSettled([...starting]);
    },
    releaseLeases() {
      for (const name of leaders) deps.leases?.release(name);
      leaders.clear();
    },
  };
}
