/** Ingestion throughput: N feeds, M items on loopback, polled once into a fresh SQLite file. */
import { parseArgs } from 'node:util';
import { startBench } from './bench-setup.ts';

const { values } = parseArgs({ options: { feeds: { type: 'string' }, items: { type: 'string' } } });
const feeds = values.feeds ?? '500';
const items = values.items ?? '20000';

const bench = await startBench(Number(feeds), Number(items));
const { urls, store } = bench;
const baseRss = process.memoryUsage().rss;
const started = performance.now();
const report = await bench.pollAll();
const secs = (performance.now() - started) / 1000;
const stored = store.articles.count();
const failed = report.feeds.filter((f) => !f.ok).length;
const peakMb = process.resourceUsage().maxRSS / 1024;
bench.close();
process.stdout.write(
  `ingest: ${urls.length} feeds, ${stored} articles stored (${failed} feeds failed) in ${secs.toFixed(2)} s\n` +
    `  ${(urls.length / secs).toFixed(1)} feeds/s, ${(stored / secs).toFixed(0)} articles/s, peak RSS ${peakMb.toFixed(0)} MB (baseline ${(baseRss / 1048576).toFixed(0)} MB)\n`,
);
