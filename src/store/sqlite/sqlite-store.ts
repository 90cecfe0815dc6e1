/**
 * @module node:sqlite implementation of the store ports: one file, WAL, migrations at open.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync, type SQLInputValue } from 'node:sqlite';
import { BriefbotError } from '../../shared/errors.ts';
import type { ArticleStore, EventStore, FeedHealth, FeedStateStore, LeaseStore, Store, StoredArticle, StoredEvent } from '../ports.ts';
import { articleFromRow, eventFromRow, feedFromRow, leaseFromRow, leaseIsFree, type Row } from '../rows.ts';
import { MIGRATIONS, migrate } from './migrations.ts';
import { createSqliteDeliveryLedger } from './sqlite-ledger.ts';

export function openSqliteDatabase(path: string): DatabaseSync {
  try {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    const db = new DatabaseSync(path);
    db.exec('PRAGMA busy_timeout = 5000');
    // Several processes opening a fresh file at once: switching it to WAL can report "locked" without
    // waiting (SQLite's deadlock avoidance), so it is retried for a few seconds.
    if (path !== ':memory:') retryWhileLocked(() => db.exec('PRAGMA journal_mode = WAL'));
    db.exec('PRAGMA synchronous = NORMAL');
    db.exec('PRAGMA foreign_keys = ON');
    const known = Math.max(...MIGRATIONS.map((m) => m.version));
    const newest = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get()
      ? ((db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number | null }).v ?? 0)
      : 0;
    if (newest > known) {
      db.close();
      throw new BriefbotError(
        'store_unusable',
        `database ${path} has schema version ${newest}, newer than this briefbot knows (${known}); upgrade briefbot`,
      );
    }
    migrate(db);
    return db;
  } catch (err) {
    if (err instanceof BriefbotError) throw err;
    throw new BriefbotError('store_unusable', `cannot open database ${path}: ${(err as Error).message}${storeHint(err, path)}`, {
      cause: err,
    });
  }
}

function retryWhileLocked(fn: () => void, forMs = 5_000): void {
  const deadline = Date.now() + forMs;
  for (;;) {
    try {
      fn();
      return;
    } catch (err) {
      const locked = (err as { errcode?: number }).errcode === 5 || /database is locked/i.test((err as Error).message);
      if (!locked || Date.now() >= deadline) throw err;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 25 + Math.random() * 25);
    }
  }
}

/** What an operator can do about a database error, in a sentence ("" when there is nothing to add). */
export function storeHint(err: unknown, path: string): string {
  const e = err as { code?: string; errcode?: number; message?: string };
  const message = e.message ?? String(err);
  const where = path === ':memory:' ? 'the database' : `${path}`;
  if (e.code === 'ENOTDIR' || e.code === 'EEXIST' || /not a directory|file already exists, mkdir/i.test(message))
    return ` — a file is where a folder of the path should be: move it, or set store.path (BRIEFBOT_DB) elsewhere`;
  if (e.code === 'EROFS' || /read-?only/i.test(message))
    return ` — the file system or the file is read-only: make ${where} writable, or set store.path (BRIEFBOT_DB) to a writable place`;
  if (e.code === 'EACCES' || e.code === 'EPERM' || /permission denied|access denied/i.test(message))
    return ` — permission denied: let this user write ${where} and its folder, or set store.path (BRIEFBOT_DB) elsewhere`;
  if (e.errcode === 13 || /disk is full|SQLITE_FULL|no space left/i.test(message))
    return ` — the disk is full: free space where ${where} lives (briefbot retries and loses nothing meanwhile)`;
  if (/file is not a database|file is encrypted|malformed/i.test(message))
    return ` — ${where} is not a briefbot database (or is damaged): restore it from a backup, or point store.path elsewhere`;
  if (/database is locked|SQLITE_BUSY/i.test(message)) return ' — another process holds the database: briefbot retries';
  return '';
}

export interface SqliteStoreOptions {
  /** Largest the database may grow, in bytes (0 or absent: the disk's limit). */
  maxSize?: number;
}

export function createSqliteStore(path: string, options: SqliteStoreOptions = {}): Store {
  const db = openSqliteDatabase(path);
  if (options.maxSize) {
    const pageSize = Number((db.prepare('PRAGMA page_size').get() as { page_size: number }).page_size);
    db.exec(`PRAGMA max_page_count = ${Math.max(1, Math.ceil(options.maxSize / pageSize))}`);
  }
  let depth = 0;
  const transaction = <T>(fn: () => T): T => {
    if (depth > 0) return fn();
    depth++;
    db.exec('BEGIN IMMEDIATE');
    try {
      const out = fn();
      db.exec('COMMIT');
      return out;
    } catch (err) {
      // SQLite rolls back by itself on some errors (a full disk): rolling back again would hide the cause
      // behind "cannot rollback - no transaction is active".
      if (db.isTransaction) {
        try {
          db.exec('ROLLBACK');
        } catch {
          // the original error says what went wrong
        }
      }
      const hint = storeHint(err, path);
      throw hint && !(err instanceof BriefbotError)
        ? new BriefbotError('store_unusable', `${(err as Error).message}${hint}`, { cause: err })
        : err;
    } finally {
      depth--;
    }
  };
  return {
    multiInstance: false,
    description: `SQLite ${path}`,
    feeds: createSqliteFeedStateStore(db),
    articles: createSqliteArticleStore(db),
    events: createSqliteEventStore(db),
    deliveries: createSqliteDeliveryLedger(db, transaction),
    leases: createSqliteLeaseStore(db, transaction),
    transaction,
    explainError(err) {
      const message = err instanceof Error ? err.message : String(err);
      const hint = storeHint(err, path);
      return hint && !message.includes(hint.trim()) ? `${message}${hint}` : message;
    },
    close() {
      if (db.isOpen) db.close();
    },
  };
}

export function createSqliteFeedStateStore(db: DatabaseSync): FeedStateStore {
  const getStmt = db.prepare('SELECT * FROM feeds WHERE url = ?');
  const saveStmt = db.prepare(`
    INSERT INTO feeds (url, title, etag, last_modified, last_polled_at, last_success_at, last_error, last_error_code,
      last_error_at, consecutive_failures, next_poll_at, status, last_warnings)
    VALUES ($url, $title, $etag, $lastModified, $lastPolledAt, $lastSuccessAt, $lastError, $lastErrorCode,
      $lastErrorAt, $consecutiveFailures, $nextPollAt, $status, $lastWarnings)
    ON CONFLICT(url) DO UPDATE SET title = excluded.title, etag = excluded.etag, last_modified = excluded.last_modified,
      last_polled_at = excluded.last_polled_at, last_success_at = excluded.last_success_at,
      last_error = excluded.last_error, last_error_code = excluded.last_error_code, last_error_at = excluded.last_error_at,
      consecutive_failures = excluded.consecutive_failures, next_poll_at = excluded.next_poll_at,
      status = excluded.status, last_warnings = excluded.last_warnings`);
  const claimStmt = db.prepare(`
    INSERT INTO feed_claims (url, holder, until) VALUES ($url, $holder, $until)
    ON CONFLICT(url) DO UPDATE SET holder = excluded.holder, until = excluded.until
    WHERE feed_claims.until <= $now OR feed_claims.holder = excluded.holder`);
  const releaseStmt = db.prepare('DELETE FROM feed_claims WHERE url = ? AND holder = ?');
  const healthStmt = db.prepare(`
    SELECT f.*, (SELECT COUNT(*) FROM articles a WHERE a.feed_url = f.url) AS article_count
    FROM feeds f ORDER BY f.url`);
  return {
    get(url) {
      const r = getStmt.get(url) as Row | undefined;
      return r ? feedFromRow(r) : null;
    },
    save(s) {
      saveStmt.run({
        url: s.url,
        title: s.title,
        etag: s.etag,
        lastModified: s.lastModified,
        lastPolledAt: s.lastPolledAt,
        lastSuccessAt: s.lastSuccessAt,
        lastError: s.lastError,
        lastErrorCode: s.lastErrorCode,
        lastErrorAt: s.lastErrorAt,
        consecutiveFailures: s.consecutiveFailures,
        nextPollAt: s.nextPollAt,
        status: s.status,
        lastWarnings: JSON.stringify(s.lastWarnings),
      });
    },
    listHealth(): FeedHealth[] {
      return (healthStmt.all() as Row[]).map((r) => ({ ...feedFromRow(r), articleCount: Number(r.article_count ?? 0) }));
    },
    claim: (url, holder, now, until) => Number(claimStmt.run({ url, holder, now, until }).changes) === 1,
    releaseClaim(url, holder) {
      releaseStmt.run(url, holder);
    },
  };
}

function articleParams(a: StoredArticle): Record<string, SQLInputValue> {
  return {
    id: a.id,
    feedUrl: a.feedUrl,
    guid: a.guid,
    url: a.url,
    canonicalUrl: a.canonicalUrl,
    title: a.title,
    outlet: a.outlet,
    author: a.author,
    publishedAt: a.publishedAt,
    firstSeenAt: a.firstSeenAt,
    updatedAt: a.updatedAt,
    summary: a.summary,
    text: a.text,
    textSource: a.textSource,
    contentHash: a.contentHash,
    itemFingerprint: a.itemFingerprint,
    needsFullText: a.needsFullText ? 1 : 0,
    fullTextAttempts: a.fullTextAttempts,
    eventId: a.eventId,
    copyOf: a.copyOf,
  };
}

export function createSqliteArticleStore(db: DatabaseSync): ArticleStore {
  const byGuid = db.prepare('SELECT * FROM articles WHERE feed_url = ? AND guid = ?');
  const byUrl = db.prepare('SELECT * FROM articles WHERE canonical_url = ? ORDER BY first_seen_at LIMIT 1');
  const byHash = db.prepare('SELECT * FROM articles WHERE content_hash = ? ORDER BY first_seen_at');
  const byId = db.prepare('SELECT * FROM articles WHERE id = ?');
  const insertStmt = db.prepare(`
    INSERT INTO articles (id, feed_url, guid, url, canonical_url, title, outlet, author, published_at, first_seen_at,
      updated_at, summary, text, text_source, content_hash, item_fingerprint, needs_full_text, full_text_attempts, event_id, copy_of)
    VALUES ($id, $feedUrl, $guid, $url, $canonicalUrl, $title, $outlet, $author, $publishedAt, $firstSeenAt,
      $updatedAt, $summary, $text, $textSource, $contentHash, $itemFingerprint, $needsFullText, $fullTextAttempts, $eventId, $copyOf)`);
  const updateStmt = db.prepare(`
    UPDATE articles SET feed_url = $feedUrl, guid = $guid, url = $url, canonical_url = $canonicalUrl, title = $title,
      outlet = $outlet, author = $author, published_at = $publishedAt, first_seen_at = $firstSeenAt,
      updated_at = $updatedAt, summary = $summary, text = $text, text_source = $textSource,
      content_hash = $contentHash, item_fingerprint = $itemFingerprint, needs_full_text = $needsFullText,
      full_text_attempts = $fullTextAttempts, event_id = $eventId, copy_of = $copyOf
    WHERE id = $id`);
  const rowidOf = db.prepare('SELECT rowid AS r FROM articles WHERE id = ?');
  const ftsDelete = db.prepare('DELETE FROM articles_fts WHERE rowid = ?');
  const ftsInsert = db.prepare('INSERT INTO articles_fts (rowid, title, lead) VALUES (?, ?, ?)');
  const index = (a: StoredArticle) => {
    const row = rowidOf.get(a.id) as { r: number } | undefined;
    if (!row) return;
    ftsDelete.run(row.r);
    ftsInsert.run(row.r, a.title, a.text.slice(0, 800) || a.summary);
  };
  // The partial index on the unclustered articles, read from the cursor on: without INDEXED BY the planner
  // takes the event_id index and sorts every unclustered article for each page (a long backlog goes quadratic).
  const unclustered = db.prepare(`
    SELECT * FROM articles INDEXED BY articles_unclustered
    WHERE event_id IS NULL AND (published_at, id) > ($at, $id)
    ORDER BY published_at, id LIMIT $limit`);
  const byEvent = db.prepare('SELECT * FROM articles WHERE event_id = ? ORDER BY published_at, id');
  const assignStmt = db.prepare('UPDATE articles SET event_id = ? WHERE id = ?');
  const copyStmt = db.prepare('UPDATE articles SET copy_of = ? WHERE id = ?');
  const searchStmt = db.prepare(`
    SELECT a.id AS id, a.event_id AS event_id, -bm25(articles_fts, 3.0, 1.0) AS score
    FROM articles_fts f JOIN articles a ON a.rowid = f.rowid
    WHERE articles_fts MATCH ? ORDER BY score DESC LIMIT ?`);
  const changedSince = db.prepare('SELECT * FROM articles WHERE updated_at >= ? ORDER BY published_at, id');
  const needingText = db.prepare(
    'SELECT * FROM articles WHERE feed_url = ? AND needs_full_text = 1 AND full_text_attempts < ? ORDER BY first_seen_at',
  );
  const countStmt = db.prepare('SELECT COUNT(*) AS n FROM articles');
  return {
    findByGuid: (feedUrl, guid) => {
      const r = byGuid.get(feedUrl, guid) as Row | undefined;
      return r ? articleFromRow(r) : null;
    },
    findByCanonicalUrl: (u) => {
      const r = byUrl.get(u) as Row | undefined;
      return r ? articleFromRow(r) : null;
    },
    findByGuids(feedUrl, guids) {
      const found = new Map<string, StoredArticle>();
      for (const guid of new Set(guids)) {
        const r = byGuid.get(feedUrl, guid) as Row | undefined;
        if (r) found.set(guid, articleFromRow(r));
      }
      return found;
    },
    storedCanonicalUrls(urls) {
      const stored = new Set<string>();
      for (const u of new Set(urls)) if (byUrl.get(u)) stored.add(u);
      return stored;
    },
    findByContentHash: (h) => (byHash.all(h) as Row[]).map(articleFromRow),
    get: (id) => {
      const r = byId.get(id) as Row | undefined;
      return r ? articleFromRow(r) : null;
    },
    getMany: (ids) => {
      const out: StoredArticle[] = [];
      for (const id of ids) {
        const r = byId.get(id) as Row | undefined;
        if (r) out.push(articleFromRow(r));
      }
      return out;
    },
    insert: (a) => {
      insertStmt.run(articleParams(a));
      index(a);
    },
    update: (a) => {
      updateStmt.run(articleParams(a));
      index(a);
    },
    listChangedSince: (iso) => (changedSince.all(iso) as Row[]).map(articleFromRow),
    listNeedingFullText: (feedUrl, max) => (needingText.all(feedUrl, max) as Row[]).map(articleFromRow),
    count: () => Number((countStmt.get() as { n: number }).n),
    listUnclustered: (options = {}) =>
      (
        unclustered.all({
          at: options.after?.publishedAt ?? '',
          id: options.after?.id ?? '',
          limit: options.limit ?? -1,
        }) as Row[]
      ).map(articleFromRow),
    listByEvent: (eventId) => (byEvent.all(eventId) as Row[]).map(articleFromRow),
    assignEvent: (articleId, eventId) => {
      assignStmt.run(eventId, articleId);
    },
    setCopyOf: (articleId, copyOf) => {
      copyStmt.run(copyOf, articleId);
    },
    assignEvents(assignments) {
      for (const x of assignments) assignStmt.run(x.eventId, x.articleId);
    },
    setCopiesOf(copies) {
      for (const x of copies) copyStmt.run(x.copyOf, x.articleId);
    },
    search: (query, limit) => {
      const match = toFtsQuery(query);
      if (!match) return [];
      return (searchStmt.all(match, limit) as Row[]).map((r) => ({
        id: r.id as string,
        eventId: (r.event_id as string | null) ?? null,
        score: Number(r.score),
      }));
    },
  };
}

/** User text to an FTS5 query: each word as a prefix term, OR-ed (bm25 ranks documents with more). */
export function toFtsQuery(query: string): string {
  const words = query
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length >= 2)
    .slice(0, 12);
  return words.map((w) => `"${w}"*`).join(' OR ');
}

export function createSqliteEventStore(db: DatabaseSync): EventStore {
  const getStmt = db.prepare('SELECT * FROM events WHERE id = ?');
  const saveStmt = db.prepare(`
    INSERT INTO events (id, title, related_to, created_at, updated_at, first_published_at, last_published_at, article_count,
      independent_count, state)
    VALUES ($id, $title, $relatedTo, $createdAt, $updatedAt, $firstPublishedAt, $lastPublishedAt, $articleCount, $independentCount, $state)
    ON CONFLICT(id) DO UPDATE SET title = excluded.title, related_to = excluded.related_to, updated_at = excluded.updated_at,
      first_published_at = excluded.first_published_at, last_published_at = excluded.last_published_at,
      article_count = excluded.article_count, independent_count = excluded.independent_count, state = excluded.state`);
  const activeStmt = db.prepare('SELECT * FROM events WHERE last_published_at >= ? ORDER BY last_published_at');
  const updatedStmt = db.prepare('SELECT * FROM events WHERE updated_at >= ? ORDER BY updated_at DESC, id LIMIT ?');
  const latestStmt = db.prepare('SELECT * FROM events ORDER BY last_published_at DESC, id LIMIT ?');
  const termsStmt = db.prepare('SELECT term, df FROM term_stats');
  const saveTerm = db.prepare('INSERT INTO term_stats (term, df) VALUES (?, ?) ON CONFLICT(term) DO UPDATE SET df = excluded.df');
  const saveMeta = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value');
  const getMeta = db.prepare('SELECT value FROM meta WHERE key = ?');
  const saveEvent = (e: StoredEvent) => {
    saveStmt.run({
      id: e.id,
      title: e.title,
      relatedTo: e.relatedTo,
      createdAt: e.createdAt,
      updatedAt: e.updatedAt,
      firstPublishedAt: e.firstPublishedAt,
      lastPublishedAt: e.lastPublishedAt,
      articleCount: e.articleCount,
      independentCount: e.independentCount,
      state: e.state,
    });
  };
  return {
    get(id) {
      const r = getStmt.get(id) as Row | undefined;
      return r ? eventFromRow(r) : null;
    },
    getMany(ids) {
      const out: StoredEvent[] = [];
      for (const id of ids) {
        const r = getStmt.get(id) as Row | undefined;
        if (r) out.push(eventFromRow(r));
      }
      return out;
    },
    save: saveEvent,
    saveMany(events) {
      for (const e of events) saveEvent(e);
    },
    listActiveSince: (iso) => (activeStmt.all(iso) as Row[]).map(eventFromRow),
    listUpdatedSince: (iso, limit = 1000) => (updatedStmt.all(iso, limit) as Row[]).map(eventFromRow),
    listLatest: (limit) => (latestStmt.all(limit) as Row[]).map(eventFromRow),
    loadTermStats() {
      const df = new Map<string, number>();
      for (const r of termsStmt.all() as Row[]) df.set(r.term as string, Number(r.df));
      const docs = Number((getMeta.get('term_docs') as Row | undefined)?.value ?? 0);
      return { docs, df };
    },
    saveTermStats(docs, changed) {
      for (const [term, df] of changed) saveTerm.run(term, df);
      saveMeta.run('term_docs', String(docs));
    },
    getCursor: (reader) => ((getMeta.get(`cursor:${reader}`) as Row | undefined)?.value as string | undefined) ?? null,
    setCursor(reader, iso) {
      saveMeta.run(`cursor:${reader}`, iso);
    },
  };
}

export function createSqliteLeaseStore(db: DatabaseSync, transaction: <T>(fn: () => T) => T): LeaseStore {
  const get = db.prepare('SELECT * FROM leases WHERE name = ?');
  const put = db.prepare(`
    INSERT INTO leases (name, holder, pid, host, acquired_at, expires_at) VALUES ($name, $holder, $pid, $host, $acquiredAt, $expiresAt)
    ON CONFLICT(name) DO UPDATE SET holder = excluded.holder, pid = excluded.pid, host = excluded.host,
      acquired_at = CASE WHEN leases.holder = excluded.holder THEN leases.acquired_at ELSE excluded.acquired_at END,
      expires_at = excluded.expires_at`);
  const del = db.prepare('DELETE FROM leases WHERE name = ? AND holder = ?');
  return {
    acquire(name, holder, ttlMs, now, isAlive = () => true) {
      // One write transaction: two processes asking at once get one answer each, never both the lease.
      return transaction(() => {
        const row = get.get(name) as Row | undefined;
        const current = row ? leaseFromRow(row) : null;
        if (!leaseIsFree(current, holder, now, isAlive) && current) return { granted: false as const, ...current };
        put.run({
          name,
          holder: holder.id,
          pid: holder.pid,
          host: holder.host,
          acquiredAt: now.toISOString(),
          expiresAt: new Date(now.getTime() + ttlMs).toISOString(),
        });
        return { granted: true as const };
      });
    },
    release(name, holderId) {
      del.run(name, holderId);
    },
  };
}
