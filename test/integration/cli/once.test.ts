import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeFeedServer, startFakeFeedServer } from '../../fakes/fake-feed-server.ts';
import { rssFeed } from '../../helpers/build.ts';
import { runBriefbot } from '../../helpers/cli-io.ts';

let server: FakeFeedServer;
let work: string;

const page = (title: string, outlet: string, paras: string[]) => `<!doctype html><html><head><title>${title}</title>
<meta property="og:site_name" content="${outlet}"><meta property="article:published_time" content="2025-03-02T09:00:00Z"></head>
<body><header><nav><a href="/">Home</a><a href="/sport">Sport</a></nav></header>
<div class="newsletter">Sign up for our morning newsletter</div>
<article><h1>${title}</h1>${paras.map((p) => `<p>${p}</p>`).join('')}</article>
<footer>© ${outlet}. All rights reserved.</footer></body></html>`;

const floodParas = [
  'Floodwater from the Varna river reached the old town of Lisky on Sunday morning, forcing about 2,000 residents to leave their homes, the regional emergency service said.',
  'The service said pumps were running at three points along the embankment and that the water level had stopped rising by noon.',
  'Mayor Olena Bard said schools would stay closed on Monday and asked residents not to drive through flooded streets.',
  'Forecasters expect more rain in the hills upstream on Tuesday, which could bring a second, smaller crest later in the week.',
];

beforeAll(async () => {
  server = await startFakeFeedServer();
  work = mkdtempSync(join(tmpdir(), 'briefbot-cli-'));
  server.route('/feeds/valley.xml', {
    headers: { 'content-type': 'application/rss+xml; charset=utf-8' },
    body: rssFeed('Valley Courier', [
      {
        title: 'Flood forces 2,000 from homes in Lisky',
        link: `${server.url}/articles/flood.html`,
        guid: 'vc-1',
        pubDate: 'Sun, 02 Mar 2025 09:00:00 GMT',
        description: 'Floodwater reached the old town.',
      },
    ]),
  });
  server.route('/articles/flood.html', {
    headers: { 'content-type': 'text/html; charset=utf-8' },
    body: page('Flood forces 2,000 from homes in Lisky', 'Valley Courier', floodParas),
  });
  server.route('/feeds/broken.xml', { status: 500, body: 'internal error' });
  server.route('/feeds/private-link.xml', {
    body: rssFeed('Sneaky', [{ title: 'Look inside', link: 'http://localhost:9/secret', guid: 's-1', description: 'Only a teaser.' }]),
  });
});

afterAll(async () => {
  await server.close();
});

describe('cli once', () => {
  it('prints a JSON brief in the contract shape on stdout, writes --out, and exits 0 even when a feed fails', async () => {
    const db = join(work, 'a.db');
    const out = join(work, 'a.json');
    const run = await runBriefbot(
      [
        'once',
        '--feed',
        `${server.url}/feeds/valley.xml`,
        '--feed',
        `${server.url}/feeds/broken.xml`,
        '--db',
        db,
        '--format',
        'json',
        '--out',
        out,
      ],
      { cwd: work },
    );
    expect(run.code).toBe(0);
    const brief = JSON.parse(run.stdout);
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual(brief);
    expect(Date.parse(brief.generatedAt)).not.toBeNaN();
    expect(brief.feeds).toEqual([
      { url: `${server.url}/feeds/valley.xml`, ok: true, newArticles: 1, error: null },
      { url: `${server.url}/feeds/broken.xml`, ok: false, newArticles: 0, error: expect.stringContaining('500') },
    ]);
    expect(brief.events).toHaveLength(1);
    const [event] = brief.events;
    expect(event).toMatchObject({ id: expect.any(String), title: 'Flood forces 2,000 from homes in Lisky', disputed: [] });
    expect(event.summary.join(' ')).toContain('2,000 residents');
    expect(event.sources).toEqual([
      expect.objectContaining({
        outlet: 'Valley Courier',
        title: 'Flood forces 2,000 from homes in Lisky',
        url: `${server.url}/articles/flood.html`,
        publishedAt: '2025-03-02T09:00:00.000Z',
      }),
    ]);
    expect(run.stderr).toContain('failed: ');
    expect(run.stderr).toContain('broken.xml');
  });

  it('briefs nothing new on a second run, and everything since a time with --since', async () => {
    const db = join(work, 'b.db');
    const args = ['once', '--feed', `${server.url}/feeds/valley.xml`, '--db', db, '--format', 'json'];
    await runBriefbot(args, { cwd: work });
    const again = await runBriefbot(args, { cwd: work });
    expect(JSON.parse(again.stdout).events).toHaveLength(0);
    const since = await runBriefbot([...args, '--since', '2000-01-01T00:00:00Z'], { cwd: work });
    expect(JSON.parse(since.stdout).events).toHaveLength(1);
  });

  it('lets a loopback --feed fetch pages from its own host only, never another private address', async () => {
    const run = await runBriefbot(
      ['once', '--feed', `${server.url}/feeds/private-link.xml`, '--db', join(work, 'c.db'), '--format', 'json', '--since', '2000-01-01'],
      {
        cwd: work,
      },
    );
    expect(run.code).toBe(0);
    const [event] = JSON.parse(run.stdout).events;
    expect(event.summary.join(' ')).toBe('Only a teaser.');
    expect(run.stderr).toMatch(/fetch_blocked_address|private or loopback/);
  });

  it('renders a readable text brief', async () => {
    const run = await runBriefbot(['once', '--feed', `${server.url}/feeds/valley.xml`, '--db', join(work, 'd.db'), '--format', 'text'], {
      cwd: work,
    });
    expect(run.stdout).toContain('1 event from 1 source');
    expect(run.stdout).toContain(' 1. Flood forces 2,000 from homes in Lisky');
    expect(run.stdout).toContain('[1] Valley Courier — Flood forces 2,000 from homes in Lisky');
    expect(run.stdout).not.toMatch(/newsletter|All rights reserved|Home/);
  });

  it('exits 2 on bad arguments and configuration, 1 on an unusable database', async () => {
    expect((await runBriefbot(['frobnicate'], { cwd: work })).code).toBe(2);
    expect((await runBriefbot(['once', '--format', 'xml', '--feed', `${server.url}/x`], { cwd: work })).code).toBe(2);
    expect((await runBriefbot(['once', '--feed', 'ftp://example.org/feed'], { cwd: work })).code).toBe(2);
    const noFeeds = await runBriefbot(['once', '--db', join(work, 'e.db')], { cwd: work });
    expect(noFeeds.code).toBe(2);
    expect(noFeeds.stderr).toContain('no feeds');
    const badConfig = join(work, 'bad.yaml');
    writeFileSync(badConfig, 'feeds:\n  - url: nope\n');
    const cfg = await runBriefbot(['once', '--config', badConfig], { cwd: work });
    expect(cfg.code).toBe(2);
    expect(cfg.stderr).toContain('feeds[0].url');
    const notADb = join(work, 'not-a-db');
    writeFileSync(notADb, 'this is not sqlite'.repeat(100));
    const db = await runBriefbot(['once', '--feed', `${server.url}/feeds/valley.xml`, '--db', notADb], { cwd: work });
    expect(db.code).toBe(1);
    expect(db.stderr).toContain('cannot open database');
  });

  it('keeps stdout for the brief only when run as a real process', async () => {
    const root = resolve(import.meta.dirname, '../../..');
    const res = await promisify(execFile)(
      process.execPath,
      [join(root, 'src/cli/cli.ts'), 'once', '--feed', `${server.url}/feeds/broken.xml`, '--db', join(work, 'f.db'), '--format', 'json'],
      { cwd: work, encoding: 'utf8', env: { ...process.env, LOG_LEVEL: 'info', LOG_FORMAT: 'json' } },
    );
    expect(() => JSON.parse(res.stdout)).not.toThrow();
    // What went wrong is on stderr: the failed feed, in the summary.
    expect(res.stderr).toMatch(/failed: .*\/feeds\/broken\.xml: HTTP 500/);
  });
});

describe('cli feeds', () => {
  it('imports an OPML list into the config, keeping comments, and lists feed health', async () => {
    const dir = join(work, 'opml');
    mkdirSync(dir);
    const config = join(dir, 'briefbot.yaml');
    writeFileSync(
      config,
      `# my feeds\nfetch:\n  allowPrivateAddresses: true # the test server is on loopback\nfeeds:\n  # the local paper\n  - url: ${server.url}/feeds/valley.xml\n    name: Valley Courier\n`,
    );
    const opml = join(dir, 'subs.opml');
    writeFileSync(
      opml,
      `<?xml version="1.0"?><opml version="2.0"><head><title>Subs</title></head><body>
      <outline text="News"><outline type="rss" text="Broken Feed" xmlUrl="${server.url}/feeds/broken.xml"/>
      <outline type="rss" text="Valley again" xmlUrl="${server.url}/feeds/valley.xml"/></outline>
      <outline type="rss" text="Not http" xmlUrl="gopher://old.example/feed"/></body></opml>`,
    );
    const imported = await runBriefbot(['feeds', 'import', opml, '--config', config], { cwd: dir });
    expect(imported.code).toBe(0);
    expect(imported.stdout).toContain(`added    ${server.url}/feeds/broken.xml  (Broken Feed)`);
    expect(imported.stdout).toContain(`present  ${server.url}/feeds/valley.xml`);
    const text = readFileSync(config, 'utf8');
    expect(text).toContain('# my feeds');
    expect(text).toContain('# the local paper');
    expect(text).toContain('name: Broken Feed');

    const db = join(dir, 'h.db');
    await runBriefbot(['once', '--config', config, '--db', db], { cwd: dir });
    const listed = await runBriefbot(['feeds', '--config', config, '--db', db, '--format', 'json'], { cwd: dir });
    const rows = JSON.parse(listed.stdout).feeds as Array<{
      url: string;
      status: string;
      lastError: string | null;
      articleCount: number;
      nextPollAt: string;
    }>;
    const broken = rows.find((r) => r.url.endsWith('broken.xml'));
    const valley = rows.find((r) => r.url.endsWith('valley.xml'));
    expect(broken).toMatchObject({ status: 'failing', lastError: expect.stringContaining('500') });
    expect(valley).toMatchObject({ status: 'ok', articleCount: 1, lastError: null });
    expect(Date.parse(valley?.nextPollAt ?? '')).toBeGreaterThan(Date.now());
    const asText = await runBriefbot(['feeds', '--config', config, '--db', db, '--format', 'text'], { cwd: dir });
    expect(asText.stdout).toMatch(/FAILING\s+Broken Feed/);
    expect(asText.stdout).toContain('last error');
  });
});
