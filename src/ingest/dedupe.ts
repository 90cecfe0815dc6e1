/**
 * @module When a feed item is already stored. An item is new, changed (the same guid in the same feed
 * with a different fingerprint), unchanged, or a duplicate: the same canonical URL stored through
 * another feed, or the same text under a new id or URL from the same feed or the same outlet on the
 * same host (one host can serve several outlets' feeds). Pure rules: the caller looks things up.
 */
import { hostOf } from './build-article.ts';

export type ItemNovelty = 'new' | 'changed' | 'unchanged' | 'duplicate';

/**
 * What a fetched item is, given what its own feed stored under its guid (`seen`) and a lookup of its
 * canonical URL among all stored articles (asked only for an item its feed has not stored).
 */
export function itemNovelty(
  seen: { itemFingerprint: string } | null | undefined,
  fingerprint: string,
  canonical: string | null,
  isStoredUrl: (canonical: string) => boolean,
): ItemNovelty {
  if (!seen) return canonical && isStoredUrl(canonical) ? 'duplicate' : 'new';
  return seen.itemFingerprint === fingerprint ? 'unchanged' : 'changed';
}

/** A stored article with the same content hash as a new one. */
export interface SameHashArticle {
  feedUrl: string;
  url: string | null;
  outlet: string;
}

/**
 * True when a new article repeats one already stored with the same text: from the same feed, or from
 * the same outlet on the same host.
 */
export function repeatsStoredText(
  sameHash: readonly SameHashArticle[],
  article: { feedUrl: string; url: string | null; outlet: string },
): boolean {
  const host = hostOf(article.url);
  return sameHash.some((a) => a.feedUrl === article.feedUrl || (host !== null && hostOf(a.url) === host && a.outlet === article.outlet));
}
