/** Serialises the clusterer's per-event state for the store (maps as entry arrays, rounded). */
import { createHash } from 'node:crypto';
import type { ClusterEvent } from './cluster-stories.ts';

/** The stored shape (short keys: this is persisted in every event row, so the keys stay as they are). */
interface StateJson {
  /** Format version. */
  v: 1;
  /** Centroid. */
  c: Array<[string, number]>;
  /** Summed headline vectors. */
  t?: Array<[string, number]>;
  /** Summed entity vectors. */
  e: Array<[string, number]>;
  /** Headline names (absent in states saved before they were kept). */
  h?: Array<[string, number]>;
  /** Size (articles). */
  n: number;
  /** First and last article times (ms). */
  f: number;
  l: number;
  /** Recent members: outlet, time, top terms. */
  r: Array<[string, number, Array<[string, number]>?]>;
  /** Index keys. */
  k: string[];
}

const round = (x: number) => Math.round(x * 1e5) / 1e5;

export function serializeEventState(event: ClusterEvent): string {
  const json: StateJson = {
    v: 1,
    c: [...event.centroid].map(([k, v]) => [k, round(v)]),
    t: [...event.titles].map(([k, v]) => [k, round(v)]),
    e: [...event.entities].map(([k, v]) => [k, round(v)]),
    h: [...event.headlineEntities].map(([k, v]) => [k, round(v)]),
    n: event.size,
    f: event.firstAt,
    l: event.lastAt,
    r: event.recent.map((x) => [x.outlet, x.time, x.top ? [...x.top].map(([k, v]) => [k, round(v)] as [string, number]) : undefined]),
    k: event.keys,
  };
  return JSON.stringify(json);
}

export function deserializeEventState(id: string, relatedTo: string | null, state: string): ClusterEvent {
  const j = JSON.parse(state) as StateJson;
  const centroid = new Map(j.c);
  const entities = new Map(j.e);
  const titles = new Map(j.t ?? []);
  let titlesNormSquared = 0;
  for (const v of titles.values()) titlesNormSquared += v * v;
  let centroidNormSquared = 0;
  for (const v of centroid.values()) centroidNormSquared += v * v;
  let entitiesNormSquared = 0;
  for (const v of entities.values()) entitiesNormSquared += v * v;
  return {
    id,
    centroid,
    centroidNormSquared,
    titles,
    titlesNormSquared,
    entities,
    entitiesNormSquared,
    headlineEntities: new Map(j.h ?? []),
    size: j.n,
    firstAt: j.f,
    lastAt: j.l,
    recent: j.r.map(([outlet, time, top]) => (top ? { outlet, time, top: new Map(top) } : { outlet, time })),
    relatedTo,
    keys: j.k,
  };
}

/** Stable event id from the article that opened it. */
export function eventIdFor(firstArticleId: string): string {
  return `e_${createHash('sha256').update(firstArticleId).digest('hex').slice(0, 16)}`;
}
