/**
 * @module The storage ports. The pipeline and commands depend on these interfaces only; `sqlite/`
 * implements them on node:sqlite (the embedded default), `postgres/` on PostgreSQL (several instances
 * on one database). They are synchronous: the PostgreSQL store blocks on a worker thread's answer.
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
  /**
   * Claims the feed for one poll by `holder` until `until`: granted when nobody holds it, the claim ran
   * out (its holder was killed), or `holder` holds it already. Several instances on one database poll
   * each feed once.
   */
  claim(url: string, holder: string, now: string, until: string): boolean;
  /** Gives the claim up (after the poll). */
  releaseClaim(url: string, holder: string): void;
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
  /** What `findByGuid` finds for each of these guids of one feed, by guid (one round trip on PostgreSQL). */
  findByGuids(feedUrl: string, guids: readonly string[]): Map<string, StoredArticle>;
  /** Which of these canonical URLs some stored article has (any feed). */
  storedCanonicalUrls(canonicalUrls: readonly string[]): Set<string>;
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
  /**
   * Articles not yet assigned to an event, in publication order (then id): the first `limit`, or
   * all; those after `after` (a position in that order), for reading a long backlog page by page.
   */
  listUnclustered(options?: { limit?: number; after?: { publishedAt: string; id: string } }): StoredArticle[];
  listByEvent(eventId: string): StoredArticle[];
  assignEvent(articleId: string, eventId: string): void;
  setCopyOf(articleId: string, copyOf: string | null): void;
  /** Many `assignEvent`s at once (one round trip on PostgreSQL). */
  assignEvents(assignments: ReadonlyArray<{ articleId: string; eventId: string }>): void;
  /** Many `setCopyOf`s at once. */
  setCopiesOf(copies: ReadonlyArray<{ articleId: string; copyOf: string | null }>): void;
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
  /** Many `save`s at once (one round trip on PostgreSQL). */
  saveMany(events: readonly StoredEvent[]): void;
  /** Events whose last article was published at or after `iso` (the clusterer's working set). */
  listActiveSince(iso: string): StoredEvent[];
  /** Events updated at or after `iso`, most recently updated first. */
  listUpdatedSince(iso: string, limit?: number): StoredEvent[];
  /** The most recent events by last publication. */
  listLatest(limit: number): StoredEvent[];
  loadTermStats(): { docs: number; df: Map<string, number> };
  /**
   * A reader's position in the stream of event updates (e.g. what `briefbot once` has printed
   * through): an ISO time, or null before the reader's first run.
   */
  getCursor(reader: string): string | null;
  setCursor(reader: string, iso: string): void;
  saveTermStats(docs: number, changed: ReadonlyMap<string, number>): void;
}

export type DeliveryState = 'pending' | 'posted' | 'failed';

/** One message briefbot means to post; recorded before posting so nothing is lost or posted twice. */
export interface Delivery {
  id: number;
  /** Idempotency key, unique: "<briefId>:parent", "<briefId>:event:2", … */
  key: string;
  briefId: string;
  platform: string;
  channelId: string;
  /** Order within the brief: a parent (0) is posted before its thread replies. */
  seq: number;
  /** The delivery whose thread this one is posted into, if any. */
  parentKey: string | null;
  /** A known thread to post into (updates, sources replies), if any. */
  threadRef: string | null;
  /** Platform-neutral content as JSON (rendered by the platform adapter at post time). */
  content: string;
  eventIds: string[];
  state: DeliveryState;
  /** Attempts started; a pending delivery with attempts > 0 may have been posted before a crash. */
  attempts: number;
  nextAttemptAt: string;
  lastError: string | null;
  messageRef: string | null;
  postedThreadRef: string | null;
  createdAt: string;
  postedAt: string | null;
  /** When the last attempt started. */
  lastAttemptAt: string | null;
  /** An attempt's outcome is unknown: it may have been posted (crash, timeout, 5xx). Cleared only once posted. */
  inDoubt: boolean;
  /** When the first attempt of unknown outcome started: a search for what it posted starts there. */
  doubtSince: string | null;
}

export interface NewDelivery {
  key: string;
  seq: number;
  parentKey: string | null;
  threadRef: string | null;
  content: string;
  eventIds: string[];
}

/** An event's place in a channel: the thread that carries it and what it last showed. */
export interface EventPost {
  platform: string;
  channelId: string;
  eventId: string;
  threadRef: string;
  messageRef: string;
  briefId: string;
  position: number;
  shownArticles: string[];
  shownPoints: string[];
  postedAt: string;
  /** When the thread last got this event's news (its post, or its last update). */
  updatedAt: string;
  /** When the event was last checked for news for this thread. */
  checkedAt?: string | null;
  /** The kind of brief that put the event in this thread ("scheduled", "on_demand"), when known. */
  briefKind?: string;
}

/** A brief as recorded: its channel, its kind ("scheduled", "on_demand", …) and its content as JSON. */
export interface BriefRecord {
  id: string;
  platform: string;
  channelId: string;
  kind: string;
  createdAt: string;
  payload: string;
}

export interface DeliveryLedger {
  /** Records a brief and the deliveries that will post it, in one transaction. No-op if the brief id exists. */
  enqueueBrief(brief: BriefRecord, deliveries: readonly NewDelivery[]): boolean;
  /** Pending deliveries due at `now` (on one platform, if given), oldest brief first, in posting order. */
  listDue(now: string, limit?: number, platform?: string): Delivery[];
  get(key: string): Delivery | null;
  listByBrief(briefId: string): Delivery[];
  /**
   * Claims the delivery for an attempt (before the platform call): only if it is still pending with
   * `attempts` attempts, so two runs (or two processes) never post it both. Returns whether it was claimed.
   * With `claimUntil`, the delivery is not due again before then: another instance takes it over (in
   * doubt) only once the claim has run out, and the deliveries after it in its brief wait for it.
   */
  markAttempt(key: string, now: string, attempts: number, claimUntil?: string): boolean;
  /**
   * Keeps a claimed attempt's hold (`markAttempt` with `claimUntil`) while the platform call runs: only while
   * the delivery is still pending with `attempts` attempts (this attempt's). False when it is not.
   */
  extendClaim(key: string, attempts: number, until: string): boolean;
  markPosted(key: string, refs: { messageRef: string; threadRef: string }, now: string): void;
  /**
   * Another attempt later. `inDoubt` when this or an earlier attempt may have posted: once in doubt, a
   * delivery stays in doubt (from the first such attempt) until it is posted.
   */
  reschedule(key: string, nextAttemptAt: string, error: string, inDoubt: boolean): void;
  /** Gives up on a delivery, and on the thread replies that would have followed it. */
  markFailed(key: string, error: string): void;
  countPending(): number;
  countFailed(): number;
  getBrief(id: string): BriefRecord | null;
  upsertEventPost(post: EventPost): void;
  /** The latest thread that carries the event in a channel, if any. */
  getEventPost(platform: string, channelId: string, eventId: string): EventPost | null;
  /** Events carried by a thread (a brief's thread holds several), in brief order. */
  eventsInThread(platform: string, channelId: string, threadRef: string): EventPost[];
  /** Every thread carrying any of these events, with the kind of brief that put it there. */
  postsForEvents(eventIds: readonly string[]): EventPost[];
  /** Events whose news a thread has not been checked for since the event last changed. */
  eventsBehind(limit?: number): string[];
  /** Records that a thread was checked for an event's news (with or without an update). */
  markChecked(post: Pick<EventPost, 'platform' | 'channelId' | 'eventId' | 'threadRef'>, now: string): void;
  /** Events waiting in not-yet-posted deliveries to a channel (a brief planned before a restart, say). */
  queuedEventIds(platform: string, channelId: string): Set<string>;
  lastBriefAt(platform: string, channelId: string): string | null;
  setLastBriefAt(platform: string, channelId: string, iso: string): void;
}

/** Who holds a lease: a process, on a host. */
export interface LeaseHolder {
  /** Unique per process run. */
  id: string;
  pid: number;
  host: string;
}

/**
 * Work only one process at a time may do on a database (the bot's polling and posting; clustering),
 * held for a while and renewed, so a killed holder's lease runs out by itself.
 */
export interface LeaseStore {
  /**
   * Takes or renews the lease `name` for `ttlMs` from `now`: granted when it is free, expired, already
   * this holder's, or held by a process on this host that no longer runs (`isAlive(pid)` false).
   * Otherwise the current holder, with since when it holds it.
   */
  acquire(
    name: string,
    holder: LeaseHolder,
    ttlMs: number,
    now: Date,
    isAlive?: (pid: number) => boolean,
  ): { granted: true } | { granted: false; holder: LeaseHolder; since: string; expiresAt: string };
  release(name: string, holderId: string): void;
}

/** The whole store, as the composition root builds it. */
export interface Store {
  /**
   * Several bot instances may run on it at once, sharing the work (PostgreSQL). When false (SQLite), one
   * bot holds the database and a second one refuses to start.
   */
  readonly multiInstance: boolean;
  /** What it is, for logs: "SQLite ./data/briefbot.db", "PostgreSQL postgres://db:5432/briefbot". */
  readonly description: string;
  feeds: FeedStateStore;
  articles: ArticleStore;
  events: EventStore;
  deliveries: DeliveryLedger;
  leases: LeaseStore;
  /** Runs `fn` in one transaction (all or nothing). */
  transaction<T>(fn: () => T): T;
  /** An error from the store in words an operator can act on: its message, with the cause and fix when known. */
  explainError(err: unknown): string;
  close(): void;
}
