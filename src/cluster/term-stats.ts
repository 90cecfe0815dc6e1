/**
 * @module Document frequencies for IDF, kept incrementally. Entity tokens live in the same table
 * with an "@" prefix. Pure data plus small functions; the store persists it between runs.
 */
import { backgroundDocProbability } from '../nlp/background.ts';

export interface TermStats {
  docs: number;
  df: Map<string, number>;
  /** Terms whose df changed since the last save (so only those are written). */
  dirty: Set<string>;
}

export function createTermStats(docs = 0, df: Map<string, number> = new Map()): TermStats {
  return { docs, df, dirty: new Set() };
}

/** Counts one document's distinct terms. */
export function addDocument(stats: TermStats, terms: Iterable<string>): void {
  stats.docs++;
  for (const t of terms) {
    stats.df.set(t, (stats.df.get(t) ?? 0) + 1);
    stats.dirty.add(t);
  }
}

/** How many pseudo-documents the background model counts for. */
export const BACKGROUND_DOCS = 1000;

/**
 * IDF over the documents seen so far plus a background corpus of everyday English: with few
 * documents the background keeps shared names rare and common words common; with many, the
 * stream's own statistics dominate.
 */
export function idf(stats: TermStats, term: string): number {
  const df = stats.df.get(term) ?? 0;
  return Math.log((stats.docs + BACKGROUND_DOCS + 1) / (df + BACKGROUND_DOCS * backgroundDocProbability(term) + 0.5));
}
