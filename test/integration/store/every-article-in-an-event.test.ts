import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CLUSTER_PARAMS } from '../../../src/cluster/cluster-stories.ts';
import { httpClientOptions, loadConfig } from '../../../src/config/load-config.ts';
import { createHttpClient } from '../../../src/net/http-client.ts';
import { type RunOnceResult, runOnce } from '../../../src/pipeline/run-once.ts';
import { silentLogger } from '../../../src/shared/logger.ts';
import { MIGRATIONS, migrate } from '../../../src/store/sqlite/migrations.ts';
import { createSqliteStore } from '../../../src/store/sqlite/sqlite-store.ts';
import { type FakeFeedServer, startFakeFeedServer } from '../../fakes/fake-feed-server.ts';
import { feedSpec, storiesFeed } from '../../helpers/build.ts';
import { runBriefbot } from '../../helpers/cli-io.ts';
import { BRIDGE, FLOOD, QUAKES, type Story } from '../../helpers/stories.ts';
import { generateNews } from '../../helpers/synthetic-news.ts';

let server: FakeFeedServer;
let dir: string;

/** Serves the stories as one feed per outlet; returns the feed URLs. */
function serveByOutlet(prefix: string, stories: readonly Story[]): string[] {
  const byOutlet = new Map<string, Story[]>();
  for (const s of stories) byOutlet.set(s.outlet, [...(byOutlet.get(s.outlet) ?? []), s]);
  return [...byOutlet].map(([outlet, items], i) => {
    const path = `/${prefix}/feed-${i}.xml`;
    server.route(path, { body: storiesFeed(server.url, outlet, items) });
    return `${server.url}${path}`;
  });
}

/** Sixty days of news, an event every twelve hours, several outlets each: far longer than retainHours. */
function backlog(seed: number): Story[] {
  return generateNews({ articles: 720, outlets: 6, perEvent: 6, seed, eventSpacingMinutes: 12 * 60 }).map((a) => ({
    id: `${seed}-${a.id}`,
    title: a.title,
    text: a.paragraphs.join('\n'),
    outlet: a.outlet,
    publishedAt: a.publishedAt,
  }));
}

/** `briefbot once` in this process, on default settings, up to the point where it would print. */
async function clusterWithoutPrinting(dbPath: string, feeds: readonly string[]): Promise<RunOnceResult> {
  const config = loadConfig({ env: {}, cwd: dir });
  const store = createSqliteStore(dbPath);
  const http = createHttpClient(httpClientOptions(config, new Set(['127.0.0.1'])));
  try {
    return await runOnce(
      {
        feeds: feeds.map((u) => feedSpec(u)),
        force: true,
        concurrency: config.fetch.concurrency,
        fullText: config.fetch.fullText,
        polling: config.polling,
        cluster: DEFAULT_CLUSTER_PARAMS,
      },
      { http, store, logger: silentLogger, now: () => new Date() },
    );
  } finally {
    http.close();
    store.close();
  }
}

interface Output {
  events: Array<{ id: string; sources: Array<{ url: string }> }>;
}

function orphans(dbPath: string): { unassigned: number; orphaned: number; articles: number } {
  const db = new DatabaseSync(dbPath, { readOnly: true });
  try {
    const one = (sql: string) => Number((db.prepare(sql).get() as { n: number }).n);
    return {
      articles: one('SELECT COUNT(*) AS n FROM articles'),
      unassigned: one('SELECT COUNT(*) AS n FROM articles WHERE event_id IS NULL'),
      orphaned: one('SELECT COUNT(*) AS n FROM articles WHERE event_id IS NOT NULL AND event_id NOT IN (SELECT id FROM events)'),
    };
  } finally {
    db.close();
  }
}

beforeAll(async () => {
  server = await startFakeFeedServer();
  dir = mkdtempSync(join(tmpdir(), 'briefbot-backlog-'));
});
afterAll(() => server.close());

describe('store: every article belongs to a stored event', () => {
  it('keeps every article of a 60-day backlog clustered in one run in a saved event, and briefs them all', async () => {
    const stories = backlog(1);
    const span = Date.parse(stories[stories.length - 1]?.publishedAt ?? '') - Date.parse(stories[0]?.publishedAt ?? '');
    expect(span / 3_600_000).toBeGreaterThan(DEFAULT_CLUSTER_PARAMS.retainHours * 2.5);
    const feeds = serveByOutlet('backlog', stories);
    const db = join(dir, 'backlog.db');
    const run = await runBriefbot(['once', ...feeds.flatMap((f) => ['--feed', f]), '--db', db, '--format', 'json'], { cwd: dir });
    expect(run.code).toBe(0);
    expect(orphans(db)).toEqual({ articles: stories.length, unassigned: 0, orphaned: 0 });
    const briefed = new Set((JSON.parse(run.stdout) as Output).events.flatMap((e) => e.sources.map((s) => s.url)));
    expect([...briefed].sort()).toEqual(stories.map((s) => `${server.url}/a/${s.id}`).sort());
  });

  it('refuses to commit an article whose event does not exist', () => {
    const store = createSqliteStore(join(dir, 'refuse.db'));
    try {
      store.transaction(() => {
        store.events.save({
          id: 'e_real',
          title: 'A real event',
          relatedTo: null,
          createdAt: '2025-03-01T00:00:00Z',
          updatedAt: '2025-03-01T00:00:00Z',
          firstPublishedAt: '2025-03-01T00:00:00Z',
          lastPublishedAt: '2025-03-01T00:00:00Z',
          articleCount: 0,
          independentCount: 0,
          state: '{}',
        });
      });
      const db = new DatabaseSync(join(dir, 'refuse.db'));
      db.exec(`INSERT INTO articles (id, feed_url, guid, title, outlet, published_at, first_seen_at, updated_at, summary, text,
        text_source, content_hash, item_fingerprint) VALUES ('a1', 'f', 'g1', 't', 'o', '2025-03-01', '2025-03-01', '2025-03-01',
        '', '', 'feed', 'h', 'fp')`);
      db.close();
      expect(() => store.transaction(() => store.articles.assignEvent('a1', 'e_never_saved'))).toThrow(/FOREIGN KEY/);
      expect(store.articles.get('a1')?.eventId).toBeNull();
      store.transaction(() => store.articles.assignEvent('a1', 'e_real'));
      expect(store.articles.get('a1')?.eventId).toBe('e_real');
    } finally {
      store.close();
    }
  });

  it('repairs a database that already holds orphaned articles: the next run puts them in events and briefs them', async () => {
    const path = join(dir, 'old.db');
    const stories = backlog(2).slice(0, 60);
    const feeds = serveByOutlet('old', stories);
    // An older briefbot (schema 3) stored the articles; a third of them point at events it never saved.
    const old = new DatabaseSync(path);
    migrate(
      old,
      MIGRATIONS.filter((m) => m.version <= 3),
    );
    old.close();
    await clusterWithoutPrinting(join(dir, 'scratch.db'), feeds);
    const copy = new DatabaseSync(path);
    copy.exec(`ATTACH DATABASE '${join(dir, 'scratch.db')}' AS src;
      INSERT INTO articles SELECT * FROM src.articles;
      INSERT INTO events SELECT * FROM src.events;
      UPDATE articles SET event_id = 'e_lost_' || (rowid % 5) WHERE rowid % 3 = 0;
      DETACH DATABASE src;`);
    const lost = Number((copy.prepare("SELECT COUNT(*) AS n FROM articles WHERE event_id LIKE 'e_lost_%'").get() as { n: number }).n);
    copy.close();
    expect(lost).toBe(20);
    expect(orphans(path).orphaned).toBe(20);

    const run = await runBriefbot(['once', ...feeds.flatMap((f) => ['--feed', f]), '--db', path, '--format', 'json'], { cwd: dir });
    expect(run.code).toBe(0);
    expect(orphans(path)).toEqual({ articles: 60, unassigned: 0, orphaned: 0 });
    const briefed = new Set((JSON.parse(run.stdout) as Output).events.flatMap((e) => e.sources.map((s) => s.url)));
    const db = new DatabaseSync(path, { readOnly: true });
    const repairedUrls = (db.prepare('SELECT url FROM articles WHERE rowid % 3 = 0').all() as Array<{ url: string }>).map((r) => r.url);
    db.close();
    expect(repairedUrls).toHaveLength(20);
    for (const url of repairedUrls) expect(briefed).toContain(url);
  });

  it('briefs, on the next run, events a killed run clustered but never printed', async () => {
    const feeds = serveByOutlet('killed', [...BRIDGE, ...FLOOD, ...QUAKES]);
    const path = join(dir, 'killed.db');
    // The run polls and clusters, then dies before printing (runOnce without markOnceBriefed).
    const clustered = (await clusterWithoutPrinting(path, feeds)).cluster.touchedEventIds;
    expect(clustered.length).toBeGreaterThanOrEqual(3);
    // The next run finds nothing new in the feeds, yet prints what the killed run never did.
    const again = await runBriefbot(['once', ...feeds.flatMap((f) => ['--feed', f]), '--db', path, '--format', 'json'], { cwd: dir });
    expect((JSON.parse(again.stdout) as Output).events.map((e) => e.id).sort()).toEqual([...clustered].sort());
    // Printed once: the run after that has nothing to print.
    const third = await runBriefbot(['once', ...feeds.flatMap((f) => ['--feed', f]), '--db', path, '--format', 'json'], { cwd: dir });
    expect((JSON.parse(third.stdout) as Output).events).toEqual([]);
  });
});
