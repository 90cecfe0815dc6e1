/**
 * @module Assigns every not-yet-clustered article to an event, incrementally: loads the events that
 * are still active around the new articles' times (with their clustering state) and the term
 * statistics, clusters the batch, then — in one transaction — records membership, near-copies,
 * titles and counts of every event that gained articles. Survives restarts: all state is stored.
 */
import { clusterBatch } from '../cluster/cluster-batch.ts';
import { type Assignment, type ClusterParams, createClusterer } from '../cluster/cluster-stories.ts';
import { deserializeEventState, eventIdFor, serializeEventState } from '../cluster/event-state.ts';
import { chooseEventTitle } from '../cluster/event-title.ts';
import { findCopies } from '../cluster/syndication.ts';
import { createTermStats } from '../cluster/term-stats.ts';
import type { Logger } from '../shared/logger.ts';
import type { Store, StoredArticle, StoredEvent } from '../store/ports.ts';

export interface ClusterRun {
  assignments: Assignment[];
  /** Events that gained articles in this run (new ones included). */
  touchedEventIds: string[];
  newEventIds: string[];
}

export function clusterNewArticles(params: ClusterParams, deps: { store: Store; logger: Logger; now: () => Date }): ClusterRun {
  const { store } = deps;
  const pending = store.articles.listUnclustered();
  if (pending.length === 0) return { assignments: [], touchedEventIds: [], newEventIds: [] };
  const started = Date.now();
  const termData = store.events.loadTermStats();
  const stats = createTermStats(termData.docs, termData.df);
  const earliest = pending[0]?.publishedAt ?? ''; // listUnclustered is in publication order
  const since = new Date(Date.parse(earliest) - params.retainHours * 3_600_000).toISOString();
  const active = store.events.listActiveSince(since);
  const known = new Map(active.map((e) => [e.id, e]));
  const clusterer = createClusterer(
    params,
    active.map((e) => deserializeEventState(e.id, e.relatedTo, e.state)),
    (a) => eventIdFor(a.id),
  );
  const inputs = pending.map((a) => ({
    id: a.id,
    title: a.title,
    text: a.text || a.summary,
    outlet: a.outlet,
    publishedAt: a.publishedAt,
  }));
  const assignments = clusterBatch(inputs, clusterer, stats);

  const byEvent = new Map<string, string[]>();
  for (const x of assignments) byEvent.set(x.eventId, [...(byEvent.get(x.eventId) ?? []), x.articleId]);
  const newEventIds = [...byEvent.keys()].filter((id) => !known.has(id));
  const now = deps.now().toISOString();
  const pendingById = new Map(pending.map((a) => [a.id, a]));

  store.transaction(() => {
    for (const x of assignments) store.articles.assignEvent(x.articleId, x.eventId);
    for (const [eventId, added] of byEvent) {
      const state = clusterer.get(eventId);
      if (!state) continue;
      const members = store.articles.listByEvent(eventId);
      const addedSet = new Set(added);
      const origins = members.filter((m) => !addedSet.has(m.id) && m.copyOf === null);
      const copies = findCopies(
        origins,
        added.map((id) => pendingById.get(id)).filter((a): a is StoredArticle => a !== undefined),
      );
      for (const [copy, origin] of copies) store.articles.setCopyOf(copy, origin);
      const isCopy = (m: StoredArticle) => m.copyOf !== null || copies.has(m.id);
      const times = members.map((m) => m.publishedAt).sort();
      const previous = known.get(eventId);
      const event: StoredEvent = {
        id: eventId,
        title: chooseEventTitle(members.map((m) => ({ title: m.title, independent: !isCopy(m) }))),
        relatedTo: state.relatedTo,
        createdAt: previous?.createdAt ?? now,
        updatedAt: now,
        firstPublishedAt: times[0] ?? now,
        lastPublishedAt: times[times.length - 1] ?? now,
        articleCount: members.length,
        independentCount: members.filter((m) => !isCopy(m)).length,
        state: serializeEventState(state),
      };
      store.events.save(event);
    }
    const changed = new Map<string, number>();
    for (const t of stats.dirty) changed.set(t, stats.df.get(t) ?? 0);
    store.events.saveTermStats(stats.docs, changed);
  });
  deps.logger.info('clustered articles', {
    articles: pending.length,
    events: byEvent.size,
    newEvents: newEventIds.length,
    ms: Date.now() - started,
  });
  return { assignments, touchedEventIds: [...byEvent.keys()], newEventIds };
}
