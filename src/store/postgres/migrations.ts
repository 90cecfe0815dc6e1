/**
 * @module Versioned schema migrations for the PostgreSQL store: the same tables and columns as SQLite's
 * (ISO times as text, JSON lists as text, flags as 0/1, so one row mapping serves both; text compared
 * byte by byte, `COLLATE "C"`, as SQLite compares it, whatever the server's locale), with
 * PostgreSQL's own full-text search (a generated tsvector and a GIN index) in place of FTS5. They run
 * at open, all pending ones in one transaction under an advisory lock, so several instances starting
 * at once on a fresh database never race; each is recorded in `schema_migrations`. Append new ones,
 * never edit old ones.
 */
import type { SyncPgClient } from './sync-client.ts';

export interface PgMigration {
  version: number;
  name: string;
  sql: string;
}

export const PG_MIGRATIONS: readonly PgMigration[] = [
  {
    version: 1,
    name: 'feeds, articles, events, term statistics, search, delivery ledger, leases',
    sql: `
      CREATE TABLE feeds (
        url TEXT COLLATE "C" PRIMARY KEY,
        title TEXT COLLATE "C",
        etag TEXT COLLATE "C",
        last_modified TEXT COLLATE "C",
        last_polled_at TEXT COLLATE "C",
        last_success_at TEXT COLLATE "C",
        last_error TEXT COLLATE "C",
        last_error_code TEXT COLLATE "C",
        last_error_at TEXT COLLATE "C",
        consecutive_failures INTEGER NOT NULL DEFAULT 0,
        next_poll_at TEXT COLLATE "C",
        status TEXT COLLATE "C" NOT NULL DEFAULT 'new',
        last_warnings TEXT COLLATE "C" NOT NULL DEFAULT '[]'
      );
      CREATE TABLE events (
        id TEXT COLLATE "C" PRIMARY KEY,
        title TEXT COLLATE "C" NOT NULL,
        related_to TEXT COLLATE "C",
        created_at TEXT COLLATE "C" NOT NULL,
        updated_at TEXT COLLATE "C" NOT NULL,
        first_published_at TEXT COLLATE "C" NOT NULL,
        last_published_at TEXT COLLATE "C" NOT NULL,
        article_count INTEGER NOT NULL,
        independent_count INTEGER NOT NULL,
        state TEXT COLLATE "C" NOT NULL
      );
      CREATE INDEX events_last_published ON events(last_published_at);
      CREATE INDEX events_updated ON events(updated_at);
      CREATE TABLE articles (
        id TEXT COLLATE "C" PRIMARY KEY,
        feed_url TEXT COLLATE "C" NOT NULL,
        guid TEXT COLLATE "C" NOT NULL,
        url TEXT COLLATE "C",
        canonical_url TEXT COLLATE "C",
        title TEXT COLLATE "C" NOT NULL,
        outlet TEXT COLLATE "C" NOT NULL,
        author TEXT COLLATE "C",
        published_at TEXT COLLATE "C" NOT NULL,
        first_seen_at TEXT COLLATE "C" NOT NULL,
        updated_at TEXT COLLATE "C" NOT NULL,
        summary TEXT COLLATE "C" NOT NULL,
        text TEXT COLLATE "C" NOT NULL,
        text_source TEXT COLLATE "C" NOT NULL,
        content_hash TEXT COLLATE "C" NOT NULL,
        item_fingerprint TEXT COLLATE "C" NOT NULL,
        needs_full_text INTEGER NOT NULL DEFAULT 0,
        full_text_attempts INTEGER NOT NULL DEFAULT 0,
        -- An article's event exists, checked at commit (an event and its first articles are written together).
        event_id TEXT COLLATE "C" REFERENCES events(id) DEFERRABLE INITIALLY DEFERRED,
        copy_of TEXT COLLATE "C",
        -- /brief's search: the title weighs more than the lead (its first 800 characters).
        search tsvector GENERATED ALWAYS AS (
          setweight(to_tsvector('english', title), 'A') ||
          setweight(to_tsvector('english', left(CASE WHEN text = '' THEN summary ELSE text END, 800)), 'B')
        ) STORED
      );
      CREATE UNIQUE INDEX articles_feed_guid ON articles(feed_url, guid);
      CREATE INDEX articles_canonical_url ON articles(canonical_url);
      CREATE INDEX articles_content_hash ON articles(content_hash);
      CREATE INDEX articles_updated_at ON articles(updated_at);
      CREATE INDEX articles_published_at ON articles(published_at);
      CREATE INDEX articles_event ON articles(event_id);
      CREATE INDEX articles_unclustered ON articles(published_at, id) WHERE event_id IS NULL;
      CREATE INDEX articles_search ON articles USING GIN (search);
      CREATE TABLE term_stats (term TEXT COLLATE "C" PRIMARY KEY, df INTEGER NOT NULL);
      CREATE TABLE meta (key TEXT COLLATE "C" PRIMARY KEY, value TEXT COLLATE "C" NOT NULL);
      CREATE TABLE briefs (
        id TEXT COLLATE "C" PRIMARY KEY,
        platform TEXT COLLATE "C" NOT NULL,
        channel_id TEXT COLLATE "C" NOT NULL,
        kind TEXT COLLATE "C" NOT NULL,
        created_at TEXT COLLATE "C" NOT NULL,
        payload TEXT COLLATE "C" NOT NULL
      );
      CREATE TABLE deliveries (
        id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        key TEXT COLLATE "C" NOT NULL UNIQUE,
        brief_id TEXT COLLATE "C" NOT NULL,
        platform TEXT COLLATE "C" NOT NULL,
        channel_id TEXT COLLATE "C" NOT NULL,
        seq INTEGER NOT NULL,
        parent_key TEXT COLLATE "C",
        thread_ref TEXT COLLATE "C",
        content TEXT COLLATE "C" NOT NULL,
        event_ids TEXT COLLATE "C" NOT NULL DEFAULT '[]',
        state TEXT COLLATE "C" NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at TEXT COLLATE "C" NOT NULL,
        last_error TEXT COLLATE "C",
        message_ref TEXT COLLATE "C",
        posted_thread_ref TEXT COLLATE "C",
        created_at TEXT COLLATE "C" NOT NULL,
        posted_at TEXT COLLATE "C",
        last_attempt_at TEXT COLLATE "C",
        in_doubt INTEGER NOT NULL DEFAULT 0,
        doubt_since TEXT COLLATE "C"
      );
      CREATE INDEX deliveries_due ON deliveries(state, platform, next_attempt_at);
      CREATE INDEX deliveries_brief ON deliveries(brief_id, seq);
      CREATE INDEX deliveries_parent ON deliveries(parent_key);
      CREATE TABLE event_posts (
        platform TEXT COLLATE "C" NOT NULL,
        channel_id TEXT COLLATE "C" NOT NULL,
        event_id TEXT COLLATE "C" NOT NULL,
        thread_ref TEXT COLLATE "C" NOT NULL,
        message_ref TEXT COLLATE "C" NOT NULL,
        brief_id TEXT COLLATE "C" NOT NULL,
        position INTEGER NOT NULL,
        shown_articles TEXT COLLATE "C" NOT NULL,
        shown_points TEXT COLLATE "C" NOT NULL,
        posted_at TEXT COLLATE "C" NOT NULL,
        updated_at TEXT COLLATE "C" NOT NULL,
        checked_at TEXT COLLATE "C",
        PRIMARY KEY (platform, channel_id, event_id, thread_ref)
      );
      CREATE INDEX event_posts_thread ON event_posts(platform, channel_id, thread_ref);
      CREATE INDEX event_posts_event ON event_posts(event_id);
      CREATE TABLE channel_state (
        platform TEXT COLLATE "C" NOT NULL,
        channel_id TEXT COLLATE "C" NOT NULL,
        last_brief_at TEXT COLLATE "C",
        PRIMARY KEY (platform, channel_id)
      );
      CREATE TABLE leases (
        name TEXT COLLATE "C" PRIMARY KEY,
        holder TEXT COLLATE "C" NOT NULL,
        pid INTEGER NOT NULL,
        host TEXT COLLATE "C" NOT NULL,
        acquired_at TEXT COLLATE "C" NOT NULL,
        expires_at TEXT COLLATE "C" NOT NULL
      );
      -- Which instance is polling a feed, until when (a killed instance's claim runs out by itself).
      CREATE TABLE feed_claims (
        url TEXT COLLATE "C" PRIMARY KEY,
        holder TEXT COLLATE "C" NOT NULL,
        until TEXT COLLATE "C" NOT NULL
      );
    `,
  },
];

/** Arbitrary, fixed: the advisory lock every instance takes to migrate. */
const MIGRATION_LOCK = 7_305_517_301;

/** The newest schema version in the database (0 when none ran). */
export function schemaVersion(db: SyncPgClient): number {
  const exists = db.query("SELECT to_regclass('schema_migrations') IS NOT NULL AS present").rows[0]?.present === true;
  if (!exists) return 0;
  return Number(db.query('SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations').rows[0]?.v ?? 0);
}

/** Runs the pending migrations in one transaction, under the advisory lock; returns the versions that ran. */
export function migratePostgres(db: SyncPgClient, migrations: readonly PgMigration[] = PG_MIGRATIONS): number[] {
  db.begin();
  const ran: number[] = [];
  try {
    db.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    db.query('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
    const applied = new Set(db.query('SELECT version FROM schema_migrations').rows.map((r) => Number(r.version)));
    for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
      if (applied.has(m.version)) continue;
      db.query(m.sql);
      db.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [
        m.version,
        m.name,
        new Date().toISOString(),
      ]);
      ran.push(m.version);
    }
    db.commit();
  } catch (err) {
    db.rollback();
    throw err;
  }
  return ran;
}
