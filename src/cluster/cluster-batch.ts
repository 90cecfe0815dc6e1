/**
 * @module Pure: clusters a batch of new articles in publication order. Document frequencies are
 * updated with the whole batch first (so the first articles of a fresh database get sensible IDF),
 * then each article is assigned incrementally; earlier events are never re-clustered.
 */
import type { Assignment, Clusterer } from './cluster-stories.ts';
import { buildFeatures, type ClusterInput, countTerms, DEFAULT_FEATURE_WEIGHTS, documentKeys, type FeatureWeights } from './features.ts';
import { addDocument, type TermStats } from './term-stats.ts';

export function byPublication<T extends { publishedAt: string; id: string }>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => a.publishedAt.localeCompare(b.publishedAt) || a.id.localeCompare(b.id));
}

export function clusterBatch(
  articles: readonly ClusterInput[],
  clusterer: Clusterer,
  stats: TermStats,
  weights: FeatureWeights = DEFAULT_FEATURE_WEIGHTS,
): Assignment[] {
  const ordered = byPublication(articles);
  const counts = ordered.map((a) => countTerms(a, weights));
  for (const c of counts) addDocument(stats, new Set(documentKeys(c)));
  return ordered.map((a, i) => clusterer.add(buildFeatures(a, counts[i] as ReturnType<typeof countTerms>, stats)));
}
