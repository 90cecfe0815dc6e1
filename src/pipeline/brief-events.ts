/**
 * @module Loads stored events with their articles and writes their briefs (platform-neutral): the
 * disputes first (so the summary can keep disputed claims attributed), then the summary.
 */
import { composeEventBrief } from '../briefing/compose-briefing.ts';
import type { Article, EventBrief } from '../core/types.ts';
import { assessDisputes } from '../disputes/find-disputes.ts';
import { maybeYield } from '../shared/yield.ts';
import type { Store, StoredEvent } from '../store/ports.ts';
import { createExtractiveSummarizer } from '../summarize/extractive-summarizer.ts';
import type { Summarizer } from '../summarize/summarizer.ts';

export interface BriefDeps {
  store: Store;
  summarizer?: Summarizer;
}

/** Articles read for the summary and disputes of a large event: independent sources first, newest first. */
export const MAX_ARTICLES_READ = 40;

const defaultSummarizer = createExtractiveSummarizer();

export function articlesToRead(articles: readonly Article[], copies: ReadonlySet<string>, max = MAX_ARTICLES_READ): Article[] {
  if (articles.length <= max) return [...articles];
  return [...articles]
    .sort((a, b) => Number(copies.has(a.id)) - Number(copies.has(b.id)) || b.publishedAt.localeCompare(a.publishedAt))
    .slice(0, max);
}

export async function briefEvent(
  event: StoredEvent,
  articles: readonly Article[],
  copies: ReadonlySet<string>,
  summarizer: Summarizer = defaultSummarizer,
): Promise<EventBrief> {
  const read = articlesToRead(articles, copies);
  const assessment = assessDisputes(
    read.map((a) => ({ id: a.id, url: a.url, outlet: a.outlet, publishedAt: a.publishedAt, title: a.title, text: a.text || a.summary })),
  );
  const written = await summarizer.summarize({
    articles: read.map((a) => ({
      id: a.id,
      url: a.url,
      title: a.title,
      text: a.text || a.summary,
      outlet: a.outlet,
      publishedAt: a.publishedAt,
      independent: !copies.has(a.id),
    })),
    disputed: assessment.points,
  });
  const disputed = written.disputed?.length ? written.disputed : assessment.points;
  return composeEventBrief({
    id: event.id,
    title: event.title,
    articles,
    copies,
    relatedTo: event.relatedTo,
    summary: written.summary,
    // Disputes an LLM found and the sources support take the place of the rule-based ones.
    disputed,
    sourcesAgree: disputed.length === 0 && assessment.sourcesAgree,
  });
}

export async function briefEvents(eventIds: readonly string[], deps: BriefDeps): Promise<EventBrief[]> {
  const out: EventBrief[] = [];
  for (const event of deps.store.events.getMany(eventIds)) {
    // Writing many briefs is CPU work: let the event loop answer a /brief or a socket ping in between.
    await maybeYield();
    const members = deps.store.articles.listByEvent(event.id);
    const copies = new Set(members.filter((m) => m.copyOf !== null).map((m) => m.id));
    out.push(await briefEvent(event, members, copies, deps.summarizer));
  }
  return out;
}

/** The briefs of `eventIds` in that order (search rank, a thread's order); events no longer stored are left out. */
export async function briefEventsInOrder(eventIds: readonly string[], deps: BriefDeps): Promise<EventBrief[]> {
  const briefs = await briefEvents(eventIds, deps);
  const order = new Map(eventIds.map((id, i) => [id, i]));
  return briefs.sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0));
}
