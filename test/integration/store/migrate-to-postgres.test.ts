/**
 * `briefbot db migrate-to postgres://…`: a SQLite database built by a real run (polling, clustering) and
 * holding a posted brief, copied into a fresh PostgreSQL database; then the same questions answered the
 * same way from both.
 */
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createPostgresStore } from '../../../src/store/postgres/postgres-store.ts';
import { createSqliteStore } from '../../../src/store/sqlite/sqlite-store.ts';
import { type FakeFeedServer, startFakeFeedServer } from '../../fakes/fake-feed-server.ts';
import { serveStories, tempDir } from '../../helpers/bot-harness.ts';
import { runBriefbot } from '../../helpers/cli-io.ts';
import { KURSK } from '../../helpers/kursk-stories.ts';
import { describePg, type FreshPostgresDatabase, freshPostgresDatabase } from '../../helpers/postgres.ts';
import { FLOOD } from '../../helpers/stories.ts';

let feeds: FakeFeedServer;
let pg: FreshPostgresDatabase;
let dir: string;
const env = { BRIEFBOT_ALLOW_PRIVATE_ADDRESSES: 'true' };

beforeEach(async () => {
  feeds = await startFakeFeedServer();
  dir = tempDir('migrate');
});
afterEach(async () => {
  await pg?.drop();
  await feeds.close();
});

/** What a reader would see of a brief: everything but when it was generated. */
const content = (stdout: string) => {
  const { generatedAt: _, ...rest } = JSON.parse(stdout) as { generatedAt: string };
  return rest;
};

describePg('db migrate-to', () => {
  it('copies everything into an empty PostgreSQL database, which then answers as the SQLite file did', async () => {
    pg = await freshPostgresDatabase();
    const db = join(dir, 'briefbot.db');
    const urls = serveStories(feeds, [...KURSK, ...FLOOD]);
    const once = await runBriefbot(['once', ...urls.flatMap((u) => ['--feed', u]), '--db', db, '--format', 'json'], { cwd: dir, env });
    expect(once.code, once.stderr).toBe(0);
    // A brief on record in the ledger, posted in a thread.
    const sqlite = createSqliteStore(db);
    const eventId = sqlite.events.listLatest(1)[0]?.id as string;
    sqlite.deliveries.enqueueBrief(
      { id: 'b1', platform: 'slack', channelId: 'C1', kind: 'scheduled', createdAt: '2025-04-26T08:00:00.000Z', payload: '{}' },
      [{ key: 'b1:parent', seq: 0, parentKey: null, threadRef: null, content: '{"kind":"notice","text":"x"}', eventIds: [eventId] }],
    );
    sqlite.deliveries.markAttempt('b1:parent', '2025-04-26T08:00:01.000Z', 0);
    sqlite.deliveries.markPosted('b1:parent', { messageRef: 'm1', threadRef: 't1' }, '2025-04-26T08:00:02.000Z');
    const post = {
      platform: 'slack',
      channelId: 'C1',
      eventId,
      threadRef: 't1',
      messageRef: 'm2',
      briefId: 'b1',
      position: 1,
      shownArticles: ['a1'],
      shownPoints: [],
      postedAt: '2025-04-26T08:00:03.000Z',
      updatedAt: '2025-04-26T08:00:03.000Z',
    };
    sqlite.deliveries.upsertEventPost(post);
    const counts = { articles: sqlite.articles.count(), events: sqlite.events.listLatest(1000).length };
    const delivery = sqlite.deliveries.get('b1:parent');
    sqlite.close();
    expect(counts.articles).toBeGreaterThan(3);

    const run = await runBriefbot(['db', 'migrate-to', pg.url, '--db', db], { cwd: dir, env });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/articles: \d+ rows/);
    expect(run.stdout).toMatch(/^Copied \d+ rows into postgres:\/\/.*DATABASE_URL/);

    const postgres = createPostgresStore(pg.url);
    try {
      expect(postgres.articles.count()).toBe(counts.articles);
      expect(postgres.events.listLatest(1000)).toHaveLength(counts.events);
      expect(postgres.deliveries.get('b1:parent')).toEqual({ ...delivery, id: expect.any(Number) });
      expect(postgres.deliveries.getEventPost('slack', 'C1', eventId)).toEqual({ ...post, checkedAt: null });
      expect(postgres.events.loadTermStats().docs).toBeGreaterThan(0);
    } finally {
      postgres.close();
    }
    // /brief reads the same events from both, and writes the same brief.
    const fromSqlite = await runBriefbot(['brief', 'kursk', '--db', db, '--format', 'json'], { cwd: dir, env });
    const fromPostgres = await runBriefbot(['brief', 'kursk', '--db', pg.url, '--format', 'json'], { cwd: dir, env });
    expect(fromPostgres.code, fromPostgres.stderr).toBe(0);
    expect(content(fromPostgres.stdout)).toEqual(content(fromSqlite.stdout));
    expect(JSON.stringify(content(fromPostgres.stdout))).toMatch(/General Staff/);

    // Into a database that already holds data: refused, nothing changed.
    const again = await runBriefbot(['db', 'migrate-to', pg.url, '--db', db], { cwd: dir, env });
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already holds briefbot data \(feeds, events, articles/);
  });

  it('says what is wrong with a URL that is not PostgreSQL, or a SQLite file that is not there', async () => {
    const bad = await runBriefbot(['db', 'migrate-to', 'mysql://x'], { cwd: dir, env });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/needs a PostgreSQL URL/);
    const missing = await runBriefbot(['db', 'migrate-to', 'postgres://127.0.0.1:1/x', '--db', join(dir, 'none.db')], { cwd: dir, env });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no SQLite database at .*none\.db/);
  });
});
