/**
 * @module Loads stored events with their articles and writes their briefs (platform-neutral).
 */
import { composeEventBrief } from '../briefing/compose-briefing.ts';
import type { Article, EventBrief } from '../core/types.ts';
import type { Store, StoredEvent } from '../store/ports.ts';

export interface BriefDeps {
  store: Store;
}

function leadSentences(text: string, max: number): string[] {
  const paragraphs = text.split(/\n\n/);
  const first = paragraphs.find((p) => p.split(/\s+/).length >= 8) ?? paragraphs[0] ?? '';
  return (first.match(/[^.!?]+[.!?]+["”’)]?(\s|$)/g) ?? [first])
    .map((s) => s.trim())
    .filter(Boolean)
    .slice(0, max);
}

export function briefEvent(event: StoredEvent, articles: readonly Article[], copies: ReadonlySet<string>): EventBrief {
  const lead = articles.find((a) => !copies.has(a.id)) ?? articles[0];
  return composeEventBrief({
    id: event.id,
    title: event.title,
    articles,
    copies,
    relatedTo: event.relatedTo,
    summary: lead ? leadSentences(lead.text || lead.summary, 2) : [],
    disputed: [],
  });
}

export function briefEvents(eventIds: readonly string[], deps: BriefDeps): EventBrief[] {
  return deps.store.events.getMany(eventIds).map((event) => {
    const members = deps.store.articles.listByEvent(event.id);
    const copies = new Set(members.filter((m) => m.copyOf !== null).map((m) => m.id));
    return briefEvent(event, members, copies);
  });
}
