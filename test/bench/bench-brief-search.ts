/**
 * `/brief <topic>` over a large store: N synthetic full-text articles (default 100,000) already in events,
 * then ~80 topic queries, each answered as the bot answers it (the command handler: search, rank events,
 * brief the best three, plan the threaded brief in the ledger). Into a fresh SQLite file, or with
 * `--postgres-url` into that empty PostgreSQL database.
 *
 * The store is filled through its ports (events.save, articles.insert) in transactions of 1,000 articles,
 * in publication order, as ingestion leaves it: clustering 100,000 articles through the pipeline would take
 * minutes, so each article is put in the event the generator wrote it for (what a perfect clusterer would
 * find). Event sizes are mixed, as news is: 10% of the articles alone, 30% in events of 3, 30% in events of
 * 8, 20% in events of 25, 10% in events of 80, over 60 days. Each event's clustering state (opaque to
 * `/brief`, but read with the event) is the real state (`absorb`) of a sample event of the same size.
 *
 *   node test/bench/bench-brief-search.ts [--articles 100000] [--queries 80] [--postgres-url URL] [--json] [--each]
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { countBatch } from '../../src/cluster/cluster-batch.ts';
import { absorb, type ClusterEvent, DEFAULT_CLUSTER_PARAMS, newClusterEvent } from '../../src/cluster/cluster-stories.ts';
import { eventIdFor, serializeEventState } from '../../src/cluster/event-state.ts';
import { chooseEventTitle } from '../../src/cluster/event-title.ts';
import { buildFeatures, type TermCounts } from '../../src/cluster/features.ts';
import { createTermStats } from '../../src/cluster/term-stats.ts';
import { createCommandHandlers } from '../../src/commands/handle-commands.ts';
import { silentLogger } from '../../src/shared/logger.ts';
import type { Store, StoredArticle, StoredEvent } from '../../src/store/ports.ts';
import { createPostgresStore } from '../../src/store/postgres/postgres-store.ts';
import { connectSyncPg } from '../../src/store/postgres/sync-client.ts';
import { createSqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { generateNews, type SyntheticArticle } from '../helpers/synthetic-news.ts';

const { values } = parseArgs({
  options: {
    articles: { type: 'string' },
    queries: { type: 'string' },
    'postgres-url': { type: 'string' },
    json: { type: 'boolean' },
    /** Each topic's time on stderr. */
    each: { type: 'boolean' },
  },
});
const total = Number(values.articles ?? 100_000);
const queryCount = Number(values.queries ?? 80);
const postgresUrl = values['postgres-url'];

/** Share of the articles, and the size of the events they are in. */
const MIX = [
  { share: 0.1, perEvent: 1 },
  { share: 0.3, perEvent: 3 },
  { share: 0.3, perEvent: 8 },
  { share: 0.2, perEvent: 25 },
  { share: 0.1, perEvent: 80 },
] as const;
const DAYS = 60;
/** Sample events per size whose real clustering state the others of that size borrow. */
const STATE_SAMPLES = 24;

interface Planned {
  article: StoredArticle;
  event: StoredEvent;
}

/** The corpus, as stored articles in their events, in publication order. */
function buildCorpus(): { planned: Planned[]; events: number; synthetic: SyntheticArticle[] } {
  const planned: Planned[] = [];
  const synthetic: SyntheticArticle[] = [];
  let events = 0;
  for (const [b, mix] of MIX.entries()) {
    const articles = Math.round(total * mix.share);
    if (articles === 0) continue;
    const eventCount = Math.ceil(articles / mix.perEvent);
    const batch = generateNews({
      articles,
      outlets: 120,
      perEvent: mix.perEvent,
      seed: 1000 + b,
      eventSpacingMinutes: (DAYS * 1440) / eventCount,
    }).map((a) => ({ ...a, id: `b${b}-${a.id}` }));
    synthetic.push(...batch);
    const groups = new Map<number, SyntheticArticle[]>();
    for (const a of batch) groups.set(a.event, [...(groups.get(a.event) ?? []), a]);
    const states = sampleStates([...groups.values()].slice(0, STATE_SAMPLES));
    let g = 0;
    for (const members of groups.values()) {
      const stored = members.map(toStored);
      const times = stored.map((a) => a.publishedAt).sort();
      const first = times[0] as string;
      const last = times[times.length - 1] as string;
      const event: StoredEvent = {
        id: eventIdFor((stored[0] as StoredArticle).id),
        title: chooseEventTitle(stored.map((a) => ({ title: a.title, independent: true }))),
        relatedTo: null,
        createdAt: first,
        updatedAt: last,
        firstPublishedAt: first,
        lastPublishedAt: last,
        articleCount: stored.length,
        independentCount: stored.length,
        state: states[g % states.length] as string,
      };
      g++;
      events++;
      for (const article of stored) planned.push({ article: { ...article, eventId: event.id }, event });
    }
  }
  planned.sort((x, y) => x.article.publishedAt.localeCompare(y.article.publishedAt) || x.article.id.localeCompare(y.article.id));
  return { planned, events, synthetic };
}

function toStored(a: SyntheticArticle): StoredArticle {
  const feed = `https://bench.example/${a.outlet.replace(/\W+/g, '-').toLowerCase()}`;
  return {
    id: a.id,
    feedUrl: `${feed}/feed.xml`,
    guid: a.id,
    url: `${feed}/a/${a.id}`,
    canonicalUrl: `${feed}/a/${a.id}`,
    title: a.title,
    outlet: a.outlet,
    author: null,
    publishedAt: a.publishedAt,
    firstSeenAt: a.publishedAt,
    updatedAt: a.publishedAt,
    summary: a.paragraphs[0] ?? '',
    text: a.paragraphs.join('\n\n'),
    textSource: 'feed',
    contentHash: a.id,
    itemFingerprint: a.id,
    needsFullText: false,
    fullTextAttempts: 0,
    eventId: null,
    copyOf: null,
  };
}

/** The clusterer's serialised state of each sample event, built as the clusterer builds it. */
function sampleStates(groups: SyntheticArticle[][]): string[] {
  const stats = createTermStats();
  const articles = groups.flat();
  const inputs = articles.map((a) => ({
    id: a.id,
    title: a.title,
    text: a.paragraphs.join('\n\n'),
    outlet: a.outlet,
    publishedAt: a.publishedAt,
  }));
  const counts = countBatch(inputs, stats);
  const byEvent = new Map<number, ClusterEvent>();
  for (const [i, input] of inputs.entries()) {
    const features = buildFeatures(input, counts[i] as TermCounts, stats);
    const key = (articles[i] as SyntheticArticle).event;
    let event = byEvent.get(key);
    if (!event) {
      event = newClusterEvent(`sample-${key}`, features, null);
      byEvent.set(key, event);
    }
    absorb(event, features, DEFAULT_CLUSTER_PARAMS);
  }
  return [...byEvent.values()].map(serializeEventState);
}

type QueryKind = 'topic word' | 'everyday words' | 'place' | 'place + topic' | 'person' | 'organisation' | 'no match';

/** Topics as people would ask for them, taken from the corpus (deterministic). */
function buildQueries(corpus: SyntheticArticle[], n: number): Array<{ kind: QueryKind; topic: string; from: string }> {
  const pick = (i: number) => corpus[(i * 7919) % corpus.length] as SyntheticArticle;
  const titled = (i: number) => /^(\S+) (\S+): (\S+) (\S+) says/.exec(pick(i).title);
  const org = (i: number) => /\b([A-Z][a-z]+ (?:Ministry|Council|Agency|Group|Union))\b/.exec(pick(i).paragraphs.join(' '))?.[1];
  const topics = ['flood', 'strike', 'election', 'earthquake', 'trial', 'merger', 'wildfire', 'protest', 'summit', 'outbreak'];
  const everyday = ['prices', 'schools and hospitals', 'police', 'parliament plan', 'court ruling', 'workers strike'];
  const noMatch = ['zyxquorb', 'flumpet gravitas', 'qwertzuiop'];
  const out: Array<{ kind: QueryKind; topic: string; from: string }> = [
    ...topics.map((topic) => ({ kind: 'topic word' as const, topic, from: '' })),
    ...everyday.map((topic) => ({ kind: 'everyday words' as const, topic, from: '' })),
    ...noMatch.map((topic) => ({ kind: 'no match' as const, topic, from: '' })),
  ];
  const kinds: QueryKind[] = ['place', 'place + topic', 'person', 'organisation'];
  for (let i = 0; out.length < n && i < n * 10; i++) {
    const kind = kinds[i % kinds.length] as QueryKind;
    const m = titled(i + 1);
    if (!m) continue;
    const topic =
      kind === 'place' ? m[1] : kind === 'place + topic' ? `${m[1]} ${m[2]}` : kind === 'person' ? `${m[3]} ${m[4]}` : org(i + 1);
    if (topic) out.push({ kind, topic, from: pick(i + 1).id });
  }
  return out.slice(0, n);
}

/**
 * Times every call through the store's ports, by port and method, into `spent` (ms), and counts the
 * articles read for briefs (`listByEvent`).
 */
function timedStore(store: Store, spent: Map<string, number>, counted: { articlesBriefed: number }): Store {
  const wrap = <T extends object>(port: T, name: string): T =>
    new Proxy(port, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          const started = performance.now();
          try {
            const out = value.apply(target, args);
            if (prop === 'listByEvent' && Array.isArray(out)) counted.articlesBriefed += out.length;
            return out;
          } finally {
            const key = `${name}.${String(prop)}`;
            spent.set(key, (spent.get(key) ?? 0) + performance.now() - started);
          }
        };
      },
    });
  return {
    ...store,
    articles: wrap(store.articles, 'articles'),
    events: wrap(store.events, 'events'),
    deliveries: wrap(store.deliveries, 'deliveries'),
  };
}

const pct = (xs: readonly number[], p: number) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN;
};

// Build the corpus, fill the store, keep only the queries (the corpus is let go before asking).
const dir = mkdtempSync(join(tmpdir(), 'briefbot-bench-'));
const store = postgresUrl ? createPostgresStore(postgresUrl) : createSqliteStore(join(dir, 'bench.db'));
const { events, generateSecs, fillSecs, queries } = fill(store);
const stored = store.articles.count();
const sizeMb = postgresUrl ? databaseSizeMb(postgresUrl) : fileSizeMb(join(dir, 'bench.db'));

function fill(into: Store) {
  const t0 = performance.now();
  const { planned, events, synthetic } = buildCorpus();
  const generateSecs = (performance.now() - t0) / 1000;
  const t1 = performance.now();
  const saved = new Set<string>();
  for (let i = 0; i < planned.length; i += 1000) {
    into.transaction(() => {
      for (const { article, event } of planned.slice(i, i + 1000)) {
        if (!saved.has(event.id)) {
          into.events.save(event);
          saved.add(event.id);
        }
        into.articles.insert(article);
      }
    });
  }
  const fillSecs = (performance.now() - t1) / 1000;
  const eventOf = new Map(planned.map((p) => [p.article.id, p.event.id]));
  const queries = buildQueries(synthetic, queryCount).map((q) => ({ ...q, eventId: eventOf.get(q.from) ?? '' }));
  return { events, generateSecs, fillSecs, queries };
}

// Ask, as the bot answers `/brief <topic>` in a channel; the filling's garbage collected first.
setFlagsFromString('--expose-gc');
(runInNewContext('gc') as () => void)();
const spent = new Map<string, number>();
const counted = { articlesBriefed: 0 };
const handlers = createCommandHandlers({
  store: timedStore(store, spent, counted),
  logger: silentLogger,
  now: () => new Date(),
  channels: [],
  defaultTimezone: 'UTC',
  wakeDeliverer: () => {},
});
const ask = (topic: string) => handlers.brief({ platform: 'slack', channelId: 'C-bench', userId: 'U-bench', topic });
// Warm up (JIT, caches) on topics that are not measured.
for (const topic of ['warm up', 'ministry', 'council talks', 'repairs timeline']) await ask(topic);
interface Row {
  kind: QueryKind;
  topic: string;
  ms: number;
  searchMs: number;
  storeMs: number;
  articlesBriefed: number;
  /** The article the topic was taken from: is its event among those briefed? */
  foundSource: boolean;
}
const rows: Row[] = [];
for (const { kind, topic, eventId } of queries) {
  spent.clear();
  counted.articlesBriefed = 0;
  const started = performance.now();
  const answer = await ask(topic);
  const ms = performance.now() - started;
  const briefed = answer.kind === 'planned' ? store.deliveries.listByBrief(answer.briefId).flatMap((d) => d.eventIds) : [];
  if (values.each) process.stderr.write(`${kind}\t${topic}\t${ms.toFixed(0)} ms\t${counted.articlesBriefed} articles briefed\n`);
  rows.push({
    kind,
    topic,
    ms,
    searchMs: spent.get('articles.search') ?? 0,
    storeMs: [...spent.values()].reduce((sum, x) => sum + x, 0),
    articlesBriefed: counted.articlesBriefed,
    foundSource: briefed.includes(eventId),
  });
}
store.close();
rmSync(dir, { recursive: true, force: true });

/** The `p` quantile of `f` over these rows. */
const at = (xs: Row[], p: number, f: (r: Row) => number) => pct(xs.map(f), p);
const kinds = [...new Set(rows.map((r) => r.kind))];
const result = {
  store: postgresUrl ? 'PostgreSQL' : 'SQLite',
  articles: stored,
  events,
  generateSecs,
  fillSecs,
  sizeMb,
  queries: rows.length,
  answered: rows.filter((r) => r.articlesBriefed > 0).length,
  p50Ms: at(rows, 0.5, (r) => r.ms),
  p95Ms: at(rows, 0.95, (r) => r.ms),
  maxMs: Math.max(...rows.map((r) => r.ms)),
  searchP50Ms: at(rows, 0.5, (r) => r.searchMs),
  searchP95Ms: at(rows, 0.95, (r) => r.searchMs),
  storeP50Ms: at(rows, 0.5, (r) => r.storeMs),
  storeP95Ms: at(rows, 0.95, (r) => r.storeMs),
  /** What the rest of the answer costs (ranking, summaries, disputes, planning): the whole answer less its store calls. */
  restP95Ms: at(rows, 0.95, (r) => r.ms - r.storeMs),
  articlesBriefedP50: at(rows, 0.5, (r) => r.articlesBriefed),
  /** Topics naming one event (a person, a place with its topic): how often that event was among those briefed. */
  specific: {
    queries: rows.filter((r) => r.kind === 'person' || r.kind === 'place + topic').length,
    found: rows.filter((r) => (r.kind === 'person' || r.kind === 'place + topic') && r.foundSource).length,
  },
  byKind: Object.fromEntries(
    kinds.map((kind) => {
      const these = rows.filter((r) => r.kind === kind);
      return [
        kind,
        {
          queries: these.length,
          p50Ms: at(these, 0.5, (r) => r.ms),
          maxMs: Math.max(...these.map((r) => r.ms)),
          searchP50Ms: at(these, 0.5, (r) => r.searchMs),
          articlesBriefedP50: at(these, 0.5, (r) => r.articlesBriefed),
        },
      ];
    }),
  ),
  slowest: [...rows]
    .sort((a, b) => b.ms - a.ms)
    .slice(0, 3)
    .map((r) => ({ topic: r.topic, ms: r.ms, searchMs: r.searchMs, storeMs: r.storeMs, articlesBriefed: r.articlesBriefed })),
};
if (values.json) process.stdout.write(`${JSON.stringify(result)}\n`);
else {
  const ms = (x: number) => `${x.toFixed(0)} ms`;
  process.stdout.write(
    `/brief (${result.store}) over ${result.articles.toLocaleString('en')} articles in ${result.events.toLocaleString('en')} events ` +
      `(stored in ${result.fillSecs.toFixed(1)} s, ${result.sizeMb.toFixed(0)} MB): ${result.queries} topics, ` +
      `whole answer p50 ${ms(result.p50Ms)}, p95 ${ms(result.p95Ms)}, max ${ms(result.maxMs)}; ` +
      `search query p50 ${ms(result.searchP50Ms)}, p95 ${ms(result.searchP95Ms)}; all store calls p95 ${ms(result.storeP95Ms)}\n`,
  );
}

function fileSizeMb(file: string): number {
  let bytes = 0;
  for (const f of [file, `${file}-wal`]) {
    try {
      bytes += statSync(f).size;
    } catch {
      // no WAL file
    }
  }
  return bytes / 1048576;
}

function databaseSizeMb(url: string): number {
  const db = connectSyncPg(url);
  try {
    return Number(db.query('SELECT pg_database_size(current_database()) AS n').rows[0]?.n ?? Number.NaN) / 1048576;
  } finally {
    db.close();
  }
}
