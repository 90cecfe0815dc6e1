/**
 * Every feed of the odd-feed corpus, served over real HTTP with its manifest content type and polled
 * in one run into a real SQLite file: no odd feed may stop the run, each gets a report saying what
 * happened, and polling again stores nothing twice.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpClient, type HttpGetter } from '../../../src/net/http-client.ts';
import { type PollOptions, type PollReport, pollFeeds } from '../../../src/pipeline/poll-feeds.ts';
import { silentLogger } from '../../../src/shared/logger.ts';
import type { Store } from '../../../src/store/ports.ts';
import { createSqliteStore } from '../../../src/store/sqlite/sqlite-store.ts';
import { type FakeFeedServer, startFakeFeedServer } from '../../fakes/fake-feed-server.ts';
import { feedSpec } from '../../helpers/build.ts';

interface ManifestEntry {
  file: string;
  contentType: string;
  expect: 'ok' | 'error';
  items?: number;
  code?: string;
  message?: string;
}

const DIR = new URL('../../fixtures/feeds/odd/', import.meta.url);
const entries = (JSON.parse(readFileSync(new URL('manifest.json', DIR), 'utf8')) as { feeds: ManifestEntry[] }).feeds;
const NOW = new Date('2025-05-01T00:00:00Z');

describe('pipeline/poll-feeds over the odd-feed corpus', () => {
  let server: FakeFeedServer;
  let http: HttpGetter;
  let store: Store;
  let dir: string;
  let options: PollOptions;
  let first: PollReport;

  const urlOf = (file: string) => `${server.url}/odd/${file}`;
  const reportFor = (report: PollReport, file: string) => {
    const found = report.feeds.find((f) => f.url === urlOf(file));
    if (!found) throw new Error(`no report for ${file}`);
    return found;
  };
  const deps = () => ({ http, store, logger: silentLogger, now: () => NOW });

  beforeAll(async () => {
    server = await startFakeFeedServer();
    for (const e of entries) {
      server.route(`/odd/${e.file}`, {
        status: 200,
        headers: { 'content-type': e.contentType },
        body: readFileSync(new URL(e.file, DIR)),
      });
    }
    dir = mkdtempSync(join(tmpdir(), 'briefbot-odd-feeds-'));
    store = createSqliteStore(join(dir, 'briefbot.db'));
    http = createHttpClient({
      userAgent: 'briefbot-test/1.0',
      timeoutMs: 15_000,
      maxBytes: 5 * 1024 * 1024,
      maxRedirects: 3,
      perHostConcurrency: 8,
      policy: { allowPrivate: true, allowHosts: new Set() },
    });
    options = {
      feeds: entries.map((e) => feedSpec(urlOf(e.file))),
      force: true,
      concurrency: 8,
      fullText: 'never',
      polling: { interval: 15 * 60_000, maxBackoff: 6 * 3_600_000, unhealthyAfter: 5 },
    };
  });

  afterAll(async () => {
    http?.close();
    store?.close();
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('polls every odd feed in one run and reports each as the manifest expects', async () => {
    first = await pollFeeds(options, deps());

    expect(first.feeds).toHaveLength(entries.length);
    expect(new Set(first.feeds.map((f) => f.url)).size).toBe(entries.length);
    for (const e of entries) {
      const r = reportFor(first, e.file);
      if (e.expect === 'ok') {
        expect({ file: e.file, ok: r.ok, status: r.status, error: r.error }).toEqual({
          file: e.file,
          ok: true,
          status: 'fetched',
          error: null,
        });
        expect({ file: e.file, items: r.items, newArticles: r.newArticles, duplicates: r.duplicates }).toEqual({
          file: e.file,
          items: e.items,
          newArticles: e.items,
          duplicates: 0,
        });
      } else {
        expect({ file: e.file, ok: r.ok, status: r.status, errorCode: r.errorCode }).toEqual({
          file: e.file,
          ok: false,
          status: 'failed',
          errorCode: e.code,
        });
        expect(r.error, e.file).toBeTruthy();
        if (e.message) expect(r.error, e.file).toMatch(new RegExp(e.message.replace('https://odd\\.feeds\\.example', server.url)));
        expect(r.newArticles).toBe(0);
      }
    }
    const expectedArticles = entries.reduce((n, e) => n + (e.expect === 'ok' ? (e.items ?? 0) : 0), 0);
    expect(first.newArticleIds).toHaveLength(expectedArticles);
    expect(store.articles.count()).toBe(expectedArticles);
  });

  it('fetches each feed once and no article pages when full text is off', () => {
    expect(server.unexpected).toEqual([]);
    for (const e of entries) expect(server.requestsFor(`/odd/${e.file}`), e.file).toHaveLength(1);
    expect(server.requests).toHaveLength(entries.length);
  });

  it('records the failing feeds, with their codes, in feed health', () => {
    for (const e of entries.filter((x) => x.expect === 'error')) {
      const state = store.feeds.get(urlOf(e.file));
      expect({ file: e.file, code: state?.lastErrorCode, failures: state?.consecutiveFailures }).toEqual({
        file: e.file,
        code: e.code,
        failures: 1,
      });
    }
    expect(store.feeds.get(urlOf('rss2-clean.xml'))?.lastErrorCode ?? null).toBeNull();
  });

  it('stores decoded, repaired text a reader can use', () => {
    const cyrillic = store.articles.findByGuid(urlOf('windows-1251.xml'), 'vz-501');
    expect(cyrillic?.title).toBe('В Заречье открыли новый мост через реку');
    expect(cyrillic?.text).toContain('Строительство заняло полтора года.');

    const smartQuotes = store.articles.findByGuid(urlOf('utf8-declared-cp1252.xml'), 'bl-12');
    expect(smartQuotes?.title).toBe('Mayor calls harbour plan “a fresh start” – critics unconvinced');

    const relative = store.articles.findByGuid(urlOf('relative-item-links.xml'), 'https://bugle.example.com/local/2025/bakery-fifty');
    expect(relative?.url).toBe('https://bugle.example.com/local/2025/bakery-fifty');

    const badDate = store.articles.findByGuid(urlOf('bad-dates.xml'), 'ad-1');
    expect(badDate?.publishedAt).toBe(NOW.toISOString()); // unreadable date: the time first seen

    const ampersand = store.articles.findByGuid(urlOf('bare-ampersand.xml'), 'https://farming.example.com/story?id=77&section=markets');
    expect(ampersand?.title).toBe('Barley & oat prices rise after late frost');
  });

  it('stores no duplicates when the same feeds are polled again', async () => {
    expect(first).toBeDefined();
    const countBefore = store.articles.count();
    const second = await pollFeeds(options, deps());

    expect(second.feeds).toHaveLength(entries.length);
    for (const e of entries) {
      const r = reportFor(second, e.file);
      expect({ file: e.file, ok: r.ok, newArticles: r.newArticles, updatedArticles: r.updatedArticles }).toEqual({
        file: e.file,
        ok: e.expect === 'ok',
        newArticles: 0,
        updatedArticles: 0,
      });
      if (e.expect === 'error') expect(r.errorCode).toBe(e.code);
    }
    expect(second.newArticleIds).toEqual([]);
    expect(store.articles.count()).toBe(countBefore);
  });
});
