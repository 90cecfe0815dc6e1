/**
 * @module The long-running bot: polls feeds on a schedule, clusters, plans updates for events already
 * posted, posts each channel's brief on its own cron and time zone, and delivers everything through the
 * ledger (retrying what failed). Platforms are started with the command handlers; one that cannot be
 * reached at start is retried in the background while polling and queueing go on. Everything it needs
 * is passed in (main.ts builds it). The parts: bot-lease.ts (one bot per database), poll-cycle.ts,
 * channel-briefs.ts, platform-starter.ts and bot-health.ts; this module wires them together.
 */
import type { ClusterParams } from '../cluster/cluster-stories.ts';
import { createCommandHandlers } from '../commands/handle-commands.ts';
import type { ChannelSpec, Config } from '../config/load-config.ts';
import type { HttpGetter } from '../net/http-client.ts';
import { createDeliverer, type Deliverer } from '../outbox/deliver.ts';
import type { ChatPlatform } from '../platforms/chat-platform.ts';
import { createScheduler, type Scheduler } from '../scheduler/scheduler.ts';
import { errorMessage } from '../shared/errors.ts';
import type { Logger } from '../shared/logger.ts';
import type { LeaseHolder, Store } from '../store/ports.ts';
import type { Summarizer } from '../summarize/summarizer.ts';
import { createHealthReport } from './bot-health.ts';
import { holdBotLease, inboundLeases, sharedStoreLease } from './bot-lease.ts';
import { createChannelBriefs } from './channel-briefs.ts';
import type { Health } from './http-server.ts';
import type { Metrics } from './metrics.ts';
import { createPlatformStarter } from './platform-starter.ts';
import { createPollCycle } from './poll-cycle.ts';
import { pidAlive, thisProcess } from './process-lease.ts';

/**
 * On a shared database, how long a brief waits for another instance's clustering to finish: longer than
 * the clustering lease lasts unrenewed (5 min), so a killed clusterer's lease is outwaited.
 */
const BRIEF_WAITS_FOR_CLUSTERING_MS = 6 * 60_000;

export interface BotDeps {
  config: Config;
  store: Store;
  http: HttpGetter;
  logger: Logger;
  platforms: ReadonlyMap<string, ChatPlatform>;
  summarizer: Summarizer;
  metrics: Metrics;
  cluster: ClusterParams;
  now?: () => Date;
  /** Schedules; tests pass their own to drive ticks by hand. */
  scheduler?: Scheduler;
  /** Cron of the poll loop (feeds are only fetched when due, per their own interval). Default every minute. */
  pollCron?: string;
  /** Cron of the retry loop of the deliverer. Default every 15 s. */
  deliverCron?: string;
  /** First wait before starting a platform again after it could not be reached. Default 15 s. */
  platformRetryMs?: number;
  /** This process, as the holder of the database's "bot" lease (default: the running process). */
  holder?: LeaseHolder;
}

export interface Bot {
  /** One poll → cluster → updates → deliver cycle (never two at once). */
  cycle(): Promise<void>;
  /** Plans and posts a channel's brief now (the schedule calls this). */
  briefChannel(channel: ChannelSpec, slot?: Date): Promise<void>;
  deliverer: Deliverer;
  health(): Health;
  /** Stops the schedules, waits for the running cycle and deliveries, stops the platforms. */
  stop(): Promise<void>;
}

export async function startBot(deps: BotDeps): Promise<Bot> {
  const now = deps.now ?? (() => new Date());
  const log = deps.logger;
  const holder = deps.holder ?? thisProcess();
  // One bot per SQLite file; on a shared store (PostgreSQL) instances split the work by claims instead.
  const lease = deps.store.multiInstance ? sharedStoreLease(log, deps.store, holder) : holdBotLease(deps.store, holder, now, log);
  const scheduler = deps.scheduler ?? createScheduler(log.child({ module: 'scheduler' }));
  const planDeps = { store: deps.store, logger: log.child({ module: 'briefs' }), now, summarizer: deps.summarizer };
  const deliverer = createDeliverer({
    store: deps.store,
    platforms: deps.platforms,
    logger: log.child({ module: 'deliver' }),
    now,
    maxAttempts: deps.config.bot.delivery.maxAttempts,
    ...(deps.store.multiInstance ? { shared: { claimMs: deps.config.bot.delivery.claimTimeout } } : {}),
    onResult: (r) =>
      r.ok
        ? deps.metrics.posts.inc({ platform: r.platform })
        : deps.metrics.postFailures.inc({ platform: r.platform, reason: r.reason ?? 'error' }),
  });
  const deliver = async () => {
    await deliverer.run();
    deps.metrics.pendingDeliveries.set(deps.store.deliveries.countPending());
  };
  /** Starts a delivery run in the background, for what a command just planned. */
  const wakeDeliverer = () => {
    deliver().catch((err: unknown) => log.error('delivery run failed', { error: errorMessage(err) }));
  };
  const startedAt = now();
  const briefs = createChannelBriefs({
    config: deps.config,
    store: deps.store,
    platforms: deps.platforms,
    scheduler,
    planDeps,
    log,
    now,
    deliver,
    // Its own holder id: this process's clustering and its briefs exclude each other too.
    ...(deps.store.multiInstance
      ? { clusterLease: { holder: { ...holder, id: `${holder.id}:briefs` }, isAlive: pidAlive, waitMs: BRIEF_WAITS_FOR_CLUSTERING_MS } }
      : {}),
  });
  const cycle = createPollCycle({
    config: deps.config,
    store: deps.store,
    http: deps.http,
    metrics: deps.metrics,
    cluster: deps.cluster,
    log,
    now,
    holder,
    planDeps,
    renewLease: lease.renew,
    afterFirstCycle: () => briefs.briefOnStart(startedAt),
    deliver,
  });
  const handlers = createCommandHandlers({
    ...planDeps,
    channels: deps.config.channels,
    defaultTimezone: deps.config.bot.timezone,
    wakeDeliverer,
  });
  const starter = createPlatformStarter({
    platforms: deps.platforms,
    handlers,
    log,
    retryMs: deps.platformRetryMs ?? 15_000,
    ...(deps.store.multiInstance ? { leases: inboundLeases(deps.store, holder, now) } : {}),
  });
  await starter.startAll();

  scheduler.add({ name: 'poll', cron: deps.pollCron ?? '* * * * *', run: cycle.run });
  scheduler.add({ name: 'deliver', cron: deps.deliverCron ?? '*/15 * * * * *', run: deliver });
  briefs.schedule();

  return {
    // Through the scheduler: a cycle never overlaps the scheduled one, and stop() waits for it.
    cycle: () => scheduler.runNow('poll'),
    briefChannel: briefs.briefChannel,
    deliverer,
    health: createHealthReport({
      config: deps.config,
      store: deps.store,
      platforms: deps.platforms,
      deliverer,
      now,
      startedAt,
      inboundState: starter.state,
      cycleStatus: cycle.status,
    }),
    async stop() {
      starter.cancelRetries();
      lease.stopRenewing();
      await scheduler.stop();
      await briefs.settled();
      deliverer.stop();
      await deliverer.idle();
      await starter.settled();
      for (const platform of deps.platforms.values()) await platform.stop();
      starter.releaseLeases();
      lease.release();
    },
  };
}
