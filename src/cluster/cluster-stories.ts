/**
 * @module Pure, incremental event clustering. Each new article is compared with the events still
 * open (candidates found through an inverted index of their key terms, so the cost per article does
 * not grow with the number of stored articles); it joins the best one above a threshold or opens a new
 * event. Similarity combines TF-IDF cosine against the event centroid, proper-noun overlap, time
 * distance, and the outlet. An article close to an event it may not join (closed, or similar in its
 * actors but not in what happened) opens a new event linked to it (`relatedTo`).
 */
import type { ArticleFeatures } from './features.ts';

export interface ClusterParams {
  /** Score needed to join an open event. */
  joinThreshold: number;
  /** Content affinity (time aside) above which a new event is linked to the closest existing one. */
  relatedThreshold: number;
  /** Entity similarity needed for such a link. */
  relatedEntityMin: number;
  textWeight: number;
  entityWeight: number;
  /** No time penalty within this many hours of the event's articles. */
  gapGraceHours: number;
  /** Score lost per day beyond the grace period. */
  gapPenaltyPerDay: number;
  /** An event with no article within this many hours is closed to new members. */
  windowHours: number;
  /** Same outlet, this close in time: probably a different story (unless very similar). */
  sameOutletMinutes: number;
  sameOutletPenalty: number;
  maxCandidates: number;
  /** Terms kept in an event centroid. */
  centroidTerms: number;
  /** Closed events older than this are dropped from memory (they stay in the store). */
  retainHours: number;
}

export const DEFAULT_CLUSTER_PARAMS: ClusterParams = {
  joinThreshold: 0.3,
  relatedThreshold: 0.22,
  relatedEntityMin: 0.45,
  textWeight: 0.65,
  entityWeight: 0.35,
  gapGraceHours: 24,
  gapPenaltyPerDay: 0.08,
  windowHours: 96,
  sameOutletMinutes: 30,
  sameOutletPenalty: 0.05,
  maxCandidates: 40,
  centroidTerms: 300,
  retainHours: 24 * 21,
};

/** An event as the clusterer keeps it: summed member vectors and time span. Plain data, persistable. */
export interface ClusterEvent {
  id: string;
  centroid: Map<string, number>;
  cnorm2: number;
  ents: Map<string, number>;
  enorm2: number;
  size: number;
  firstAt: number;
  lastAt: number;
  /** Recent members' outlet and time, for the same-outlet rule. */
  recent: Array<{ outlet: string; time: number }>;
  relatedTo: string | null;
  /** Index keys this event is filed under. */
  keys: string[];
}

export interface Assignment {
  articleId: string;
  eventId: string;
  isNew: boolean;
  relatedTo: string | null;
  score: number;
}

export interface Clusterer {
  add(a: ArticleFeatures): Assignment;
  /** Events in memory (open and recently closed). */
  events(): ClusterEvent[];
  get(id: string): ClusterEvent | undefined;
}

function dot(a: ReadonlyMap<string, number>, b: ReadonlyMap<string, number>): number {
  let s = 0;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  for (const [k, v] of small) {
    const w = large.get(k);
    if (w !== undefined) s += v * w;
  }
  return s;
}

function addInto(target: Map<string, number>, v: ReadonlyMap<string, number>, norm2: number): number {
  let n2 = norm2;
  for (const [k, x] of v) {
    const c = target.get(k) ?? 0;
    n2 += 2 * c * x + x * x;
    target.set(k, c + x);
  }
  return n2;
}

function prune(m: Map<string, number>, keep: number): number {
  const top = [...m].sort((a, b) => b[1] - a[1]).slice(0, keep);
  m.clear();
  let n2 = 0;
  for (const [k, v] of top) {
    m.set(k, v);
    n2 += v * v;
  }
  return n2;
}

export function gapHours(e: ClusterEvent, time: number): number {
  const ms = time < e.firstAt ? e.firstAt - time : time > e.lastAt ? time - e.lastAt : 0;
  return ms / 3_600_000;
}

export interface ScoreParts {
  text: number;
  entity: number;
  /** Content similarity alone, before time and outlet adjustments. */
  affinity: number;
  gapHours: number;
  score: number;
}

export function scoreEvent(a: ArticleFeatures, e: ClusterEvent, p: ClusterParams): ScoreParts {
  const text = e.cnorm2 > 0 ? dot(a.vec, e.centroid) / Math.sqrt(e.cnorm2) : 0;
  const entity = e.enorm2 > 0 && a.ents.size > 0 ? dot(a.ents, e.ents) / Math.sqrt(e.enorm2) : 0;
  const gap = gapHours(e, a.time);
  const affinity = p.textWeight * text + p.entityWeight * entity;
  let score = affinity - (p.gapPenaltyPerDay * Math.max(0, gap - p.gapGraceHours)) / 24;
  const window = p.sameOutletMinutes * 60_000;
  if (p.sameOutletPenalty > 0 && e.recent.some((r) => r.outlet === a.outlet && Math.abs(r.time - a.time) <= window)) {
    score -= p.sameOutletPenalty;
  }
  return { text, entity, affinity, gapHours: gap, score };
}

export function newClusterEvent(id: string, a: ArticleFeatures, relatedTo: string | null): ClusterEvent {
  const e: ClusterEvent = {
    id,
    centroid: new Map(),
    cnorm2: 0,
    ents: new Map(),
    enorm2: 0,
    size: 0,
    firstAt: a.time,
    lastAt: a.time,
    recent: [],
    relatedTo,
    keys: [],
  };
  return e;
}

export function createClusterer(
  params: ClusterParams,
  initial: readonly ClusterEvent[],
  newEventId: (a: ArticleFeatures) => string,
): Clusterer {
  const events = new Map<string, ClusterEvent>();
  const index = new Map<string, Set<ClusterEvent>>();
  let streamTime = 0;

  const file = (e: ClusterEvent, keys: readonly string[]) => {
    for (const k of keys) {
      let set = index.get(k);
      if (!set) {
        set = new Set();
        index.set(k, set);
      }
      if (!set.has(e)) {
        set.add(e);
        e.keys.push(k);
      }
    }
  };
  const forget = (e: ClusterEvent) => {
    for (const k of e.keys) index.get(k)?.delete(e);
    events.delete(e.id);
  };
  for (const e of initial) {
    events.set(e.id, e);
    const keys = e.keys;
    e.keys = [];
    file(e, keys);
    streamTime = Math.max(streamTime, e.lastAt);
  }

  const join = (e: ClusterEvent, a: ArticleFeatures) => {
    e.cnorm2 = addInto(e.centroid, a.vec, e.cnorm2);
    e.enorm2 = addInto(e.ents, a.ents, e.enorm2);
    if (e.centroid.size > params.centroidTerms * 1.5) e.cnorm2 = prune(e.centroid, params.centroidTerms);
    if (e.ents.size > 120) e.enorm2 = prune(e.ents, 80);
    e.size++;
    e.firstAt = Math.min(e.firstAt, a.time);
    e.lastAt = Math.max(e.lastAt, a.time);
    e.recent.push({ outlet: a.outlet, time: a.time });
    if (e.recent.length > 12) e.recent.shift();
    file(e, a.keys);
  };

  let sinceSweep = 0;
  const sweep = () => {
    const cutoff = streamTime - params.retainHours * 3_600_000;
    for (const e of [...events.values()]) if (e.lastAt < cutoff) forget(e);
  };

  return {
    add(a) {
      streamTime = Math.max(streamTime, a.time);
      const hits = new Map<ClusterEvent, number>();
      for (const k of a.keys) {
        const set = index.get(k);
        if (!set) continue;
        const weight = k.startsWith('@') ? 1.5 : 1;
        for (const e of set) hits.set(e, (hits.get(e) ?? 0) + weight);
      }
      const candidates = [...hits]
        .sort((x, y) => y[1] - x[1])
        .slice(0, params.maxCandidates)
        .map(([e]) => e);
      let bestOpen: { e: ClusterEvent; s: ScoreParts } | null = null;
      let bestAny: { e: ClusterEvent; s: ScoreParts } | null = null;
      for (const e of candidates) {
        const s = scoreEvent(a, e, params);
        if (!bestAny || s.affinity > bestAny.s.affinity) bestAny = { e, s };
        if (s.gapHours <= params.windowHours && (!bestOpen || s.score > bestOpen.s.score)) bestOpen = { e, s };
      }
      let assignment: Assignment;
      if (bestOpen && bestOpen.s.score >= params.joinThreshold) {
        join(bestOpen.e, a);
        assignment = { articleId: a.id, eventId: bestOpen.e.id, isNew: false, relatedTo: bestOpen.e.relatedTo, score: bestOpen.s.score };
      } else {
        const related =
          bestAny && bestAny.s.affinity >= params.relatedThreshold && bestAny.s.entity >= params.relatedEntityMin ? bestAny.e.id : null;
        const e = newClusterEvent(newEventId(a), a, related);
        events.set(e.id, e);
        join(e, a);
        assignment = { articleId: a.id, eventId: e.id, isNew: true, relatedTo: related, score: bestOpen?.s.score ?? 0 };
      }
      if (++sinceSweep >= 500) {
        sinceSweep = 0;
        sweep();
      }
      return assignment;
    },
    events: () => [...events.values()],
    get: (id) => events.get(id),
  };
}
