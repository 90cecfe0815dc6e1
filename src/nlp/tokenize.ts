/**
 * @module Pure tokenisation for similarity: lowercase words without stopwords, Porter-stemmed, and
 * numbers normalised ("2,000" → "2000") and tagged ("#2000") so they can tell look-alike events apart.
 */
import { stemmer } from 'stemmer';
import { STOPWORDS } from './stopwords.ts';

const WORD = /\p{L}[\p{L}\p{M}]*(?:['’]\p{L}+)*|\d+(?:[.,]\d+)*/gu;
const stemCache = new Map<string, string>();

export function stem(word: string): string {
  let s = stemCache.get(word);
  if (s === undefined) {
    s = /^[a-z]+$/.test(word) ? stemmer(word) : word;
    if (stemCache.size > 200_000) stemCache.clear();
    stemCache.set(word, s);
  }
  return s;
}

/** "2,000" → "2000"; "6.1" stays; "1.300" (European thousands) → "1300". */
export function normalizeNumber(raw: string): string {
  if (/^\d{1,3}(,\d{3})+(\.\d+)?$/.test(raw)) return raw.replace(/,/g, '');
  if (/^\d{1,3}(\.\d{3})+$/.test(raw)) return raw.replace(/\./g, '');
  return raw.replace(/[.,]$/, '').replace(',', '.');
}

/** Content tokens of a text: stemmed words (no stopwords, ≥ 2 letters) and tagged numbers. */
export function contentTokens(text: string): string[] {
  const out: string[] = [];
  for (const m of text.toLowerCase().matchAll(WORD)) {
    let w = m[0];
    if (w.charCodeAt(0) <= 57) {
      const n = normalizeNumber(w);
      // Years and tiny counts carry little: keep numbers with at least two significant characters.
      if (n.length >= 2) out.push(`#${n}`);
      continue;
    }
    w = w.replace(/['’]s$/, '').replace(/['’]/g, '');
    if (w.length < 2 || STOPWORDS.has(w)) continue;
    out.push(stem(w));
  }
  return out;
}
