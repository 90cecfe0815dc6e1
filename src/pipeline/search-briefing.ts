/**
 * @module `brief QUERY`: the stored events that best match a query, as a Briefing.
 */
import { composeBriefing, composeEventBrief } from '../briefing/compose-briefing.ts';
import type { Briefing } from '../core/types.ts';
import type { Store } from '../store/ports.ts';

export interface SearchDeps {
  store: Store;
  now: () => Date;
}

export function searchBriefing(query: string, deps: SearchDeps, limit = 3): Briefing {
  const terms = query.toLowerCase().split(/\s+/).filter(Boolean);
  const all = deps.store.articles.listChangedSince('1970-01-01T00:00:00.000Z');
  const scored = all
    .map((a) => {
      const hay = `${a.title} ${a.title} ${a.summary} ${a.text.slice(0, 3000)}`.toLowerCase();
      const score = terms.reduce((s, t) => s + (hay.split(t).length - 1), 0);
      return { a, score };
    })
    .filter((x) => x.score > 0)
    .sort((x, y) => y.score - x.score || y.a.publishedAt.localeCompare(x.a.publishedAt))
    .slice(0, limit);
  const events = scored.map(({ a }) =>
    composeEventBrief({ id: `e_${a.id.slice(2)}`, title: a.title, articles: [a], summary: [a.summary].filter(Boolean), disputed: [] }),
  );
  return composeBriefing(deps.now().toISOString(), [], events);
}
