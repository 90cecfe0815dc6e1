/**
 * @module The deliverer: posts what the ledger says is due, in order (a brief's parent before its
 * thread replies, replies in their order), claiming every attempt in the ledger before the platform
 * call so a crash can never lose or double a message: an attempt whose outcome is unknown is
 * reconciled on the platform (by its key) before anything is posted again. Failures back off
 * exponentially, never sooner than Retry-After. Each platform is served on its own, so a slow or
 * failing one does not hold up the others.
 */
import { shownState } from '../briefing/event-changes.ts';
import type { ChatPlatform, DeliveryContent } from '../platforms/chat-platform.ts';
import { errorMessage, PlatformError } from '../shared/errors.ts';
import type { Logger } from '../shared/logger.ts';
import type { Delivery, Store } from '../store/ports.ts';

export interface DeliverDeps {
  store: Store;
  platforms: ReadonlyMap<string, ChatPlatform>;
  logger: Logger;
  now: () => Date;
  maxAttempts: number;
  /**
   * Set when other instances share the ledger. Each attempt then holds its delivery for `claimMs`,
   * renewed while the platform call runs: another instance takes it over (in doubt, so it looks first for
   * what was posted) only once the holder stops renewing it. And a delivery for a platform this instance
   * does not run is theirs to post (their config may differ during a rolling change), not a failure.
   */
  shared?: { claimMs: number };
  /** Called after each post and each failure (metrics). */
  onResult?: (result: { platform: string; ok: boolean; reason?: string }) => void;
}

/** How each platform's deliveries went lately: `auth` when it refuses the token (a person must act). */
/** How posting to a platform goes, and since when (the first failure of the current run of them). */
export interface PlatformHealth {
  state: 'ok' | 'failing' | 'rate_limited' | 'auth';
  since: string | null;
}

export interface Deliverer {
  /** Posts everything due now; returns how many deliveries were posted. Concurrent calls coalesce. */
  run(): Promise<number>;
  /** Takes no new delivery after the one in progress (shutdown). */
  stop(): void;
  /** Resolves when no run is in progress (shutdown waits for it). */
  idle(): Promise<void>;
  platformHealth(): Record<string, PlatformHealth>;
}

/** An auth or permission problem is retried slowly: it lasts until someone fixes the token or scopes. */
const AUTH_RETRY_MS = 5 * 60_000;
/**
 * An outage, a rate limit or a refused token is not the message's fault: it is retried for this long
 * (a day's brief is stale after that), however many attempts it takes.
 */
const OUTAGE_GIVE_UP_MS = 24 * 3_600_000;

export function retryDelayMs(attempts: number, retryAfterMs?: number): number {
  const backoff = Math.min(30 * 60_000, 5_000 * 2 ** Math.max(0, attempts - 1));
  return Math.max(backoff, retryAfterMs ?? 0);
}

export function createDeliverer(deps: DeliverDeps): Deliverer {
  const ledger = deps.store.deliveries;
  const health = new Map<string, PlatformHealth>();
  /** A platform that is down (or asked to wait) is left alone until then, all its deliveries with it. */
  const pausedUntil = new Map<string, number>();
  let running: Promise<number> | null = null;
  let again = false;
  let stopping = false;

  /** Posts one delivery; returns 'posted', or why not (so the caller knows whether to hold back the rest). */
  const postOne = async (d: Delivery, threadRef: string | null): Promise<'posted' | 'skipped' | 'failed' | 'unavailable'> => {
    const platform = deps.platforms.get(d.platform);
    if (!platform) {
      ledger.markFailed(d.key, `no platform "${d.platform}" is running`);
      return 'failed';
    }
    const content = JSON.parse(d.content) as DeliveryContent;
    const startedAt = deps.now().toISOString();
    // The intent is on record before the platform call: a crash from here on leaves an in-doubt
    // attempt that the next run reconciles instead of posting blindly.
    const claimMs = deps.shared?.claimMs ?? 0;
    const claimUntil = claimMs ? new Date(Date.parse(startedAt) + claimMs).toISOString() : undefined;
    if (!ledger.markAttempt(d.key, startedAt, d.attempts, claimUntil)) return 'skipped';
    // A slow platform call keeps its hold: another instance takes the delivery over only once this one
    // stops renewing it (it died), never while it is still posting.
    const hold = claimMs ? setInterval(() => keepClaim(d, claimMs), Math.max(250, claimMs / 3)) : null;
    hold?.unref();
    try {
      const result = await platform.post(
        { key: d.key, channelId: d.channelId, threadRef, content },
        { inDoubt: d.inDoubt, since: d.inDoubt ? (d.doubtSince ?? d.lastAttemptAt) : null },
      );
      const now = deps.now().toISOString();
      deps.store.transaction(() => {
        ledger.markPosted(d.key, result, now);
        recordEventPost(deps.store, d, content, result, now);
      });
      health.set(d.platform, { state: 'ok', since: null });
      deps.onResult?.({ platform: d.platform, ok: true });
      // On the console the brief itself is the record; a log line between its parts would only be in the way.
      (d.platform === 'console' ? deps.logger.debug : deps.logger.info)('posted', {
        key: d.key,
        platform: d.platform,
        channel: d.channelId,
        kind: content.kind,
        reconciled: d.inDoubt || undefined,
      });
      return 'posted';
    } catch (err) {
      const attempts = d.attempts + 1;
      const e = err instanceof PlatformError ? err : null;
      const auth = e?.code === 'platform_auth';
      const retryable = e ? e.retryable : true;
      // Once an attempt may have posted, the delivery stays in doubt until it is found or posted: a later
      // failure that is certain about itself says nothing about the earlier attempt.
      const inDoubt = d.inDoubt || !e?.definite;
      const reason = e?.code ?? 'error';
      // Not the message's fault: the platform is down, busy or refusing the token. Waits, up to a day.
      const platformWide = reason !== 'platform_rejected';
      const rateLimited = reason === 'platform_rate_limited';
      const previous = health.get(d.platform);
      health.set(d.platform, {
        state: auth ? 'auth' : rateLimited ? 'rate_limited' : 'failing',
        since: previous && previous.state !== 'ok' ? previous.since : deps.now().toISOString(),
      });
      deps.onResult?.({ platform: d.platform, ok: false, reason });
      const age = deps.now().getTime() - Date.parse(d.createdAt);
      const giveUp = platformWide ? age > OUTAGE_GIVE_UP_MS : attempts >= deps.maxAttempts || (!retryable && attempts >= 2);
      if (giveUp) {
        ledger.markFailed(d.key, errorMessage(err));
        // Given up: nothing of this platform's is being retried any more unless something is still due.
        if (ledger.listDue('9999-12-31T23:59:59.999Z', 1, d.platform).length === 0) health.set(d.platform, { state: 'ok', since: null });
        deps.logger.error('delivery failed for good', {
          key: d.key,
          platform: d.platform,
          channel: d.channelId,
          attempts,
          error: errorMessage(err),
        });
        return 'failed';
      }
      const wait = retryDelayMs(attempts, auth ? Math.max(AUTH_RETRY_MS, e?.retryAfterMs ?? 0) : e?.retryAfterMs);
      const next = new Date(deps.now().getTime() + wait).toISOString();
      ledger.reschedule(d.key, next, errorMessage(err), inDoubt);
      if (platformWide) pausedUntil.set(d.platform, Date.parse(next));
      deps.logger.warn('delivery will be retried', {
        key: d.key,
        platform: d.platform,
        channel: d.channelId,
        attempts,
        next,
        error: errorMessage(err),
        hint: auth ? 'the platform refuses the token or a scope is missing: check the token and the app install' : undefined,
      });
      // An outage, a rate limit or an auth problem holds for the whole platform: try its other deliveries later.
      return platformWide ? 'unavailable' : 'failed';
    } finally {
      if (hold) clearInterval(hold);
    }
  };

  const keepClaim = (d: Delivery, claimMs: number) => {
    try {
      const until = new Date(deps.now().getTime() + claimMs).toISOString();
      if (!ledger.extendClaim(d.key, d.attempts + 1, until)) deps.logger.warn('lost the hold on a delivery being posted', { key: d.key });
    } catch (err) {
      deps.logger.warn('could not renew the hold on a delivery being posted', { key: d.key, error: errorMessage(err) });
    }
  };

  /** Within a brief, replies follow their parent and each other in order. */
  const waitsForEarlier = (d: Delivery): boolean => ledger.listByBrief(d.briefId).some((o) => o.seq < d.seq && o.state === 'pending');

  const runPlatform = async (name: string): Promise<number> => {
    if ((pausedUntil.get(name) ?? 0) > deps.now().getTime()) return 0;
    let posted = 0;
    for (const d of ledger.listDue(deps.now().toISOString(), 200, name)) {
      if (stopping) break;
      const current = ledger.get(d.key);
      // Still due: another instance may have claimed it since it was listed (its claim moved the next
      // attempt on, and the attempt count this one read is the claimed one).
      if (current?.state !== 'pending' || current.nextAttemptAt > deps.now().toISOString() || waitsForEarlier(current)) continue;
      let threadRef = current.threadRef;
      if (current.parentKey) {
        const parent = ledger.get(current.parentKey);
        if (parent?.state !== 'posted') continue;
        threadRef = parent.postedThreadRef;
      }
      const outcome = await postOne(current, threadRef);
      if (outcome === 'posted') posted++;
      if (outcome === 'unavailable') break;
    }
    return posted;
  };

  const runOnce = async (): Promise<number> => {
    // Deliveries for a platform that is no longer running (its token was removed): say so, once.
    if (!deps.shared) {
      for (const d of ledger.listDue(deps.now().toISOString(), 100)) {
        if (!deps.platforms.has(d.platform)) ledger.markFailed(d.key, `no platform "${d.platform}" is running`);
      }
    }
    const counts = await Promise.all([...deps.platforms.keys()].map(runPlatform));
    return counts.reduce((a, b) => a + b, 0);
  };

  const run = (): Promise<number> => {
    if (stopping) return Promise.resolve(0);
    if (running !== null) {
      again = true;
      return running;
    }
    running = (async () => {
      let total = 0;
      do {
        again = false;
        total += await runOnce();
      } while (again);
      return total;
    })().finally(() => {
      running = null;
      // A request that came in after the last check: serve it now rather than at the next tick.
      if (again) {
        again = false;
        run().catch((err: unknown) => deps.logger.error('delivery run failed', { error: errorMessage(err) }));
      }
    });
    return running;
  };

  return {
    run,
    stop() {
      stopping = true;
    },
    async idle() {
      while (running !== null) await running.catch(() => undefined);
    },
    platformHealth: () => Object.fromEntries(health),
  };
}

/** Remembers which thread carries an event, and what it showed, so sources and updates find it. */
function recordEventPost(
  store: Store,
  d: Delivery,
  content: DeliveryContent,
  result: { messageRef: string; threadRef: string },
  now: string,
): void {
  const ledger = store.deliveries;
  if (content.kind === 'event') {
    const shown = shownState(content.event);
    ledger.upsertEventPost({
      platform: d.platform,
      channelId: d.channelId,
      eventId: content.event.id,
      threadRef: result.threadRef,
      messageRef: result.messageRef,
      briefId: d.briefId,
      position: content.index,
      shownArticles: shown.articles,
      shownPoints: shown.points,
      postedAt: now,
      updatedAt: now,
    });
  } else if (content.kind === 'update') {
    const existing = ledger.eventsInThread(d.platform, d.channelId, result.threadRef).find((p) => p.eventId === content.event.id);
    if (!existing) return;
    const shown = shownState(content.event);
    ledger.upsertEventPost({ ...existing, shownArticles: shown.articles, shownPoints: shown.points, updatedAt: now });
  }
}
