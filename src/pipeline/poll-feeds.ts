/**
 * @module Polls feeds once: conditional GET, parse, dedupe, full text (feed content or the page), store.
 * A failing feed is recorded, backed off and reported; it never stops the others. Nothing is lost:
 * an item whose page cannot be fetched is stored with the feed's text and retried on later polls.
 */
import type { FeedSpec } from '../config/load-config.ts';
import type { FeedItem } from '../core/types.ts';
import { extractArticle } from '../extract/extract-article.ts';
import {
  articleId,
  canonicalizeUrl,
  contentHash,
  feedCarriesArticle,
  feedParagraphs,
  itemFingerprint,
  summaryText,
} from '../ingest/build-article.ts';
import { decodeBody } from '../ingest/decode-body.ts';
import { itemNovelty, repeatsStoredText } from '../ingest/dedupe.ts';
import {
  backoffMs,
  emptyFeedState,
  isDue,
  nextPollAfterSuccess,
  type ScheduleSettings,
  statusAfterFailure,
} from '../ingest/feed-schedule.ts';
import { articleOutlet, feedOutlet } from '../ingest/outlet.ts';
import { isPageFetchRetryable } from '../ingest/page-retry.ts';
import { parseFeedDate } from '../ingest/parse-date.ts';
import { parseFeed } from '../ingest/parse-feed.ts';
import { mapWithConcurrency } from '../net/host-limiter.ts';
import { ACCEPT_FEED, ACCEPT_HTML, type HttpGetter } from '../net/http-client.ts';
import { errorCode, errorMessage, FetchError } from '../shared/errors.ts';
import type { Logger } from '../shared/logger.ts';
import { maybeYield } from '../shared/yield.ts';
import type { FeedState, Store, StoredArticle } from '../store/ports.ts';

export type FullTextMode = 'auto' | 'always' | 'never';

/** Items written per transaction. */
const WRITE_CHUNK = 50;

export interface PollOptions {
  feeds: readonly FeedSpec[];
  /** Poll every feed now, whatever its schedule (the one-shot CLI). */
  force: boolean;
  concurrency: number;
  fullText: FullTextMode;
  polling: { interval: number; maxBackoff: number; unhealthyAfter: number };
  /** Page fetches per feed in flight at once (the HTTP client also limits per host). */
  pageConcurrency?: number;
  /** How many times a failed page fetch is retried on later polls before the teaser is final. */
  maxFullTextAttempts?: number;
  onProgress?: (done: number, total: number, report: FeedReport) => void;
  /** Log each failed feed (default); the CLI lists them once in its summary instead. */
  logFailures?: boolean;
  /**
   * Claim each due feed before polling it (several instances on one database poll each feed once): a feed
   * claimed by another instance is skipped; a killed instance's claim runs out after `ttlMs`.
   */
  claim?: { holder: string; ttlMs: number };
}

export interface PollDeps {
  http: HttpGetter;
  store: Store;
  logger: Logger;
  now: () => Date;
}

export interface FeedReport {
  url: string;
  name: string | null;
  ok: boolean;
  status: 'fetched' | 'not_modified' | 'failed' | 'skipped';
  newArticles: number;
  updatedArticles: number;
  duplicates: number;
  items: number;
  error: string | null;
  errorCode: string | null;
  warnings: string[];
  nextPollAt: string | null;
}

export interface PollReport {
  startedAt: string;
  finishedAt: string;
  feeds: FeedReport[];
  /** Ids of articles first stored in this poll. */
  newArticleIds: string[];
  /** Ids of stored articles whose content changed in this poll. */
  updatedArticleIds: string[];
}

interface TextResult {
  paragraphs: string[];
  source: StoredArticle['textSource'];
  needsFullText: boolean;
  siteName: string | null;
  canonicalUrl: string | null;
  pagePublishedAt: string | null;
  pageError: string | null;
}

export async function pollFeeds(options: PollOptions, deps: PollDeps): Promise<PollReport> {
  const startedAt = deps.now().toISOString();
  const newIds: string[] = [];
  const updatedIds: string[] = [];
  let done = 0;
  const reports = await mapWithConcurrency(options.feeds, options.concurrency, async (spec) => {
    const report = await pollOne(spec, options, deps, newIds, updatedIds);
    done++;
    options.onProgress?.(done, options.feeds.length, report);
    return report;
  });
  return { startedAt, finishedAt: deps.now().toISOString(), feeds: reports, newArticleIds: newIds, updatedArticleIds: updatedIds };
}

function settingsFor(spec: FeedSpec, options: PollOptions): ScheduleSettings {
  return {
    intervalMs: spec.intervalMs ?? options.polling.interval,
    maxBackoffMs: options.polling.maxBackoff,
    unhealthyAfter: options.polling.unhealthyAfter,
  };
}

async function pollOne(spec: FeedSpec, options: PollOptions, deps: PollDeps, newIds: string[], updatedIds: string[]): Promise<FeedReport> {
  const state: FeedState = deps.store.feeds.get(spec.url) ?? emptyFeedState(spec.url);
  const base: FeedReport = {
    url: spec.url,
    name: spec.name ?? state.title ?? null,
    ok: true,
    status: 'skipped',
    newArticles: 0,
    updatedArticles: 0,
    duplicates: 0,
    items: 0,
    error: null,
    errorCode: null,
    warnings: [],
    nextPollAt: state.nextPollAt,
  };
  const now = deps.now();
  if (!options.force && !isDue(state, now)) return base;
  const claim = options.claim;
  if (!claim) return pollDue(spec, options, deps, newIds, updatedIds, state, base, now);
  if (!deps.store.feeds.claim(spec.url, claim.holder, now.toISOString(), new Date(now.getTime() + claim.ttlMs).toISOString())) return base;
  try {
    // Another instance may have polled it since it was read: due no longer, it is left alone.
    const fresh = deps.store.feeds.get(spec.url) ?? state;
    if (!options.force && !isDue(fresh, now)) return { ...base, nextPollAt: fresh.nextPollAt };
    return await pollDue(spec, options, deps, newIds, updatedIds, fresh, base, now);
  } finally {
    deps.store.feeds.releaseClaim(spec.url, claim.holder);
  }
}

async function pollDue(
  spec: FeedSpec,
  options: PollOptions,
  deps: PollDeps,
  newIds: string[],
  updatedIds: string[],
  state: FeedState,
  base: FeedReport,
  now: Date,
): Promise<FeedReport> {
  const log = deps.logger.child({ feed: spec.url });
  const schedule = settingsFor(spec, options);
  state.lastPolledAt = now.toISOString();

  try {
    const res = await deps.http.get(spec.url, { accept: ACCEPT_FEED, etag: state.etag, lastModified: state.lastModified });
    let report: FeedReport;
    if (res.notModified) {
      report = { ...base, status: 'not_modified' };
      const retried = await retryFullText(spec, options, deps, updatedIds);
      report.updatedArticles = retried;
    } else {
      const decoded = decodeBody(res.body, res.contentType);
      const feed = await parseFeed(decoded.text, { feedUrl: res.url, now });
      // Parsing a big feed is CPU work: let a /brief or a socket ping in before storing its items.
      await maybeYield();
      const warnings = [...decoded.warnings, ...feed.warnings];
      state.title = feed.title ?? state.title;
      const outlet = feedOutlet(spec, feed);
      const counts = await storeItems(spec, feed.items, outlet, options, deps, newIds, updatedIds);
      counts.updated += await retryFullText(spec, options, deps, updatedIds);
      report = {
        ...base,
        name: spec.name ?? feed.title ?? null,
        status: 'fetched',
        items: feed.items.length,
        newArticles: counts.inserted,
        updatedArticles: counts.updated,
        duplicates: counts.duplicates,
        warnings,
      };
      state.lastWarnings = warnings;
      for (const w of warnings) log.warn('feed repaired', { warning: w });
    }
    state.etag = res.etag ?? (res.notModified ? state.etag : null);
    state.lastModified = res.lastModified ?? (res.notModified ? state.lastModified : null);
    state.lastSuccessAt = now.toISOString();
    state.consecutiveFailures = 0;
    state.status = 'ok';
    state.nextPollAt = nextPollAfterSuccess(spec.url, now, schedule);
    deps.store.feeds.save(state);
    log.info('feed polled', {
      status: report.status,
      items: report.items,
      new: report.newArticles,
      updated: report.updatedArticles,
      duplicates: report.duplicates,
    });
    return { ...report, nextPollAt: state.nextPollAt };
  } catch (err) {
    const failures = state.consecutiveFailures + 1;
    const retryAfterMs = err instanceof FetchError ? err.retryAfterMs : undefined;
    const wait = backoffMs(failures, schedule, retryAfterMs);
    state.consecutiveFailures = failures;
    state.lastError = errorMessage(err);
    state.lastErrorCode = errorCode(err);
    state.lastErrorAt = now.toISOString();
    state.status = statusAfterFailure(failures, schedule);
    state.nextPollAt = new Date(now.getTime() + wait).toISOString();
    deps.store.feeds.save(state);
    (options.logFailures === false ? log.debug : log.warn)('feed failed', {
      code: state.lastErrorCode,
      error: state.lastError,
      failures,
      status: state.status,
      nextPollAt: state.nextPollAt,
    });
    return {
      ...base,
      ok: false,
      status: 'failed',
      error: state.lastError,
      errorCode: state.lastErrorCode,
      nextPollAt: state.nextPollAt,
    };
  }
}

async function fetchText(
  item: { url: string | null; title: string },
  feedParas: string[],
  summary: string,
  mode: FullTextMode,
  deps: PollDeps,
): Promise<TextResult> {
  const fallback = (needsFullText: boolean, pageError: string | null): TextResult => ({
    paragraphs: feedParas.length ? feedParas : summary ? [summary] : [],
    source: feedParas.length ? 'feed' : 'summary',
    needsFullText,
    siteName: null,
    canonicalUrl: null,
    pagePublishedAt: null,
    pageError,
  });
  if (mode === 'never' || !item.url || (mode === 'auto' && feedCarriesArticle(feedParas))) return fallback(false, null);
  try {
    const page = await deps.http.get(item.url, { accept: ACCEPT_HTML });
    const decoded = decodeBody(page.body, page.contentType);
    const extracted = extractArticle(decoded.text, page.url);
    const pageWords = extracted.paragraphs.join(' ').split(/\s+/).length;
    const feedWords = feedParas.join(' ').split(/\s+/).length;
    const usePage = extracted.paragraphs.length > 0 && (pageWords >= feedWords || mode === 'always');
    return {
      ...(usePage ? { paragraphs: extracted.paragraphs, source: 'page' as const } : fallback(false, null)),
      needsFullText: false,
      siteName: extracted.siteName,
      canonicalUrl: extracted.canonicalUrl,
      pagePublishedAt: extracted.publishedAt,
      pageError: null,
    };
  } catch (err) {
    const code = errorCode(err);
    // A page we may never fetch (refused address, oversized) is final; an outage is retried later.
    const retry = isPageFetchRetryable(err);
    deps.logger.warn('article page not fetched; using the feed text', { url: item.url, code, error: errorMessage(err), retry });
    return fallback(retry, errorMessage(err));
  }
}

interface PreparedItem {
  item: FeedItem;
  canonical: string | null;
  fingerprint: string;
  text: TextResult;
  summary: string;
}

async function storeItems(
  spec: FeedSpec,
  items: readonly FeedItem[],
  outlet: string,
  options: PollOptions,
  deps: PollDeps,
  newIds: string[],
  updatedIds: string[],
): Promise<{ inserted: number; updated: number; duplicates: number }> {
  const counts = { inserted: 0, updated: 0, duplicates: 0 };
  const mode = spec.fullText ?? options.fullText;

  // Phase 1 (async): decide which items are new or changed, and get their text (page fetches). Text
  // from the feed itself needs no I/O, so the loop would never let the event loop in: it yields itself.
  // What the store knows of these items, asked once for the whole feed (phase 2 checks again as it writes).
  const canonicals = new Map(items.map((item) => [item, item.url ? canonicalizeUrl(item.url) : null]));
  const known = deps.store.articles.findByGuids(
    spec.url,
    items.map((item) => item.guid),
  );
  const storedUrls = deps.store.articles.storedCanonicalUrls([...canonicals.values()].filter((u): u is string => u !== null));
  const prepared = await mapWithConcurrency(items, options.pageConcurrency ?? 4, async (item): Promise<PreparedItem | null> => {
    await maybeYield();
    const canonical = canonicals.get(item) ?? null;
    const fingerprint = itemFingerprint(item);
    const novelty = itemNovelty(known.get(item.guid), fingerprint, canonical, (u) => storedUrls.has(u));
    if (novelty === 'duplicate') {
      counts.duplicates++; // the same article, already stored through another feed
      return null;
    }
    if (novelty === 'unchanged') return null; // seen before, unchanged
    const summary = summaryText(item);
    const text = await fetchText(item, feedParagraphs(item), summary, mode, deps);
    return { item, canonical, fingerprint, text, summary };
  });

  // Phase 2: re-check and write, a transaction per few dozen items with the event loop let in between
  // (on PostgreSQL each lookup is a round trip: a long feed in one transaction would hold the loop for
  // most of a second). A crash between two leaves whole items stored and the feed's state (ETag, next
  // poll) not yet saved, so the next poll fetches the feed again and stores the rest.
  const toWrite = prepared.filter((p): p is PreparedItem => p !== null);
  for (let i = 0; i < toWrite.length; i += WRITE_CHUNK) {
    await maybeYield();
    deps.store.transaction(() => {
      for (const p of toWrite.slice(i, i + WRITE_CHUNK)) {
        const result = writeItem(p, spec, outlet, deps);
        if (result.kind === 'inserted') {
          counts.inserted++;
          newIds.push(result.id);
        } else if (result.kind === 'updated') {
          counts.updated++;
          updatedIds.push(result.id);
        } else if (result.kind === 'duplicate') {
          counts.duplicates++;
        }
      }
    });
  }
  return counts;
}

/** Is a canonical URL stored already (through any feed)? */
function isStoredUrl(deps: PollDeps): (canonical: string) => boolean {
  return (canonical) => Boolean(deps.store.articles.findByCanonicalUrl(canonical));
}

type WriteResult = { kind: 'inserted' | 'updated' | 'duplicate' | 'unchanged'; id: string };

function writeItem(p: PreparedItem, spec: FeedSpec, outlet: string, deps: PollDeps): WriteResult {
  const { item, canonical, fingerprint, text, summary } = p;
  const now = deps.now().toISOString();
  const body = text.paragraphs.join('\n\n');
  const title = item.title || body.split(/(?<=[.!?])\s/)[0]?.slice(0, 140) || '(untitled)';
  const hash = contentHash(title, body);
  const current = deps.store.articles.findByGuid(spec.url, item.guid);
  const publishedAt = item.publishedAt ?? parseFeedDate(text.pagePublishedAt) ?? current?.publishedAt ?? now;
  if (current) {
    if (current.contentHash === hash && current.title === title) {
      deps.store.articles.update({ ...current, itemFingerprint: fingerprint, needsFullText: text.needsFullText });
      return { kind: 'unchanged', id: current.id };
    }
    deps.store.articles.update({
      ...current,
      url: item.url,
      canonicalUrl: canonical,
      title,
      author: item.author,
      publishedAt,
      updatedAt: now,
      summary,
      text: body,
      textSource: text.source,
      contentHash: hash,
      itemFingerprint: fingerprint,
      needsFullText: text.needsFullText,
      fullTextAttempts: text.needsFullText ? current.fullTextAttempts + 1 : current.fullTextAttempts,
    });
    return { kind: 'updated', id: current.id };
  }
  // Re-checked inside the transaction: another feed may have stored the same URL meanwhile.
  if (itemNovelty(current, fingerprint, canonical, isStoredUrl(deps)) === 'duplicate') return { kind: 'duplicate', id: '' };
  const outletName = articleOutlet(spec.outlet, text.siteName, outlet);
  // Same text under a new id or URL from the same outlet (one host can serve several outlets' feeds).
  const sameContent = repeatsStoredText(deps.store.articles.findByContentHash(hash), {
    feedUrl: spec.url,
    url: item.url,
    outlet: outletName,
  });
  if (sameContent) return { kind: 'duplicate', id: '' };
  const article: StoredArticle = {
    id: articleId(spec.url, item.guid, canonical),
    feedUrl: spec.url,
    guid: item.guid,
    url: item.url,
    canonicalUrl: canonical,
    title,
    outlet: outletName,
    author: item.author,
    publishedAt,
    firstSeenAt: now,
    updatedAt: now,
    summary,
    text: body,
    textSource: text.source,
    contentHash: hash,
    itemFingerprint: fingerprint,
    needsFullText: text.needsFullText,
    fullTextAttempts: text.needsFullText ? 1 : 0,
    eventId: null,
    copyOf: null,
  };
  deps.store.articles.insert(article);
  return { kind: 'inserted', id: article.id };
}

/** Retries page fetches that failed on earlier polls; returns how many articles gained their full text. */
async function retryFullText(spec: FeedSpec, options: PollOptions, deps: PollDeps, updatedIds: string[]): Promise<number> {
  const max = options.maxFullTextAttempts ?? 4;
  const pending = deps.store.articles.listNeedingFullText(spec.url, max);
  let gained = 0;
  for (const a of pending) {
    const text = await fetchText({ url: a.url, title: a.title }, [], a.summary, 'always', deps);
    const current = deps.store.articles.get(a.id);
    if (!current) continue;
    if (text.source === 'page') {
      const body = text.paragraphs.join('\n\n');
      deps.store.articles.update({
        ...current,
        text: body,
        textSource: 'page',
        contentHash: contentHash(current.title, body),
        needsFullText: false,
        updatedAt: deps.now().toISOString(),
      });
      updatedIds.push(a.id);
      gained++;
    } else {
      deps.store.articles.update({ ...current, needsFullText: text.needsFullText, fullTextAttempts: current.fullTextAttempts + 1 });
    }
  }
  return gained;
}
