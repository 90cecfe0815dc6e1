/**
 * @module Pure: clusters a batch of new articles in publication order. Document frequencies are
 * updated with the whole batch first (so the first articles of a fresh database get sensible IDF),
 * then each article is assigned incrementally; earlier events are never re-clustered.
 */
import type { Assignment, Clusterer } from './cluster-stories.ts';
import {
  buildFeatures,
  type ClusterInput,
  countTerms,
  DEFAULT_FEATURE_WEIGHTS,
  documentKeys,
  type FeatureWeights,
  type TermCounts,
} from './features.ts';
import { addDocument, type TermStats } from './term-stats.ts';

export function byPublication<T extends { publishedAt: string; id: string }>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => a.publishedAt.localeCompare(b.publishedAt) || a.id.localeCompare(b.id));
}

/**
 * Raw term counts of a batch (in the order given), counted into the document frequencies first, so
 * the batch's own articles inform IDF before any of them is assigned.
 */
export function countBatch(
  ordered: readonly ClusterInput[],
  stats: TermStats,
  weights: FeatureWeights = DEFAULT_FEATURE_WEIGHTS,
): TermCounts[] {
  const counts = ordered.map((a) => countTerms(a, weights));
  for (const c of counts) addDocument(stats, new Set(documentKeys(c)));
  return counts;
}

export function clusterBatch(
  articles: readonly ClusterInput[],
  clusterer: Clusterer,
  stats: TermStats,
  weights: FeatureWeights = DEFAULT_FEATURE_WEIGHTS,
): Assignment[] {
  const ordered = byPublication(articles);
  const counts = countBatch(ordered, stats, weights);
  return ordered.map((a, i) => clusterer.add(buildFeatures(a, counts[i] as TermCounts, stats)));
}
