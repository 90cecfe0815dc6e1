/**
 * @module The default summarizer, offline: ranks the sentences of the sources' opening paragraphs by
 * centrality (how much of the event they state), coverage (how many sources say the same) and
 * position, then picks 2–5 with MMR so nothing is said twice, within ~120 words. Sentences that need
 * their context ("It said that…", "However, …") are repaired or skipped; a disputed claim is only used
 * with its attribution ("Russia's army chief said…"), never stated as fact.
 */
import { isProseParagraph } from '../nlp/prose.ts';
import { splitSentences, stripDateline } from '../nlp/sentences.ts';
import { contentTokens } from '../nlp/tokenize.ts';
import type { SummaryArticle, SummaryRequest } from './summarizer.ts';

export interface ExtractiveOptions {
  maxSentences: number;
  minSentences: number;
  maxWords: number;
  /** Sentences considered per article (the lead is where news puts the event). */
  leadSentences: number;
  /** MMR trade-off between relevance (1) and novelty (0). */
  lambda: number;
}

export const DEFAULT_EXTRACTIVE_OPTIONS: ExtractiveOptions = {
  maxSentences: 5,
  minSentences: 2,
  maxWords: 120,
  leadSentences: 14,
  lambda: 0.7,
};

const ATTRIBUTION =
  /\b(said|says|say|claimed|claims|claim|announced|announces|declared|stated|told|insisted|insists|denied|denies|deny|disputed|disputes|refuted|rejected|contradicted|according to|reported|confirmed|acknowledged|admitted|alleged|maintained|asserted|argued|warned)\b/i;
const OPENERS =
  /^(however|meanwhile|nevertheless|nonetheless|additionally|in addition|moreover|furthermore|still|also|but|and|yet|separately|instead|indeed|notably|importantly|crucially|as a result|in response|on the other hand|at the same time)\s*,?\s+/i;
const NEEDS_CONTEXT =
  /^(it|he|she|they|this|that|these|those|such|there|its|his|her|their|the (official|move|announcement|statement|decision|report|claim|comments?|remarks?|figure|latest|agency|group|company|spokes\w+|minister|ministry|army|military|president|leader))\b/i;
const BOILER =
  /\b(subscribe|newsletter|sign up|click here|read more|cookies|all rights reserved|follow us|advertisement|you must|log ?in|register)\b/i;

interface Candidate {
  text: string;
  articleId: string;
  position: number;
  tokens: Map<string, number>;
  words: number;
}

/**
 * Shortens a long sentence by dropping a trailing aside ("…, while Trump questioned…", "— the first
 * since…"), keeping at least a full clause.
 */
export function compress(s: string, maxWords = 28): string {
  if (s.split(/\s+/).length <= maxWords) return s;
  // Never at a semicolon: what follows it is often the other half of the point ("…; Ukraine denies it").
  const cuts = [/\s*[—–]\s*/g, /,\s+(while|as|whereas|adding|saying|after|amid|nine|weeks|months|days|years)\s/g];
  for (const re of cuts) {
    for (const m of [...s.matchAll(re)].reverse()) {
      const head = s.slice(0, m.index).replace(/[,;:\s]+$/, '');
      const n = head.split(/\s+/).length;
      if (n >= 12 && n <= maxWords + 6 && (head.match(/“/g) ?? []).length === (head.match(/”/g) ?? []).length) return `${head}.`;
    }
  }
  return s;
}

/** Repairs a sentence so it stands alone, or returns null when it cannot. */
export function standalone(raw: string): string | null {
  let s = stripDateline(raw.trim()).replace(/^(?:[^/]{2,90}\/\s+){3,}/, '');
  s = s.replace(/^["“]?\s*/, (m) => m.trim());
  const opener = OPENERS.exec(s);
  if (opener) {
    s = s.slice(opener[0].length);
    s = s.charAt(0).toUpperCase() + s.slice(1);
  }
  if (NEEDS_CONTEXT.test(s)) return null;
  // "By Wednesday morning it had spread…": a pronoun subject after a short opener needs context too.
  if (
    /^(?:by|on|in|at|after|before|since|until|during|within|later|overnight)\b[^,]{0,40}?\s(?:it|he|she|they|its|his|her|their)\s/i.test(s)
  )
    return null;
  s = compress(s);
  const words = s.split(/\s+/).length;
  if (words < 8 || words > 42) return null;
  if (!/[.!"”’)]$/.test(s) || /\?["”’]?$/.test(s)) return null;
  if (/^[-•*–]\s/.test(raw.trim())) return null;
  const open = (s.match(/“/g) ?? []).length;
  const close = (s.match(/”/g) ?? []).length;
  const straight = (s.match(/"/g) ?? []).length;
  if (open !== close || straight % 2 === 1) return null;
  // A sentence that is a quotation without saying who speaks needs the sentence before it, and so
  // does one whose speaker is only "he" or "she".
  if (/^[“"]/.test(s) && !ATTRIBUTION.test(s.replace(/“[^”]*”|"[^"]*"/g, ''))) return null;
  if (/[”"],?\s+(?:he|she|they|it|we)\s+(?:said|says|added|told|wrote|insisted)\b/i.test(s)) return null;
  if (BOILER.test(s)) return null;
  // "Ukraine also said…", "Others fled…": what it adds to is not in the summary.
  if (/\b(also|others|as well(?! as))\b/i.test(s.replace(/“[^”]*”|"[^"]*"/g, ''))) return null;
  return s;
}

function vectorize(text: string): Map<string, number> {
  const m = new Map<string, number>();
  for (const t of contentTokens(text)) m.set(t, (m.get(t) ?? 0) + 1);
  return m;
}

/** A sentence's tokens with their IDF, and its squared norm as `cosine` sums it in either role. */
interface WeightedTokens {
  tokens: Map<string, number>;
  entries: Array<[string, number, number]>;
  /** Σ (v·idf)², summed as `cosine` sums its first argument (w * w). */
  normAsFirst: number;
  /** The same, summed as `cosine` sums its second argument ((v·idf) ** 2). */
  normAsSecond: number;
}

function weighTokens(tokens: Map<string, number>, idf: (t: string) => number): WeightedTokens {
  const entries: Array<[string, number, number]> = [];
  let normAsFirst = 0;
  let normAsSecond = 0;
  for (const [t, v] of tokens) {
    const i = idf(t);
    entries.push([t, v, i]);
    const w = v * i;
    normAsFirst += w * w;
    normAsSecond += (v * i) ** 2;
  }
  return { tokens, entries, normAsFirst, normAsSecond };
}

/** `cosine(a.tokens, b.tokens, idf)` from precomputed weights: the same operations in the same order. */
function weightedCosine(a: WeightedTokens, b: WeightedTokens): number {
  let dot = 0;
  for (const [t, v, i] of a.entries) {
    const u = b.tokens.get(t);
    if (u !== undefined) dot += v * i * u * i;
  }
  const na = a.normAsFirst;
  const nb = b.normAsSecond;
  return na && nb ? dot / Math.sqrt(na * nb) : 0;
}

function cosine(a: Map<string, number>, b: Map<string, number>, idf: (t: string) => number): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (const [t, v] of a) {
    const w = v * idf(t);
    na += w * w;
    const u = b.get(t);
    if (u !== undefined) dot += w * u * idf(t);
  }
  for (const [t, v] of b) nb += (v * idf(t)) ** 2;
  return na && nb ? dot / Math.sqrt(na * nb) : 0;
}

/**
 * "Roos confirmed…" in a summary that never introduced Roos: restore the full name the article gave
 * ("Anna Roos confirmed…"), so the sentence stands on its own.
 */
export function introduceSurnames(sentence: string, articleText: string): string {
  return sentence.replace(
    /(^|[,;]\s+|\baccording to\s+)(\p{Lu}[\p{L}'’-]+)(\s+(?:said|says|confirmed|added|told|insisted|argued|warned|wrote|denied|claimed)\b|(?=,))/giu,
    (whole, pre: string, surname: string, rest: string) => {
      const full = new RegExp(`\\b(\\p{Lu}[\\p{L}'’-]+)\\s+${surname}\\b`, 'u').exec(articleText);
      const first = full?.[1];
      if (!first || /^(The|A|An|Mr|Mrs|Ms|Dr|President|Minister|Mayor|General|Colonel|Chief)$/.test(first)) return whole;
      return `${pre}${first} ${surname}${rest}`;
    },
  );
}

function candidatesOf(a: SummaryArticle, lead: number): Candidate[] {
  const out: Candidate[] = [];
  const sentences = a.text
    .split(/\n+/)
    .map((p) => p.trim())
    // Captions, subheadings and teaser lines are not the story.
    .filter((p) => p.split(/\s+/).length >= 6 && isProseParagraph(p))
    .flatMap(splitSentences)
    .slice(0, lead);
  sentences.forEach((raw, position) => {
    const repaired = standalone(raw);
    if (!repaired) return;
    const text = introduceSurnames(repaired, a.text);
    out.push({ text, articleId: a.id, position, tokens: vectorize(text), words: text.split(/\s+/).length });
  });
  return out;
}

/** Claims of disputed sides, to check that the summary never states them without attribution. */
function disputedClaims(req: SummaryRequest): Map<string, number>[] {
  return req.disputed.flatMap((d) => d.sides.map((s) => vectorize(s.claim)));
}

export function summarizeExtractive(req: SummaryRequest, options: ExtractiveOptions = DEFAULT_EXTRACTIVE_OPTIONS): string[] {
  const pool = req.articles.some((a) => a.independent) ? req.articles.filter((a) => a.independent) : req.articles;
  const candidates = pool.flatMap((a) => candidatesOf(a, options.leadSentences));
  if (candidates.length === 0) {
    // Thin sources (a teaser only): fall back to the first sentence of the earliest article, if any.
    const first = [...req.articles].sort((x, y) => x.publishedAt.localeCompare(y.publishedAt))[0];
    const s = first ? splitSentences(first.text.split(/\n+/)[0] ?? '')[0] : undefined;
    return s ? [s] : [];
  }
  // IDF over the event's own sentences: what every sentence shares (the topic) is weighted down,
  // what distinguishes facts is weighted up.
  const df = new Map<string, number>();
  for (const c of candidates) for (const t of c.tokens.keys()) df.set(t, (df.get(t) ?? 0) + 1);
  const n = candidates.length;
  const idfs = new Map<string, number>();
  for (const [t, d] of df) idfs.set(t, Math.log(1 + n / d));
  const idf = (t: string) => idfs.get(t) ?? Math.log(1 + n);
  // Sentences are compared pairwise (coverage, redundancy): each one's weights and norm are worked out
  // once, with the same arithmetic as `cosine`, so the scores are the same to the last bit.
  const weighted = new Map<Map<string, number>, WeightedTokens>();
  const weigh = (tokens: Map<string, number>): WeightedTokens => {
    let w = weighted.get(tokens);
    if (!w) {
      w = weighTokens(tokens, idf);
      weighted.set(tokens, w);
    }
    return w;
  };
  const similarity = (a: Map<string, number>, b: Map<string, number>) => weightedCosine(weigh(a), weigh(b));
  const centroid = new Map<string, number>();
  for (const c of candidates) for (const [t, v] of c.tokens) centroid.set(t, (centroid.get(t) ?? 0) + v);
  const articles = new Set(candidates.map((c) => c.articleId)).size;
  const claims = disputedClaims(req);

  const scored = candidates
    .filter((c) => {
      // A disputed claim stated without who claims it would be presented as fact.
      const restatesClaim = claims.some((v) => cosine(c.tokens, v, () => 1) >= 0.55);
      return !restatesClaim || ATTRIBUTION.test(c.text);
    })
    .map((c) => {
      const centrality = cosine(c.tokens, centroid, idf);
      let coverage = 0;
      const seen = new Set<string>([c.articleId]);
      for (const o of candidates) {
        if (seen.has(o.articleId)) continue;
        if (similarity(c.tokens, o.tokens) >= 0.3) {
          coverage++;
          seen.add(o.articleId);
        }
      }
      const cov = articles > 1 ? coverage / (articles - 1) : 0;
      const position = 1 / (1 + c.position);
      const attributedBonus = ATTRIBUTION.test(c.text) ? 0.05 : 0;
      // Long sentences spend the word budget: prefer ones that say it in fewer words.
      const brevity = 1 - Math.max(0, c.words - 24) / 40;
      return { c, score: (0.45 * centrality + 0.35 * cov + 0.2 * position + attributedBonus) * brevity };
    })
    .sort((a, b) => b.score - a.score);

  // Facets: the disputed claims a sentence restates, and whether it reports a denial. Two sentences
  // restating the same claim in different words are a repeat; one that adds the denial is not.
  const DENIAL_FACET = -1;
  const facetsOf = (c: Candidate) => [
    ...claims.flatMap((v, i) => (cosine(c.tokens, v, () => 1) >= 0.3 ? [i] : [])),
    ...(EXPLICIT_DENIAL.test(c.text) ? [DENIAL_FACET] : []),
  ];
  const facets = new Map(candidates.map((c) => [c, facetsOf(c)]));
  const selected: Candidate[] = [];
  let words = 0;
  const remaining = [...scored];
  while (remaining.length && selected.length < options.maxSentences) {
    let bestIndex = -1;
    let bestValue = Number.NEGATIVE_INFINITY;
    const covered = new Set(selected.flatMap((s) => facets.get(s) ?? []));
    remaining.forEach(({ c, score }, i) => {
      const mine = facets.get(c) ?? [];
      if (mine.length > 0 && mine.every((f) => covered.has(f))) return;
      const redundancy = selected.reduce((m, s) => Math.max(m, similarity(c.tokens, s.tokens)), 0);
      if (redundancy >= 0.25) return;
      // The same figure about the same thing, in other words ("about 2,000 were evacuated" / "2,000 left their homes").
      if (selected.some((s) => sharesFigure(c.text, s.text) && redundancy >= 0.1)) return;
      const value = options.lambda * score - (1 - options.lambda) * redundancy;
      if (value > bestValue) {
        bestValue = value;
        bestIndex = i;
      }
    });
    if (bestIndex < 0) break;
    const [pick] = remaining.splice(bestIndex, 1);
    if (!pick) break;
    if (words + pick.c.words > options.maxWords) {
      if (selected.length >= options.minSentences) break;
      continue;
    }
    selected.push(pick.c);
    words += pick.c.words;
  }
  ensureBothSides(selected, scored, req, options);
  return selected.map((s) => s.text);
}

/** Figures of a sentence (not years, not small counts), as numbers. */
function figuresOf(text: string): Set<number> {
  const out = new Set<number>();
  for (const m of text.matchAll(/(?<![\d.,])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?![\d,]*\d)/g)) {
    const raw = m[1] as string;
    const n = Number(raw.replace(/,/g, ''));
    if (n >= 10 && !/^(19|20)\d\d$/.test(raw)) out.add(n);
  }
  return out;
}

function sharesFigure(a: string, b: string): boolean {
  const fb = figuresOf(b);
  for (const n of figuresOf(a)) if (fb.has(n)) return true;
  return false;
}

const DENIAL_CUE = /\b(den(y|ies|ied)|disput\w*|refut\w*|reject\w*|contradict\w*|insist\w*|still|continu\w*|untrue|false)\b/i;
const EXPLICIT_DENIAL = /\b(den(y|ies|ied)|disput\w*|refut\w*|reject\w*|contradict\w*|untrue)\b/i;

/**
 * A summary of a disputed event must say that it is disputed: when no chosen sentence carries the
 * rebuttal side of the main disputed point, the best attributed sentence that does replaces the
 * chosen sentence that adds least (or is added, if the word budget allows).
 */
function ensureBothSides(
  selected: Candidate[],
  scored: ReadonlyArray<{ c: Candidate; score: number }>,
  req: SummaryRequest,
  options: ExtractiveOptions,
): void {
  const main = req.disputed.find((d) => d.kind === 'claim_vs_denial');
  const rebuttal = main?.sides[1];
  if (!main || !rebuttal) return;
  const sideTokens = vectorize(`${rebuttal.claim}`);
  const covers = (c: Candidate) => ATTRIBUTION.test(c.text) && DENIAL_CUE.test(c.text) && cosine(c.tokens, sideTokens, () => 1) >= 0.15;
  const explicit = (c: Candidate) => EXPLICIT_DENIAL.test(c.text) && ATTRIBUTION.test(c.text);
  if (selected.some(explicit)) return;
  // Prefer a sentence that says outright that the claim is denied or disputed.
  const best = (scored.find(({ c }) => !selected.includes(c) && explicit(c)) ?? scored.find(({ c }) => !selected.includes(c) && covers(c)))
    ?.c;
  if (!best && selected.some(covers)) return;
  if (!best) return;
  const words = selected.reduce((n, s) => n + s.words, 0);
  if (selected.length < options.maxSentences && words + best.words <= options.maxWords) {
    selected.push(best);
    return;
  }
  for (let i = selected.length - 1; i >= 1; i--) {
    const without = words - (selected[i] as Candidate).words;
    if (without + best.words <= options.maxWords) {
      selected.splice(i, 1, best);
      return;
    }
  }
}
