/**
 * Two briefbot processes on one SQLite database, as an operator might start them: a second bot is
 * refused with a clear message (never two bots polling and posting), while `once` and `brief` beside
 * the running bot keep working; a killed bot's database can be taken over at once.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_CLUSTER_PARAMS } from '../../../src/cluster/cluster-stories.ts';
import { httpClientOptions, loadConfig } from '../../../src/config/load-config.ts';
import { createHttpClient } from '../../../src/net/http-client.ts';
import { clusterNewArticles } from '../../../src/pipeline/cluster-articles.ts';
import { pollFeeds } from '../../../src/pipeline/poll-feeds.ts';
import { silentLogger } from '../../../src/shared/logger.ts';
import { createSqliteStore } from '../../../src/store/sqlite/sqlite-store.ts';
import { type FakeFeedServer, startFakeFeedServer } from '../../fakes/fake-feed-server.ts';
import { serveStories, tempDir } from '../../helpers/bot-harness.ts';
import { BRIDGE, FLOOD } from '../../helpers/stories.ts';

const ROOT = join(import.meta.dirname, '../../..');
const MAIN = join(ROOT, 'src/main.ts');
const CLI = join(ROOT, 'src/cli/cli.ts');

let feeds: FakeFeedServer;
let dir: string;
const running: ChildProcess[] = [];

function env(): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    BRIEFBOT_CONFIG: join(dir, 'briefbot.yaml'),
    BRIEFBOT_DB: join(dir, 'briefbot.db'),
    BRIEFBOT_ALLOW_PRIVATE_ADDRESSES: 'true',
    HTTP_PORT: '0',
    LOG_LEVEL: 'info',
    LOG_FORMAT: 'json',
  };
}

/** Starts `node src/main.ts`; resolves once it logged that it is running (or it exited). */
function startBot(): Promise<{ proc: ChildProcess; stderr: () => string; exit: Promise<number> }> {
  const proc = spawn(process.execPath, [MAIN], { env: env(), stdio: ['ignore', 'ignore', 'pipe'] });
  running.push(proc);
  let stderr = '';
  const exit = new Promise<number>((r) => proc.once('exit', (code) => r(code ?? 1)));
  return new Promise((resolve) => {
    const done = () => resolve({ proc, stderr: () => stderr, exit });
    proc.stderr?.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (/health and metrics/.test(stderr)) done();
    });
    void exit.then(done);
  });
}

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const proc = spawn(process.execPath, [CLI, ...args], { env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    proc.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    proc.on('exit', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

beforeEach(async () => {
  feeds = await startFakeFeedServer();
  dir = tempDir('two');
  const urls = serveStories(feeds, [...BRIDGE, ...FLOOD]);
  writeFileSync(join(dir, 'briefbot.yaml'), `feeds:\n${urls.map((u) => `  - url: ${u}\n`).join('')}`);
});

afterEach(async () => {
  for (const p of running.splice(0)) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
  await feeds.close();
});

describe('two processes on one database', () => {
  it('refuses a second bot with a clear message, lets once and brief run beside the first, and lets a new bot take over a killed one', async () => {
    const first = await startBot();
    expect(first.proc.exitCode).toBeNull();

    const second = await startBot();
    expect(await second.exit).toBe(2);
    expect(second.stderr()).toMatch(/another briefbot is already running on this database \(pid \d+/);
    expect(second.stderr()).toMatch(/store\.path or BRIEFBOT_DB/);

    const once = await run(['once', '--format', 'json']);
    expect(once.code, once.stderr).toBe(0);
    const brief = await run(['brief', 'Tarnica bridge', '--format', 'json']);
    expect(brief.code, brief.stderr).toBe(0);
    expect(JSON.parse(brief.stdout).events.length).toBeGreaterThan(0);

    // Killed without a chance to let go: its lease names a process that no longer runs.
    first.proc.kill('SIGKILL');
    await first.exit;
    const third = await startBot();
    expect(third.proc.exitCode, third.stderr()).toBeNull();
  }, 60_000);
});

describe('clustering is one process’s work at a time', () => {
  it('leaves the articles to the process clustering them, and waits for it when asked to', async () => {
    const config = loadConfig({ file: join(dir, 'briefbot.yaml'), env: { BRIEFBOT_ALLOW_PRIVATE_ADDRESSES: 'true' }, cwd: dir });
    const store = createSqliteStore(join(dir, 'lease.db'));
    const http = createHttpClient(httpClientOptions(config));
    const now = () => new Date();
    try {
      await pollFeeds(
        { feeds: config.feeds, force: true, concurrency: 4, fullText: 'auto', polling: config.polling },
        { http, store, logger: silentLogger, now },
      );
      const other = { id: 'other-process', pid: process.pid, host: hostname() };
      const me = { id: 'this-process', pid: process.pid, host: other.host };
      expect(store.leases.acquire('cluster', other, 60_000, now()).granted).toBe(true);
      const skipped = await clusterNewArticles(DEFAULT_CLUSTER_PARAMS, {
        store,
        logger: silentLogger,
        now,
        lease: { holder: me, isAlive: () => true, waitMs: 0 },
      });
      expect(skipped.assignments).toEqual([]);
      expect(store.articles.listUnclustered()).toHaveLength(BRIDGE.length + FLOOD.length);
      setTimeout(() => store.leases.release('cluster', other.id), 300);
      const waited = await clusterNewArticles(DEFAULT_CLUSTER_PARAMS, {
        store,
        logger: silentLogger,
        now,
        lease: { holder: me, isAlive: () => true, waitMs: 10_000 },
      });
      expect(waited.assignments).toHaveLength(BRIDGE.length + FLOOD.length);
      expect(store.articles.listUnclustered()).toHaveLength(0);
    } finally {
      http.close();
      store.close();
    }
  });
});
