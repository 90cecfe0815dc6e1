/**
 * @module The long-running bot's composition root, and the only module that knows every concrete
 * class: it loads and validates the config, builds the store, HTTP client, summarizer and chat
 * platforms, starts the bot and the health/metrics server, and shuts everything down cleanly on
 * SIGTERM/SIGINT (the running poll finishes, the database is closed).
 */
import { DEFAULT_CLUSTER_PARAMS } from './cluster/cluster-stories.ts';
import { withDotEnv } from './config/dotenv.ts';
import { type Config, httpClientOptions, loadConfig } from './config/load-config.ts';
import { createSummarizer } from './llm/create-summarizer.ts';
import { createHttpClient } from './net/http-client.ts';
import type { ChatPlatform } from './platforms/chat-platform.ts';
import { type PlatformOptions, platformsToStart, settingsOf } from './platforms/registry.ts';
import { startBot } from './runtime/bot.ts';
import { startHealthServer } from './runtime/http-server.ts';
import { createMetrics } from './runtime/metrics.ts';
import { BriefbotError, ConfigError, errorMessage, PlatformError } from './shared/errors.ts';
import { createLogger, type Logger } from './shared/logger.ts';
import { openStore } from './store/open-store.ts';

export type { PlatformOptions };

/**
 * Builds the chat platforms the config asks for, by looping over the registry: each configured one (its
 * adapter and library imported only then), and the console when a channel prints there.
 */
export async function buildPlatforms(config: Config, logger: Logger, options: PlatformOptions = {}): Promise<Map<string, ChatPlatform>> {
  const platforms = new Map<string, ChatPlatform>();
  for (const descriptor of platformsToStart(config, config.channels)) {
    platforms.set(
      descriptor.id,
      await descriptor.create(settingsOf(config, descriptor.id), logger.child({ module: descriptor.id }), options),
    );
  }
  return platforms;
}

export async function main(env: Record<string, string | undefined> = process.env): Promise<() => Promise<void>> {
  const config = loadConfig({ env: withDotEnv(env, process.cwd()) });
  const logger = createLogger({ level: config.log.level, format: config.log.format ?? (process.stderr.isTTY ? 'pretty' : 'json') });
  const store = openStore(config);
  const http = createHttpClient(httpClientOptions(config));
  logger.info('briefbot starting', {
    config: config.configFile ?? '(embedded defaults)',
    db: store.description,
    feeds: config.feeds.length,
    channels: config.channels.length,
    llm: config.llm ? config.llm.model : undefined,
  });
  // A library that rejects where nobody listens (a dropped socket's reconnect, say) must not take the
  // bot down: say so, and keep polling and posting.
  process.on('unhandledRejection', (reason) =>
    logger.error('unhandled rejection (briefbot keeps running)', { error: errorMessage(reason) }),
  );
  for (const notice of config.notices) logger.warn(notice);
  if (config.feeds.length === 0) logger.warn(`no feeds configured: add some to ${config.configFile ?? 'config/briefbot.yaml'}`);
  const metrics = createMetrics();
  const bot = await startBot({
    config,
    store,
    http,
    logger,
    platforms: await buildPlatforms(config, logger),
    summarizer: createSummarizer(config, logger),
    metrics,
    cluster: DEFAULT_CLUSTER_PARAMS,
  });
  const server = await startHealthServer({ port: config.http.port, host: config.http.host, metrics, health: () => bot.health() }).catch(
    (err: unknown) => {
      logger.warn('health/metrics server not started', { port: config.http.port, error: errorMessage(err) });
      return null;
    },
  );
  if (server) logger.info('health and metrics', { url: `http://${config.http.host}:${server.port}/healthz`, metrics: `/metrics` });
  bot.cycle().catch((err: unknown) => logger.error('first cycle failed', { error: errorMessage(err) }));

  return async () => {
    logger.info('briefbot stopping');
    await bot.stop();
    await server?.close();
    http.close();
    store.close();
    logger.info('briefbot stopped');
  };
}

const isMain = process.argv[1] !== undefined && /[\\/](src[\\/]main\.ts|dist[\\/]main\.js)$/.test(process.argv[1]);
if (isMain) {
  main().then(
    (stop) => {
      let stopping = false;
      for (const signal of ['SIGTERM', 'SIGINT'] as const) {
        process.on(signal, () => {
          if (stopping) return;
          stopping = true;
          stop().then(
            () => process.exit(0),
            () => process.exit(1),
          );
        });
      }
    },
    (err: unknown) => {
      const fix =
        err instanceof ConfigError ||
        (err instanceof PlatformError && err.code === 'platform_auth') ||
        (err instanceof BriefbotError && err.code === 'store_busy');
      process.stderr.write(`briefbot: ${errorMessage(err)}\n`);
      process.exit(fix ? 2 : 1);
    },
  );
}
