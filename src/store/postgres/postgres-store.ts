/**
 * @module PostgreSQL implementation of the store ports, for several briefbot instances on one database:
 * the same tables as SQLite's (migrations.ts), PostgreSQL's text search for `/brief`, leases taken under a
 * transaction-scoped advisory lock, and feed claims that run out by themselves. Synchronous like the
 * ports: each call blocks on the connection's worker thread (sync-client.ts).
 */
import { BriefbotError } from '../../shared/errors.ts';
import type { ArticleStore, EventStore, FeedHealth, FeedStateStore, LeaseStore, Store, StoredArticle, StoredEvent } from '../ports.ts';
import { articleFromRow, eventFromRow, feedFromRow, leaseFromRow, leaseIsFree } from '../rows.ts';
import { migratePostgres, PG_MIGRATIONS, schemaVersion } from './migrations.ts';
import { createPostgresDeliveryLedger } from './postgres-ledger.ts';
import { connectSyncPg, PostgresError, type SyncPgClient, type SyncPgOptions } from './sync-client.ts';

/** The URL without its password, for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    // libpq also takes the password as a parameter (?password=…).
    for (const key of [...u.searchParams.keys()]) if (/pass/i.test(key)) u.searchParams.set(key, '***');
    return u.toString();
  } catch {
    return 'postgres://…';
  }
}

/** What an operator can do about a PostgreSQL error, in a sentence ("" when there is nothing to add). */
export function postgresHint(err: unknown, url: string): string {
  const e = err as { sqlState?: string; message?: string };
  const message = e.message ?? String(err);
  const where = redactUrl(url);
  if (/ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|timeout expired|cannot connect/i.test(message))
    return ` — is PostgreSQL running and reachable at ${where}? briefbot retries and loses nothing meanwhile`;
  if (e.sqlState === '28P01' || e.sqlState === '28000') return ` — PostgreSQL refused the credentials in DATABASE_URL (${where})`;
  if (e.sqlState === '3D000') return ` — the database in DATABASE_URL does not exist: create it (createdb) or fix the URL`;
  if (e.sqlState === '53100') return ' — the PostgreSQL server is out of disk space (briefbot retries and loses nothing meanwhile)';
  if (e.sqlState === '57014') return ' — a statement ran past its time limit';
  return '';
}

export function createPostgresStore(url: string, options: SyncPgOptions = {}): Store {
  const db = connectSyncPg(url, options);
  try {
    const newest = schemaVersion(db);
    const known = Math.max(...PG_MIGRATIONS.map((m) => m.version));
    if (newest > known) {
      throw new BriefbotError(
        'store_unusable',
        `database ${redactUrl(url)} has schema version ${newest}, newer than this briefbot knows (${known}); upgrade briefbot`,
      );
    }
    migratePostgres(db);
  } catch (err) {
    db.close();
    if (err instanceof BriefbotError && !(err instanceof PostgresError)) throw err;
    throw new BriefbotError(
      'store_unusable',
      `cannot open database ${redactUrl(url)}: ${(err as Error).message}${postgresHint(err, url)}`,
      {
        cause: err,
      },
    );
  }
  let depth = 0;
  const transaction = <T>(fn: () => T): T => {
    if (depth > 0) return fn();
    depth++;
    try {
      db.begin();
      const out = fn();
      db.commit();
      return out;
    } catch (err) {
      try {
        db.rollback();
      } catch {
        // the original error says what went wrong
      }
      const hint = postgresHint(err, url);
      throw hint && !(err as Error).message?.includes(hint.trim())
        ? new BriefbotError('store_unusable', `${(err as Error).message}${hint}`, { cause: err })
        : err;
    } finally {
      depth--;
    }
  };
  return {
    multiInstance: true,
    description: `PostgreSQL ${redactUrl(url)}`,
    feeds: createPostgresFeedStateStore(db),
    articles: createPostgresArticleStore(db),
    events: createPostgresEventStore(db),
    deliveries: createPostgresDeliveryLedger(db, transaction),
    leases: createPostgresLeaseStore(db, transaction),
    transaction,
    explainError(err) {
      const message = err instanceof Error ? err.message : String(err);
      const hint = postgresHint(err, url);
      return hint && !message.includes(hint.trim()) ? `${message}${hint}` : message;
    },
    close() {
      db.close();
    },
  };
}

function createPostgresFeedStateStore(db: SyncPgClient): FeedStateStore {
  return {
    get(url) {
      const r = db.query('SELECT * FROM feeds WHERE url = $1', [url]).rows[0];
      return r ? feedFromRow(r) : null;
    },
    save(s) {
      db.query(
        `INSERT INTO feeds (url, title, etag, last_modified, last_polled_at, last_success_at, last_error, last_error_code,
           last_error_at, consecutive_failures, next_poll_at, status, last_warnings)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
         ON CONFLICT (url) DO UPDATE SET title = excluded.title, etag = excluded.etag, last_modified = excluded.last_modified,
           last_polled_at = excluded.last_polled_at, last_success_at = excluded.last_success_at,
           last_error = excluded.last_error, last_error_code = excluded.last_error_code, last_error_at = excluded.last_error_at,
           consecutive_failures = excluded.consecutive_failures, next_poll_at = excluded.next_poll_at,
           status = excluded.status, last_warnings = excluded.last_warnings`,
        [
          s.url,
          s.title,
          s.etag,
          s.lastModified,
          s.lastPolledAt,
          s.lastSuccessAt,
          s.lastError,
          s.lastErrorCode,
          s.lastErrorAt,
          s.consecutiveFailures,
          s.nextPollAt,
          s.status,
          JSON.stringify(s.lastWarnings),
        ],
      );
    },
    listHealth(): FeedHealth[] {
      return db
        .query(`SELECT f.*, (SELECT COUNT(*) FROM articles a WHERE a.feed_url = f.url) AS article_count FROM feeds f ORDER BY f.url`)
        .rows.map((r) => ({ ...feedFromRow(r), articleCount: Number(r.article_count ?? 0) }));
    },
    claim(url, holder, now, until) {
      const r = db.query(
        `INSERT INTO feed_claims (url, holder, until) VALUES ($1, $2, $3)
         ON CONFLICT (url) DO UPDATE SET holder = excluded.holder, until = excluded.until
         WHERE feed_claims.until <= $4 OR feed_claims.holder = excluded.holder`,
        [url, holder, until, now],
      );
      return r.rowCount === 1;
    },
    releaseClaim(url, holder) {
      db.query('DELETE FROM feed_claims WHERE url = $1 AND holder = $2', [url, holder]);
    },
  };
}

const ARTICLE_COLUMNS =
  'id, feed_url, guid, url, canonical_url, title, outlet, author, published_at, first_seen_at, updated_at, summary, text, text_source, content_hash, item_fingerprint, needs_full_text, full_text_attempts, event_id, copy_of';

function articleValues(a: StoredArticle): unknown[] {
  return [
    a.id,
    a.feedUrl,
    a.guid,
    a.url,
    a.canonicalUrl,
    a.title,
    a.outlet,
    a.author,
    a.publishedAt,
    a.firstSeenAt,
    a.updatedAt,
    a.summary,
    a.text,
    a.textSource,
    a.contentHash,
    a.itemFingerprint,
    a.needsFullText ? 1 : 0,
    a.fullTextAttempts,
    a.eventId,
    a.copyOf,
  ];
}

/** A long list in pieces of a few thousand (one statement each). */
function chunks<T>(items: readonly T[], size = 5000): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Rows of these ids, in the order of `ids` (missing ones left out). */
function inOrder<T extends { id: string }>(ids: readonly string[], found: T[]): T[] {
  const byId = new Map(found.map((x) => [x.id, x]));
  return ids.flatMap((id) => {
    const x = byId.get(id);
    return x ? [x] : [];
  });
}

function createPostgresArticleStore(db: SyncPgClient): ArticleStore {
  const placeholders = ARTICLE_COLUMNS.split(', ')
    .map((_, i) => `$${i + 1}`)
    .join(', ');
  const assignments = ARTICLE_COLUMNS.split(', ')
    .slice(1)
    .map((c, i) => `${c} = $${i + 2}`)
    .join(', ');
  const one = (sql: string, params: unknown[]) => {
    const r = db.query(sql, params).rows[0];
    return r ? articleFromRow(r) : null;
  };
  const many = (sql: string, params: unknown[]) => db.query(sql, params).rows.map(articleFromRow);
  return {
    findByGuid: (feedUrl, guid) => one('SELECT * FROM articles WHERE feed_url = $1 AND guid = $2', [feedUrl, guid]),
    findByCanonicalUrl: (u) => one('SELECT * FROM articles WHERE canonical_url = $1 ORDER BY first_seen_at LIMIT 1', [u]),
    findByGuids(feedUrl, guids) {
      const found = new Map<string, StoredArticle>();
      for (const chunk of chunks([...new Set(guids)])) {
        for (const a of many('SELECT * FROM articles WHERE feed_url = $1 AND guid = ANY($2)', [feedUrl, chunk])) found.set(a.guid, a);
      }
      return found;
    },
    storedCanonicalUrls(urls) {
      const stored = new Set<string>();
      for (const chunk of chunks([...new Set(urls)])) {
        for (const r of db.query('SELECT DISTINCT canonical_url FROM articles WHERE canonical_url = ANY($1)', [chunk]).rows) {
          stored.add(r.canonical_url as string);
        }
      }
      return stored;
    },
    findByContentHash: (h) => many('SELECT * FROM articles WHERE content_hash = $1 ORDER BY first_seen_at', [h]),
    get: (id) => one('SELECT * FROM articles WHERE id = $1', [id]),
    getMany: (ids) => (ids.length === 0 ? [] : inOrder(ids, many('SELECT * FROM articles WHERE id = ANY($1)', [[...ids]]))),
    insert(a) {
      db.query(`INSERT INTO articles (${ARTICLE_COLUMNS}) VALUES (${placeholders})`, articleValues(a));
    },
    update(a) {
      db.query(`UPDATE articles SET ${assignments} WHERE id = $1`, articleValues(a));
    },
    listChangedSince: (iso) => many('SELECT * FROM articles WHERE updated_at >= $1 ORDER BY published_at, id', [iso]),
    listNeedingFullText: (feedUrl, max) =>
      many('SELECT * FROM articles WHERE feed_url = $1 AND needs_full_text = 1 AND full_text_attempts < $2 ORDER BY first_seen_at', [
        feedUrl,
        max,
      ]),
    count: () => Number(db.query('SELECT COUNT(*) AS n FROM articles').rows[0]?.n ?? 0),
    listUnclustered: (options = {}) =>
      many(
        `SELECT * FROM articles WHERE event_id IS NULL AND (published_at, id) > ($1, $2)
         ORDER BY published_at, id LIMIT $3`,
        [options.after?.publishedAt ?? '', options.after?.id ?? '', options.limit ?? null],
      ),
    listByEvent: (eventId) => many('SELECT * FROM articles WHERE event_id = $1 ORDER BY published_at, id', [eventId]),
    assignEvent(articleId, eventId) {
      db.query('UPDATE articles SET event_id = $1 WHERE id = $2', [eventId, articleId]);
    },
    setCopyOf(articleId, copyOf) {
      db.query('UPDATE articles SET copy_of = $1 WHERE id = $2', [copyOf, articleId]);
    },
    assignEvents(assignments) {
      for (const chunk of chunks(assignments)) {
        db.query('UPDATE articles a SET event_id = v.event_id FROM unnest($1::text[], $2::text[]) v(id, event_id) WHERE a.id = v.id', [
          chunk.map((x) => x.articleId),
          chunk.map((x) => x.eventId),
        ]);
      }
    },
    setCopiesOf(copies) {
      for (const chunk of chunks(copies)) {
        db.query('UPDATE articles a SET copy_of = v.copy_of FROM unnest($1::text[], $2::text[]) v(id, copy_of) WHERE a.id = v.id', [
          chunk.map((x) => x.articleId),
          chunk.map((x) => x.copyOf),
        ]);
      }
    },
    search(query, limit) {
      const tsquery = toTsQuery(query);
      if (!tsquery) return [];
      // Any word matches; an article with every word of the topic (a person's full name, a place and
      // what happened there) counts that match again, as the rarer combination it is.
      return db
        .query(
          `SELECT id, event_id, ts_rank(search, q) + CASE WHEN search @@ qa THEN ts_rank(search, qa) ELSE 0 END AS score
           FROM articles, to_tsquery('english', $1) q, to_tsquery('english', $3) qa
           WHERE search @@ q ORDER BY score DESC, id LIMIT $2`,
          [tsquery, limit, tsquery.replaceAll(' | ', ' & ')],
        )
        .rows.map((r) => ({ id: r.id as string, eventId: (r.event_id as string | null) ?? null, score: Number(r.score) }));
    },
  };
}

/** User text to a tsquery: each word as a prefix term, OR-ed (ts_rank ranks documents with more). */
export function toTsQuery(query: string): string {
  const words = query
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length >= 2)
    .slice(0, 12);
  return words.map((w) => `${w}:*`).join(' | ');
}

function createPostgresEventStore(db: SyncPgClient): EventStore {
  const many = (sql: string, params: unknown[]) => db.query(sql, params).rows.map(eventFromRow);
  /** Inserts or updates events, one statement for all of them. */
  const saveEvents = (events: readonly StoredEvent[]) => {
    if (events.length === 0) return;
    const column = <K extends keyof StoredEvent>(key: K) => events.map((e) => e[key]);
    db.query(
      `INSERT INTO events (id, title, related_to, created_at, updated_at, first_published_at, last_published_at, article_count,
         independent_count, state)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::int[], $9::int[], $10::text[])
       ON CONFLICT (id) DO UPDATE SET title = excluded.title, related_to = excluded.related_to, updated_at = excluded.updated_at,
         first_published_at = excluded.first_published_at, last_published_at = excluded.last_published_at,
         article_count = excluded.article_count, independent_count = excluded.independent_count, state = excluded.state`,
      [
        column('id'),
        column('title'),
        column('relatedTo'),
        column('createdAt'),
        column('updatedAt'),
        column('firstPublishedAt'),
        column('lastPublishedAt'),
        column('articleCount'),
        column('independentCount'),
        column('state'),
      ],
    );
  };
  const setMeta = (key: string, value: string) =>
    db.query('INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value', [key, value]);
  const getMeta = (key: string) => (db.query('SELECT value FROM meta WHERE key = $1', [key]).rows[0]?.value as string | undefined) ?? null;
  return {
    get(id) {
      const r = db.query('SELECT * FROM events WHERE id = $1', [id]).rows[0];
      return r ? eventFromRow(r) : null;
    },
    getMany: (ids): StoredEvent[] => (ids.length === 0 ? [] : inOrder(ids, many('SELECT * FROM events WHERE id = ANY($1)', [[...ids]]))),
    save: (e) => saveEvents([e]),
    saveMany: (events) => {
      for (const chunk of chunks(events)) saveEvents(chunk);
    },
    listActiveSince: (iso) => many('SELECT * FROM events WHERE last_published_at >= $1 ORDER BY last_published_at', [iso]),
    listUpdatedSince: (iso, limit = 1000) =>
      many('SELECT * FROM events WHERE updated_at >= $1 ORDER BY updated_at DESC, id LIMIT $2', [iso, limit]),
    listLatest: (limit) => many('SELECT * FROM events ORDER BY last_published_at DESC, id LIMIT $1', [limit]),
    loadTermStats() {
      const df = new Map<string, number>();
      for (const r of db.query('SELECT term, df FROM term_stats').rows) df.set(r.term as string, Number(r.df));
      return { docs: Number(getMeta('term_docs') ?? 0), df };
    },
    saveTermStats(docs, changed) {
      const terms = [...changed.keys()];
      // One statement per few thousand terms, not one per term.
      for (let i = 0; i < terms.length; i += 5000) {
        const chunk = terms.slice(i, i + 5000);
        db.query(
          `INSERT INTO term_stats (term, df) SELECT * FROM unnest($1::text[], $2::int[])
           ON CONFLICT (term) DO UPDATE SET df = excluded.df`,
          [chunk, chunk.map((t) => changed.get(t) ?? 0)],
        );
      }
      setMeta('term_docs', String(docs));
    },
    getCursor: (reader) => getMeta(`cursor:${reader}`),
    setCursor(reader, iso) {
      setMeta(`cursor:${reader}`, iso);
    },
  };
}

/** Any fixed key: the advisory lock under which leases are read and written. */
const LEASE_LOCK = 7_305_517_302;

function createPostgresLeaseStore(db: SyncPgClient, transaction: <T>(fn: () => T) => T): LeaseStore {
  return {
    acquire(name, holder, ttlMs, now, isAlive = () => true) {
      // Under a transaction-scoped advisory lock: two instances asking at once get one answer each.
      return transaction(() => {
        db.query('SELECT pg_advisory_xact_lock($1)', [LEASE_LOCK]);
        const row = db.query('SELECT * FROM leases WHERE name = $1', [name]).rows[0];
        const current = row ? leaseFromRow(row) : null;
        if (!leaseIsFree(current, holder, now, isAlive) && current) return { granted: false as const, ...current };
        db.query(
          `INSERT INTO leases (name, holder, pid, host, acquired_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, pid = excluded.pid, host = excluded.host,
             acquired_at = CASE WHEN leases.holder = excluded.holder THEN leases.acquired_at ELSE excluded.acquired_at END,
             expires_at = excluded.expires_at`,
          [name, holder.id, holder.pid, holder.host, now.toISOString(), new Date(now.getTime() + ttlMs).toISOString()],
        );
        return { granted: true as const };
      });
    },
    release(name, holderId) {
      db.query('DELETE FROM leases WHERE name = $1 AND holder = $2', [name, holderId]);
    },
  };
}
