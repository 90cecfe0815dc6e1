/** Prometheus metrics (prom-client), in a registry of their own so tests can read them. */
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

export interface Metrics {
  registry: Registry;
  feedsPolled: Counter;
  feedFailures: Counter;
  articlesIngested: Counter;
  eventsCreated: Counter;
  posts: Counter<'platform'>;
  postFailures: Counter<'platform' | 'reason'>;
  cycleDuration: Histogram;
  pendingDeliveries: Gauge;
}

export function createMetrics(options: { defaults?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (options.defaults !== false) collectDefaultMetrics({ register: registry, prefix: 'briefbot_' });
  const registers = [registry];
  return {
    registry,
    feedsPolled: new Counter({ name: 'briefbot_feeds_polled_total', help: 'Feed polls attempted', registers }),
    feedFailures: new Counter({ name: 'briefbot_feed_failures_total', help: 'Feed polls that failed', registers }),
    articlesIngested: new Counter({ name: 'briefbot_articles_ingested_total', help: 'New articles stored', registers }),
    eventsCreated: new Counter({ name: 'briefbot_events_created_total', help: 'New events opened by the clusterer', registers }),
    posts: new Counter({ name: 'briefbot_posts_total', help: 'Messages delivered', labelNames: ['platform'], registers }),
    postFailures: new Counter({
      name: 'briefbot_post_failures_total',
      help: 'Delivery attempts that failed',
      labelNames: ['platform', 'reason'],
      registers,
    }),
    cycleDuration: new Histogram({
      name: 'briefbot_cycle_duration_seconds',
      help: 'Poll-cluster-update cycle duration',
      buckets: [0.1, 0.5, 1, 2, 5, 10, 30, 60, 120],
      registers,
    }),
    pendingDeliveries: new Gauge({ name: 'briefbot_pending_deliveries', help: 'Deliveries waiting to be posted', registers }),
  };
}
