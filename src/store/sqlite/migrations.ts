/**
 * @module Versioned schema migrations for the SQLite store. Each runs once, in order, and is recorded
 * in `schema_migrations`; all pending ones run in one transaction taken before reading what ran, so
 * two processes opening a fresh database never race. Append new ones, never edit old ones.
 */
import type { DatabaseSync } from 'node:sqlite';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'feeds and articles',
    sql: `
      CREATE TABLE feeds (
        url TEXT PRIMARY KEY,
        title TEXT,
        etag TEXT,
        last_modified TEXT,
        last_polled_at TEXT,
        last_success_at TEXT,
        last_error TEXT,
        last_error_code TEXT,
        last_error_at TEXT,
        consecutive_failures INTEGER NOT NULL DEFAULT 0,
        next_poll_at TEXT,
        status TEXT NOT NULL DEFAULT 'new',
        last_warnings TEXT NOT NULL DEFAULT '[]'
      );
      CREATE TABLE articles (
        id TEXT PRIMARY KEY,
        feed_url TEXT NOT NULL,
        guid TEXT NOT NULL,
        url TEXT,
        canonical_url TEXT,
        title TEXT NOT NULL,
        outlet TEXT NOT NULL,
        author TEXT,
        published_at TEXT NOT NULL,
        first_seen_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        summary TEXT NOT NULL,
        text TEXT NOT NULL,
        text_source TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        item_fingerprint TEXT NOT NULL,
        needs_full_text INTEGER NOT NULL DEFAULT 0,
        full_text_attempts INTEGER NOT NULL DEFAULT 0,
        event_id TEXT
      );
      CREATE UNIQUE INDEX articles_feed_guid ON articles(feed_url, guid);
      CREATE INDEX articles_canonical_url ON articles(canonical_url);
      CREATE INDEX articles_content_hash ON articles(content_hash);
      CREATE INDEX articles_updated_at ON articles(updated_at);
      CREATE INDEX articles_published_at ON articles(published_at);
      CREATE INDEX articles_event ON articles(event_id);
    `,
  },
  {
    version: 2,
    name: 'events, term statistics, near-copies, search',
    sql: `
      CREATE TABLE events (
        id TEXT PRIMARY KEY,
        title TEXT NOT NULL,
        related_to TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        first_published_at TEXT NOT NULL,
        last_published_at TEXT NOT NULL,
        article_count INTEGER NOT NULL,
        independent_count INTEGER NOT NULL,
        state TEXT NOT NULL
      );
      CREATE INDEX events_last_published ON events(last_published_at);
      CREATE INDEX events_updated ON events(updated_at);
      CREATE TABLE term_stats (term TEXT PRIMARY KEY, df INTEGER NOT NULL) WITHOUT ROWID;
      CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      ALTER TABLE articles ADD COLUMN copy_of TEXT;
      CREATE INDEX articles_unclustered ON articles(published_at) WHERE event_id IS NULL;
      -- Keyed by the article's rowid, so updates and deletes are index lookups, not scans.
      CREATE VIRTUAL TABLE articles_fts USING fts5(title, lead, tokenize = 'porter unicode61 remove_diacritics 2');
      INSERT INTO articles_fts (rowid, title, lead) SELECT rowid, title, substr(text, 1, 800) FROM articles;
    `,
  },
  {
    version: 3,
    name: 'delivery ledger',
    sql: `
      -- A brief as posted (the platform-neutral Briefing snapshot), per channel.
      CREATE TABLE briefs (
        id TEXT PRIMARY KEY,
        platform TEXT NOT NULL,
        channel_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        created_at TEXT NOT NULL,
        payload TEXT NOT NULL
      );
      -- Every message briefbot means to post, recorded before it is posted (the intent), then marked
      -- posted with the platform's message and thread references.
      CREATE TABLE deliveries (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        key TEXT NOT NULL UNIQUE,
        brief_id TEXT NOT NULL,
        platform TEXT NOT NULL,
        channel_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        parent_key TEXT,
        thread_ref TEXT,
        content TEXT NOT NULL,
        event_ids TEXT NOT NULL DEFAULT '[]',
        state TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at TEXT NOT NULL,
        last_error TEXT,
        message_ref TEXT,
        posted_thread_ref TEXT,
        created_at TEXT NOT NULL,
        posted_at TEXT,
        -- When the last attempt started; whether an attempt's outcome is unknown (it may have been
        -- posted), and since when: the first such attempt, where a search for it must start.
        last_attempt_at TEXT,
        in_doubt INTEGER NOT NULL DEFAULT 0,
        doubt_since TEXT
      );
      CREATE INDEX deliveries_due ON deliveries(state, platform, next_attempt_at);
      CREATE INDEX deliveries_brief ON deliveries(brief_id, seq);
      CREATE INDEX deliveries_parent ON deliveries(parent_key);
      -- Which thread carries which event in which channel, and what it showed last.
      CREATE TABLE event_posts (
        platform TEXT NOT NULL,
        channel_id TEXT NOT NULL,
        event_id TEXT NOT NULL,
        thread_ref TEXT NOT NULL,
        message_ref TEXT NOT NULL,
        brief_id TEXT NOT NULL,
        position INTEGER NOT NULL,
        shown_articles TEXT NOT NULL,
        shown_points TEXT NOT NULL,
        posted_at TEXT NOT NULL,
        -- When the thread last got this event's news; when the event was last checked for news.
        updated_at TEXT NOT NULL,
        checked_at TEXT,
        PRIMARY KEY (platform, channel_id, event_id, thread_ref)
      );
      CREATE INDEX event_posts_thread ON event_posts(platform, channel_id, thread_ref);
      CREATE INDEX event_posts_event ON event_posts(event_id);
      CREATE TABLE channel_state (
        platform TEXT NOT NULL,
        channel_id TEXT NOT NULL,
        last_brief_at TEXT,
        PRIMARY KEY (platform, channel_id)
      );
    `,
  },
  {
    version: 4,
    name: 'every article belongs to a stored event',
    sql: `
      -- Repair: articles that point at an event that was never saved go back to the clustering queue
      -- (the next clustering run puts them in events that are saved with them).
      UPDATE articles SET event_id = NULL, copy_of = NULL
        WHERE event_id IS NOT NULL AND event_id NOT IN (SELECT id FROM events);
      -- The invariant, enforced by the store from now on: an article's event exists (checked at commit,
      -- so an event and its first articles can be written in either order in one transaction).
      CREATE TABLE articles_new (
        id TEXT PRIMARY KEY,
        feed_url TEXT NOT NULL,
        guid TEXT NOT NULL,
        url TEXT,
        canonical_url TEXT,
        title TEXT NOT NULL,
        outlet TEXT NOT NULL,
        author TEXT,
        published_at TEXT NOT NULL,
        first_seen_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        summary TEXT NOT NULL,
        text TEXT NOT NULL,
        text_source TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        item_fingerprint TEXT NOT NULL,
        needs_full_text INTEGER NOT NULL DEFAULT 0,
        full_text_attempts INTEGER NOT NULL DEFAULT 0,
        event_id TEXT REFERENCES events(id) DEFERRABLE INITIALLY DEFERRED,
        copy_of TEXT
      );
      -- The rowid is kept: the search index (articles_fts) is keyed by it.
      INSERT INTO articles_new (rowid, id, feed_url, guid, url, canonical_url, title, outlet, author, published_at,
        first_seen_at, updated_at, summary, text, text_source, content_hash, item_fingerprint, needs_full_text,
        full_text_attempts, event_id, copy_of)
      SELECT rowid, id, feed_url, guid, url, canonical_url, title, outlet, author, published_at,
        first_seen_at, updated_at, summary, text, text_source, content_hash, item_fingerprint, needs_full_text,
        full_text_attempts, event_id, copy_of FROM articles;
      DROP TABLE articles;
      ALTER TABLE articles_new RENAME TO articles;
      CREATE UNIQUE INDEX articles_feed_guid ON articles(feed_url, guid);
      CREATE INDEX articles_canonical_url ON articles(canonical_url);
      CREATE INDEX articles_content_hash ON articles(content_hash);
      CREATE INDEX articles_updated_at ON articles(updated_at);
      CREATE INDEX articles_published_at ON articles(published_at);
      CREATE INDEX articles_event ON articles(event_id);
      CREATE INDEX articles_unclustered ON articles(published_at, id) WHERE event_id IS NULL;
    `,
  },
  {
    version: 5,
    name: 'leases',
    sql: `
      -- Who holds a piece of work that one process at a time may do ("bot": polling and posting;
      -- "cluster": assigning articles to events), until when. A lease that is not renewed expires.
      CREATE TABLE leases (
        name TEXT PRIMARY KEY,
        holder TEXT NOT NULL,
        pid INTEGER NOT NULL,
        host TEXT NOT NULL,
        acquired_at TEXT NOT NULL,
        expires_at TEXT NOT NULL
      );
    `,
  },
  {
    version: 6,
    name: 'feed claims',
    sql: `
      -- Which process is polling a feed, until when (a killed process's claim runs out by itself).
      CREATE TABLE feed_claims (
        url TEXT PRIMARY KEY,
        holder TEXT NOT NULL,
        until TEXT NOT NULL
      );
    `,
  },
];

export function migrate(db: DatabaseSync, migrations: readonly Migration[] = MIGRATIONS): number[] {
  // The write lock first, then what has run: two processes starting on a fresh database (a bot and a
  // cron `once`) must not both see "nothing ran" and both create the tables.
  db.exec('BEGIN IMMEDIATE');
  const ran: number[] = [];
  try {
    db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`);
    const applied = new Set(
      (db.prepare('SELECT version FROM schema_migrations').all() as Array<{ version: number }>).map((r) => r.version),
    );
    for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
      if (applied.has(m.version)) continue;
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
        m.version,
        m.name,
        new Date().toISOString(),
      );
      ran.push(m.version);
    }
    db.exec('COMMIT');
  } catch (err) {
    if (db.isTransaction) db.exec('ROLLBACK');
    throw err;
  }
  return ran;
}
