/** Shared by eval-cluster.ts and tune-cluster.ts: read labelled streams and score the clusterer on them. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { clusterBatch } from '../../src/cluster/cluster-batch.ts';
import { type ClusterParams, createClusterer, DEFAULT_CLUSTER_PARAMS } from '../../src/cluster/cluster-stories.ts';
import { DEFAULT_FEATURE_WEIGHTS, type FeatureWeights } from '../../src/cluster/features.ts';
import { createTermStats } from '../../src/cluster/term-stats.ts';
import { scoreClustering } from './metrics.ts';

export interface Row {
  id: string;
  title: string;
  text: string;
  outlet: string;
  publishedAt: string;
  label: string;
}

export function readRows(file: string): Row[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Row);
}

export function parseParams(overrides: readonly string[] = [], base: ClusterParams = DEFAULT_CLUSTER_PARAMS): ClusterParams {
  const params: ClusterParams = { ...base };
  for (const o of overrides) {
    const [k, v] = o.split('=');
    if (!k || v === undefined || !(k in params)) throw new Error(`unknown param ${o}`);
    (params as unknown as Record<string, number>)[k] = Number(v);
  }
  return params;
}

export function evaluate(rows: readonly Row[], params: ClusterParams, weights: FeatureWeights = DEFAULT_FEATURE_WEIGHTS) {
  const clusterer = createClusterer(params, [], (a) => `e-${a.id}`);
  const started = performance.now();
  const assignments = clusterBatch(rows, clusterer, createTermStats(), weights);
  const ms = performance.now() - started;
  const pred = new Map(assignments.map((x) => [x.articleId, x.eventId]));
  const gold = new Map(rows.map((r) => [r.id, r.label]));
  return { scores: scoreClustering(pred, gold), ms, pred, gold };
}

const root = resolve(import.meta.dirname, '../..');
const jsonlIn = (dir: string) =>
  existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith('.jsonl'))
        .sort()
        .map((f) => join(dir, f))
    : [];

/** The labelled streams: test/fixtures/cluster/*.jsonl, plus ../shared/data/*.jsonl when that folder exists. */
export function defaultSetFiles(): string[] {
  return [...jsonlIn(join(root, 'test/fixtures/cluster')), ...jsonlIn(join(root, '../shared/data'))];
}

export function defaultSets(options: { dense?: boolean } = {}): Array<{ name: string; rows: Row[] }> {
  const sets = defaultSetFiles().map((f) => ({ name: basename(f), rows: readRows(f) }));
  if (!options.dense) return sets;
  return sets.flatMap((s) => (s.name.startsWith('allsides') ? [s, { name: `${s.name}@60d`, rows: foldDays(s.rows, 60) }] : [s]));
}

/**
 * The same stream with its days folded onto `days` days (day d → d mod days, time of day kept): a
 * stream of a few stories a day becomes one of dozens, so time alone no longer tells stories apart.
 */
export function foldDays(rows: readonly Row[], days: number): Row[] {
  const day = 86_400_000;
  const start = Math.min(...rows.map((r) => Date.parse(r.publishedAt)));
  const origin = start - (start % day);
  return rows.map((r) => {
    const t = Date.parse(r.publishedAt) - origin;
    const folded = origin + (Math.floor(t / day) % days) * day + (t % day);
    return { ...r, publishedAt: new Date(folded).toISOString() };
  });
}
