/**
 * @module node:sqlite implementation of the delivery ledger: briefs, the deliveries that post them
 * (intent first, then the platform's references), and which thread carries which event.
 */
import type { DatabaseSync } from 'node:sqlite';
import type { DeliveryLedger } from '../ports.ts';
import { briefFromRow, deliveryFromRow, postFromRow, type Row } from '../rows.ts';

export function createSqliteDeliveryLedger(db: DatabaseSync, transaction: <T>(fn: () => T) => T): DeliveryLedger {
  const insertBrief = db.prepare(
    'INSERT OR IGNORE INTO briefs (id, platform, channel_id, kind, created_at, payload) VALUES ($id, $platform, $channelId, $kind, $createdAt, $payload)',
  );
  const insertDelivery = db.prepare(`
    INSERT OR IGNORE INTO deliveries (key, brief_id, platform, channel_id, seq, parent_key, thread_ref, content, event_ids, state, attempts,
      next_attempt_at, created_at)
    VALUES ($key, $briefId, $platform, $channelId, $seq, $parentKey, $threadRef, $content, $eventIds, 'pending', 0, $now, $now)`);
  const due = db.prepare(`
    SELECT d.* FROM deliveries d JOIN briefs b ON b.id = d.brief_id
    WHERE d.state = 'pending' AND d.next_attempt_at <= ? ORDER BY b.created_at, d.brief_id, d.seq LIMIT ?`);
  const dueOn = db.prepare(`
    SELECT d.* FROM deliveries d JOIN briefs b ON b.id = d.brief_id
    WHERE d.state = 'pending' AND d.platform = ? AND d.next_attempt_at <= ? ORDER BY b.created_at, d.brief_id, d.seq LIMIT ?`);
  const byKey = db.prepare('SELECT * FROM deliveries WHERE key = ?');
  const byBrief = db.prepare('SELECT * FROM deliveries WHERE brief_id = ? ORDER BY seq');
  const attempt = db.prepare(
    "UPDATE deliveries SET attempts = attempts + 1, last_attempt_at = $now, in_doubt = 1, doubt_since = COALESCE(doubt_since, $now), next_attempt_at = COALESCE($claimUntil, next_attempt_at) WHERE key = $key AND state = 'pending' AND attempts = $attempts",
  );
  const extend = db.prepare("UPDATE deliveries SET next_attempt_at = ? WHERE key = ? AND state = 'pending' AND attempts = ?");
  const posted = db.prepare(
    "UPDATE deliveries SET state = 'posted', message_ref = ?, posted_thread_ref = ?, posted_at = ?, last_error = NULL, in_doubt = 0, doubt_since = NULL WHERE key = ?",
  );
  const resched = db.prepare(
    'UPDATE deliveries SET next_attempt_at = $next, last_error = $error, in_doubt = $doubt, doubt_since = CASE WHEN $doubt = 1 THEN doubt_since ELSE NULL END WHERE key = $key',
  );
  const failed = db.prepare("UPDATE deliveries SET state = 'failed', last_error = ? WHERE key = ?");
  const failChildren = db.prepare("UPDATE deliveries SET state = 'failed', last_error = ? WHERE parent_key = ? AND state = 'pending'");
  const pendingCount = db.prepare("SELECT COUNT(*) AS n FROM deliveries WHERE state = 'pending'");
  const failedCount = db.prepare("SELECT COUNT(*) AS n FROM deliveries WHERE state = 'failed'");
  const briefById = db.prepare('SELECT * FROM briefs WHERE id = ?');
  const upsertPost = db.prepare(`
    INSERT INTO event_posts (platform, channel_id, event_id, thread_ref, message_ref, brief_id, position, shown_articles, shown_points,
      posted_at, updated_at)
    VALUES ($platform, $channelId, $eventId, $threadRef, $messageRef, $briefId, $position, $shownArticles, $shownPoints, $postedAt, $updatedAt)
    ON CONFLICT(platform, channel_id, event_id, thread_ref) DO UPDATE SET message_ref = excluded.message_ref,
      brief_id = excluded.brief_id, position = excluded.position, shown_articles = excluded.shown_articles,
      shown_points = excluded.shown_points, updated_at = excluded.updated_at`);
  const postByEvent = db.prepare(
    'SELECT * FROM event_posts WHERE platform = ? AND channel_id = ? AND event_id = ? ORDER BY posted_at DESC LIMIT 1',
  );
  const postsInThread = db.prepare('SELECT * FROM event_posts WHERE platform = ? AND channel_id = ? AND thread_ref = ? ORDER BY position');
  const postsOfEvent = db.prepare('SELECT p.*, b.kind FROM event_posts p LEFT JOIN briefs b ON b.id = p.brief_id WHERE p.event_id = ?');
  const behind = db.prepare(`
    SELECT DISTINCT p.event_id AS id FROM event_posts p JOIN events e ON e.id = p.event_id
    WHERE e.updated_at > COALESCE(p.checked_at, p.updated_at) LIMIT ?`);
  const checked = db.prepare(
    'UPDATE event_posts SET checked_at = ? WHERE platform = ? AND channel_id = ? AND event_id = ? AND thread_ref = ?',
  );
  const queued = db.prepare("SELECT event_ids FROM deliveries WHERE state = 'pending' AND platform = ? AND channel_id = ?");
  const lastBrief = db.prepare('SELECT last_brief_at FROM channel_state WHERE platform = ? AND channel_id = ?');
  const setLastBrief = db.prepare(`
    INSERT INTO channel_state (platform, channel_id, last_brief_at) VALUES (?, ?, ?)
    ON CONFLICT(platform, channel_id) DO UPDATE SET last_brief_at = excluded.last_brief_at`);

  return {
    enqueueBrief(brief, deliveries) {
      return transaction(() => {
        const result = insertBrief.run({ ...brief });
        if (Number(result.changes) === 0) return false;
        for (const d of deliveries) {
          insertDelivery.run({
            key: d.key,
            briefId: brief.id,
            platform: brief.platform,
            channelId: brief.channelId,
            seq: d.seq,
            parentKey: d.parentKey,
            threadRef: d.threadRef,
            content: d.content,
            eventIds: JSON.stringify(d.eventIds),
            now: brief.createdAt,
          });
        }
        return true;
      });
    },
    listDue: (now, limit = 200, platform) =>
      ((platform === undefined ? due.all(now, limit) : dueOn.all(platform, now, limit)) as Row[]).map(deliveryFromRow),
    get: (key) => {
      const r = byKey.get(key) as Row | undefined;
      return r ? deliveryFromRow(r) : null;
    },
    listByBrief: (briefId) => (byBrief.all(briefId) as Row[]).map(deliveryFromRow),
    markAttempt: (key, now, attempts, claimUntil) =>
      Number(attempt.run({ now, key, attempts, claimUntil: claimUntil ?? null }).changes) === 1,
    extendClaim: (key, attempts, until) => Number(extend.run(until, key, attempts).changes) === 1,
    markPosted: (key, refs, now) => {
      posted.run(refs.messageRef, refs.threadRef, now, key);
    },
    reschedule: (key, next, error, inDoubt) => {
      resched.run({ next, error, doubt: inDoubt ? 1 : 0, key });
    },
    markFailed: (key, error) => {
      transaction(() => {
        failed.run(error, key);
        failChildren.run(`not posted: the message it replies to failed (${error})`, key);
      });
    },
    countPending: () => Number((pendingCount.get() as { n: number }).n),
    countFailed: () => Number((failedCount.get() as { n: number }).n),
    getBrief: (id) => {
      const r = briefById.get(id) as Row | undefined;
      return r ? briefFromRow(r) : null;
    },
    upsertEventPost: (p) => {
      upsertPost.run({
        platform: p.platform,
        channelId: p.channelId,
        eventId: p.eventId,
        threadRef: p.threadRef,
        messageRef: p.messageRef,
        briefId: p.briefId,
        position: p.position,
        shownArticles: JSON.stringify(p.shownArticles),
        shownPoints: JSON.stringify(p.shownPoints),
        postedAt: p.postedAt,
        updatedAt: p.updatedAt,
      });
    },
    getEventPost: (platform, channelId, eventId) => {
      const r = postByEvent.get(platform, channelId, eventId) as Row | undefined;
      return r ? postFromRow(r) : null;
    },
    eventsInThread: (platform, channelId, threadRef) => (postsInThread.all(platform, channelId, threadRef) as Row[]).map(postFromRow),
    eventsBehind: (limit = 200) => (behind.all(limit) as Row[]).map((r) => r.id as string),
    markChecked: (p, now) => {
      checked.run(now, p.platform, p.channelId, p.eventId, p.threadRef);
    },
    postsForEvents: (eventIds) => eventIds.flatMap((id) => (postsOfEvent.all(id) as Row[]).map(postFromRow)),
    queuedEventIds: (platform, channelId) =>
      new Set((queued.all(platform, channelId) as Row[]).flatMap((r) => JSON.parse(r.event_ids as string) as string[])),
    lastBriefAt: (platform, channelId) => ((lastBrief.get(platform, channelId) as Row | undefined)?.last_brief_at as string | null) ?? null,
    setLastBriefAt: (platform, channelId, iso) => {
      setLastBrief.run(platform, channelId, iso);
    },
  };
}
