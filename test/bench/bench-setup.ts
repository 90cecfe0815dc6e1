/**
 * What the ingest benchmarks share: a synthetic corpus served from a child process on loopback, a fresh
 * store (a SQLite file, or the empty PostgreSQL database at `postgresUrl`), the HTTP client, and one forced
 * poll of every feed.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createHttpClient } from '../../src/net/http-client.ts';
import { pollFeeds } from '../../src/pipeline/poll-feeds.ts';
import { silentLogger } from '../../src/shared/logger.ts';
import type { Store } from '../../src/store/ports.ts';
import { createPostgresStore } from '../../src/store/postgres/postgres-store.ts';
import { createSqliteStore } from '../../src/store/sqlite/sqlite-store.ts';

export interface BenchSetup {
  urls: string[];
  store: Store;
  /** Polls every feed once (forced), as `briefbot once` does. */
  pollAll(): ReturnType<typeof pollFeeds>;
  close(): void;
}

export interface BenchStoreOptions {
  /** An empty PostgreSQL database to use instead of a fresh SQLite file. */
  postgresUrl?: string | undefined;
}

export async function startBench(feeds: number, items: number, options: BenchStoreOptions = {}): Promise<BenchSetup> {
  const server = spawn(
    process.execPath,
    [join(import.meta.dirname, 'corpus-server.ts'), '--feeds', String(feeds), '--items', String(items), '--hosts', '10'],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const line = await new Promise<string>((resolve) => createInterface({ input: server.stdout }).once('line', resolve));
  const urls = (JSON.parse(line) as { feeds: string[] }).feeds;
  const dir = mkdtempSync(join(tmpdir(), 'briefbot-bench-'));
  const store = options.postgresUrl ? createPostgresStore(options.postgresUrl) : createSqliteStore(join(dir, 'bench.db'));
  const http = createHttpClient({
    userAgent: 'briefbot-bench',
    timeoutMs: 30_000,
    maxBytes: 16 * 1024 * 1024,
    maxRedirects: 3,
    perHostConcurrency: 2,
    policy: { allowPrivate: true, allowHosts: new Set() },
  });
  return {
    urls,
    store,
    pollAll: () =>
      pollFeeds(
        {
          feeds: urls.map((url) => ({ url, name: undefined, outlet: undefined, intervalMs: undefined, fullText: undefined })),
          force: true,
          concurrency: 16,
          fullText: 'auto',
          polling: { interval: 900_000, maxBackoff: 21_600_000, unhealthyAfter: 5 },
        },
        { http, store, logger: silentLogger, now: () => new Date() },
      ),
    close() {
      http.close();
      store.close();
      server.kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
