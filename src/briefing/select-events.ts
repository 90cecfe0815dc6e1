/**
 * @module Pure: which events a channel's brief carries — those matching its topics (keywords in the
 * title, summary or sources' titles; entities as whole words), with enough independent sources, the
 * best-sourced and most recent first, capped.
 */
import type { EventBrief } from '../core/types.ts';

export interface ChannelFilter {
  topics: { keywords: string[]; entities: string[] } | null;
  maxEvents: number;
  minSources: number;
}

function haystack(e: EventBrief): string {
  return `${e.title}\n${e.summary.join(' ')}\n${e.sources.map((s) => s.title).join('\n')}\n${e.disputed.map((d) => d.point).join('\n')}`;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function matchesTopics(e: EventBrief, topics: ChannelFilter['topics']): boolean {
  if (!topics) return true;
  const text = haystack(e);
  const lower = text.toLowerCase();
  if (topics.keywords.some((k) => lower.includes(k.toLowerCase()))) return true;
  return topics.entities.some((name) => new RegExp(`(?<![\\p{L}])${escapeRegExp(name)}(?![\\p{L}])`, 'iu').test(text));
}

export function selectEvents(events: readonly EventBrief[], filter: ChannelFilter): EventBrief[] {
  return events
    .filter((e) => e.independentSources >= filter.minSources && matchesTopics(e, filter.topics))
    .sort(
      (a, b) =>
        b.independentSources - a.independentSources || b.lastPublishedAt.localeCompare(a.lastPublishedAt) || a.id.localeCompare(b.id),
    )
    .slice(0, filter.maxEvents);
}
