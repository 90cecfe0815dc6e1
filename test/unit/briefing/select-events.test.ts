import { describe, expect, it } from 'vitest';
import { changesSince, hasChanges, pointKey, shownState } from '../../../src/briefing/event-changes.ts';
import { matchesTopics, selectEvents } from '../../../src/briefing/select-events.ts';
import type { DisputedPoint, EventBrief, SourceRef } from '../../../src/core/types.ts';

function source(id: string, outlet = `Outlet ${id}`): SourceRef {
  return {
    articleId: id,
    outlet,
    title: `Title ${id}`,
    url: `https://example.org/${id}`,
    publishedAt: '2025-04-26T10:00:00Z',
    independent: true,
  };
}

function event(id: string, title: string, sources: number, last = '2025-04-26T10:00:00Z', disputed: DisputedPoint[] = []): EventBrief {
  return {
    id,
    title,
    summary: [`${title}.`],
    disputed,
    noDisputeNote: disputed.length ? null : 'The sources agree.',
    sources: Array.from({ length: sources }, (_, i) => source(`${id}-${i}`)),
    articles: sources,
    independentSources: sources,
    firstPublishedAt: '2025-04-26T08:00:00Z',
    lastPublishedAt: last,
    relatedTo: null,
  };
}

const claim: DisputedPoint = {
  point: 'Whether all Ukrainian units were driven out of Kursk',
  kind: 'claim_vs_denial',
  sides: [
    { by: 'Russia (Gerasimov)', claim: 'all units driven out', sources: ['https://example.org/a'] },
    { by: 'Ukraine (General Staff)', claim: 'still holds positions', sources: ['https://example.org/b'] },
  ],
};

describe('briefing/select-events', () => {
  const events = [
    event('kursk', 'Russia says Kursk retaken; Kyiv denies', 4),
    event('flood', 'Lisky evacuated as the Varna floods', 2, '2025-04-26T12:00:00Z'),
    event('budget', 'Parliament passes the budget', 1),
    event('iran', 'Iran talks resume in Oman', 3),
  ];

  it('keeps a channel to its topics: keywords anywhere, entities as whole words', () => {
    expect(matchesTopics(events[0] as EventBrief, { keywords: ['kursk'], entities: [] })).toBe(true);
    expect(matchesTopics(events[3] as EventBrief, { keywords: [], entities: ['Iran'] })).toBe(true);
    // "Iran" is not in "Iranian" … nor in "Tirana".
    expect(matchesTopics(event('x', 'Tirana council meets', 1), { keywords: [], entities: ['Iran'] })).toBe(false);
    expect(matchesTopics(events[1] as EventBrief, null)).toBe(true);
  });

  it('puts the best-sourced events first, drops thinly sourced ones, and caps the brief', () => {
    const chosen = selectEvents(events, { topics: null, maxEvents: 2, minSources: 2 });
    expect(chosen.map((e) => e.id)).toEqual(['kursk', 'iran']);
    expect(selectEvents(events, { topics: null, maxEvents: 10, minSources: 2 }).map((e) => e.id)).toEqual(['kursk', 'iran', 'flood']);
  });
});

describe('briefing/event-changes', () => {
  it('sees new sources and new disputed points, not a rewording of a point already shown', () => {
    const before = event('kursk', 'Kursk', 2, undefined, [claim]);
    const shown = shownState(before);
    const reworded: DisputedPoint = { ...claim, point: 'Whether all Ukrainian units were driven out of Kursk region' };
    const after = { ...before, sources: [...before.sources, source('new', 'The Meridian Post')], disputed: [reworded] };
    const change = changesSince(after, shown);
    expect(change.newSources.map((s) => s.outlet)).toEqual(['The Meridian Post']);
    expect(change.newPoints).toEqual([]);
    expect(hasChanges(changesSince(before, shown))).toBe(false);
    const figures: DisputedPoint = {
      point: 'Number of North Korean troops',
      kind: 'figures_differ',
      sides: [
        { by: 'South Korea', claim: '10,000–12,000', sources: [] },
        { by: 'Ukraine', claim: 'more than 12,000', sources: [] },
      ],
    };
    expect(changesSince({ ...before, disputed: [claim, figures] }, shown).newPoints.map(pointKey)).toEqual([pointKey(figures)]);
  });
});
