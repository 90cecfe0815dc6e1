/** Ingestion throughput: N feeds, M items on loopback, polled once into a fresh SQLite file. */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { createHttpClient } from '../../src/ingest/http-client.ts';
import { pollFeeds } from '../../src/pipeline/poll-feeds.ts';
import { silentLogger } from '../../src/shared/logger.ts';
import { createSqliteStore } from '../../src/store/sqlite/sqlite-store.ts';

const { values } = parseArgs({ options: { feeds: { type: 'string' }, items: { type: 'string' } } });
const feeds = values.feeds ?? '500';
const items = values.items ?? '20000';

const server = spawn(
  process.execPath,
  [join(import.meta.dirname, 'corpus-server.ts'), '--feeds', feeds, '--items', items, '--hosts', '10'],
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
const baseRss = process.memoryUsage().rss;
const started = performance.now();
const report = await pollFeeds(
  {
    feeds: urls.map((url) => ({ url, name: undefined, outlet: undefined, intervalMs: undefined, fullText: undefined })),
    force: true,
    concurrency: 16,
    fullText: 'auto',
    polling: { interval: 900_000, maxBackoff: 21_600_000, unhealthyAfter: 5 },
  },
  { http, store, logger: silentLogger, now: () => new Date() },
);
const secs = (performance.now() - started) / 1000;
const stored = store.articles.count();
const failed = report.feeds.filter((f) => !f.ok).length;
const peakMb = process.resourceUsage().maxRSS / 1024;
http.close();
store.close();
server.kill();
rmSync(dir, { recursive: true, force: true });
process.stdout.write(
  `ingest: ${urls.length} feeds, ${stored} articles stored (${failed} feeds failed) in ${secs.toFixed(2)} s\n` +
    `  ${(urls.length / secs).toFixed(1)} feeds/s, ${(stored / secs).toFixed(0)} articles/s, peak RSS ${peakMb.toFixed(0)} MB (baseline ${(baseRss / 1048576).toFixed(0)} MB)\n`,
);
