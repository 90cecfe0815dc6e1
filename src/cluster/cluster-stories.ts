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
  /** Weight of headline-to-headlines similarity. */
  titleWeight: number;
  /** Weight of the similarity to the closest recent member (follows events that drift). */
  nearestWeight: number;
  entityWeight: number;
  /** No time penalty within this many hours of the event's articles. */
  gapGraceHours: number;
  /** Score lost per day beyond the grace period. */
  gapPenaltyPerDay: number;
  /** Score gained per log(1 + event size): big, established events attract related coverage. */
  sizeWeight: number;
  /** Score lost when none of the names in the article's headline is among the event's names (scaled by the share missing). */
  titleEntityMissWeight: number;
  /** Score lost when the event's main names are absent from the article (scaled by the share missing). */
  coreEntityMissWeight: number;
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

/**
 * Learned by test/eval/train-cluster.ts (logistic regression over each article's closest candidate
 * events, every stream weighing the same; the threshold chosen by the worst stream's B-cubed F1) on
 * test/fixtures/cluster and the dev streams in ../shared/data, the AllSides stream also with its days
 * folded onto 60 (dozens of stories a day, so time alone cannot tell them apart). Checked held out,
 * stream by stream; `npm run eval:cluster` prints the figures. Scores are on the text-cosine scale.
 */
export const DEFAULT_CLUSTER_PARAMS: ClusterParams = {
  joinThreshold: 0.48,
  relatedThreshold: 0.45,
  relatedEntityMin: 0.45,
  textWeight: 1,
  titleWeight: 0.68,
  nearestWeight: 1,
  entityWeight: 0.17,
  titleEntityMissWeight: 0.11,
  coreEntityMissWeight: 0.14,
  gapGraceHours: 24,
  gapPenaltyPerDay: 0.65,
  sizeWeight: 0,
  windowHours: 96,
  sameOutletMinutes: 30,
  sameOutletPenalty: 0.04,
  maxCandidates: 40,
  centroidTerms: 300,
  retainHours: 24 * 21,
};

/** An event as the clusterer keeps it: summed member vectors and time span. Plain data, persistable. */
export interface ClusterEvent {
  id: string;
  centroid: Map<string, number>;
  centroidNormSquared: number;
  /** Summed headline vectors. */
  titles: Map<string, number>;
  titlesNormSquared: number;
  /** Summed entity vectors. */
  entities: Map<string, number>;
  entitiesNormSquared: number;
  /** Names in its members' headlines, with summed IDF: who and where the event is about. */
  headlineEntities: Map<string, number>;
  size: number;
  firstAt: number;
  lastAt: number;
  /** Recent members' outlet, time and top terms (same-outlet rule, nearest-member similarity). */
  recent: Array<{ outlet: string; time: number; top?: Map<string, number> }>;
  relatedTo: string | null;
  /** Index keys this event is filed under. */
  keys: string[];
  /** Its main names (cached; recomputed after a member joins). */
  core?: string[] | undefined;
}

export interface Assignment {
  articleId: string;
  eventId: string;
  isNew: boolean;
  relatedTo: string | null;
  score: number;
}

export interface Clusterer {
  add(article: ArticleFeatures): Assignment;
  /** Events in memory (open and recently closed). */
  events(): ClusterEvent[];
  /** An event in memory, or one closed since the last `releaseClosed()` (so its last state can be saved). */
  get(id: string): ClusterEvent | undefined;
  /**
   * Drops the events closed for good since the last call (their final state must have been saved):
   * memory stays bounded by the open events, whatever the length of the stream.
   */
  releaseClosed(): ClusterEvent[];
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

export function gapHours(event: ClusterEvent, time: number): number {
  const ms = time < event.firstAt ? event.firstAt - time : time > event.lastAt ? time - event.lastAt : 0;
  return ms / 3_600_000;
}

export interface ScoreParts {
  text: number;
  title: number;
  nearest: number;
  entity: number;
  /** Share (IDF-weighted) of the headline's names the event does not know; 0 when the headline names none. */
  titleMiss: number;
  /** Share of the event's main names the article does not mention. */
  coreMiss: number;
  /** Content similarity alone, before time and outlet adjustments. */
  affinity: number;
  gapHours: number;
  score: number;
}

/** How many of an event's highest-weighted names count as its main names. */
const CORE_NAMES = 3;

function coreNames(event: ClusterEvent): string[] {
  event.core ??= [...(event.headlineEntities.size > 0 ? event.headlineEntities : event.entities)]
    .sort((x, y) => y[1] - x[1])
    .slice(0, CORE_NAMES)
    .map(([k]) => k);
  return event.core;
}

export function entityMisses(article: ArticleFeatures, event: ClusterEvent): { titleMiss: number; coreMiss: number } {
  let total = 0;
  let known = 0;
  for (const [t, w] of article.titleEntities) {
    total += w;
    if (event.entities.has(t)) known += w;
  }
  const core = coreNames(event);
  const missing = core.filter((t) => !article.entityVector.has(t)).length;
  return { titleMiss: total > 0 ? 1 - known / total : 0, coreMiss: core.length > 0 ? missing / core.length : 0 };
}

export function scoreEvent(article: ArticleFeatures, event: ClusterEvent, params: ClusterParams): ScoreParts {
  const text = event.centroidNormSquared > 0 ? dot(article.termVector, event.centroid) / Math.sqrt(event.centroidNormSquared) : 0;
  const entity =
    event.entitiesNormSquared > 0 && article.entityVector.size > 0
      ? dot(article.entityVector, event.entities) / Math.sqrt(event.entitiesNormSquared)
      : 0;
  const title =
    event.titlesNormSquared > 0 && article.titleVector.size > 0
      ? dot(article.titleVector, event.titles) / Math.sqrt(event.titlesNormSquared)
      : 0;
  let nearest = 0;
  if (params.nearestWeight !== 0) for (const r of event.recent) if (r.top) nearest = Math.max(nearest, dot(article.termVector, r.top));
  const gap = gapHours(event, article.time);
  const { titleMiss, coreMiss } = entityMisses(article, event);
  const affinity =
    params.textWeight * text +
    params.titleWeight * title +
    params.nearestWeight * nearest +
    params.entityWeight * entity -
    params.titleEntityMissWeight * titleMiss -
    params.coreEntityMissWeight * coreMiss;
  let score =
    affinity - (params.gapPenaltyPerDay * Math.max(0, gap - params.gapGraceHours)) / 24 + params.sizeWeight * Math.log1p(event.size);
  const window = params.sameOutletMinutes * 60_000;
  if (params.sameOutletPenalty > 0 && event.recent.some((r) => r.outlet === article.outlet && Math.abs(r.time - article.time) <= window)) {
    score -= params.sameOutletPenalty;
  }
  return { text, title, nearest, entity, titleMiss, coreMiss, affinity, gapHours: gap, score };
}

export function newClusterEvent(id: string, article: ArticleFeatures, relatedTo: string | null): ClusterEvent {
  const event: ClusterEvent = {
    id,
    centroid: new Map(),
    centroidNormSquared: 0,
    titles: new Map(),
    titlesNormSquared: 0,
    entities: new Map(),
    entitiesNormSquared: 0,
    headlineEntities: new Map(),
    size: 0,
    firstAt: article.time,
    lastAt: article.time,
    recent: [],
    relatedTo,
    keys: [],
  };
  return event;
}

/** Adds an article to an event's state (centroids, time span, recent outlets). */
export function absorb(event: ClusterEvent, article: ArticleFeatures, params: ClusterParams): void {
  event.centroidNormSquared = addInto(event.centroid, article.termVector, event.centroidNormSquared);
  event.titlesNormSquared = addInto(event.titles, article.titleVector, event.titlesNormSquared);
  if (event.titles.size > 200) event.titlesNormSquared = prune(event.titles, 120);
  event.entitiesNormSquared = addInto(event.entities, article.entityVector, event.entitiesNormSquared);
  for (const [t, w] of article.titleEntities) event.headlineEntities.set(t, (event.headlineEntities.get(t) ?? 0) + w);
  if (event.headlineEntities.size > 60) prune(event.headlineEntities, 40);
  event.core = undefined;
  if (event.centroid.size > params.centroidTerms * 1.5) event.centroidNormSquared = prune(event.centroid, params.centroidTerms);
  if (event.entities.size > 120) event.entitiesNormSquared = prune(event.entities, 80);
  event.size++;
  event.firstAt = Math.min(event.firstAt, article.time);
  event.lastAt = Math.max(event.lastAt, article.time);
  const top = new Map([...article.termVector].sort((x, y) => y[1] - x[1]).slice(0, 40));
  event.recent.push({ outlet: article.outlet, time: article.time, top });
  if (event.recent.length > 16) event.recent.shift();
}

/** Keys filed under more events than this are not used to find candidates. */
const MAX_POSTINGS = 300;

export function createClusterer(
  params: ClusterParams,
  initial: readonly ClusterEvent[],
  newEventId: (article: ArticleFeatures) => string,
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
  /** Events closed for good, kept until the caller has saved them (`releaseClosed`). */
  const closed = new Map<string, ClusterEvent>();
  const forget = (e: ClusterEvent) => {
    for (const k of e.keys) index.get(k)?.delete(e);
    events.delete(e.id);
    closed.set(e.id, e);
  };
  for (const e of initial) {
    events.set(e.id, e);
    const keys = e.keys;
    e.keys = [];
    file(e, keys);
    streamTime = Math.max(streamTime, e.lastAt);
  }

  const join = (event: ClusterEvent, article: ArticleFeatures) => {
    absorb(event, article, params);
    file(event, article.keys);
  };

  let sinceSweep = 0;
  const sweep = () => {
    const cutoff = streamTime - params.retainHours * 3_600_000;
    for (const e of [...events.values()]) if (e.lastAt < cutoff) forget(e);
  };

  return {
    add(article) {
      streamTime = Math.max(streamTime, article.time);
      const hits = new Map<ClusterEvent, number>();
      for (const k of article.keys) {
        const set = index.get(k);
        // A key filed under hundreds of events tells none apart: reading it would cost the most and say the least.
        if (!set || set.size > MAX_POSTINGS) continue;
        const weight = k.startsWith('@') ? 1.5 : 1;
        for (const e of set) hits.set(e, (hits.get(e) ?? 0) + weight);
      }
      const candidates = [...hits]
        .sort((x, y) => y[1] - x[1])
        .slice(0, params.maxCandidates)
        .map(([e]) => e);
      // Nearest-member similarity is the costly part: compute it only for the most promising few.
      const cheap = { ...params, nearestWeight: 0 };
      const shortlist = candidates
        .map((e) => ({ e, s: scoreEvent(article, e, cheap) }))
        .sort((x, y) => y.s.score - x.s.score)
        .slice(0, 8);
      let bestOpen: { e: ClusterEvent; s: ScoreParts } | null = null;
      let bestAny: { e: ClusterEvent; s: ScoreParts } | null = null;
      for (const { e, s: first } of shortlist) {
        const s = params.nearestWeight === 0 ? first : scoreEvent(article, e, params);
        if (!bestAny || s.affinity > bestAny.s.affinity) bestAny = { e, s };
        if (s.gapHours <= params.windowHours && (!bestOpen || s.score > bestOpen.s.score)) bestOpen = { e, s };
      }
      let assignment: Assignment;
      if (bestOpen && bestOpen.s.score >= params.joinThreshold) {
        join(bestOpen.e, article);
        assignment = {
          articleId: article.id,
          eventId: bestOpen.e.id,
          isNew: false,
          relatedTo: bestOpen.e.relatedTo,
          score: bestOpen.s.score,
        };
      } else {
        const related =
          bestAny && bestAny.s.affinity >= params.relatedThreshold && bestAny.s.entity >= params.relatedEntityMin ? bestAny.e.id : null;
        const e = newClusterEvent(newEventId(article), article, related);
        events.set(e.id, e);
        join(e, article);
        assignment = { articleId: article.id, eventId: e.id, isNew: true, relatedTo: related, score: bestOpen?.s.score ?? 0 };
      }
      if (++sinceSweep >= 500) {
        sinceSweep = 0;
        sweep();
      }
      return assignment;
    },
    events: () => [...events.values()],
    get: (id) => events.get(id) ?? closed.get(id),
    releaseClosed() {
      const out = [...closed.values()];
      closed.clear();
      return out;
    },
  };
}
