import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHttpClient, type HttpGetter } from '../../../src/net/http-client.ts';
import { type PollOptions, pollFeeds } from '../../../src/pipeline/poll-feeds.ts';
import { silentLogger } from '../../../src/shared/logger.ts';
import type { Store } from '../../../src/store/ports.ts';
import { createSqliteStore } from '../../../src/store/sqlite/sqlite-store.ts';
import { type FakeFeedServer, startFakeFeedServer } from '../../fakes/fake-feed-server.ts';
import { feedSpec, rssFeed } from '../../helpers/build.ts';

let server: FakeFeedServer;
let store: Store;
let http: HttpGetter;
let dir: string;
let clock: Date;

const MIN = 60_000;
const para = (n: number, topic: string) =>
  Array.from(
    { length: n },
    (_, i) =>
      `<p>Paragraph ${i + 1} about ${topic}: officials gave further details on the response, the timeline and the costs involved in the work.</p>`,
  ).join('');

function articlePage(title: string, body: string): string {
  return `<!doctype html><html><head><title>${title}</title><meta property="og:site_name" content="Harbour Gazette"></head>
  <body><nav><a href="/">Home</a> <a href="/news">News</a></nav><div class="cookie">We use cookies. Accept all cookies</div>
  <article><h1>${title}</h1>${body}</article><footer>© Harbour Gazette. All rights reserved.</footer></body></html>`;
}

function options(urls: string[], extra: Partial<PollOptions> = {}): PollOptions {
  return {
    feeds: urls.map((u) => feedSpec(u)),
    force: false,
    concurrency: 4,
    fullText: 'auto',
    polling: { interval: 15 * MIN, maxBackoff: 6 * 60 * MIN, unhealthyAfter: 3 },
    ...extra,
  };
}

function deps() {
  return { http, store, logger: silentLogger, now: () => clock };
}

beforeEach(async () => {
  server = await startFakeFeedServer();
  dir = mkdtempSync(join(tmpdir(), 'briefbot-poll-'));
  store = createSqliteStore(join(dir, 'test.db'));
  http = createHttpClient({
    userAgent: 'briefbot-test',
    timeoutMs: 2000,
    maxBytes: 1024 * 1024,
    maxRedirects: 3,
    perHostConcurrency: 4,
    policy: { allowPrivate: false, allowHosts: new Set(['127.0.0.1']) },
  });
  clock = new Date('2025-05-01T08:00:00Z');
});

afterEach(async () => {
  http.close();
  store.close();
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('pipeline/poll-feeds', () => {
  it('stores full text from the feed when it carries the article, without fetching the page', async () => {
    server.route('/full.xml', {
      headers: { 'content-type': 'application/rss+xml' },
      body: rssFeed('Harbour Gazette', [
        {
          title: 'Port reopens after storm',
          link: `${server.url}/a/port`,
          guid: 'g1',
          pubDate: 'Thu, 01 May 2025 06:00:00 GMT',
          content: para(8, 'the port'),
        },
      ]),
    });
    const report = await pollFeeds(options([`${server.url}/full.xml`]), deps());
    expect(report.feeds[0]).toMatchObject({ ok: true, status: 'fetched', newArticles: 1 });
    const [article] = store.articles.listChangedSince('2000-01-01');
    expect(article?.textSource).toBe('feed');
    expect(article?.text).toContain('Paragraph 8 about the port');
    expect(article?.outlet).toBe('Harbour Gazette');
    expect(article?.publishedAt).toBe('2025-05-01T06:00:00.000Z');
    expect(server.requestsFor('/a/port')).toHaveLength(0);
  });

  it('fetches and extracts the page when the feed has only a teaser, dropping page chrome', async () => {
    server.route('/teaser.xml', {
      body: rssFeed('Harbour Gazette', [
        { title: 'Bridge closes for repairs', link: `${server.url}/a/bridge`, guid: 'b1', description: 'The bridge will close.' },
      ]),
    });
    server.route('/a/bridge', {
      headers: { 'content-type': 'text/html; charset=utf-8' },
      body: articlePage('Bridge closes for repairs', para(6, 'the bridge')),
    });
    await pollFeeds(options([`${server.url}/teaser.xml`]), deps());
    const [article] = store.articles.listChangedSince('2000-01-01');
    expect(article?.textSource).toBe('page');
    expect(article?.text).toContain('Paragraph 6 about the bridge');
    expect(article?.text).not.toMatch(/cookies|All rights reserved|Home/);
  });

  it('uses a conditional GET on the next poll and stores nothing twice on 304', async () => {
    server.route('/cond.xml', ({ headers }) =>
      headers['if-none-match'] === '"v1"'
        ? { status: 304 }
        : {
            headers: { etag: '"v1"' },
            body: rssFeed('Gazette', [{ title: 'One', link: `${server.url}/a/one`, guid: 'one', content: para(8, 'one') }]),
          },
    );
    const first = await pollFeeds(options([`${server.url}/cond.xml`], { force: true }), deps());
    expect(first.feeds[0]?.newArticles).toBe(1);
    clock = new Date(clock.getTime() + 20 * MIN);
    const second = await pollFeeds(options([`${server.url}/cond.xml`], { force: true }), deps());
    expect(second.feeds[0]).toMatchObject({ ok: true, status: 'not_modified', newArticles: 0 });
    expect(server.requestsFor('/cond.xml')[1]?.headers['if-none-match']).toBe('"v1"');
    expect(store.articles.count()).toBe(1);
  });

  it('backs off exponentially on failure, marks the feed unhealthy, and keeps polling the others', async () => {
    server.route('/down.xml', { status: 500, body: 'oops' });
    server.route('/up.xml', {
      body: rssFeed('Up', [{ title: 'Fine', link: `${server.url}/a/fine`, guid: 'f', content: para(8, 'fine') }]),
    });
    const urls = [`${server.url}/down.xml`, `${server.url}/up.xml`];
    const waits: number[] = [];
    for (let i = 0; i < 4; i++) {
      const report = await pollFeeds(options(urls), deps());
      const down = report.feeds.find((f) => f.url.endsWith('/down.xml'));
      expect(down?.ok).toBe(false);
      expect(down?.error).toContain('500');
      waits.push(Date.parse(down?.nextPollAt ?? '') - clock.getTime());
      clock = new Date(Date.parse(down?.nextPollAt ?? '') + 1000);
    }
    expect(waits[1]).toBeGreaterThan(waits[0] ?? 0);
    expect(waits[2]).toBeGreaterThan(waits[1] ?? 0);
    const state = store.feeds.get(`${server.url}/down.xml`);
    expect(state?.status).toBe('unhealthy');
    expect(state?.consecutiveFailures).toBe(4);
    expect(state?.lastErrorCode).toBe('fetch_http_status');
    expect(store.feeds.get(`${server.url}/up.xml`)?.status).toBe('ok');
  });

  it('does not poll a feed before its next poll time unless forced', async () => {
    server.route('/sched.xml', { body: rssFeed('S', []) });
    await pollFeeds(options([`${server.url}/sched.xml`]), deps());
    clock = new Date(clock.getTime() + 5 * MIN);
    const report = await pollFeeds(options([`${server.url}/sched.xml`]), deps());
    expect(report.feeds[0]?.status).toBe('skipped');
    expect(server.requestsFor('/sched.xml')).toHaveLength(1);
  });

  it('waits at least as long as Retry-After asks', async () => {
    server.route('/busy.xml', { status: 503, headers: { 'retry-after': '7200' } });
    const report = await pollFeeds(options([`${server.url}/busy.xml`]), deps());
    expect(Date.parse(report.feeds[0]?.nextPollAt ?? '') - clock.getTime()).toBeGreaterThanOrEqual(7200 * 1000);
  });

  it('recovers a feed after failures and resets its health', async () => {
    let fail = true;
    server.route('/flaky.xml', () => (fail ? { status: 502 } : { body: rssFeed('Flaky', []) }));
    await pollFeeds(options([`${server.url}/flaky.xml`], { force: true }), deps());
    expect(store.feeds.get(`${server.url}/flaky.xml`)?.status).toBe('failing');
    fail = false;
    await pollFeeds(options([`${server.url}/flaky.xml`], { force: true }), deps());
    const state = store.feeds.get(`${server.url}/flaky.xml`);
    expect(state?.status).toBe('ok');
    expect(state?.consecutiveFailures).toBe(0);
    expect(state?.lastSuccessAt).toBe(clock.toISOString());
  });

  it('stores an item once whether seen again in the same feed, through another feed, or with a new id and the same content', async () => {
    const item = {
      title: 'Ferry strike ends',
      link: `${server.url}/a/ferry?utm_source=rss`,
      guid: 'ferry-1',
      content: para(8, 'the ferry'),
    };
    server.route('/a.xml', { body: rssFeed('Gazette', [item]) });
    server.route('/b.xml', { body: rssFeed('Gazette Top', [{ ...item, link: `${server.url}/a/ferry`, guid: 'other-id' }]) });
    const first = await pollFeeds(options([`${server.url}/a.xml`], { force: true }), deps());
    expect(first.feeds[0]?.newArticles).toBe(1);
    const again = await pollFeeds(options([`${server.url}/a.xml`, `${server.url}/b.xml`], { force: true }), deps());
    expect(again.feeds.map((f) => f.newArticles)).toEqual([0, 0]);
    expect(again.feeds[1]?.duplicates).toBe(1);
    server.route('/a.xml', { body: rssFeed('Gazette', [{ ...item, guid: 'ferry-1-regenerated', link: `${server.url}/a/ferry-copy` }]) });
    const regenerated = await pollFeeds(options([`${server.url}/a.xml`], { force: true }), deps());
    expect(regenerated.feeds[0]).toMatchObject({ newArticles: 0, duplicates: 1 });
    expect(store.articles.count()).toBe(1);
  });

  it('keeps the same wire text from two outlets whose feeds share a host', async () => {
    const wire = { title: 'Ferry strike ends after talks', content: para(8, 'the ferry strike') };
    server.route('/gazette.xml', { body: rssFeed('Harbour Gazette', [{ ...wire, link: `${server.url}/gazette/ferry`, guid: 'g-1' }]) });
    server.route('/courier.xml', { body: rssFeed('Valley Courier', [{ ...wire, link: `${server.url}/courier/ferry`, guid: 'c-1' }]) });
    const run = await pollFeeds(options([`${server.url}/gazette.xml`, `${server.url}/courier.xml`], { force: true }), deps());
    expect(run.feeds.map((f) => f.newArticles)).toEqual([1, 1]);
    expect(store.articles.count()).toBe(2);
  });

  it('replaces only the bad byte of a UTF-8 feed with one invalid byte, whatever its header says', async () => {
    const feed = rssFeed('Harbour Gazette', [
      { title: 'Zelenskyy’s envoy meets Café Müller owners', link: `${server.url}/a/cafe`, guid: 'cafe-1', content: para(8, 'the café') },
    ]);
    // One stray byte (0xFF is never valid in UTF-8) inside an otherwise valid UTF-8 document.
    const bytes = Buffer.from(feed, 'utf8');
    const at = bytes.indexOf(Buffer.from('envoy'));
    const body = Buffer.concat([bytes.subarray(0, at), Buffer.from([0xff]), bytes.subarray(at)]);
    server.route('/utf8.xml', { headers: { 'content-type': 'application/rss+xml; charset=utf-8' }, body });
    const latin = Buffer.from(
      body.toString('latin1').replace('/a/cafe', '/a/cafe-latin').replace('Harbour Gazette', 'Valley Courier'),
      'latin1',
    );
    server.route('/latin.xml', { headers: { 'content-type': 'application/rss+xml; charset=iso-8859-1' }, body: latin });
    const run = await pollFeeds(options([`${server.url}/utf8.xml`, `${server.url}/latin.xml`], { force: true }), deps());
    expect(run.feeds.map((f) => f.ok)).toEqual([true, true]);
    const stored = store.articles.findByGuid(`${server.url}/utf8.xml`, 'cafe-1');
    expect(stored?.title).toBe('Zelenskyy’s \uFFFDenvoy meets Café Müller owners');
    expect(store.articles.findByGuid(`${server.url}/latin.xml`, 'cafe-1')?.title).toBe(stored?.title);
    expect(store.feeds.get(`${server.url}/utf8.xml`)?.lastWarnings.join(' ')).toMatch(/1 invalid byte/);
  });

  it('updates a stored item when the feed changes it', async () => {
    const base = { title: 'Dam inspection finds cracks', link: `${server.url}/a/dam`, guid: 'dam' };
    server.route('/dam.xml', { body: rssFeed('Gazette', [{ ...base, content: para(8, 'the first inspection') }]) });
    await pollFeeds(options([`${server.url}/dam.xml`], { force: true }), deps());
    const before = store.articles.findByGuid(`${server.url}/dam.xml`, 'dam');
    clock = new Date(clock.getTime() + 30 * MIN);
    server.route('/dam.xml', {
      body: rssFeed('Gazette', [{ ...base, title: 'Dam inspection finds deep cracks', content: para(9, 'the second inspection') }]),
    });
    const report = await pollFeeds(options([`${server.url}/dam.xml`], { force: true }), deps());
    expect(report.feeds[0]).toMatchObject({ newArticles: 0, updatedArticles: 1 });
    expect(report.updatedArticleIds).toEqual([before?.id]);
    const after = store.articles.findByGuid(`${server.url}/dam.xml`, 'dam');
    expect(after?.title).toBe('Dam inspection finds deep cracks');
    expect(after?.text).toContain('second inspection');
    expect(after?.firstSeenAt).toBe(before?.firstSeenAt);
    expect(after?.updatedAt).toBe(clock.toISOString());
  });

  it('keeps an article whose page fails with the feed text, and upgrades it when the page comes back', async () => {
    let pageUp = false;
    server.route('/t.xml', {
      body: rssFeed('Gazette', [
        { title: 'Tunnel opens', link: `${server.url}/a/tunnel`, guid: 't', description: 'A new tunnel opened on Thursday.' },
      ]),
    });
    server.route('/a/tunnel', () =>
      pageUp ? { headers: { 'content-type': 'text/html' }, body: articlePage('Tunnel opens', para(6, 'the tunnel')) } : { status: 503 },
    );
    const first = await pollFeeds(options([`${server.url}/t.xml`], { force: true }), deps());
    expect(first.feeds[0]?.newArticles).toBe(1);
    let stored = store.articles.findByGuid(`${server.url}/t.xml`, 't');
    expect(stored).toMatchObject({ textSource: 'summary', needsFullText: true, text: 'A new tunnel opened on Thursday.' });
    pageUp = true;
    const second = await pollFeeds(options([`${server.url}/t.xml`], { force: true }), deps());
    expect(second.updatedArticleIds).toEqual([stored?.id]);
    stored = store.articles.findByGuid(`${server.url}/t.xml`, 't');
    expect(stored).toMatchObject({ textSource: 'page', needsFullText: false });
    expect(stored?.text).toContain('Paragraph 6 about the tunnel');
  });

  it('does not fetch an article link that points at a private address, and keeps the feed text', async () => {
    server.route('/evil.xml', {
      body: rssFeed('Gazette', [
        { title: 'Internal', link: 'http://169.254.169.254/latest/meta-data/', guid: 'x', description: 'Teaser text only.' },
      ]),
    });
    const report = await pollFeeds(options([`${server.url}/evil.xml`], { force: true }), deps());
    expect(report.feeds[0]?.ok).toBe(true);
    const stored = store.articles.findByGuid(`${server.url}/evil.xml`, 'x');
    expect(stored).toMatchObject({ textSource: 'summary', needsFullText: false, text: 'Teaser text only.' });
  });
});
