/**
 * @module The stance of a statement towards a proposition: does it support it, deny it, merely report
 * it, or say nothing about it? One interface, so a better model (the optional LLM endpoint, or a model
 * shipped in an npm package) can replace the offline, lexical one without touching the finders.
 */
import { contentTokens } from '../nlp/tokenize.ts';
import type { VerbClass } from './attribution.ts';
import { FALSITY } from './lexicon.ts';

export type Stance = 'supports' | 'denies' | 'reports' | 'unrelated';

/** A claim that can be true or false, in the words of one source. */
export interface Proposition {
  text: string;
}

/** What a source says, with the verb it is reported with. */
export interface StanceInput {
  content: string;
  verbClass: VerbClass;
}

export interface StanceClassifier {
  /**
   * `loose`: for a holder already known to take a side, two shared terms are enough to say a
   * statement is about the proposition (its other statements on the subject carry its side too).
   */
  stance(statement: StanceInput, proposition: Proposition, options?: { loose?: boolean }): Stance;
  /** How much two wordings state the same thing (0–1): paraphrases of one claim score high. */
  similarity(a: string, b: string): number;
  /**
   * Whether a statement says the opposite of a claim without a denying verb: "No agreement has been
   * reached" against "the club had reached an agreement".
   */
  contradicts(statement: string, claim: string): boolean;
}

/** Words that only carry attribution, time or hedging: they say nothing about what is claimed. */
const NEUTRAL = new Set(
  `said say claim report state statement accord ad told reportedli alleg also now week day mondai tuesdai wednesdai thursdai
  fridai saturdai sundai todai yesterdai`.split(/\s+/),
);
const NEGATION = /\b(not|no|never|none|nothing|neither|nor|no longer|n['’]t|without|still|continu\w*|remain\w*)\b/i;
/** An outright negation near the start of a statement: "No agreement has been reached", "He did not punch anyone". */
const NEGATED =
  /^(?:\S+\s+){0,4}?(?:no|not|never|nobody|none|nothing|did not|didn['’]t|has not|hasn['’]t|have not|haven['’]t|was not|wasn['’]t|were not|weren['’]t|is not|isn['’]t)\b/i;

export function termsOf(text: string): Set<string> {
  return new Set(contentTokens(text).filter((t) => !t.startsWith('#') && !NEUTRAL.has(t)));
}

/**
 * Share of the proposition's terms a statement has (a short claim inside a long sentence still
 * matches); 0 unless they share at least two terms, so "customers bought them" is not about "misled customers".
 */
export function coverage(proposition: Set<string>, statement: Set<string>): number {
  if (proposition.size === 0 || statement.size === 0) return 0;
  let n = 0;
  for (const t of proposition) if (statement.has(t)) n++;
  return n >= 2 ? n / proposition.size : 0;
}

/**
 * The offline stance model: a statement is about a proposition when most of the proposition's terms
 * are in it; it denies it when it is reported with a denying verb, calls it untrue, or negates it
 * where the proposition does not; otherwise it supports it.
 */
export function createLexicalStanceClassifier(options: { minOverlap?: number } = {}): StanceClassifier {
  const minOverlap = options.minOverlap ?? 0.5;
  // One event's statements are compared with each other many times: tokenise each wording once.
  const cache = new Map<string, Set<string>>();
  const propositionTerms = (text: string): Set<string> => {
    let terms = cache.get(text);
    if (!terms) {
      terms = termsOf(text);
      cache.set(text, terms);
    }
    return terms;
  };
  return {
    similarity(a, b) {
      const x = propositionTerms(a);
      const y = propositionTerms(b);
      return Math.min(coverage(x, y), coverage(y, x)) > 0 ? Math.max(coverage(x, y), coverage(y, x)) : 0;
    },
    contradicts(statement, claim) {
      if (!NEGATED.test(statement) || NEGATED.test(claim) || FALSITY.test(claim)) return false;
      const st = propositionTerms(statement);
      const cl = propositionTerms(claim);
      if (st.size < 2 || st.size > 8) return false;
      return coverage(st, cl) >= 0.8;
    },
    stance(statement, proposition, options = {}) {
      const p = propositionTerms(proposition.text);
      const s = propositionTerms(statement.content);
      if (p.size < 2 || coverage(p, s) < (options.loose ? Number.MIN_VALUE : minOverlap)) return 'unrelated';
      if (statement.verbClass === 'deny' || FALSITY.test(statement.content)) return 'denies';
      if (NEGATION.test(statement.content) !== NEGATION.test(proposition.text)) return 'denies';
      if (statement.verbClass === 'characterise') return 'reports';
      return 'supports';
    },
  };
}
