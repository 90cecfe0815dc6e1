/**
 * @module Rows to the ports' types, for every store: SQLite and PostgreSQL keep the same columns (ISO
 * times as text, JSON lists as text, flags as 0/1), so one mapping serves both. Counts PostgreSQL returns
 * as strings (bigint) go through Number().
 */
import type { BriefRecord, Delivery, EventPost, FeedState, LeaseHolder, StoredArticle, StoredEvent } from './ports.ts';

/** A row as a driver returns it: column name to value. */
export type Row = Record<string, unknown>;

export function feedFromRow(r: Row): FeedState {
  return {
    url: r.url as string,
    title: (r.title as string | null) ?? null,
    etag: (r.etag as string | null) ?? null,
    lastModified: (r.last_modified as string | null) ?? null,
    lastPolledAt: (r.last_polled_at as string | null) ?? null,
    lastSuccessAt: (r.last_success_at as string | null) ?? null,
    lastError: (r.last_error as string | null) ?? null,
    lastErrorCode: (r.last_error_code as string | null) ?? null,
    lastErrorAt: (r.last_error_at as string | null) ?? null,
    consecutiveFailures: Number(r.consecutive_failures ?? 0),
    nextPollAt: (r.next_poll_at as string | null) ?? null,
    status: r.status as FeedState['status'],
    lastWarnings: JSON.parse((r.last_warnings as string) || '[]') as string[],
  };
}

export function articleFromRow(r: Row): StoredArticle {
  return {
    id: r.id as string,
    feedUrl: r.feed_url as string,
    guid: r.guid as string,
    url: (r.url as string | null) ?? null,
    canonicalUrl: (r.canonical_url as string | null) ?? null,
    title: r.title as string,
    outlet: r.outlet as string,
    author: (r.author as string | null) ?? null,
    publishedAt: r.published_at as string,
    firstSeenAt: r.first_seen_at as string,
    updatedAt: r.updated_at as string,
    summary: r.summary as string,
    text: r.text as string,
    textSource: r.text_source as StoredArticle['textSource'],
    contentHash: r.content_hash as string,
    itemFingerprint: r.item_fingerprint as string,
    needsFullText: Number(r.needs_full_text) === 1,
    fullTextAttempts: Number(r.full_text_attempts ?? 0),
    eventId: (r.event_id as string | null) ?? null,
    copyOf: (r.copy_of as string | null) ?? null,
  };
}

export function eventFromRow(r: Row): StoredEvent {
  return {
    id: r.id as string,
    title: r.title as string,
    relatedTo: (r.related_to as string | null) ?? null,
    createdAt: r.created_at as string,
    updatedAt: r.updated_at as string,
    firstPublishedAt: r.first_published_at as string,
    lastPublishedAt: r.last_published_at as string,
    articleCount: Number(r.article_count),
    independentCount: Number(r.independent_count),
    state: r.state as string,
  };
}

export function deliveryFromRow(r: Row): Delivery {
  return {
    id: Number(r.id),
    key: r.key as string,
    briefId: r.brief_id as string,
    platform: r.platform as string,
    channelId: r.channel_id as string,
    seq: Number(r.seq),
    parentKey: (r.parent_key as string | null) ?? null,
    threadRef: (r.thread_ref as string | null) ?? null,
    content: r.content as string,
    eventIds: JSON.parse(r.event_ids as string) as string[],
    state: r.state as Delivery['state'],
    attempts: Number(r.attempts),
    nextAttemptAt: r.next_attempt_at as string,
    lastError: (r.last_error as string | null) ?? null,
    messageRef: (r.message_ref as string | null) ?? null,
    postedThreadRef: (r.posted_thread_ref as string | null) ?? null,
    createdAt: r.created_at as string,
    postedAt: (r.posted_at as string | null) ?? null,
    lastAttemptAt: (r.last_attempt_at as string | null) ?? null,
    inDoubt: Number(r.in_doubt) === 1,
    doubtSince: (r.doubt_since as string | null) ?? null,
  };
}

export function postFromRow(r: Row): EventPost {
  return {
    platform: r.platform as string,
    channelId: r.channel_id as string,
    eventId: r.event_id as string,
    threadRef: r.thread_ref as string,
    messageRef: r.message_ref as string,
    briefId: r.brief_id as string,
    position: Number(r.position),
    shownArticles: JSON.parse(r.shown_articles as string) as string[],
    shownPoints: JSON.parse(r.shown_points as string) as string[],
    postedAt: r.posted_at as string,
    updatedAt: r.updated_at as string,
    checkedAt: (r.checked_at as string | null) ?? null,
    ...(typeof r.kind === 'string' ? { briefKind: r.kind } : {}),
  };
}

export function briefFromRow(r: Row): BriefRecord {
  return {
    id: r.id as string,
    platform: r.platform as string,
    channelId: r.channel_id as string,
    kind: r.kind as string,
    createdAt: r.created_at as string,
    payload: r.payload as string,
  };
}

/** A lease as stored: who holds it, since when, until when. */
export interface LeaseRecord {
  holder: LeaseHolder;
  since: string;
  expiresAt: string;
}

export function leaseFromRow(r: Row): LeaseRecord {
  return {
    holder: { id: r.holder as string, pid: Number(r.pid), host: r.host as string },
    since: r.acquired_at as string,
    expiresAt: r.expires_at as string,
  };
}

/**
 * Whether `holder` may take or renew a lease now: nobody holds it, it is the holder's already, it ran out,
 * or its holder is a process on this host that no longer runs. The same rule for every store.
 */
export function leaseIsFree(current: LeaseRecord | null, holder: LeaseHolder, now: Date, isAlive: (pid: number) => boolean): boolean {
  return (
    !current ||
    current.holder.id === holder.id ||
    Date.parse(current.expiresAt) <= now.getTime() ||
    (current.holder.host === holder.host && !isAlive(current.holder.pid))
  );
}
