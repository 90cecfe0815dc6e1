/**
 * @module The contract every kind of dispute is found through: a finder reads the event's extracted
 * statements and figures and proposes points, each with the evidence that it is a real disagreement.
 * `find-disputes.ts` runs the list of finders, merges what two finders found twice, ranks, and keeps
 * only points whose sides are named holders citing the event's own articles.
 */
import type { DisputedPoint } from '../core/types.ts';
import type { ClaimArticle, ExtractedClaims } from './extract-claims.ts';
import type { StanceClassifier } from './stance.ts';

/** What a finder gets: the articles, what they say (statements, figures, holders), and the stance model. */
export interface DisputeContext extends ExtractedClaims {
  articles: readonly ClaimArticle[];
  byId: ReadonlyMap<string, ClaimArticle>;
  /** Every prose sentence of each article, in order (as `Statement.index` counts them), by article id. */
  sentences: ReadonlyMap<string, readonly string[]>;
  stance: StanceClassifier;
}

/** A proposed point. `weight` ranks points (more independent articles on both sides, higher). */
export interface FoundPoint extends DisputedPoint {
  weight: number;
}

export interface DisputeFinder {
  /** A short name for logs and the README ("claim-denial", "debunk", "figures"). */
  name: string;
  /** The points this kind of disagreement yields; none when unsure. */
  find(ctx: DisputeContext): FoundPoint[];
  /**
   * Traces of a disagreement this finder saw but could not establish (a denial it could not tie to a
   * claim, figures it could not attribute): if any, a brief must not say the sources agree.
   */
  doubts(ctx: DisputeContext): number;
}
