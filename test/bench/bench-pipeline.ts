/**
 * End to end: N full-text articles from local feeds, ingested and clustered into events in one run
 * (the `once` pipeline without the brief), into a fresh SQLite file. Prints the times and peak RSS.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { DEFAULT_CLUSTER_PARAMS } from '../../src/cluster/cluster-stories.ts';
import { createHttpClient } from '../../src/ingest/http-client.ts';
import { clusterNewArticles } from '../../src/pipeline/cluster-articles.ts';
import { pollFeeds } from '../../src/pipeline/poll-feeds.ts';
import { silentLogger } from '../../src/shared/logger.ts';
import { createSqliteStore } from '../../src/store/sqlite/sqlite-store.ts';

const { values } = parseArgs({ options: { items: { type: 'string' }, json: { type: 'boolean' } } });
const items = Number(values.items ?? 1500);
const feeds = Math.max(10, Math.round(items / 40));

const server = spawn(
  process.execPath,
  [join(import.meta.dirname, 'corpus-server.ts'), '--feeds', String(feeds), '--items', String(items), '--hosts', '10'],
  {
    stdio: ['ignore', 'pipe', 'inherit'],
  },
);
const line = await new Promise<string>((resolve) => createInterface({ input: server.stdout }).once('line', resolve));
const urls = (JSON.parse(line) as { feeds: string[] }).feeds;
const dir = mkdtempSync(join(tmpdir(), 'briefbot-bench-'));
const store = createSqliteStore(join(dir, 'bench.db'));
const http = createHttpClient({
  userAgent: 'briefbot-bench',
  timeoutMs: 30_000,
  maxBytes: 16 * 1024 * 1024,
  maxRedirects: 3,
  perHostConcurrency: 2,
  policy: { allowPrivate: true, allowHosts: new Set() },
});
const t0 = performance.now();
await pollFeeds(
  {
    feeds: urls.map((url) => ({ url, name: undefined, outlet: undefined, intervalMs: undefined, fullText: undefined })),
    force: true,
    concurrency: 16,
    fullText: 'auto',
    polling: { interval: 900_000, maxBackoff: 21_600_000, unhealthyAfter: 5 },
  },
  { http, store, logger: silentLogger, now: () => new Date() },
);
const t1 = performance.now();
const run = clusterNewArticles(DEFAULT_CLUSTER_PARAMS, { store, logger: silentLogger, now: () => new Date() });
const t2 = performance.now();
const result = {
  articles: store.articles.count(),
  events: new Set(run.assignments.map((a) => a.eventId)).size,
  ingestSecs: (t1 - t0) / 1000,
  clusterSecs: (t2 - t1) / 1000,
  totalSecs: (t2 - t0) / 1000,
  peakMb: process.resourceUsage().maxRSS / 1024,
};
http.close();
store.close();
server.kill();
rmSync(dir, { recursive: true, force: true });
if (values.json) process.stdout.write(`${JSON.stringify(result)}\n`);
else {
  process.stdout.write(
    `pipeline ${result.articles} articles → ${result.events} events: ingest ${result.ingestSecs.toFixed(2)} s, cluster ${result.clusterSecs.toFixed(2)} s ` +
      `(${(result.articles / result.clusterSecs).toFixed(0)} articles/s), total ${result.totalSecs.toFixed(2)} s, peak RSS ${result.peakMb.toFixed(0)} MB\n`,
  );
}
