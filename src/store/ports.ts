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
  /** Set when this article is a near-copy (wire copy, rewrite) of another article in its event. */
  copyOf: string | null;
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
  /** Articles not yet assigned to an event, oldest first. */
  listUnclustered(): StoredArticle[];
  listByEvent(eventId: string): StoredArticle[];
  assignEvent(articleId: string, eventId: string): void;
  setCopyOf(articleId: string, copyOf: string | null): void;
  /** Full-text search over titles and leads; ids with a relevance score (higher is better). */
  search(query: string, limit: number): Array<{ id: string; eventId: string | null; score: number }>;
}

/** An event cluster as stored. `state` is the clusterer's own serialised state, opaque to the store. */
export interface StoredEvent {
  id: string;
  title: string;
  relatedTo: string | null;
  createdAt: string;
  /** When an article last joined (or changed in) the event. */
  updatedAt: string;
  firstPublishedAt: string;
  lastPublishedAt: string;
  articleCount: number;
  independentCount: number;
  state: string;
}

export interface EventStore {
  get(id: string): StoredEvent | null;
  getMany(ids: readonly string[]): StoredEvent[];
  save(event: StoredEvent): void;
  /** Events whose last article was published at or after `iso` (the clusterer's working set). */
  listActiveSince(iso: string): StoredEvent[];
  /** Events updated at or after `iso`, most recently updated first. */
  listUpdatedSince(iso: string, limit?: number): StoredEvent[];
  /** The most recent events by last publication. */
  listLatest(limit: number): StoredEvent[];
  loadTermStats(): { docs: number; df: Map<string, number> };
  saveTermStats(docs: number, changed: ReadonlyMap<string, number>): void;
}

/** The whole store, as the composition root builds it. */
export interface Store {
  feeds: FeedStateStore;
  articles: ArticleStore;
  events: EventStore;
  /** Runs `fn` in one transaction (all or nothing). */
  transaction<T>(fn: () => T): T;
  close(): void;
}
