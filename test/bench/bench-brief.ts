/** Brief generation time per event (summary + disputes), for events of 5 and of 50 articles. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Article } from '../../src/core/types.ts';
import { briefEvent } from '../../src/pipeline/brief-events.ts';
import type { StoredEvent } from '../../src/store/ports.ts';

interface FixtureArticle {
  id: string;
  outlet: string;
  title: string;
  url: string;
  publishedAt: string;
  text: string;
}

const dir = join(import.meta.dirname, '../fixtures/briefs');
const all: FixtureArticle[] = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .flatMap((f) => (JSON.parse(readFileSync(join(dir, f), 'utf8')) as { articles: FixtureArticle[] }).articles);

function toArticle(a: FixtureArticle, n: number): Article {
  return {
    id: `${a.id}-${n}`,
    feedUrl: 'https://bench.example/feed',
    guid: `${a.id}-${n}`,
    url: `${a.url}?copy=${n}`,
    title: a.title,
    outlet: `${a.outlet} ${n % 7}`,
    author: null,
    publishedAt: a.publishedAt,
    firstSeenAt: a.publishedAt,
    updatedAt: a.publishedAt,
    summary: '',
    text: a.text,
    textSource: 'feed',
    contentHash: `${a.id}-${n}`,
    eventId: 'bench',
  };
}

const event: StoredEvent = {
  id: 'bench',
  title: 'bench',
  relatedTo: null,
  createdAt: '',
  updatedAt: '',
  firstPublishedAt: '',
  lastPublishedAt: '',
  articleCount: 0,
  independentCount: 0,
  state: '{}',
};

async function measure(size: number, runs: number): Promise<number[]> {
  const times: number[] = [];
  for (let r = 0; r < runs; r++) {
    const articles = Array.from({ length: size }, (_, i) => toArticle(all[(r * size + i) % all.length] as FixtureArticle, r * size + i));
    const started = performance.now();
    await briefEvent(event, articles, new Set());
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b);
}

const pct = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.floor(p * xs.length))] ?? Number.NaN;
await measure(5, 3); // warm up
for (const [size, runs] of [
  [5, 60],
  [50, 20],
] as const) {
  const t = await measure(size, runs);
  process.stdout.write(
    `brief of a ${size}-article event: p50 ${pct(t, 0.5).toFixed(1)} ms, p95 ${pct(t, 0.95).toFixed(1)} ms (${runs} events)\n`,
  );
}
