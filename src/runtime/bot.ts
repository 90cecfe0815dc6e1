/**
 * @module The long-running bot: polls feeds on a schedule, clusters, plans updates for events already
 * posted, posts each channel's brief on its own cron and time zone, and delivers everything through the
 * ledger (retrying what failed). Platforms are started with the command handlers; one that cannot be
 * reached at start is retried in the background while polling and queueing go on. Everything it needs
 * is passed in (main.ts builds it).
 */
import type { ClusterParams } from '../cluster/cluster-stories.ts';
import { createCommandHandlers } from '../commands/handle-commands.ts';
import type { ChannelSpec, Config } from '../config/load-config.ts';
import type { HttpGetter } from '../net/http-client.ts';
import { createDeliverer, type Deliverer } from '../outbox/deliver.ts';
import { planScheduledBrief } from '../outbox/plan-briefs.ts';
import { planUpdates } from '../outbox/plan-updates.ts';
import { clusterNewArticles } from '../pipeline/cluster-articles.ts';
import { pollFeeds } from '../pipeline/poll-feeds.ts';
import type { ChatPlatform, InboundHandlers } from '../platforms/chat-platform.ts';
import { createScheduler, type Scheduler } from '../scheduler/scheduler.ts';
import { BriefbotError, errorMessage, PlatformError } from '../shared/errors.ts';
import type { Logger } from '../shared/logger.ts';
import type { LeaseHolder, Store } from '../store/ports.ts';
import type { Summarizer } from '../summarize/summarizer.ts';
import type { Health } from './http-server.ts';
import type { Metrics } from './metrics.ts';
import { pidAlive, thisProcess } from './process-lease.ts';

/** Trouble that lasts this long is for an operator; shorter is a notice. */
const PERSISTENT_MS = 5 * 60_000;
/** No poll cycle started for this long: the loop is stuck, and only a restart helps (liveness fails). */
const STALLED_MS = 30 * 60_000;
const FAR_FUTURE = '9999-12-31T23:59:59.999Z';

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

/** The "bot" lease: one bot polls and posts per database; renewed well before it runs out. */
const BOT_LEASE = 'bot';
const BOT_LEASE_TTL_MS = 90_000;
const BOT_LEASE_RENEW_MS = 30_000;

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

/** How late a missed scheduled brief is still worth posting (after a restart over its time). */
const MAKE_UP_WITHIN_MS = 12 * 3_600_000;

export async function startBot(deps: BotDeps): Promise<Bot> {
  const now = deps.now ?? (() => new Date());
  const log = deps.logger;
  const holder = deps.holder ?? thisProcess();
  // Two bots on one database would both poll, cluster and post: the second one refuses to start.
  const lease = deps.store.leases.acquire(BOT_LEASE, holder, BOT_LEASE_TTL_MS, now(), pidAlive);
  if (!lease.granted) {
    throw new BriefbotError(
      'store_busy',
      `another briefbot is already running on this database (pid ${lease.holder.pid} on ${lease.holder.host}, since ${lease.since}): ` +
        'stop it first, or give this one its own database (store.path or BRIEFBOT_DB). `briefbot once` and `briefbot brief` can run beside it.',
    );
  }
  const renewLease = () => {
    try {
      const r = deps.store.leases.acquire(BOT_LEASE, holder, BOT_LEASE_TTL_MS, now(), pidAlive);
      if (!r.granted) log.error('another briefbot took over this database', { pid: r.holder.pid, host: r.holder.host });
    } catch (err) {
      log.warn('could not renew the bot lease', { error: errorMessage(err) });
    }
  };
  const leaseTimer = setInterval(renewLease, BOT_LEASE_RENEW_MS);
  leaseTimer.unref();
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
  /** The last poll cycle that threw (the database, most often), until one succeeds again. */
  let lastCycleError: { at: string; error: string } | null = null;
  let lastCycleStart: Date | null = null;
  const disconnectedSince = new Map<string, string>();
  /** Alive while the poll loop keeps starting cycles: a restart helps only when it has stopped. */
  const isLive = () => now().getTime() - (lastCycleStart ?? startedAt).getTime() < STALLED_MS;
  let firstCycleDone = false;
  let stopping = false;
  const startedAt = now();
  const inbound = new Map<string, 'connected' | 'retrying'>();
  const retryTimers = new Set<NodeJS.Timeout>();
  /** Platform starts in progress (first or retried): stop() waits for them. */
  const starting = new Set<Promise<void>>();

  /** One brief at a time per channel: the schedule and a start-up brief never plan the same events twice. */
  const channelLocks = new Map<string, Promise<void>>();
  const briefChannel = (channel: ChannelSpec, slot: Date = now()): Promise<void> => {
    const key = `${channel.deliveredVia}:${channel.id}`;
    const previous = channelLocks.get(key) ?? Promise.resolve();
    const next = previous.then(() => briefChannelNow(channel, slot));
    channelLocks.set(
      key,
      next.catch(() => undefined),
    );
    return next;
  };

  const briefChannelNow = async (channel: ChannelSpec, slot: Date) => {
    const planned = await planScheduledBrief(channel, slot, deps.config.bot.window, planDeps);
    if (!planned && channel.deliveredVia === 'console') {
      const known = deps.store.articles.count();
      const feeds = feedHealth();
      const notice =
        known === 0
          ? `briefbot: no articles yet (${feeds.configured} feeds configured, ${feeds.failing} failing). It keeps polling; see \`npm run briefbot -- feeds\` for each feed's health.`
          : 'briefbot: no new events since the last brief.';
      deps.platforms
        .get('console')
        ?.post(
          { key: `notice-${now().toISOString()}`, channelId: channel.id, threadRef: null, content: { kind: 'notice', text: notice } },
          { inDoubt: false, since: null },
        )
        .catch(() => undefined);
    }
    await deliver();
  };

  /** The configured feeds by their last poll: a loop that runs but reaches no feed is not healthy. */
  const feedHealth = () => {
    const states = deps.config.feeds.map((f) => deps.store.feeds.get(f.url));
    return {
      configured: deps.config.feeds.length,
      ok: states.filter((st) => st?.status === 'ok').length,
      failing: states.filter((st) => st?.status === 'failing' || st?.status === 'unhealthy').length,
    };
  };

  const jobName = (channel: ChannelSpec) => `brief:${channel.deliveredVia}:${channel.id}`;

  /** After a restart over a channel's brief time: the brief it missed, if it is still the same day's news. */
  const makeUpMissedBriefs = async () => {
    for (const channel of deps.config.channels) {
      if (channel.briefOnStart) continue;
      const last = deps.store.deliveries.lastBriefAt(channel.deliveredVia, channel.id);
      const slot = scheduler.previousRun(jobName(channel), now());
      if (!last || !slot || Date.parse(last) >= slot.getTime() || now().getTime() - slot.getTime() > MAKE_UP_WITHIN_MS) continue;
      log.info('posting the brief missed while briefbot was not running', { channel: channel.name, slot: slot.toISOString() });
      await briefChannel(channel, slot);
    }
  };

  const runCycle = async () => {
    lastCycleStart = now();
    try {
      await pollClusterDeliver();
      lastCycleError = null;
    } catch (err) {
      lastCycleError = { at: now().toISOString(), error: deps.store.explainError(err) };
      throw err;
    }
  };

  const pollClusterDeliver = async () => {
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
    renewLease();
    const clustered = await clusterNewArticles(deps.cluster, {
      store: deps.store,
      logger: log.child({ module: 'cluster' }),
      now,
      // A `once` beside the bot may be clustering: then this cycle leaves it to that, the next one goes on.
      lease: { holder, isAlive: pidAlive, waitMs: 0 },
    });
    deps.metrics.eventsCreated.inc(clustered.newEventIds.length);
    const changedEvents = [
      ...clustered.touchedEventIds,
      ...deps.store.articles
        .getMany(poll.updatedArticleIds)
        .map((a) => a.eventId)
        .filter((id): id is string => id !== null),
    ];
    if (deps.config.bot.updates.enabled) {
      const behind = deps.store.deliveries.eventsBehind();
      await planUpdates([...changedEvents, ...behind], deps.config.bot.updates.minInterval, planDeps);
    }
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
      await makeUpMissedBriefs();
    }
    await deliver();
  };

  const handlers: InboundHandlers = createCommandHandlers({
    ...planDeps,
    channels: deps.config.channels,
    defaultTimezone: deps.config.bot.timezone,
    kick,
  });

  /** Starts a platform's inbound side; one that cannot be reached now is retried with backoff. */
  const startPlatform = async (platform: ChatPlatform, attempt: number): Promise<void> => {
    try {
      await platform.start(handlers);
      inbound.set(platform.name, 'connected');
      if (attempt > 1) log.info('platform connected', { platform: platform.name, attempt });
    } catch (err) {
      // A refused token or a missing scope is for a person to fix: say so and stop, at start.
      if (err instanceof PlatformError && !err.retryable && attempt === 1) throw err;
      if (stopping) return;
      const wait = Math.min(10 * 60_000, (deps.platformRetryMs ?? 15_000) * 2 ** (attempt - 1));
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
    }
  };
  for (const platform of deps.platforms.values()) await startPlatform(platform, 1);

  scheduler.add({ name: 'poll', cron: deps.pollCron ?? '* * * * *', run: runCycle });
  scheduler.add({ name: 'deliver', cron: deps.deliverCron ?? '*/15 * * * * *', run: deliver });
  for (const channel of deps.config.channels) {
    scheduler.add({ name: jobName(channel), cron: channel.schedule, timezone: channel.timezone, run: () => briefChannel(channel) });
    log.info('channel scheduled', {
      channel: channel.name,
      via: channel.deliveredVia,
      schedule: channel.schedule,
      timezone: channel.timezone,
      next: scheduler.nextRuns(jobName(channel), 1)[0]?.toISOString(),
    });
  }

  return {
    // Through the scheduler: a cycle never overlaps the scheduled one, and stop() waits for it.
    cycle: () => scheduler.runNow('poll'),
    briefChannel,
    deliverer,
    health(): Health {
      // When each platform was first seen disconnected (cleared once it is back).
      for (const p of deps.platforms.values()) {
        const state = inbound.get(p.name);
        const down = state === 'retrying' || (state === 'connected' && !p.connected());
        if (!down) disconnectedSince.delete(p.name);
        else if (!disconnectedSince.has(p.name)) disconnectedSince.set(p.name, now().toISOString());
      }
      const age = lastCycle ? now().getTime() - Date.parse(lastCycle.at) : now().getTime() - startedAt.getTime();
      const platforms = deliverer.platformHealth();
      const feeds = feedHealth();
      const at = now().getTime();
      const lasting = (since: string | null) => since !== null && at - Date.parse(since) >= PERSISTENT_MS;
      // What an operator must act on (README, "Health and metrics", lists each cause).
      const problems = [
        ...(lastCycleError ? [`polling fails: ${lastCycleError.error}`] : []),
        ...(feeds.configured > 0 && feeds.ok === 0 && feeds.failing > 0 ? ['no feed can be reached'] : []),
        ...(age > 10 * 60_000 ? [lastCycle ? 'no poll has finished for 10 minutes' : 'the first poll has not finished'] : []),
        ...Object.entries(platforms)
          .filter(([, h]) => h.state === 'auth')
          .map(([p]) => `${p} refuses the token or a scope is missing`),
        ...[...deps.platforms.values()].flatMap((p) => {
          const state = inbound.get(p.name);
          const since = disconnectedSince.get(p.name) ?? null;
          if (!lasting(since)) return [];
          if (state === 'retrying') return [`${p.name} cannot be reached at start (retrying)`];
          return state === 'connected' && !p.connected() ? [`${p.name} has been disconnected for 5 minutes (reconnecting)`] : [];
        }),
        // Posting that has failed for a while with messages still waiting; a rate limit is not a failure,
        // and a message given up on is counted in failedDeliveries, not reported for ever.
        ...Object.entries(platforms)
          .filter(([p, h]) => h.state === 'failing' && lasting(h.since) && deps.store.deliveries.listDue(FAR_FUTURE, 1, p).length > 0)
          .map(([p]) => `posting to ${p} has failed for 5 minutes (retrying)`),
      ];
      // Passing trouble a human need not act on: reported, never a 503.
      const notices = [
        ...Object.entries(platforms)
          .filter(([, h]) => h.state === 'rate_limited' || (h.state === 'failing' && !lasting(h.since)))
          .map(([p, h]) => (h.state === 'rate_limited' ? `${p} asked briefbot to slow down` : `posting to ${p} failed; retrying`)),
        ...[...deps.platforms.values()]
          .filter((p) => disconnectedSince.has(p.name) && !lasting(disconnectedSince.get(p.name) ?? null))
          .map((p) => `${p.name} is reconnecting`),
      ];
      return {
        status: problems.length ? 'degraded' : lastCycle ? 'ok' : 'starting',
        problems,
        notices,
        live: isLive(),
        startedAt: startedAt.toISOString(),
        lastCycle,
        feeds,
        pendingDeliveries: deps.store.deliveries.countPending(),
        failedDeliveries: deps.store.deliveries.countFailed(),
        platforms: [...deps.platforms.keys()],
        delivery: Object.fromEntries(Object.entries(platforms).map(([p, h]) => [p, h.state])),
        channels: deps.config.channels.map((c) => ({ name: c.name, via: c.deliveredVia })),
      };
    },
    async stop() {
      stopping = true;
      clearInterval(leaseTimer);
      for (const t of retryTimers) clearTimeout(t);
      await scheduler.stop();
      await Promise.allSettled([...channelLocks.values()]);
      deliverer.stop();
      await deliverer.idle();
      await Promise.allSettled([...starting]);
      for (const platform of deps.platforms.values()) await platform.stop();
      deps.store.leases.release(BOT_LEASE, holder.id);
    },
  };
}
