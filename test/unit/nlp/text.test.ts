import { describe, expect, it } from 'vitest';
import { backgroundDocProbability } from '../../../src/nlp/background.ts';
import { extractEntityTokens } from '../../../src/nlp/entities.ts';
import { splitSentences } from '../../../src/nlp/sentences.ts';
import { contentTokens, normalizeNumber } from '../../../src/nlp/tokenize.ts';

describe('nlp/tokenize', () => {
  it('drops stopwords and reporting verbs, stems words, and tags numbers', () => {
    expect(contentTokens('Officials said the bridges were collapsing, and 2,000 people left.')).toEqual([
      'offici',
      'bridg',
      'collaps',
      '#2000',
      'peopl',
      'left',
    ]);
  });

  it('normalises thousands separators but keeps decimals', () => {
    expect(normalizeNumber('12,000')).toBe('12000');
    expect(normalizeNumber('6.1')).toBe('6.1');
    expect(normalizeNumber('1.300')).toBe('1300');
  });
});

describe('nlp/sentences', () => {
  it('does not split on abbreviations, initials or decimals', () => {
    expect(
      splitSentences(
        'Mr. Halas said the U.S. team arrived at 6.30 a.m. on Monday. J. Mansour wrote it. “It failed,” he said. Then it rained!',
      ),
    ).toEqual([
      'Mr. Halas said the U.S. team arrived at 6.30 a.m. on Monday.',
      'J. Mansour wrote it.',
      '“It failed,” he said.',
      'Then it rained!',
    ]);
  });
});

describe('nlp/entities', () => {
  it('finds names and places but not sentence-initial common words, titles or weekdays', () => {
    const ents = extractEntityTokens(
      'Tarnica bridge collapses',
      'Rescuers searched the Oder near Tarnica on Monday. Transport Minister Ewa Rudnik said an inquiry would follow. Divers from Gdansk joined them.',
    );
    expect([...ents.keys()].sort()).toEqual(['ewa', 'gdansk', 'oder', 'rudnik', 'tarnica']);
  });
});

describe('nlp/background', () => {
  it('treats names as rare and everyday words as common', () => {
    expect(backgroundDocProbability('kursk')).toBe(0);
    expect(backgroundDocProbability('@tarnica')).toBe(0);
    expect(backgroundDocProbability('peopl')).toBeGreaterThan(0.05);
    expect(backgroundDocProbability('earthquak')).toBeLessThan(backgroundDocProbability('peopl'));
  });
});
