/**
 * @module Pure, fast proper-noun extraction for clustering: runs of capitalised words that are not
 * sentence-initial common words, minus titles and calendar words. Returns normalised tokens
 * ("valery", "gerasimov", "kursk") so "Gerasimov" matches "Valery Gerasimov".
 */
import { MONTHS, STOPWORDS } from './stopwords.ts';

const CONNECTORS = new Set(['of', 'de', 'al', 'bin', 'van', 'von', 'der', 'la', 'le', 'du', 'da']);

const TITLES = new Set(
  `president prime minister ministers minister chief general gen secretary spokesman spokeswoman spokesperson mr mrs ms dr sir lord lady king queen
  prince princess pope senator sen representative rep governor gov mayor chancellor ambassador judge justice officer commander colonel captain
  lieutenant sergeant admiral director ceo chairman chairwoman chair head deputy vice foreign defence defense interior finance health state
  staff army armed forces military police ministry department government national federal republic democratic official officials`.split(
    /\s+/,
  ),
);

export interface EntityMention {
  /** Normalised phrase, e.g. "valery gerasimov". */
  phrase: string;
  tokens: string[];
}

/** Capitalised phrases of one sentence; the first word counts only if it is not a common word. */
function sentencePhrases(sentence: string, lowerWords: ReadonlySet<string>): string[][] {
  const words = sentence.split(/\s+/);
  const phrases: string[][] = [];
  let current: string[] = [];
  const flush = () => {
    if (current.length) phrases.push(current);
    current = [];
  };
  words.forEach((raw, i) => {
    const w = raw.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');
    if (!w) {
      flush();
      return;
    }
    const capital = /^\p{Lu}/u.test(w) && !/^\p{Lu}+$/u.test(w.replace(/['’]s$/, '')) ? true : /^\p{Lu}{2,5}$/u.test(w);
    const lower = w.toLowerCase().replace(/['’]s$/, '');
    if (capital) {
      const sentenceStart = i === 0 || /[.!?:"“]$/.test(words[i - 1] ?? '');
      if (sentenceStart && (STOPWORDS.has(lower) || lowerWords.has(lower))) {
        flush();
        return;
      }
      current.push(lower);
    } else if (current.length && /^(of|de|al|bin|van|von|der|la|le|du|da)$/.test(w)) {
      current.push(w);
    } else {
      flush();
    }
    if (/[,;:.!?)"”]$/.test(raw)) flush();
  });
  flush();
  return phrases;
}

/** Entity tokens with counts, from a title and body. Titles count double. */
export function extractEntityTokens(title: string, body: string, maxChars = 6000): Map<string, number> {
  const text = body.length > maxChars ? body.slice(0, maxChars) : body;
  const lowerWords = new Set<string>();
  for (const m of text.matchAll(/(?<![.!?]\s)\b(\p{Ll}[\p{L}]*)/gu)) lowerWords.add(m[1] as string);
  const counts = new Map<string, number>();
  const add = (source: string, weightOf: (token: string) => number) => {
    for (const sentence of source.split(/(?<=[.!?]["”’]?)\s+|\n+/)) {
      for (const phrase of sentencePhrases(sentence, lowerWords)) {
        for (const token of phrase) {
          if (token.length < 2 || TITLES.has(token) || STOPWORDS.has(token) || MONTHS.has(token) || CONNECTORS.has(token)) continue;
          counts.set(token, (counts.get(token) ?? 0) + weightOf(token));
        }
      }
    }
  };
  add(text, () => 1);
  // Headlines are often Title Case: there, only words that are also names in the body count fully.
  const titleCase = /^(\p{Lu}\p{L}*\s+){3,}/u.test(title);
  const inBody = new Set(counts.keys());
  add(title, (token) => (!titleCase || inBody.has(token) ? 1 : 0.5));
  return counts;
}
