/**
 * SQLite beside PostgreSQL, on the figures where the store matters: ingest + cluster 15,000 full-text
 * articles (bench-pipeline.ts), and `/brief <topic>` over 100,000 stored articles (bench-brief-search.ts).
 * Each figure runs in its own child process, on a fresh SQLite file and on a fresh PostgreSQL database
 * (see bench-postgres-server.ts for where the server comes from); without a server the SQLite figures are
 * printed with one line saying why the PostgreSQL ones are skipped.
 *   node test/bench/bench-postgres.ts [--items 15000] [--articles 100000] [--queries 80]
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import type { PipelineResult } from './bench-pipeline.ts';
import { benchPostgres } from './bench-postgres-server.ts';

const { values } = parseArgs({ options: { items: { type: 'string' }, articles: { type: 'string' }, queries: { type: 'string' } } });
const items = values.items ?? '15000';
const articles = values.articles ?? '100000';
const queries = values.queries ?? '80';

interface SearchResult {
  store: string;
  articles: number;
  events: number;
  fillSecs: number;
  sizeMb: number;
  queries: number;
  answered: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  searchP50Ms: number;
  searchP95Ms: number;
  storeP50Ms: number;
  storeP95Ms: number;
  restP95Ms: number;
  specific: { queries: number; found: number };
  byKind: Record<string, { queries: number; p50Ms: number; maxMs: number; searchP50Ms: number; articlesBriefedP50: number }>;
  slowest: Array<{ topic: string; ms: number; searchMs: number; storeMs: number; articlesBriefed: number }>;
}

const started = performance.now();
const server = await benchPostgres();
const out = (line: string) => process.stdout.write(`${line}\n`);
if ('skipped' in server) out(`PostgreSQL figures skipped: ${server.skipped}`);
else out(`${server.version} from ${server.origin}; SQLite: a fresh file in the temp folder (WAL, synchronous=NORMAL)`);

/** Runs a bench script on SQLite, then on a fresh PostgreSQL database when there is a server. */
async function onBothStores<T>(script: string, args: string[]): Promise<{ sqlite: T; postgres: T | null }> {
  const sqlite = await runJson<T>(script, args);
  if ('skipped' in server) return { sqlite, postgres: null };
  const db = await server.freshDatabase();
  try {
    return { sqlite, postgres: await runJson<T>(script, [...args, '--postgres-url', db.url]) };
  } finally {
    await db.drop();
  }
}

async function runJson<T>(script: string, args: string[]): Promise<T> {
  const { stdout } = await promisify(execFile)(process.execPath, [join(import.meta.dirname, script), ...args, '--json'], {
    maxBuffer: 1 << 22,
    timeout: 30 * 60_000,
  });
  return JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as T;
}

const label = (store: string) => store.padEnd(10);
const ratio = (pg: number, lite: number) => `${(pg / lite).toFixed(1)}×`;

try {
  out(
    `\ningest + cluster ${Number(items).toLocaleString('en')} full-text articles (bench-pipeline.ts; peak RSS of the briefbot process, not the server's):`,
  );
  const pipeline = await onBothStores<PipelineResult>('bench-pipeline.ts', ['--items', items]);
  for (const r of [pipeline.sqlite, pipeline.postgres]) {
    if (!r) continue;
    out(
      `  ${label(r.store)} ${r.articles} articles → ${r.events} events: end to end ${r.totalSecs.toFixed(1)} s ` +
        `(ingest ${r.ingestSecs.toFixed(1)} s, clustering ${r.clusterSecs.toFixed(1)} s, ${(r.articles / r.clusterSecs).toFixed(0)} articles/s), ` +
        `peak RSS ${r.peakMb.toFixed(0)} MB; event loop held at most ${r.loopDelayMaxMs.toFixed(0)} ms while clustering ` +
        `(p99 ${r.loopDelayP99Ms.toFixed(0)} ms), ${r.wholeDelayMaxMs.toFixed(0)} ms while polling and clustering (p99 ${r.wholeDelayP99Ms.toFixed(0)} ms)`,
    );
  }
  if (pipeline.postgres) {
    const [p, s] = [pipeline.postgres, pipeline.sqlite];
    out(
      `  PostgreSQL against SQLite: end to end ${ratio(p.totalSecs, s.totalSecs)}, ingest ${ratio(p.ingestSecs, s.ingestSecs)}, ` +
        `clustering ${ratio(p.clusterSecs, s.clusterSecs)}, peak RSS ${ratio(p.peakMb, s.peakMb)}`,
    );
  }

  out(
    `\n/brief <topic> over ${Number(articles).toLocaleString('en')} stored articles (bench-brief-search.ts): the whole answer as the command ` +
      'handler gives it (full-text search, rank events, brief the best three, plan the threaded brief in the ledger), ' +
      `${queries} topics (topic words, everyday words, places, places with a topic, people, organisations, a few matching nothing). ` +
      'Articles put in their generated events (sizes 1, 3, 8, 25 and 80; no clustering run), stored through the ports, 1,000 per transaction:',
  );
  const search = await onBothStores<SearchResult>('bench-brief-search.ts', ['--articles', articles, '--queries', queries]);
  const ms = (x: number) => `${x.toFixed(0)} ms`;
  for (const r of [search.sqlite, search.postgres]) {
    if (!r) continue;
    out(
      `  ${label(r.store)} p50 ${ms(r.p50Ms)}, p95 ${ms(r.p95Ms)}, max ${ms(r.maxMs)}: p95 ${r.p95Ms < 300 ? 'under' : 'OVER'} the 300 ms target. ` +
        `Of that, the search query p50 ${ms(r.searchP50Ms)}, p95 ${ms(r.searchP95Ms)}; all store calls p50 ${ms(r.storeP50Ms)}, p95 ${ms(r.storeP95Ms)}; ` +
        `the rest (ranking, summaries, disputes) p95 ${ms(r.restP95Ms)}. ` +
        `${r.articles.toLocaleString('en')} articles in ${r.events.toLocaleString('en')} events stored in ${r.fillSecs.toFixed(1)} s (${r.sizeMb.toFixed(0)} MB); ` +
        `${r.answered}/${r.queries} topics answered; a person's or place's own event among those briefed for ${r.specific.found}/${r.specific.queries}`,
    );
  }
  const stores = [search.sqlite, search.postgres].filter((r): r is SearchResult => r !== null);
  out(
    `  by kind of topic, whole answer p50 / max (search p50; articles in the briefed events, p50): ${stores.map((r) => r.store).join(' | ')}`,
  );
  for (const kind of Object.keys(search.sqlite.byKind)) {
    const cells = stores.map((r) => {
      const k = r.byKind[kind];
      return k ? `${ms(k.p50Ms)} / ${ms(k.maxMs)} (${ms(k.searchP50Ms)}; ${k.articlesBriefedP50})` : '-';
    });
    out(`    ${`${kind} (${search.sqlite.byKind[kind]?.queries ?? 0})`.padEnd(22)} ${cells.join(' | ')}`);
  }
  for (const r of stores) {
    out(
      `  slowest on ${r.store}: ${r.slowest.map((s) => `"${s.topic}" ${ms(s.ms)} (store ${ms(s.storeMs)}, ${s.articlesBriefed} articles)`).join(', ')}`,
    );
  }
} finally {
  if (!('skipped' in server)) server.stop();
}
out(`(postgres section: ${((performance.now() - started) / 1000).toFixed(0)} s)`);
