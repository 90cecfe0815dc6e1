/**
 * The real bot, in-process, for chat platform tests: real config loading (YAML + env), a real SQLite
 * file, real HTTP polling of a fake feed server on loopback, the real clusterer and summarizer. Only
 * time is in the test's hands: a settable clock and a scheduler whose jobs run when the test says.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { DEFAULT_CLUSTER_PARAMS } from '../../src/cluster/cluster-stories.ts';
import { type Config, httpClientOptions, loadConfig } from '../../src/config/load-config.ts';
import { createSummarizer } from '../../src/llm/create-summarizer.ts';
import { buildPlatforms } from '../../src/main.ts';
import { createHttpClient } from '../../src/net/http-client.ts';
import type { ChatPlatform } from '../../src/platforms/chat-platform.ts';
import { type Bot, startBot } from '../../src/runtime/bot.ts';
import { createMetrics, type Metrics } from '../../src/runtime/metrics.ts';
import type { JobSpec, Scheduler } from '../../src/scheduler/scheduler.ts';
import { createLogger, type Logger } from '../../src/shared/logger.ts';
import { openStore } from '../../src/store/open-store.ts';
import type { Store } from '../../src/store/ports.ts';
import type { FakeFeedServer } from '../fakes/fake-feed-server.ts';
import { storiesFeed } from './build.ts';
import type { Story } from './stories.ts';

export interface Clock {
  now: () => Date;
  set(iso: string): void;
  advance(ms: number): void;
}

export function manualClock(iso: string): Clock {
  let t = Date.parse(iso);
  return {
    now: () => new Date(t),
    set: (to) => {
      t = Date.parse(to);
    },
    advance: (ms) => {
      t += ms;
    },
  };
}

/** A scheduler whose jobs only run when the test calls runNow. */
export function manualScheduler(): Scheduler & { jobs: Map<string, JobSpec> } {
  const jobs = new Map<string, JobSpec>();
  return {
    jobs,
    add: (job) => {
      jobs.set(job.name, job);
    },
    runNow: async (name) => {
      await jobs.get(name)?.run();
    },
    nextRuns: () => [],
    previousRun: () => null,
    stop: () => Promise.resolve(),
  };
}

function slug(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]+/g, '-');
}

/**
 * Serves the stories as one RSS feed per outlet (full text in content:encoded), plus an empty feed for
 * each of `emptyOutlets` (to fill later); returns the feed URLs.
 */
export function serveStories(server: FakeFeedServer, stories: readonly Story[], emptyOutlets: readonly string[] = []): string[] {
  const byOutlet = new Map<string, Story[]>(emptyOutlets.map((o) => [o, []]));
  for (const s of stories) byOutlet.set(s.outlet, [...(byOutlet.get(s.outlet) ?? []), s]);
  const urls: string[] = [];
  for (const [outlet, items] of byOutlet) {
    const path = `/feed/${slug(outlet)}.xml`;
    server.route(path, { body: storiesFeed(server.url, outlet, items), headers: { 'content-type': 'application/rss+xml' } });
    urls.push(`${server.url}${path}`);
  }
  return urls;
}

/** Writes a config file (feeds from `feedUrls`, the rest from `extra`) and loads it with `env`. */
export function writeAndLoadConfig(
  dir: string,
  feedUrls: readonly string[],
  extra: Record<string, unknown>,
  env: Record<string, string>,
): Config {
  const file = join(dir, 'briefbot.yaml');
  writeFileSync(
    file,
    stringify({
      feeds: feedUrls.map((url) => ({ url, interval: '5m' })),
      fetch: { allowPrivateAddresses: true },
      store: { path: join(dir, 'briefbot.db') },
      ...extra,
    }),
  );
  return loadConfig({ file, env: { LOG_LEVEL: 'silent', ...env }, cwd: dir });
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `briefbot-${prefix}-`));
}

export interface Harness {
  bot: Bot;
  store: Store;
  config: Config;
  platforms: Map<string, ChatPlatform>;
  scheduler: ReturnType<typeof manualScheduler>;
  metrics: Metrics;
  logger: Logger;
  /** Stops the bot and platforms, closes the store. */
  close(): Promise<void>;
}

/** Starts the bot on `config`; platforms are built as main.ts builds them (Slack/Discord from the config). */
export async function startHarness(
  config: Config,
  clock: Clock,
  logger: Logger = createLogger({ level: 'silent' }),
  options: { platformRetryMs?: number; slackSocket?: { reconnectMs: number; pingTimeoutMs: number } } = {},
): Promise<Harness> {
  const store = openStore(config);
  const http = createHttpClient(httpClientOptions(config));
  const platforms = await buildPlatforms(config, logger, {
    slackPort: 0,
    ...(options.slackSocket ? { slackSocket: options.slackSocket } : {}),
  });
  const scheduler = manualScheduler();
  const metrics = createMetrics({ defaults: false });
  const bot = await startBot({
    config,
    store,
    http,
    logger,
    platforms,
    summarizer: createSummarizer({ llm: null }, logger),
    metrics,
    cluster: DEFAULT_CLUSTER_PARAMS,
    now: clock.now,
    scheduler,
    ...(options.platformRetryMs ? { platformRetryMs: options.platformRetryMs } : {}),
  });
  let closed = false;
  return {
    bot,
    store,
    config,
    platforms,
    scheduler,
    metrics,
    logger,
    async close() {
      if (closed) return;
      closed = true;
      await bot.stop();
      http.close();
      store.close();
    },
  };
}
