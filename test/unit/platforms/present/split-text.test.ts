import { describe, expect, it } from 'vitest';
import { clipLine, splitAtSentences, type TextRules } from '../../../../src/platforms/present/split-text.ts';

/** Plain rules: break at spaces, no markup to protect. */
const plain: TextRules = {
  normalise: (text) => text.trim(),
  isBreak: (s, i) => s[i] === ' ',
  safeCut: (_s, at) => at,
  joinBreaks: (_pending, run) => run,
  keepIndent: false,
  longSentenceOwnChunk: false,
};

describe('platforms/present/split-text', () => {
  it('packs whole sentences into chunks, never over the limit', () => {
    expect(splitAtSentences('One two. Three four five six. Seven.', 12, plain)).toEqual(['One two.', 'Three four', 'five six.', 'Seven.']);
    expect(splitAtSentences('Short.', 12, plain)).toEqual(['Short.']);
    expect(splitAtSentences('  \n ', 12, plain)).toEqual([]);
  });

  it('cuts an over-long sentence at the last break, or where the platform says a hard cut is safe', () => {
    expect(splitAtSentences('One. Abcdefghijklmnop qrs.', 12, plain)).toEqual(['One.', 'Abcdefghijkl', 'mnop qrs.']);
    const neverAfterBackslash: TextRules = { ...plain, safeCut: (s, at) => (s[at - 1] === '\\' ? at - 1 : at) };
    expect(splitAtSentences('Abcd\\efgh.', 5, neverAfterBackslash)).toEqual(['Abcd', '\\efgh', '.']);
  });

  it('lets the platform choose whether an over-long sentence starts a chunk of its own', () => {
    const text = 'Hi. Abcdefghij klmnopqrstuvw.';
    expect(splitAtSentences(text, 14, plain)).toEqual(['Hi. Abcdefghij', 'klmnopqrstuvw.']);
    expect(splitAtSentences(text, 14, { ...plain, longSentenceOwnChunk: true })).toEqual(['Hi.', 'Abcdefghij', 'klmnopqrstuvw.']);
  });

  it('joins lines with the line breaks the platform keeps, and can keep indentation', () => {
    const text = 'Ab.\n\n\nCd. Efghijk.';
    expect(splitAtSentences(text, 9, plain)).toEqual(['Ab.\n\n\nCd.', 'Efghijk.']);
    expect(splitAtSentences(text, 9, { ...plain, joinBreaks: (_p, run) => (run.length > 1 ? '\n\n' : '\n') })).toEqual([
      'Ab.\n\nCd.',
      'Efghijk.',
    ]);
    expect(splitAtSentences('Ab.\n  Cd. Efghijk.', 9, { ...plain, keepIndent: true })).toEqual(['Ab.\n  Cd.', 'Efghijk.']);
  });

  it('rejoins a sentence the splitter ended inside markup', () => {
    const insideBrackets = (s: string) => s.lastIndexOf('<') > s.lastIndexOf('>');
    expect(splitAtSentences('See <a. B> now. Then.', 16, { ...plain, continuesInto: insideBrackets })).toEqual([
      'See <a. B> now.',
      'Then.',
    ]);
  });

  it('clips a one-line label at a break, with an ellipsis, as the platform tidies it', () => {
    const keepAll = { minBreakShare: 0, tidyHead: (h: string) => h.trimEnd(), ellipsisOnlyBelowTwo: false };
    expect(clipLine('Harbour reopens after storm', 30, plain, keepAll)).toBe('Harbour reopens after storm');
    expect(clipLine('Harbour reopens after storm', 20, plain, keepAll)).toBe('Harbour reopens…');
    expect(clipLine('Ab cdefghijklmnop', 10, plain, keepAll)).toBe('Ab…');
    expect(clipLine('Ab cdefghijklmnop', 10, plain, { ...keepAll, minBreakShare: 0.5 })).toBe('Ab cdefgh…');
    expect(clipLine('Ab, cdefghijk', 6, plain, { ...keepAll, tidyHead: (h: string) => h.replace(/[\s,]+$/, '') })).toBe('Ab…');
    expect(clipLine('Abc', 1, plain, { ...keepAll, ellipsisOnlyBelowTwo: true })).toBe('…');
  });
});
