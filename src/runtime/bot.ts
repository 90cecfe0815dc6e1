/**
 * @module The long-running bot: polls feeds on a schedule, clusters, plans updates for events already
 * posted, posts each channel's brief on its own cron and time zone, and delivers everything through the
 * ledger (retrying what failed). Platforms are started with the command handlers; everything it needs
 * is passed in (main.ts builds it).
 */

import type { ClusterParams } from '../cluster/cluster-stories.ts';
import { createCommandHandlers } from '../commands/handle-commands.ts';
import type { ChannelSpec, Config } from '../config/load-config.ts';
import type { HttpGetter } from '../ingest/http-client.ts';
import { clusterNewArticles } from '../pipeline/cluster-articles.ts';
import { createDeliverer, type Deliverer } from '../pipeline/deliver.ts';
import { planScheduledBrief } from '../pipeline/plan-briefs.ts';
import { planUpdates } from '../pipeline/plan-updates.ts';
import { pollFeeds } from '../pipeline/poll-feeds.ts';
import type { ChatPlatform } from '../platforms/chat-platform.ts';
import { createScheduler, type Scheduler } from '../scheduler/scheduler.ts';
import { errorMessage } from '../shared/errors.ts';
import type { Logger } from '../shared/logger.ts';
import type { Store } from '../store/ports.ts';
import type { Summarizer } from '../summarize/summarizer.ts';
import type { Health } from './http-server.ts';
import type { Metrics } from './metrics.ts';

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
}

export interface Bot {
  /** One poll → cluster → updates → deliver cycle. */
  cycle(): Promise<void>;
  /** Plans and posts a channel's brief now (the schedule calls this). */
  briefChannel(channel: ChannelSpec, slot?: Date): Promise<void>;
  deliverer: Deliverer;
  health(): Health;
  stop(): Promise<void>;
}

export async function startBot(deps: BotDeps): Promise<Bot> {
  const now = deps.now ?? (() => new Date());
  const log = deps.logger;
  const scheduler = deps.scheduler ?? createScheduler(log.child({ module: 'scheduler' }));
  const planDeps = { store: deps.store, logger: log.child({ module: 'briefs' }), now, summarizer: deps.summarizer };
  const deliverer = createDeliverer({
    store: deps.store,
    platforms: deps.platforms,
    logger: log.child({ module: 'deliver' }),
    now,
    maxAttempts: deps.config.bot.delivery.maxAttempts,
    onResult: (r) =>
      r.ok
        ? deps.metrics.posts.inc({ platform: r.platform })
        : deps.metrics.postFailures.inc({ platform: r.platform, reason: r.reason ?? 'error' }),
  });
  const deliver = async () => {
    await deliverer.run();
    deps.metrics.pendingDeliveries.set(deps.store.deliveries.countPending());
  };
  const kick = () => {
    deliver().catch((err: unknown) => log.error('delivery run failed', { error: errorMessage(err) }));
  };

  let lastCycle: { at: string; feeds: number; failed: number } | null = null;
  let firstCycleDone = false;
  const startedAt = now();

  const cycle = async () => {
    const timer = deps.metrics.cycleDuration.startTimer();
    const poll = await pollFeeds(
      {
        feeds: deps.config.feeds,
        force: false,
        concurrency: deps.config.fetch.concurrency,
        fullText: deps.config.fetch.fullText,
        polling: deps.config.polling,
      },
      { http: deps.http, store: deps.store, logger: log.child({ module: 'ingest' }), now },
    );
    const polled = poll.feeds.filter((f) => f.status !== 'skipped');
    deps.metrics.feedsPolled.inc(polled.length);
    deps.metrics.feedFailures.inc(polled.filter((f) => !f.ok).length);
    deps.metrics.articlesIngested.inc(poll.newArticleIds.length);
    const clustered = clusterNewArticles(deps.cluster, { store: deps.store, logger: log.child({ module: 'cluster' }), now });
    deps.metrics.eventsCreated.inc(clustered.newEventIds.length);
    const changedEvents = [
      ...clustered.touchedEventIds,
      ...deps.store.articles
        .getMany(poll.updatedArticleIds)
        .map((a) => a.eventId)
        .filter((id): id is string => id !== null),
    ];
    if (deps.config.bot.updates.enabled) await planUpdates(changedEvents, deps.config.bot.updates.minInterval, planDeps);
    if (polled.length > 0 && polled.every((f) => !f.ok)) {
      log.warn('no feed could be reached in this cycle; briefbot keeps polling and will retry', {
        feeds: polled.length,
        errors: [...new Set(polled.map((f) => f.error))].slice(0, 3),
      });
    }
    lastCycle = { at: now().toISOString(), feeds: polled.length, failed: polled.filter((f) => !f.ok).length };
    timer();
    if (!firstCycleDone) {
      firstCycleDone = true;
      for (const channel of deps.config.channels.filter((c) => c.briefOnStart)) await briefChannel(channel, startedAt);
    }
    await deliver();
  };

  const briefChannel = async (channel: ChannelSpec, slot: Date = now()) => {
    const planned = await planScheduledBrief(channel, slot, deps.config.bot.window, planDeps);
    if (!planned && channel.deliveredVia === 'console') {
      const known = deps.store.articles.count();
      const notice =
        known === 0
          ? `briefbot: no articles yet (${deps.config.feeds.length} feeds configured${lastCycle ? `, ${lastCycle.failed} of ${lastCycle.feeds} failed in the last poll` : ''}). It keeps polling; see \`briefbot feeds\` for each feed's health.`
          : 'briefbot: no new events since the last brief.';
      deps.platforms
        .get('console')
        ?.post(
          { key: `notice-${now().toISOString()}`, channelId: channel.id, threadRef: null, content: { kind: 'notice', text: notice } },
          { inDoubt: false },
        )
        .catch(() => undefined);
    }
    await deliver();
  };

  const handlers = createCommandHandlers({ ...planDeps, channels: deps.config.channels, defaultTimezone: deps.config.bot.timezone, kick });
  for (const platform of deps.platforms.values()) await platform.start(handlers);

  scheduler.add({ name: 'poll', cron: deps.pollCron ?? '* * * * *', run: cycle });
  scheduler.add({ name: 'deliver', cron: deps.deliverCron ?? '*/15 * * * * *', run: deliver });
  for (const channel of deps.config.channels) {
    scheduler.add({
      name: `brief:${channel.deliveredVia}:${channel.id}`,
      cron: channel.schedule,
      timezone: channel.timezone,
      run: () => briefChannel(channel),
    });
    log.info('channel scheduled', {
      channel: channel.name,
      via: channel.deliveredVia,
      schedule: channel.schedule,
      timezone: channel.timezone,
      next: scheduler.nextRuns(`brief:${channel.deliveredVia}:${channel.id}`, 1)[0]?.toISOString(),
    });
  }

  return {
    cycle,
    briefChannel,
    deliverer,
    health(): Health {
      const age = lastCycle ? now().getTime() - Date.parse(lastCycle.at) : now().getTime() - startedAt.getTime();
      const status = !lastCycle ? (age > 10 * 60_000 ? 'degraded' : 'starting') : age > 10 * 60_000 ? 'degraded' : 'ok';
      return {
        status,
        startedAt: startedAt.toISOString(),
        lastCycle,
        pendingDeliveries: deps.store.deliveries.countPending(),
        platforms: [...deps.platforms.keys()],
        channels: deps.config.channels.map((c) => ({ name: c.name, via: c.deliveredVia })),
      };
    },
    async stop() {
      await scheduler.stop();
      for (const platform of deps.platforms.values()) await platform.stop();
    },
  };
}
