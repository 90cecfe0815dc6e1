/**
 * @module PostgreSQL implementation of the delivery ledger: the same rules as SQLite's (sqlite-ledger.ts).
 * Claims hold across instances through row locks: `markAttempt` is a conditional UPDATE, so of two
 * instances trying the same delivery one gets it; a brief recorded twice (two instances planning the
 * same scheduled slot) is recorded once.
 */
import type { DeliveryLedger } from '../ports.ts';
import { briefFromRow, deliveryFromRow, postFromRow } from '../rows.ts';
import type { SyncPgClient } from './sync-client.ts';

export function createPostgresDeliveryLedger(db: SyncPgClient, transaction: <T>(fn: () => T) => T): DeliveryLedger {
  const deliveries = (sql: string, params: unknown[]) => db.query(sql, params).rows.map(deliveryFromRow);
  const posts = (sql: string, params: unknown[]) => db.query(sql, params).rows.map(postFromRow);
  const count = (sql: string) => Number(db.query(sql).rows[0]?.n ?? 0);
  return {
    enqueueBrief(brief, list) {
      return transaction(() => {
        const inserted = db.query(
          `INSERT INTO briefs (id, platform, channel_id, kind, created_at, payload) VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (id) DO NOTHING`,
          [brief.id, brief.platform, brief.channelId, brief.kind, brief.createdAt, brief.payload],
        );
        if (inserted.rowCount === 0) return false;
        for (const d of list) {
          db.query(
            `INSERT INTO deliveries (key, brief_id, platform, channel_id, seq, parent_key, thread_ref, content, event_ids, state,
               attempts, next_attempt_at, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'pending', 0, $10, $10)
             ON CONFLICT (key) DO NOTHING`,
            [
              d.key,
              brief.id,
              brief.platform,
              brief.channelId,
              d.seq,
              d.parentKey,
              d.threadRef,
              d.content,
              JSON.stringify(d.eventIds),
              brief.createdAt,
            ],
          );
        }
        return true;
      });
    },
    listDue: (now, limit = 200, platform) =>
      platform === undefined
        ? deliveries(
            `SELECT d.* FROM deliveries d JOIN briefs b ON b.id = d.brief_id
             WHERE d.state = 'pending' AND d.next_attempt_at <= $1 ORDER BY b.created_at, d.brief_id, d.seq LIMIT $2`,
            [now, limit],
          )
        : deliveries(
            `SELECT d.* FROM deliveries d JOIN briefs b ON b.id = d.brief_id
             WHERE d.state = 'pending' AND d.platform = $1 AND d.next_attempt_at <= $2 ORDER BY b.created_at, d.brief_id, d.seq LIMIT $3`,
            [platform, now, limit],
          ),
    get: (key) => deliveries('SELECT * FROM deliveries WHERE key = $1', [key])[0] ?? null,
    listByBrief: (briefId) => deliveries('SELECT * FROM deliveries WHERE brief_id = $1 ORDER BY seq', [briefId]),
    markAttempt: (key, now, attempts, claimUntil) =>
      db.query(
        `UPDATE deliveries SET attempts = attempts + 1, last_attempt_at = $1, in_doubt = 1, doubt_since = COALESCE(doubt_since, $1),
           next_attempt_at = COALESCE($4, next_attempt_at)
         WHERE key = $2 AND state = 'pending' AND attempts = $3`,
        [now, key, attempts, claimUntil ?? null],
      ).rowCount === 1,
    extendClaim: (key, attempts, until) =>
      db.query("UPDATE deliveries SET next_attempt_at = $1 WHERE key = $2 AND state = 'pending' AND attempts = $3", [until, key, attempts])
        .rowCount === 1,
    markPosted(key, refs, now) {
      db.query(
        `UPDATE deliveries SET state = 'posted', message_ref = $1, posted_thread_ref = $2, posted_at = $3, last_error = NULL,
           in_doubt = 0, doubt_since = NULL WHERE key = $4`,
        [refs.messageRef, refs.threadRef, now, key],
      );
    },
    reschedule(key, next, error, inDoubt) {
      db.query(
        `UPDATE deliveries SET next_attempt_at = $1, last_error = $2, in_doubt = $3,
           doubt_since = CASE WHEN $3 = 1 THEN doubt_since ELSE NULL END WHERE key = $4`,
        [next, error, inDoubt ? 1 : 0, key],
      );
    },
    markFailed(key, error) {
      transaction(() => {
        db.query("UPDATE deliveries SET state = 'failed', last_error = $1 WHERE key = $2", [error, key]);
        db.query("UPDATE deliveries SET state = 'failed', last_error = $1 WHERE parent_key = $2 AND state = 'pending'", [
          `not posted: the message it replies to failed (${error})`,
          key,
        ]);
      });
    },
    countPending: () => count("SELECT COUNT(*) AS n FROM deliveries WHERE state = 'pending'"),
    countFailed: () => count("SELECT COUNT(*) AS n FROM deliveries WHERE state = 'failed'"),
    getBrief(id) {
      const r = db.query('SELECT * FROM briefs WHERE id = $1', [id]).rows[0];
      return r ? briefFromRow(r) : null;
    },
    upsertEventPost(p) {
      db.query(
        `INSERT INTO event_posts (platform, channel_id, event_id, thread_ref, message_ref, brief_id, position, shown_articles, shown_points,
           posted_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
         ON CONFLICT (platform, channel_id, event_id, thread_ref) DO UPDATE SET message_ref = excluded.message_ref,
           brief_id = excluded.brief_id, position = excluded.position, shown_articles = excluded.shown_articles,
           shown_points = excluded.shown_points, updated_at = excluded.updated_at`,
        [
          p.platform,
          p.channelId,
          p.eventId,
          p.threadRef,
          p.messageRef,
          p.briefId,
          p.position,
          JSON.stringify(p.shownArticles),
          JSON.stringify(p.shownPoints),
          p.postedAt,
          p.updatedAt,
        ],
      );
    },
    getEventPost: (platform, channelId, eventId) =>
      posts('SELECT * FROM event_posts WHERE platform = $1 AND channel_id = $2 AND event_id = $3 ORDER BY posted_at DESC LIMIT 1', [
        platform,
        channelId,
        eventId,
      ])[0] ?? null,
    eventsInThread: (platform, channelId, threadRef) =>
      posts('SELECT * FROM event_posts WHERE platform = $1 AND channel_id = $2 AND thread_ref = $3 ORDER BY position', [
        platform,
        channelId,
        threadRef,
      ]),
    eventsBehind: (limit = 200) =>
      db
        .query(
          `SELECT DISTINCT p.event_id AS id FROM event_posts p JOIN events e ON e.id = p.event_id
           WHERE e.updated_at > COALESCE(p.checked_at, p.updated_at) LIMIT $1`,
          [limit],
        )
        .rows.map((r) => r.id as string),
    markChecked(p, now) {
      db.query('UPDATE event_posts SET checked_at = $1 WHERE platform = $2 AND channel_id = $3 AND event_id = $4 AND thread_ref = $5', [
        now,
        p.platform,
        p.channelId,
        p.eventId,
        p.threadRef,
      ]);
    },
    postsForEvents: (eventIds) =>
      eventIds.length === 0
        ? []
        : eventIds.flatMap((id) =>
            posts('SELECT p.*, b.kind FROM event_posts p LEFT JOIN briefs b ON b.id = p.brief_id WHERE p.event_id = $1', [id]),
          ),
    queuedEventIds: (platform, channelId) =>
      new Set(
        db
          .query("SELECT event_ids FROM deliveries WHERE state = 'pending' AND platform = $1 AND channel_id = $2", [platform, channelId])
          .rows.flatMap((r) => JSON.parse(r.event_ids as string) as string[]),
      ),
    lastBriefAt: (platform, channelId) =>
      (db.query('SELECT last_brief_at FROM channel_state WHERE platform = $1 AND channel_id = $2', [platform, channelId]).rows[0]
        ?.last_brief_at as string | null | undefined) ?? null,
    setLastBriefAt(platform, channelId, iso) {
      db.query(
        `INSERT INTO channel_state (platform, channel_id, last_brief_at) VALUES ($1, $2, $3)
         ON CONFLICT (platform, channel_id) DO UPDATE SET last_brief_at = excluded.last_brief_at`,
        [platform, channelId, iso],
      );
    },
  };
}
