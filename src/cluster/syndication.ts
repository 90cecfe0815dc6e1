/**
 * @module Pure: finds near-copies inside an event: wire stories republished with small edits
 * (shared word 4-grams) and rewrites of the same report (most sentences closely match a sentence
 * of the earlier article). The earliest article of a copy chain is the independent origin.
 */
import { splitSentences } from '../nlp/sentences.ts';
import { contentTokens } from '../nlp/tokenize.ts';

export interface CopyInput {
  id: string;
  publishedAt: string;
  title: string;
  text: string;
}

interface Fingerprint {
  id: string;
  time: string;
  shingles: Set<string>;
  sentences: Array<Set<string>>;
}

const MAX_WORDS = 500;

function fingerprint(a: CopyInput): Fingerprint {
  const words = a.text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .slice(0, MAX_WORDS);
  const shingles = new Set<string>();
  for (let i = 0; i + 4 <= words.length; i++) shingles.add(words.slice(i, i + 4).join(' '));
  const sentences = a.text
    .split(/\n+/)
    .flatMap(splitSentences)
    .slice(0, 40)
    .map((s) => new Set(contentTokens(s)))
    .filter((s) => s.size >= 6);
  return { id: a.id, time: a.publishedAt, shingles, sentences };
}

function containment(inner: Set<string>, outer: Set<string>): number {
  if (inner.size === 0) return 0;
  let n = 0;
  for (const s of inner) if (outer.has(s)) n++;
  return n / inner.size;
}

function dice(a: Set<string>, b: Set<string>): number {
  let n = 0;
  for (const x of a) if (b.has(x)) n++;
  return (2 * n) / (a.size + b.size);
}

/** Share of `later`'s sentences that closely match some sentence of `earlier`. */
function rewriteShare(later: Fingerprint, earlier: Fingerprint): number {
  if (later.sentences.length < 3 || earlier.sentences.length < 3) return 0;
  let matched = 0;
  for (const s of later.sentences) {
    let best = 0;
    for (const t of earlier.sentences) {
      const d = dice(s, t);
      if (d > best) best = d;
      if (best >= 0.5) break;
    }
    if (best >= 0.5) matched++;
  }
  return matched / later.sentences.length;
}

export interface CopyThresholds {
  /** Share of 4-grams of the later article found in the earlier one. */
  shingleContainment: number;
  /** Share of the later article's sentences that closely match the earlier one's. */
  rewriteShare: number;
}

export const DEFAULT_COPY_THRESHOLDS: CopyThresholds = { shingleContainment: 0.5, rewriteShare: 0.5 };

function docTokens(f: Fingerprint): Set<string> {
  const all = new Set<string>();
  for (const s of f.sentences) for (const t of s) all.add(t);
  return all;
}

/**
 * Decides which of `incoming` are near-copies. `origins` are the event's existing independent
 * articles; each incoming article (in publication order) is compared with earlier origins and with
 * earlier incoming articles that turned out to be origins. Returns copy id → origin id.
 */
export function findCopies(
  origins: readonly CopyInput[],
  incoming: readonly CopyInput[],
  thresholds: CopyThresholds = DEFAULT_COPY_THRESHOLDS,
): Map<string, string> {
  const pool = origins.map((a) => ({ a, f: fingerprint(a) }));
  const tokens = new Map(pool.map((p) => [p.a.id, docTokens(p.f)]));
  const copies = new Map<string, string>();
  const ordered = [...incoming].sort((a, b) => a.publishedAt.localeCompare(b.publishedAt) || a.id.localeCompare(b.id));
  for (const a of ordered) {
    const f = fingerprint(a);
    const mine = docTokens(f);
    let origin: string | null = null;
    for (const p of pool) {
      if (p.a.publishedAt > a.publishedAt) continue;
      const theirs = tokens.get(p.a.id) as Set<string>;
      if (mine.size && theirs.size && dice(mine, theirs) < 0.3) continue; // cheap filter first
      if (containment(f.shingles, p.f.shingles) >= thresholds.shingleContainment || rewriteShare(f, p.f) >= thresholds.rewriteShare) {
        origin = p.a.id;
        break;
      }
    }
    if (origin) copies.set(a.id, origin);
    else {
      pool.push({ a, f });
      tokens.set(a.id, mine);
    }
  }
  return copies;
}
