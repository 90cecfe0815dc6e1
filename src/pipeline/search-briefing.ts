/**
 * @module `brief QUERY` and `/brief <topic>`: the stored events that best match a query. Articles are
 * found by full-text search over titles and leads; events are ranked by their matching articles'
 * relevance, with recent and well-sourced events first among equals.
 */
import { composeBriefing } from '../briefing/compose-briefing.ts';
import type { Briefing } from '../core/types.ts';
import type { Store } from '../store/ports.ts';
import { type BriefDeps, briefEventsInOrder } from './brief-events.ts';

export interface SearchDeps extends BriefDeps {
  store: Store;
  now: () => Date;
}

export interface EventMatch {
  eventId: string;
  score: number;
}

export function searchEvents(query: string, store: Store, limit = 3): EventMatch[] {
  const hits = store.articles.search(query, 400);
  const byEvent = new Map<string, number[]>();
  for (const h of hits) if (h.eventId) byEvent.set(h.eventId, [...(byEvent.get(h.eventId) ?? []), h.score]);
  if (byEvent.size === 0) return [];
  const events = new Map(store.events.getMany([...byEvent.keys()]).map((e) => [e.id, e]));
  const newest = Math.max(...[...events.values()].map((e) => Date.parse(e.lastPublishedAt)));
  const ranked = [...byEvent].map(([eventId, scores]) => {
    const e = events.get(eventId);
    const best = Math.max(...scores);
    // The best match dominates; more matching sources and recency break near-ties.
    const support = Math.log2(1 + scores.length) * 0.15 * best;
    const ageDays = e ? (newest - Date.parse(e.lastPublishedAt)) / 86_400_000 : 30;
    return { eventId, score: best + support - Math.min(ageDays, 30) * 0.02 * best };
  });
  ranked.sort((a, b) => b.score - a.score || a.eventId.localeCompare(b.eventId));
  const top = ranked[0]?.score ?? 0;
  // Keep the events that match nearly as well as the best one.
  return ranked.filter((r) => r.score >= top * 0.6).slice(0, limit);
}

export async function searchBriefing(query: string, deps: SearchDeps, limit = 3): Promise<Briefing> {
  const matches = searchEvents(query, deps.store, limit);
  const briefs = await briefEventsInOrder(
    matches.map((m) => m.eventId),
    deps,
  );
  return { ...composeBriefing(deps.now().toISOString(), [], []), events: briefs };
}
