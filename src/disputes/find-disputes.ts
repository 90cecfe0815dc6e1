/**
 * @module Pure: what the sources disagree about. A list of finders, one per kind of disagreement
 * (see README.md here): a claim and its denial, a claim and its debunk, rival victory claims, figures
 * that cannot both be true, a characterisation its target rejects. Each point names what is contested
 * and each side: a named holder, what it says, and the event's articles that carry it.
 *
 * Precision first: a wrong point costs a reader more than a missing one, so a finder proposes a point
 * only with evidence of a contradiction, and every side must be a named holder. "The sources agree" is
 * said only after a positive check: no finder saw a trace of disagreement it could not settle.
 */
import type { DisputedPoint } from '../core/types.ts';
import { dice, tokens } from './dispute-common.ts';
import { articleSentences, type ClaimArticle, extractClaims, isNamedHolder } from './extract-claims.ts';
import type { DisputeContext, DisputeFinder, FoundPoint } from './finder.ts';
import { characterisationFinder } from './finders/characterisation.ts';
import { claimDenialFinder } from './finders/claim-denial.ts';
import { debunkFinder } from './finders/debunk.ts';
import { figureFinder } from './finders/figures.ts';
import { rivalClaimsFinder } from './finders/rival-claims.ts';
import { GARBLED_LABEL } from './lexicon.ts';
import { createLexicalStanceClassifier, type StanceClassifier } from './stance.ts';

export { gist } from './dispute-common.ts';

/** Every kind of dispute briefbot looks for. A new kind: a finder, a fixture, and one line here. */
export const DISPUTE_FINDERS: readonly DisputeFinder[] = [
  claimDenialFinder,
  debunkFinder,
  rivalClaimsFinder,
  figureFinder,
  characterisationFinder,
];

export interface FindDisputesOptions {
  maxPoints?: number;
  finders?: readonly DisputeFinder[];
  stance?: StanceClassifier;
}

export interface DisputeAssessment {
  points: DisputedPoint[];
  /** True only when there are several sources and nothing suggests any of them contradicts another. */
  sourcesAgree: boolean;
}

function context(articles: readonly ClaimArticle[], stance: StanceClassifier): DisputeContext {
  return {
    ...extractClaims(articles),
    articles,
    byId: new Map(articles.map((a) => [a.id, a])),
    sentences: new Map(articles.map((a) => [a.id, articleSentences(a)])),
    stance,
  };
}

/** A point a reader can use: two or more sides, each a named holder citing the event's articles. */
function readable(p: FoundPoint, urls: ReadonlySet<string>): boolean {
  if (p.sides.length < 2) return false;
  const labels = p.sides.map((s) => s.by.toLowerCase());
  if (new Set(labels).size < labels.length) return false;
  return p.sides.every(
    (s) => s.by.trim() && !GARBLED_LABEL.test(s.by) && s.claim.trim() && s.sources.length > 0 && s.sources.every((u) => urls.has(u)),
  );
}

/** Two finders (or two starting points) found the same disagreement: keep the better-supported one. */
function sameDispute(a: FoundPoint, b: FoundPoint): boolean {
  const sidesA = a.sides.map((s) => s.by.toLowerCase());
  const shared = b.sides.filter((s) => sidesA.includes(s.by.toLowerCase())).length;
  return shared >= 2 && (a.kind === b.kind || dice(tokens(a.point), tokens(b.point)) >= 0.3);
}

/** The holder a side label names, without its voices: "Ukraine (General Staff)" → "ukraine". */
const holderOf = (label: string) =>
  label
    .replace(/\s*\(.*\)$/, '')
    .trim()
    .toLowerCase();

/** Two points whose first side (the claim) is the same holder saying the same thing. */
function sameClaim(a: FoundPoint, b: FoundPoint, stance: StanceClassifier): boolean {
  const [x, y] = [a.sides[0], b.sides[0]];
  if (!x || !y || a.kind !== b.kind || a.kind === 'figures_differ' || a.point.startsWith('Who won') || b.point.startsWith('Who won'))
    return false;
  return (holderOf(x.by) === holderOf(y.by) || stance.similarity(x.claim, y.claim) >= 0.7) && stance.similarity(x.claim, y.claim) >= 0.5;
}

export function assessDisputes(articles: readonly ClaimArticle[], options: FindDisputesOptions = {}): DisputeAssessment {
  const finders = options.finders ?? DISPUTE_FINDERS;
  const ctx = context(articles, options.stance ?? createLexicalStanceClassifier());
  const urls = new Set(articles.map((a) => a.url).filter((u): u is string => u !== null));
  const found = finders.flatMap((f) => f.find(ctx)).filter((p) => readable(p, urls));
  found.sort((a, b) => b.weight - a.weight);
  const kept: FoundPoint[] = [];
  for (const p of found) {
    if (kept.some((k) => sameDispute(k, p))) continue;
    // Another holder contesting a claim already on the list is one more side of that point, not a new point.
    const home = kept.find((k) => sameClaim(k, p, ctx.stance));
    if (home) {
      for (const side of p.sides.slice(1)) {
        const twin = home.sides.find((s) => holderOf(s.by) === holderOf(side.by));
        if (twin) {
          twin.sources = [...new Set([...twin.sources, ...side.sources])];
          // The wording that says what the side holds instead ("…; says …") tells the reader more.
          if (/; says /.test(side.claim) && !/; says /.test(twin.claim)) twin.claim = side.claim;
        } else if (home.sides.length < 3) home.sides.push(side);
      }
      continue;
    }
    kept.push(p);
  }
  const points = kept.slice(0, options.maxPoints ?? 4).map(({ weight: _weight, ...p }) => p);
  const doubts = points.length === 0 ? finders.reduce((n, f) => n + f.doubts(ctx), 0) : 0;
  const named = ctx.statements.some((s) => isNamedHolder(s.party));
  return { points, sourcesAgree: points.length === 0 && doubts === 0 && articles.length > 1 && (named || articles.length > 1) };
}

export function findDisputes(articles: readonly ClaimArticle[], options: FindDisputesOptions = {}): DisputedPoint[] {
  return assessDisputes(articles, options).points;
}
