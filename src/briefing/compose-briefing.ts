/**
 * @module Pure: events (groups of articles) plus their summaries and disputes → the platform-neutral
 * Briefing that the CLI, Slack and Discord all render.
 */
import type { Article, Briefing, DisputedPoint, EventBrief, FeedOutcome, SourceRef } from '../core/types.ts';

export interface EventContent {
  id: string;
  title: string;
  articles: readonly Article[];
  /** Article ids that are near-copies of another source in the event. */
  copies?: ReadonlySet<string>;
  relatedTo?: string | null;
  summary: string[];
  disputed: DisputedPoint[];
  /**
   * The dispute check found positive evidence that the sources agree (none denies what others
   * assert). Without it, a brief with no disputed point says nothing either way.
   */
  sourcesAgree?: boolean;
}

export const NO_DISPUTE_NOTE = 'The sources agree on the main points; no disagreement found.';

export function toSourceRefs(articles: readonly Article[], copies: ReadonlySet<string> = new Set()): SourceRef[] {
  return [...articles]
    .sort((a, b) => a.publishedAt.localeCompare(b.publishedAt) || a.id.localeCompare(b.id))
    .map((a) => ({
      articleId: a.id,
      outlet: a.outlet,
      title: a.title,
      url: a.url,
      publishedAt: a.publishedAt,
      independent: !copies.has(a.id),
    }));
}

function inSourceOrder(urls: readonly string[], sources: readonly SourceRef[]): string[] {
  const rank = (u: string) => {
    const i = sources.findIndex((s) => s.url === u);
    return i < 0 ? Number.MAX_SAFE_INTEGER : i;
  };
  return [...new Set(urls)].sort((a, b) => rank(a) - rank(b));
}

export function composeEventBrief(ev: EventContent): EventBrief {
  const sources = toSourceRefs(ev.articles, ev.copies);
  const times = sources.map((s) => s.publishedAt).sort();
  return {
    id: ev.id,
    title: ev.title,
    summary: ev.summary,
    // Each side's sources in the order the event lists them, so its citations read [1][2][4], not [2][1][4].
    disputed: ev.disputed.map((p) => ({
      ...p,
      sides: p.sides.map((side) => ({ ...side, sources: inSourceOrder(side.sources, sources) })),
    })),
    noDisputeNote: ev.disputed.length === 0 && sources.length > 1 && ev.sourcesAgree !== false ? NO_DISPUTE_NOTE : null,
    sources,
    articles: sources.length,
    independentSources: sources.filter((s) => s.independent).length,
    firstPublishedAt: times[0] ?? '',
    lastPublishedAt: times[times.length - 1] ?? '',
    relatedTo: ev.relatedTo ?? null,
  };
}

/** Events newest first (by last article), larger events first among equals. */
export function composeBriefing(generatedAt: string, feeds: FeedOutcome[], events: EventBrief[]): Briefing {
  const sorted = [...events].sort(
    (a, b) => b.independentSources - a.independentSources || b.lastPublishedAt.localeCompare(a.lastPublishedAt) || a.id.localeCompare(b.id),
  );
  return { generatedAt, feeds, events: sorted };
}
