import { describe, expect, it } from 'vitest';
import { clusterBatch } from '../../../src/cluster/cluster-batch.ts';
import { type Assignment, createClusterer, DEFAULT_CLUSTER_PARAMS } from '../../../src/cluster/cluster-stories.ts';
import { deserializeEventState, serializeEventState } from '../../../src/cluster/event-state.ts';
import { buildFeatures, countTerms } from '../../../src/cluster/features.ts';
import { createTermStats, idf } from '../../../src/cluster/term-stats.ts';
import { BRIDGE, FLOOD, QUAKES, type Story } from '../../helpers/stories.ts';

function run(stories: Story[], params = DEFAULT_CLUSTER_PARAMS) {
  const clusterer = createClusterer(params, [], (a) => `ev-${a.id}`);
  const stats = createTermStats();
  const assignments = clusterBatch(stories, clusterer, stats);
  const eventOf = new Map(assignments.map((a) => [a.articleId, a.eventId]));
  return { clusterer, assignments, eventOf, stats };
}

function groups(assignments: Assignment[]): string[][] {
  const m = new Map<string, string[]>();
  for (const a of assignments) m.set(a.eventId, [...(m.get(a.eventId) ?? []), a.articleId]);
  return [...m.values()].map((g) => g.sort()).sort((a, b) => (a[0] ?? '').localeCompare(b[0] ?? ''));
}

describe('cluster/term-stats', () => {
  it('keeps a name shared by every document of a tiny corpus rare (background prior)', () => {
    const stats = createTermStats(
      5,
      new Map([
        ['tarnica', 5],
        ['peopl', 5],
      ]),
    );
    expect(idf(stats, 'tarnica')).toBeGreaterThan(4);
    expect(idf(stats, 'tarnica')).toBeGreaterThan(idf(stats, 'peopl') + 1);
  });
});

describe('cluster/features', () => {
  it('weighs title terms above the same terms in the body', () => {
    const stats = createTermStats();
    const story = {
      id: 'x',
      outlet: 'o',
      publishedAt: '2025-06-01T00:00:00Z',
      title: 'Tarnica bridge',
      text: 'The Oder flows. The Oder rises. Tarnica waits.',
    };
    const f = buildFeatures(story, countTerms(story), stats);
    expect(f.termVector.get('bridg') ?? 0).toBeGreaterThan(f.termVector.get('flow') ?? 0);
    expect(f.keys).toContain('bridg');
  });
});

describe('cluster/cluster-stories', () => {
  it('puts several outlets reporting one event, in different words, into one event', () => {
    const { assignments } = run([...BRIDGE, ...FLOOD].sort((a, b) => a.publishedAt.localeCompare(b.publishedAt)));
    expect(groups(assignments)).toEqual([BRIDGE.map((s) => s.id).sort(), FLOOD.map((s) => s.id).sort()]);
  });

  it('keeps two look-alike earthquakes ten days apart as two events', () => {
    const { assignments } = run(QUAKES);
    expect(groups(assignments)).toEqual([
      ['quake-java-1', 'quake-java-2'],
      ['quake-sumatra-1', 'quake-sumatra-2'],
    ]);
  });

  it('does not let an event stay open forever: a similar story after the window opens a new, linked event', () => {
    const late = { ...BRIDGE[1], id: 'bridge-late', publishedAt: '2025-06-20T08:00:00Z' } as Story;
    const { assignments } = run([...BRIDGE, late]);
    const lateAssignment = assignments.find((a) => a.articleId === 'bridge-late');
    expect(lateAssignment?.isNew).toBe(true);
    expect(lateAssignment?.relatedTo).toBe(assignments[0]?.eventId);
  });

  it('holds back an article from the same outlet minutes later unless it is as similar as an update', () => {
    const params = { ...DEFAULT_CLUSTER_PARAMS, sameOutletPenalty: 2 };
    const sameOutlet = { ...FLOOD[1], id: 'flood-same-outlet', outlet: 'Valley Courier', publishedAt: '2025-06-02T09:10:00Z' } as Story;
    const { eventOf } = run([FLOOD[0] as Story, sameOutlet], params);
    expect(eventOf.get('flood-same-outlet')).not.toBe(eventOf.get('flood-1'));
    const { eventOf: defaults } = run([FLOOD[0] as Story, sameOutlet]);
    expect(defaults.get('flood-same-outlet')).toBe(defaults.get('flood-1'));
  });

  it('continues from stored event state exactly as if it had never stopped', () => {
    const first = run(BRIDGE.slice(0, 2));
    const saved = first.clusterer.events().map((e) => deserializeEventState(e.id, e.relatedTo, serializeEventState(e)));
    const resumed = createClusterer(DEFAULT_CLUSTER_PARAMS, saved, (a) => `ev-${a.id}`);
    const stats = createTermStats(first.stats.docs, new Map(first.stats.df));
    const more = clusterBatch(BRIDGE.slice(2), resumed, stats);
    expect(new Set(more.map((a) => a.eventId))).toEqual(new Set([first.eventOf.get('bridge-1')]));
  });
});
