/**
 * Serves a synthetic corpus as RSS feeds (full text in content:encoded) on several loopback
 * addresses, so per-host politeness applies as it would across real publishers.
 *   node test/bench/corpus-server.ts --feeds 500 --items 20000 --hosts 10
 * Prints one JSON line {"feeds":[urls...]} when listening.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { generateNews, type SyntheticArticle } from '../helpers/synthetic-news.ts';

const { values } = parseArgs({ options: { feeds: { type: 'string' }, items: { type: 'string' }, hosts: { type: 'string' } } });
const feedCount = Number(values.feeds ?? 500);
const itemCount = Number(values.items ?? 20000);
const hostCount = Number(values.hosts ?? 10);
const articles = generateNews({ articles: itemCount, outlets: feedCount });
const byFeed: SyntheticArticle[][] = Array.from({ length: feedCount }, () => []);
for (const [i, a] of articles.entries()) byFeed[i % feedCount]?.push(a);

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
function rss(i: number, base: string): string {
  const items = (byFeed[i] ?? [])
    .map(
      (a) => `<item><title>${esc(a.title)}</title><link>${base}/a/${a.id}</link><guid isPermaLink="false">${a.id}</guid>
<pubDate>${new Date(a.publishedAt).toUTCString()}</pubDate><description>${esc(a.paragraphs[0] ?? '')}</description>
<content:encoded><![CDATA[${a.paragraphs.map((p) => `<p>${p}</p>`).join('')}]]></content:encoded></item>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Outlet ${i}</title><link>${base}/</link>${items}</channel></rss>`;
}

const urls: string[] = [];
let listening = 0;
for (let h = 0; h < hostCount; h++) {
  const host = `127.0.1.${h + 1}`;
  const server = createServer((req, res) => {
    const m = /^\/feeds\/(\d+)\.xml$/.exec(req.url ?? '');
    if (!m) {
      res.writeHead(404).end();
      return;
    }
    const body = rss(Number(m[1]), `http://${req.headers.host}`);
    res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
  server.listen(0, host, () => {
    const { port } = server.address() as AddressInfo;
    for (let i = h; i < feedCount; i += hostCount) urls[i] = `http://${host}:${port}/feeds/${i}.xml`;
    if (++listening === hostCount) process.stdout.write(`${JSON.stringify({ feeds: urls })}\n`);
  });
}
