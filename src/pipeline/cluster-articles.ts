/**
 * @module Assigns every not-yet-clustered article to an event, incrementally: loads the events that
 * are still active around the new articles' times (with their clustering state) and the term
 * statistics, then clusters the new articles in publication order, a chunk at a time. Each chunk is
 * saved in one transaction — membership, near-copies, titles, counts and clustering state of every
 * event that gained articles, closed events included — before the clusterer lets go of the events
 * it closed, so an article never points at an event that was not saved. The work yields to the event
 * loop every few tens of milliseconds, so a bot keeps answering while a long backlog is clustered.
 * Survives restarts: all state is stored.
 */
import { byPublication, countBatch } from '../cluster/cluster-batch.ts';
import { type Assignment, type Clusterer, type ClusterParams, createClusterer } from '../cluster/cluster-stories.ts';
import { deserializeEventState, eventIdFor, serializeEventState } from '../cluster/event-state.ts';
import { chooseEventTitle } from '../cluster/event-title.ts';
import { buildFeatures, type TermCounts } from '../cluster/features.ts';
import { findCopies } from '../cluster/syndication.ts';
import { createTermStats, type TermStats } from '../cluster/term-stats.ts';
import { BriefbotError, errorMessage } from '../shared/errors.ts';
import type { Logger } from '../shared/logger.ts';
import { maybeYield } from '../shared/yield.ts';
import type { LeaseHolder, Store, StoredArticle, StoredEvent } from '../store/ports.ts';

export interface ClusterRun {
  assignments: Assignment[];
  /** Events that gained articles in this run (new ones included). */
  touchedEventIds: string[];
  newEventIds: string[];
}

export interface ClusterDeps {
  store: Store;
  logger: Logger;
  now: () => Date;
  /** Articles read, clustered and saved together (memory is bounded by this, not by the backlog). */
  chunkSize?: number;
  /**
   * Clustering is one process's work at a time (a bot and a cron `once` on one database would assign
   * the same articles twice): hold the "cluster" lease while clustering. `waitMs`: how long to wait
   * for another process to finish (0: skip this run, the next one clusters what is left).
   */
  lease?: { holder: LeaseHolder; isAlive: (pid: number) => boolean; waitMs: number };
}

const LEASE = 'cluster';
/** Renewed every chunk; a killed clusterer's lease runs out after this. */
const LEASE_TTL_MS = 5 * 60_000;

/** Takes the clustering lease, waiting up to `waitMs`; false when another process keeps it. */
async function takeLease(store: Store, lease: NonNullable<ClusterDeps['lease']>, now: () => Date, logger: Logger): Promise<boolean> {
  const deadline = Date.now() + lease.waitMs;
  let said = false;
  for (;;) {
    const r = store.leases.acquire(LEASE, lease.holder, LEASE_TTL_MS, now(), lease.isAlive);
    if (r.granted) return true;
    if (Date.now() >= deadline) return false;
    if (!said) {
      logger.info('another briefbot process is clustering this database; waiting for it', {
        pid: r.holder.pid,
        host: r.holder.host,
        since: r.since,
      });
      said = true;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/**
 * Runs `fn` while holding the clustering lease (waiting up to `lease.waitMs` for it): no process clusters
 * meanwhile. A brief planned from the events on a database several instances share needs this: another
 * instance's clustering stamps events before it saves them, so a brief that read them in between would
 * record the channel as briefed past events it never saw.
 */
export async function withoutClustering<T>(
  deps: Pick<ClusterDeps, 'store' | 'logger' | 'now'> & { lease: NonNullable<ClusterDeps['lease']> },
  fn: () => Promise<T>,
): Promise<T> {
  const { store, lease } = deps;
  if (!(await takeLease(store, lease, deps.now, deps.logger))) {
    throw new BriefbotError('store_busy', 'another briefbot process has been clustering this database for too long; try again later');
  }
  // A long plan (an LLM writing many briefs) keeps the lease: it is renewed while `fn` runs.
  const renew = setInterval(() => {
    try {
      const r = store.leases.acquire(LEASE, lease.holder, LEASE_TTL_MS, deps.now(), lease.isAlive);
      if (!r.granted) deps.logger.warn('lost the clustering lease while planning a brief', { pid: r.holder.pid, host: r.holder.host });
    } catch (err) {
      deps.logger.warn('could not renew the clustering lease while planning a brief', { error: errorMessage(err) });
    }
  }, LEASE_TTL_MS / 3);
  renew.unref();
  try {
    return await fn();
  } finally {
    clearInterval(renew);
    try {
      store.leases.release(LEASE, lease.holder.id);
    } catch (err) {
      // It runs out by itself; what was planned stands.
      deps.logger.warn('could not release the clustering lease', { error: errorMessage(err) });
    }
  }
}

export const DEFAULT_CHUNK_SIZE = 500;

export async function clusterNewArticles(params: ClusterParams, deps: ClusterDeps): Promise<ClusterRun> {
  const { store, lease } = deps;
  if (!lease) return clusterHeld(params, deps);
  if (!(await takeLease(store, lease, deps.now, deps.logger))) {
    if (lease.waitMs > 0) {
      throw new BriefbotError('store_busy', 'another briefbot process has been clustering this database for too long; try again later');
    }
    deps.logger.info('another briefbot process is clustering this database; the next cycle clusters what is left');
    return { assignments: [], touchedEventIds: [], newEventIds: [] };
  }
  try {
    return await clusterHeld(params, deps);
  } finally {
    store.leases.release(LEASE, lease.holder.id);
  }
}

async function clusterHeld(params: ClusterParams, deps: ClusterDeps): Promise<ClusterRun> {
  const { store } = deps;
  const chunkSize = deps.chunkSize ?? DEFAULT_CHUNK_SIZE;
  let chunk = store.articles.listUnclustered({ limit: chunkSize });
  if (chunk.length === 0) return { assignments: [], touchedEventIds: [], newEventIds: [] };
  const started = Date.now();
  const termData = store.events.loadTermStats();
  const stats = createTermStats(termData.docs, termData.df);
  const earliest = chunk[0]?.publishedAt ?? ''; // listUnclustered is in publication order
  const since = new Date(Date.parse(earliest) - params.retainHours * 3_600_000).toISOString();
  const active = store.events.listActiveSince(since);
  /** When each event this run may save was created (stored events, and those opened in this run). */
  const createdAt = new Map(active.map((e) => [e.id, e.createdAt]));
  const clusterer = createClusterer(
    params,
    active.map((e) => deserializeEventState(e.id, e.relatedTo, e.state)),
    (a) => eventIdFor(a.id),
  );
  const assignments: Assignment[] = [];
  const touched = new Set<string>();
  const opened: string[] = [];

  while (chunk.length > 0) {
    const ordered = byPublication(chunk);
    const inputs = ordered.map((a) => ({
      id: a.id,
      title: a.title,
      text: a.text || a.summary,
      outlet: a.outlet,
      publishedAt: a.publishedAt,
    }));
    // The chunk's terms count into IDF before any of it is assigned (as countBatch does), a few at a time.
    const counts: TermCounts[] = [];
    for (const input of inputs) {
      await maybeYield();
      counts.push(...countBatch([input], stats));
    }
    const chunkAssignments: Assignment[] = [];
    for (const [i, input] of inputs.entries()) {
      await maybeYield();
      chunkAssignments.push(clusterer.add(buildFeatures(input, counts[i] as TermCounts, stats)));
    }
    const now = deps.now().toISOString();
    for (const x of chunkAssignments) {
      if (x.isNew) {
        createdAt.set(x.eventId, now);
        opened.push(x.eventId);
      }
      touched.add(x.eventId);
    }
    await saveChunk(chunkAssignments, ordered, clusterer, stats, createdAt, now, store);
    // Saved: the events closed while clustering this chunk can go.
    clusterer.releaseClosed();
    assignments.push(...chunkAssignments);
    if (deps.lease) store.leases.acquire(LEASE, deps.lease.holder, LEASE_TTL_MS, deps.now(), deps.lease.isAlive);
    const last = ordered[ordered.length - 1] as StoredArticle;
    await maybeYield();
    chunk = store.articles.listUnclustered({ limit: chunkSize, after: { publishedAt: last.publishedAt, id: last.id } });
  }
  deps.logger.info('clustered articles', {
    articles: assignments.length,
    events: touched.size,
    newEvents: opened.length,
    ms: Date.now() - started,
  });
  return { assignments, touchedEventIds: [...touched], newEventIds: opened };
}

/** Wire copies follow their original within days: older members are not compared. */
const COPY_WINDOW_MS = 3 * 86_400_000;
/** At most this many of an event's independent members are compared with each new one. */
const MAX_COPY_ORIGINS = 60;

/**
 * Saves a chunk: first works out, yielding between events, what every touched event becomes (members,
 * near-copies, title, counts, clustering state); then writes it all in one short transaction — the
 * chunk's memberships and those events, so no article is ever stored without its event.
 */
async function saveChunk(
  assignments: readonly Assignment[],
  articles: readonly StoredArticle[],
  clusterer: Clusterer,
  stats: TermStats,
  createdAt: ReadonlyMap<string, string>,
  now: string,
  store: Store,
): Promise<void> {
  const byEvent = new Map<string, StoredArticle[]>();
  const byId = new Map(articles.map((a) => [a.id, a]));
  for (const x of assignments) {
    const a = byId.get(x.articleId);
    if (a) byEvent.set(x.eventId, [...(byEvent.get(x.eventId) ?? []), a]);
  }
  const events: StoredEvent[] = [];
  const copyOf = new Map<string, string>();
  for (const [eventId, added] of byEvent) {
    await maybeYield();
    const state = clusterer.get(eventId);
    // The clusterer holds every event it assigned to until releaseClosed(): a missing one is a bug,
    // and saving nothing is better than keeping articles without their event.
    if (!state) throw new Error(`clusterer lost event ${eventId} before it was saved`);
    const stored = store.articles.listByEvent(eventId);
    const firstAdded = Math.min(...added.map((a) => Date.parse(a.publishedAt)));
    const origins = stored
      .filter((m) => m.copyOf === null && Date.parse(m.publishedAt) >= firstAdded - COPY_WINDOW_MS)
      .slice(-MAX_COPY_ORIGINS);
    const copies = findCopies(origins, added);
    for (const [copy, origin] of copies) copyOf.set(copy, origin);
    const members = [...stored, ...added];
    const isCopy = (m: StoredArticle) => m.copyOf !== null || copies.has(m.id);
    const times = members.map((m) => m.publishedAt).sort();
    events.push({
      id: eventId,
      title: chooseEventTitle(members.map((m) => ({ title: m.title, independent: !isCopy(m) }))),
      relatedTo: state.relatedTo,
      createdAt: createdAt.get(eventId) ?? now,
      updatedAt: now,
      firstPublishedAt: times[0] ?? now,
      lastPublishedAt: times[times.length - 1] ?? now,
      articleCount: members.length,
      independentCount: members.filter((m) => !isCopy(m)).length,
      state: serializeEventState(state),
    });
  }
  store.transaction(() => {
    store.articles.assignEvents(assignments);
    store.articles.setCopiesOf([...copyOf].map(([articleId, origin]) => ({ articleId, copyOf: origin })));
    store.events.saveMany(events);
    const changed = new Map<string, number>();
    for (const t of stats.dirty) changed.set(t, stats.df.get(t) ?? 0);
    store.events.saveTermStats(stats.docs, changed);
  });
  stats.dirty.clear();
}
