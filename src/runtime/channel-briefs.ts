/**
 * @module Each channel's brief: planned on its own cron and time zone (one at a time per channel, so the
 * schedule and a start-up brief never plan the same events twice), the start-up briefs after the first
 * poll, and the brief a restart over a channel's brief time missed. On the console, a brief with nothing
 * to say says why instead.
 */
import type { ChannelSpec, Config } from '../config/load-config.ts';
import { type PlanDeps, planScheduledBrief } from '../outbox/plan-briefs.ts';
import { type ClusterDeps, withoutClustering } from '../pipeline/cluster-articles.ts';
import type { ChatPlatform } from '../platforms/chat-platform.ts';
import { fallbackPlatform } from '../platforms/registry.ts';
import type { Scheduler } from '../scheduler/scheduler.ts';
import type { Logger } from '../shared/logger.ts';
import type { Store } from '../store/ports.ts';
import { feedHealth } from './bot-health.ts';

/** How late a missed scheduled brief is still worth posting (after a restart over its time). */
const MAKE_UP_WITHIN_MS = 12 * 3_600_000;

export interface ChannelBriefs {
  /** Plans and posts a channel's brief now (the schedule calls this). */
  briefChannel(channel: ChannelSpec, slot?: Date): Promise<void>;
  /** The first cycle's briefs: the channels that brief on start, then the briefs missed while stopped. */
  briefOnStart(startedAt: Date): Promise<void>;
  /** Puts each channel's brief on the scheduler. */
  schedule(): void;
  /** Waits for the briefs being planned. */
  settled(): Promise<void>;
}

export function createChannelBriefs(deps: {
  config: Config;
  store: Store;
  platforms: ReadonlyMap<string, ChatPlatform>;
  scheduler: Scheduler;
  planDeps: PlanDeps;
  log: Logger;
  now: () => Date;
  /** Posts what is due. */
  deliver: () => Promise<void>;
  /**
   * Set when several instances share the database: a brief is planned holding the clustering lease, so
   * it never reads events another instance is saving, and two instances never plan a channel's brief at
   * once (a start-up brief's slot is each instance's own start, so the brief's id would not catch it).
   */
  clusterLease?: NonNullable<ClusterDeps['lease']>;
}): ChannelBriefs {
  const { config, store, scheduler, log, now } = deps;
  /** One brief at a time per channel. */
  const channelLocks = new Map<string, Promise<void>>();
  const jobName = (channel: ChannelSpec) => `brief:${channel.deliveredVia}:${channel.id}`;

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
    const plan = () => planScheduledBrief(channel, slot, config.bot.window, deps.planDeps);
    const lease = deps.clusterLease;
    const planned = lease ? await withoutClustering({ store, logger: log, now, lease }, plan) : await plan();
    if (!planned && channel.deliveredVia === fallbackPlatform().id) printNothingNew(channel);
    await deps.deliver();
  };

  /** On the console (the fallback platform), a brief with nothing in it says why (no articles yet, or nothing new). */
  const printNothingNew = (channel: ChannelSpec) => {
    const known = store.articles.count();
    const feeds = feedHealth(config, store);
    const notice =
      known === 0
        ? `briefbot: no articles yet (${feeds.configured} feeds configured, ${feeds.failing} failing). It keeps polling; see \`npm run briefbot -- feeds\` for each feed's health.`
        : 'briefbot: no new events since the last brief.';
    deps.platforms
      .get(fallbackPlatform().id)
      ?.post(
        { key: `notice-${now().toISOString()}`, channelId: channel.id, threadRef: null, content: { kind: 'notice', text: notice } },
        { inDoubt: false, since: null },
      )
      .catch(() => undefined);
  };

  /** After a restart over a channel's brief time: the brief it missed, if it is still the same day's news. */
  const makeUpMissedBriefs = async () => {
    for (const channel of config.channels) {
      if (channel.briefOnStart) continue;
      const last = store.deliveries.lastBriefAt(channel.deliveredVia, channel.id);
      const slot = scheduler.previousRun(jobName(channel), now());
      if (!last || !slot || Date.parse(last) >= slot.getTime() || now().getTime() - slot.getTime() > MAKE_UP_WITHIN_MS) continue;
      log.info('posting the brief missed while briefbot was not running', { channel: channel.name, slot: slot.toISOString() });
      await briefChannel(channel, slot);
    }
  };

  return {
    briefChannel,
    async briefOnStart(startedAt) {
      for (const channel of config.channels.filter((c) => c.briefOnStart)) await briefChannel(channel, startedAt);
      await makeUpMissedBriefs();
    },
    schedule() {
      for (const channel of config.channels) {
        scheduler.add({ name: jobName(channel), cron: channel.schedule, timezone: channel.timezone, run: () => briefChannel(channel) });
        log.info('channel scheduled', {
          channel: channel.name,
          via: channel.deliveredVia,
          schedule: channel.schedule,
          timezone: channel.timezone,
          next: scheduler.nextRuns(jobName(channel), 1)[0]?.toISOString(),
        });
      }
    },
    async settled() {
      await Promise.allSettled([...channelLocks.values()]);
    },
  };
}
