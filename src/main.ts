/**
 * @module The long-running bot, and the only module that knows every concrete class: it loads the
 * config, builds the store and HTTP client, schedules polling, and prints new events as they arrive.
 * SIGTERM/SIGINT stop the schedule, wait for a running poll, and close the database.
 */
import { renderEventText } from './cli/render-text.ts';
import { DEFAULT_CLUSTER_PARAMS } from './cluster/cluster-stories.ts';
import { loadConfig } from './config/load-config.ts';
import { createHttpClient, DEFAULT_USER_AGENT } from './ingest/http-client.ts';
import { runOnce } from './pipeline/run-once.ts';
import { createScheduler } from './scheduler/scheduler.ts';
import { ConfigError, errorMessage } from './shared/errors.ts';
import { createLogger } from './shared/logger.ts';
import { createSqliteStore } from './store/sqlite/sqlite-store.ts';
import { createSummarizer } from './summarize/create-summarizer.ts';

export async function startBot(env: Record<string, string | undefined> = process.env): Promise<() => Promise<void>> {
  const config = loadConfig({ env });
  const logger = createLogger({
    level: config.log.level,
    format: config.log.format ?? (process.stderr.isTTY ? 'pretty' : 'json'),
  });
  const store = createSqliteStore(config.store.path);
  const http = createHttpClient({
    userAgent: config.fetch.userAgent ?? DEFAULT_USER_AGENT,
    timeoutMs: config.fetch.timeout,
    maxBytes: config.fetch.maxBytes,
    maxRedirects: config.fetch.maxRedirects,
    perHostConcurrency: config.fetch.perHostConcurrency,
    policy: { allowPrivate: config.fetch.allowPrivateAddresses, allowHosts: new Set() },
  });
  logger.info('briefbot starting', {
    config: config.configFile ?? '(embedded defaults)',
    db: config.store.path,
    feeds: config.feeds.length,
  });
  if (config.feeds.length === 0) logger.warn('no feeds configured: add some to config/briefbot.yaml');

  const summarizer = createSummarizer(config, logger);
  const scheduler = createScheduler(logger.child({ module: 'scheduler' }));
  scheduler.add({
    name: 'poll',
    cron: '* * * * *',
    run: async () => {
      const { poll, briefing } = await runOnce(
        {
          feeds: config.feeds,
          force: false,
          concurrency: config.fetch.concurrency,
          fullText: config.fetch.fullText,
          polling: config.polling,
          cluster: DEFAULT_CLUSTER_PARAMS,
        },
        { http, store, logger: logger.child({ module: 'ingest' }), now: () => new Date(), summarizer },
      );
      const polled = poll.feeds.filter((f) => f.status !== 'skipped');
      if (polled.length && polled.every((f) => !f.ok)) {
        logger.warn('no feed could be reached this round; will retry', { feeds: polled.length });
      }
      briefing.events.forEach((ev, i) => {
        process.stdout.write(`${renderEventText(ev, i + 1, 100)}\n\n`);
      });
    },
  });
  void scheduler.runNow('poll');

  return async () => {
    await scheduler.stop();
    http.close();
    store.close();
    logger.info('briefbot stopped');
  };
}

const isMain = process.argv[1] && new URL(import.meta.url).pathname.endsWith(process.argv[1].replace(/^.*\/src\//, '/src/'));
if (isMain) {
  startBot().then(
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
      process.stderr.write(`briefbot: ${err instanceof ConfigError ? err.message : errorMessage(err)}\n`);
      process.exit(err instanceof ConfigError ? 2 : 1);
    },
  );
}
