/**
 * @module Pure: an article's representation for clustering. A TF-IDF vector over title, lead and
 * body (the title and the first paragraphs weigh more, where news puts the event), a vector of
 * proper-noun tokens, and the top terms used to look up candidate events.
 */
import { extractEntities } from '../nlp/entities.ts';
import { contentTokens } from '../nlp/tokenize.ts';
import { idf, type TermStats } from './term-stats.ts';

export interface ClusterInput {
  id: string;
  title: string;
  text: string;
  outlet: string;
  publishedAt: string;
}

/** Raw counts, computed once per article (before IDF is known). */
export interface TermCounts {
  terms: Map<string, number>;
  /** Terms of the headline alone: the headline states the event. */
  titleTerms: Map<string, number>;
  entities: Map<string, number>;
  /** Entity tokens the headline names. */
  titleEntities: Set<string>;
}

export interface ArticleFeatures {
  id: string;
  time: number;
  outlet: string;
  /** L2-normalised TF-IDF weights. */
  termVector: Map<string, number>;
  /** L2-normalised TF-IDF weights of the headline alone. */
  titleVector: Map<string, number>;
  /** L2-normalised IDF-weighted entity tokens (keys without the "@"). */
  entityVector: Map<string, number>;
  /** The headline's entity tokens with their IDF: who and where the headline is about. */
  titleEntities: Map<string, number>;
  /** Highest-weighted terms and entities, for candidate retrieval. */
  keys: string[];
}

export interface FeatureWeights {
  title: number;
  lead: number;
  /** Body tokens beyond this many are ignored: the event is in the first paragraphs. */
  maxBodyTokens: number;
  /** Paragraphs that count as the lead. */
  leadParagraphs: number;
}

export const DEFAULT_FEATURE_WEIGHTS: FeatureWeights = { title: 3, lead: 1.5, maxBodyTokens: 350, leadParagraphs: 2 };

export function countTerms(a: ClusterInput, w: FeatureWeights = DEFAULT_FEATURE_WEIGHTS): TermCounts {
  const terms = new Map<string, number>();
  const add = (tokens: string[], weight: number) => {
    for (const t of tokens) terms.set(t, (terms.get(t) ?? 0) + weight);
  };
  const titleTokens = contentTokens(a.title);
  add(titleTokens, w.title);
  const titleTerms = new Map<string, number>();
  for (const t of titleTokens) titleTerms.set(t, (titleTerms.get(t) ?? 0) + 1);
  const paragraphs = a.text.split(/\n+/).filter((p) => p.trim());
  let budget = w.maxBodyTokens;
  paragraphs.forEach((p, i) => {
    if (budget <= 0) return;
    const tokens = contentTokens(p).slice(0, budget);
    budget -= tokens.length;
    add(tokens, i < w.leadParagraphs ? w.lead : 1);
  });
  const bodyForEntities = paragraphs.slice(0, 8).join('\n');
  const entities = extractEntities(a.title, bodyForEntities);
  return { terms, titleTerms, entities: entities.counts, titleEntities: entities.inTitle };
}

/** The distinct keys an article contributes to document frequencies. */
export function documentKeys(c: TermCounts): string[] {
  return [...c.terms.keys(), ...[...c.entities.keys()].map((e) => `@${e}`)];
}

function normalize(m: Map<string, number>): Map<string, number> {
  let sum = 0;
  for (const v of m.values()) sum += v * v;
  const n = Math.sqrt(sum);
  if (n === 0) return m;
  for (const [k, v] of m) m.set(k, v / n);
  return m;
}

export function buildFeatures(a: ClusterInput, c: TermCounts, stats: TermStats, retrievalKeys = 14): ArticleFeatures {
  const termVector = new Map<string, number>();
  for (const [t, tf] of c.terms) termVector.set(t, (1 + Math.log(tf)) * idf(stats, t));
  const titleVector = new Map<string, number>();
  for (const [t, tf] of c.titleTerms) titleVector.set(t, (1 + Math.log(tf)) * idf(stats, t));
  const entityVector = new Map<string, number>();
  for (const [e, tf] of c.entities) entityVector.set(e, (1 + Math.log(1 + tf)) * idf(stats, `@${e}`));
  const titleEntities = new Map<string, number>();
  for (const e of c.titleEntities) titleEntities.set(e, idf(stats, `@${e}`));
  normalize(termVector);
  normalize(titleVector);
  normalize(entityVector);
  const topTerms = [...termVector]
    .sort((x, y) => y[1] - x[1])
    .slice(0, retrievalKeys)
    .map(([t]) => t);
  const topEnts = [...entityVector]
    .sort((x, y) => y[1] - x[1])
    .slice(0, 6)
    .map(([e]) => `@${e}`);
  const t = Date.parse(a.publishedAt);
  return {
    id: a.id,
    time: Number.isNaN(t) ? 0 : t,
    outlet: a.outlet,
    termVector,
    titleVector,
    entityVector,
    titleEntities,
    keys: [...topTerms, ...topEnts],
  };
}
