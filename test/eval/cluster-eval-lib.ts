/** Shared by eval-cluster.ts and tune-cluster.ts: read labelled streams and score the clusterer on them. */
import { readFileSync } from 'node:fs';
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
