/**
 * @module One poll cycle of the bot: poll the feeds that are due, cluster what is new, plan updates for
 * the events already posted, and deliver. It remembers how the last cycle went (for /healthz) and runs
 * the first-cycle hook (the start-up briefs) once, after the first poll.
 */
import type { ClusterParams } from '../cluster/cluster-stories.ts';
import type { Config } from '../config/load-config.ts';
import type { HttpGetter } from '../net/http-client.ts';
import type { PlanDeps } from '../outbox/plan-briefs.ts';
import { planUpdates } from '../outbox/plan-updates.ts';
import { clusterNewArticles } from '../pipeline/cluster-articles.ts';
import { pollFeeds } from '../pipeline/poll-feeds.ts';
import type { Logger } from '../shared/logger.ts';
import type { LeaseHolder, Store } from '../store/ports.ts';
import type { Metrics } from './metrics.ts';
import { pidAlive } from './process-lease.ts';

/** How long a feed's poll may take before another instance may poll it (a killed instance's claim). */
const FEED_CLAIM_MS = 10 * 60_000;

export interface CycleStatus {
  /** The last cycle that finished. */
  lastCycle: { at: string; feeds: number; failed: number } | null;
  /** The last poll cycle that threw (the database, most often), until one succeeds again. */
  lastCycleError: { at: string; error: string } | null;
  lastCycleStart: Date | null;
}

export interface PollCycle {
  /** One poll → cluster → updates → deliver cycle (the scheduler never runs two at once). */
  run(): Promise<void>;
  status(): CycleStatus;
}

export interface PollCycleDeps {
  config: Config;
  store: Store;
  http: HttpGetter;
  metrics: Metrics;
  cluster: ClusterParams;
  log: Logger;
  now: () => Date;
  holder: LeaseHolder;
  planDeps: PlanDeps;
  /** Renews the bot lease after the poll (a long poll must not let it run out); nothing on a shared store. */
  renewLease: () => void;
  /** Runs once, after the first cycle's poll, clustering and updates (the start-up briefs). */
  afterFirstCycle: () => Promise<void>;
  /** Posts what is due. */
  deliver: () => Promise<void>;
}

export function createPollCycle(deps: PollCycleDeps): PollCycle {
  const { config, store, metrics, log, now } = deps;
  const status: CycleStatus = { lastCycle: null, lastCycleError: null, lastCycleStart: null };
  let firstCycleDone = false;

  const pollClusterDeliver = async () => {
    const timer = metrics.cycleDuration.startTimer();
    const poll = await pollFeeds(
      {
        feeds: config.feeds,
        force: false,
        concurrency: config.fetch.concurrency,
        fullText: config.fetch.fullText,
        polling: config.polling,
        // On a shared database each due feed is claimed, so several instances poll it once.
        ...(store.multiInstance ? { claim: { holder: deps.holder.id, ttlMs: FEED_CLAIM_MS } } : {}),
      },
      { http: deps.http, store, logger: log.child({ module: 'ingest' }), now },
    );
    const polled = poll.feeds.filter((f) => f.status !== 'skipped');
    metrics.feedsPolled.inc(polled.length);
    metrics.feedFailures.inc(polled.filter((f) => !f.ok).length);
    metrics.articlesIngested.inc(poll.newArticleIds.length);
    deps.renewLease();
    const clustered = await clusterNewArticles(deps.cluster, {
      store,
      logger: log.child({ module: 'cluster' }),
      now,
      // A `once` beside the bot may be clustering: then this cycle leaves it to that, the next one goes on.
      lease: { holder: deps.holder, isAlive: pidAlive, waitMs: 0 },
    });
    metrics.eventsCreated.inc(clustered.newEventIds.length);
    const changedEvents = [
      ...clustered.touchedEventIds,
      ...store.articles
        .getMany(poll.updatedArticleIds)
        .map((a) => a.eventId)
        .filter((id): id is string => id !== null),
    ];
    if (config.bot.updates.enabled) {
      const behind = store.deliveries.eventsBehind();
      await planUpdates([...changedEvents, ...behind], config.bot.updates.minInterval, deps.planDeps);
    }
    if (polled.length > 0 && polled.every((f) => !f.ok)) {
      log.warn('no feed could be reached in this cycle; briefbot keeps polling and will retry', {
        feeds: polled.length,
        errors: [...new Set(polled.map((f) => f.error))].slice(0, 3),
      });
    }
    status.lastCycle = { at: now().toISOString(), feeds: polled.length, failed: polled.filter((f) => !f.ok).length };
    timer();
    if (!firstCycleDone) {
      firstCycleDone = true;
      await deps.afterFirstCycle();
    }
    await deps.deliver();
  };

  return {
    async run() {
      status.lastCycleStart = now();
      try {
        await pollClusterDeliver();
        status.lastCycleError = null;
      } catch (err) {
        status.lastCycleError = { at: now().toISOString(), error: store.explainError(err) };
        throw err;
      }
    },
    status: () => status,
  };
}
