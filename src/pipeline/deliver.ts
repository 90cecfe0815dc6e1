/**
 * @module The deliverer: posts what the ledger says is due, in order (a brief's parent before its
 * thread replies), recording every attempt before the platform call so a crash can never lose or
 * double a message: an attempt that may have reached the platform is reconciled there (by its key)
 * before anything is posted again. Failures back off exponentially, never sooner than Retry-After.
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
  /** Called after each post and each failure (metrics). */
  onResult?: (result: { platform: string; ok: boolean; reason?: string }) => void;
}

export interface Deliverer {
  /** Posts everything due now; returns how many deliveries were posted. Concurrent calls coalesce. */
  run(): Promise<number>;
}

export function retryDelayMs(attempts: number, retryAfterMs?: number): number {
  const backoff = Math.min(30 * 60_000, 5_000 * 2 ** Math.max(0, attempts - 1));
  return Math.max(backoff, retryAfterMs ?? 0);
}

export function createDeliverer(deps: DeliverDeps): Deliverer {
  let running: Promise<number> | null = null;
  let again = false;

  const postOne = async (d: Delivery, threadRef: string | null): Promise<boolean> => {
    const platform = deps.platforms.get(d.platform);
    const ledger = deps.store.deliveries;
    if (!platform) {
      ledger.markFailed(d.key, `no platform "${d.platform}" is running`);
      return false;
    }
    const content = JSON.parse(d.content) as DeliveryContent;
    const inDoubt = d.attempts > 0;
    // The intent is on record before the platform call: a crash from here on leaves an in-doubt
    // attempt that the next run reconciles instead of posting blindly.
    ledger.markAttempt(d.key, deps.now().toISOString());
    try {
      const result = await platform.post({ key: d.key, channelId: d.channelId, threadRef, content }, { inDoubt });
      const now = deps.now().toISOString();
      deps.store.transaction(() => {
        ledger.markPosted(d.key, result, now);
        recordEventPost(deps.store, d, content, result, now);
      });
      deps.onResult?.({ platform: d.platform, ok: true });
      deps.logger.info('posted', {
        key: d.key,
        platform: d.platform,
        channel: d.channelId,
        kind: content.kind,
        reconciled: inDoubt || undefined,
      });
      return true;
    } catch (err) {
      const attempts = d.attempts + 1;
      const retryable = err instanceof PlatformError ? err.retryable : true;
      const retryAfterMs = err instanceof PlatformError ? err.retryAfterMs : undefined;
      const reason = err instanceof PlatformError ? err.code : 'error';
      deps.onResult?.({ platform: d.platform, ok: false, reason });
      if (attempts >= deps.maxAttempts || (!retryable && attempts >= 2)) {
        ledger.markFailed(d.key, errorMessage(err));
        deps.logger.error('delivery failed for good', { key: d.key, platform: d.platform, attempts, error: errorMessage(err) });
      } else {
        const next = new Date(deps.now().getTime() + retryDelayMs(attempts, retryAfterMs)).toISOString();
        ledger.reschedule(d.key, next, errorMessage(err));
        deps.logger.warn('delivery will be retried', {
          key: d.key,
          platform: d.platform,
          attempts,
          next,
          retryAfterMs,
          error: errorMessage(err),
        });
      }
      return false;
    }
  };

  const runOnce = async (): Promise<number> => {
    let posted = 0;
    const blocked = new Set<string>();
    for (const d of deps.store.deliveries.listDue(deps.now().toISOString())) {
      // Within a brief, order matters: once one delivery waits, the later ones wait too.
      if (blocked.has(d.briefId)) continue;
      const current = deps.store.deliveries.get(d.key);
      if (current?.state !== 'pending') continue;
      let threadRef = current.threadRef;
      if (current.parentKey) {
        const parent = deps.store.deliveries.get(current.parentKey);
        if (parent?.state !== 'posted') {
          blocked.add(d.briefId);
          continue;
        }
        threadRef = parent.postedThreadRef;
      }
      if (await postOne(current, threadRef)) posted++;
      else blocked.add(d.briefId);
    }
    return posted;
  };

  return {
    run() {
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
      });
      return running;
    },
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
    const existing = ledger.getEventPost(d.platform, d.channelId, content.event.id);
    if (!existing) return;
    const shown = shownState(content.event);
    ledger.upsertEventPost({ ...existing, shownArticles: shown.articles, shownPoints: shown.points, updatedAt: now });
  }
}
