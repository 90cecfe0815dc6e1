/**
 * @module The storage ports. The pipeline and commands depend on these interfaces only; `sqlite/`
 * implements them on node:sqlite (a PostgreSQL implementation can follow without touching the core).
 */
import type { Article } from '../core/types.ts';

export type FeedStatus = 'new' | 'ok' | 'failing' | 'unhealthy';

/** What briefbot remembers about polling one feed. */
export interface FeedState {
  url: string;
  title: string | null;
  etag: string | null;
  lastModified: string | null;
  lastPolledAt: string | null;
  lastSuccessAt: string | null;
  lastError: string | null;
  lastErrorCode: string | null;
  lastErrorAt: string | null;
  consecutiveFailures: number;
  nextPollAt: string | null;
  status: FeedStatus;
  /** Repairs made on the last successful parse (bad dates, bare ampersands, …). */
  lastWarnings: string[];
}

export interface FeedHealth extends FeedState {
  articleCount: number;
}

export interface FeedStateStore {
  get(url: string): FeedState | null;
  save(state: FeedState): void;
  /** Every known feed with its stored article count, in URL order. */
  listHealth(): FeedHealth[];
}

/** A stored article plus the bookkeeping ingestion needs. */
export interface StoredArticle extends Article {
  /** Hash of the feed item as the feed described it: a change means the item was updated. */
  itemFingerprint: string;
  canonicalUrl: string | null;
  /** The page could not be fetched yet: the text is the feed's teaser and a later poll retries. */
  needsFullText: boolean;
  fullTextAttempts: number;
}

export interface ArticleStore {
  findByGuid(feedUrl: string, guid: string): StoredArticle | null;
  findByCanonicalUrl(canonicalUrl: string): StoredArticle | null;
  /** Articles with this content hash (any feed); the caller decides whether they are the same item. */
  findByContentHash(contentHash: string): StoredArticle[];
  get(id: string): StoredArticle | null;
  getMany(ids: readonly string[]): StoredArticle[];
  insert(article: StoredArticle): void;
  update(article: StoredArticle): void;
  /** Articles first seen or updated at or after `iso`, oldest first. */
  listChangedSince(iso: string): StoredArticle[];
  /** Articles whose page fetch failed and should be retried, for one feed. */
  listNeedingFullText(feedUrl: string, maxAttempts: number): StoredArticle[];
  count(): number;
}

/** The whole store, as the composition root builds it. */
export interface Store {
  feeds: FeedStateStore;
  articles: ArticleStore;
  /** Runs `fn` in one transaction (all or nothing). */
  transaction<T>(fn: () => T): T;
  close(): void;
}
