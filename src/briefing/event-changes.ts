/**
 * @module Pure: what changed in an event since its thread last showed it — new sources and new
 * disputed points — and the keys used to remember what a thread has shown.
 */
import type { DisputedPoint, EventBrief, SourceRef } from '../core/types.ts';

/** A disputed point's identity: its kind and sides, so rewording of the same point is not "new". */
export function pointKey(p: DisputedPoint): string {
  const sides = p.sides
    .map((s) => s.by.toLowerCase().replace(/\s*\(.*\)$/, ''))
    .sort()
    .join('|');
  return `${p.kind}:${sides}:${p.point
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .split(' ')
    .slice(0, 6)
    .join(' ')}`;
}

export interface EventChange {
  newSources: SourceRef[];
  newPoints: DisputedPoint[];
}

export function shownState(e: EventBrief): { articles: string[]; points: string[] } {
  return { articles: e.sources.map((s) => s.articleId), points: e.disputed.map(pointKey) };
}

export function changesSince(e: EventBrief, shown: { articles: readonly string[]; points: readonly string[] }): EventChange {
  const articles = new Set(shown.articles);
  const points = new Set(shown.points);
  return {
    newSources: e.sources.filter((s) => !articles.has(s.articleId)),
    newPoints: e.disputed.filter((p) => !points.has(pointKey(p))),
  };
}

export function hasChanges(c: EventChange): boolean {
  return c.newSources.length > 0 || c.newPoints.length > 0;
}
