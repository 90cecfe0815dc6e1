/**
 * End to end: N full-text articles from local feeds, ingested and clustered into events in one run
 * (the `once` pipeline without the brief), into a fresh SQLite file, or with `--postgres-url` into that
 * empty PostgreSQL database. Prints the times, peak RSS, and how long clustering held the event loop at
 * most (what a /brief arriving meanwhile would wait).
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { DEFAULT_CLUSTER_PARAMS } from '../../src/cluster/cluster-stories.ts';
import { clusterNewArticles } from '../../src/pipeline/cluster-articles.ts';
import { silentLogger } from '../../src/shared/logger.ts';
import { startBench } from './bench-setup.ts';

/** What one run prints with --json (the postgres and scale benches read it; import it as a type only). */
export interface PipelineResult {
  store: 'SQLite' | 'PostgreSQL';
  articles: number;
  events: number;
  ingestSecs: number;
  clusterSecs: number;
  totalSecs: number;
  peakMb: number;
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
  /** Polling and clustering together, as the bot does them. */
  wholeDelayP99Ms: number;
  wholeDelayMaxMs: number;
}

const { values } = parseArgs({
  options: { items: { type: 'string' }, json: { type: 'boolean' }, 'postgres-url': { type: 'string' } },
});
const items = Number(values.items ?? 1500);
const feeds = Math.max(10, Math.round(items / 40));

const bench = await startBench(Number(feeds), Number(items), { postgresUrl: values['postgres-url'] });
const { store } = bench;
const whole = monitorEventLoopDelay({ resolution: 10 });
whole.enable();
const t0 = performance.now();
await bench.pollAll();
const t1 = performance.now();
const loop = monitorEventLoopDelay({ resolution: 10 });
loop.enable();
const run = await clusterNewArticles(DEFAULT_CLUSTER_PARAMS, { store, logger: silentLogger, now: () => new Date() });
loop.disable();
whole.disable();
const t2 = performance.now();
const result: PipelineResult = {
  store: values['postgres-url'] ? 'PostgreSQL' : 'SQLite',
  articles: store.articles.count(),
  events: new Set(run.assignments.map((a) => a.eventId)).size,
  ingestSecs: (t1 - t0) / 1000,
  clusterSecs: (t2 - t1) / 1000,
  totalSecs: (t2 - t0) / 1000,
  peakMb: process.resourceUsage().maxRSS / 1024,
  loopDelayP99Ms: loop.percentile(99) / 1e6,
  loopDelayMaxMs: loop.max / 1e6,
  wholeDelayP99Ms: whole.percentile(99) / 1e6,
  wholeDelayMaxMs: whole.max / 1e6,
};
bench.close();
if (values.json) process.stdout.write(`${JSON.stringify(result)}\n`);
else {
  process.stdout.write(
    `pipeline (${result.store}) ${result.articles} articles → ${result.events} events: ingest ${result.ingestSecs.toFixed(2)} s, cluster ${result.clusterSecs.toFixed(2)} s ` +
      `(${(result.articles / result.clusterSecs).toFixed(0)} articles/s), total ${result.totalSecs.toFixed(2)} s, peak RSS ${result.peakMb.toFixed(0)} MB, ` +
      `event loop delay while clustering p99 ${result.loopDelayP99Ms.toFixed(0)} ms, max ${result.loopDelayMaxMs.toFixed(0)} ms; ` +
      `while polling and clustering p99 ${result.wholeDelayP99Ms.toFixed(0)} ms, max ${result.wholeDelayMaxMs.toFixed(0)} ms\n`,
  );
}
