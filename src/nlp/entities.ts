/**
 * @module Pure, fast proper-noun extraction for clustering: runs of capitalised words that are not
 * sentence-initial common words, minus titles and calendar words. Returns normalised tokens
 * ("valery", "gerasimov", "kursk") so "Gerasimov" matches "Valery Gerasimov".
 */
import { backgroundDocProbability } from './background.ts';
import { MONTHS, STOPWORDS } from './stopwords.ts';
import { stem } from './tokenize.ts';

function isEverydayWord(lower: string): boolean {
  return STOPWORDS.has(lower) || (/^[a-z]+$/.test(lower) && backgroundDocProbability(stem(lower)) > 0);
}

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

/**
 * Capitalised phrases of one sentence. A sentence-initial capital says nothing, so the first word
 * counts only when the text also capitalises it mid-sentence or it is not an everyday English word
 * (headline-only items start with the name: "McDonald's sales dip"); when the next word is capitalised it
 * still starts the phrase that follows ("Transport Minister Ewa Rudnik" → "minister ewa rudnik").
 */
function sentencePhrases(sentence: string, midCaps: ReadonlySet<string>): string[][] {
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
    const capital = /^\p{Lu}/u.test(w) && (!/^\p{Lu}+$/u.test(w.replace(/['’]s$/, '')) || /^\p{Lu}{2,5}$/u.test(w));
    const lower = w.toLowerCase().replace(/['’]s$/, '');
    if (capital) {
      const sentenceStart = i === 0 || /[.!?:"“]$/.test(words[i - 1] ?? '');
      if (sentenceStart && !midCaps.has(lower) && isEverydayWord(lower)) {
        flush();
        return;
      }
      current.push(lower);
    } else if (current.length && CONNECTORS.has(w)) {
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
  return extractEntities(title, body, maxChars).counts;
}

/** Entity tokens with counts (title and body; titles count double), and those the headline names. */
export function extractEntities(title: string, body: string, maxChars = 6000): { counts: Map<string, number>; inTitle: Set<string> } {
  const text = body.length > maxChars ? body.slice(0, maxChars) : body;
  // Words the text capitalises mid-sentence: evidence that they are names wherever they appear.
  const midCaps = new Set<string>();
  for (const m of `${title}\n${text}`.matchAll(/(?<=[\p{L}\p{N},;)][ \t]+)(\p{Lu}[\p{L}\p{M}'’-]*)/gu)) {
    midCaps.add((m[1] as string).toLowerCase().replace(/['’]s$/, ''));
  }
  const counts = new Map<string, number>();
  const inTitle = new Set<string>();
  const add = (source: string, weightOf: (token: string) => number, seen?: Set<string>) => {
    for (const sentence of source.split(/(?<=[.!?]["”’]?)\s+|\n+/)) {
      for (const phrase of sentencePhrases(sentence, midCaps)) {
        for (const token of phrase) {
          if (token.length < 2 || TITLES.has(token) || STOPWORDS.has(token) || MONTHS.has(token) || CONNECTORS.has(token)) continue;
          const w = weightOf(token);
          counts.set(token, (counts.get(token) ?? 0) + w);
          // A Title Case headline's words count as names when the body names them, or they are no everyday word.
          if (seen && (w >= 1 || !isEverydayWord(token))) seen.add(token);
        }
      }
    }
  };
  add(text, () => 1);
  // Headlines are often Title Case: there, only words that are also names in the body count fully.
  const titleCase = /^(\p{Lu}\p{L}*\s+){3,}/u.test(title);
  const inBody = new Set(counts.keys());
  add(title, (token) => (!titleCase || inBody.has(token) ? 1 : 0.5), inTitle);
  return { counts, inTitle };
}
