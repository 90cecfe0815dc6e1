/** Serialises the clusterer's per-event state for the store (maps as entry arrays, rounded). */
import { createHash } from 'node:crypto';
import type { ClusterEvent } from './cluster-stories.ts';

interface StateJson {
  v: 1;
  c: Array<[string, number]>;
  t?: Array<[string, number]>;
  e: Array<[string, number]>;
  /** Headline names (absent in states saved before they were kept). */
  h?: Array<[string, number]>;
  n: number;
  f: number;
  l: number;
  r: Array<[string, number, Array<[string, number]>?]>;
  k: string[];
}

const round = (x: number) => Math.round(x * 1e5) / 1e5;

export function serializeEventState(e: ClusterEvent): string {
  const json: StateJson = {
    v: 1,
    c: [...e.centroid].map(([k, v]) => [k, round(v)]),
    t: [...e.titles].map(([k, v]) => [k, round(v)]),
    e: [...e.ents].map(([k, v]) => [k, round(v)]),
    h: [...e.headlineEnts].map(([k, v]) => [k, round(v)]),
    n: e.size,
    f: e.firstAt,
    l: e.lastAt,
    r: e.recent.map((x) => [x.outlet, x.time, x.top ? [...x.top].map(([k, v]) => [k, round(v)] as [string, number]) : undefined]),
    k: e.keys,
  };
  return JSON.stringify(json);
}

export function deserializeEventState(id: string, relatedTo: string | null, state: string): ClusterEvent {
  const j = JSON.parse(state) as StateJson;
  const centroid = new Map(j.c);
  const ents = new Map(j.e);
  const titles = new Map(j.t ?? []);
  let tnorm2 = 0;
  for (const v of titles.values()) tnorm2 += v * v;
  let cnorm2 = 0;
  for (const v of centroid.values()) cnorm2 += v * v;
  let enorm2 = 0;
  for (const v of ents.values()) enorm2 += v * v;
  return {
    id,
    centroid,
    cnorm2,
    titles,
    tnorm2,
    ents,
    enorm2,
    headlineEnts: new Map(j.h ?? []),
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
