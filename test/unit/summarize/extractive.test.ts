import { describe, expect, it } from 'vitest';
import { summarizeExtractive } from '../../../src/summarize/extractive.ts';
import type { SummaryArticle } from '../../../src/summarize/summarizer.ts';
import { FLOOD } from '../../helpers/stories.ts';

function articles(stories: typeof FLOOD): SummaryArticle[] {
  return stories.map((s) => ({
    id: s.id,
    url: `https://example.org/${s.id}`,
    outlet: s.outlet,
    title: s.title,
    publishedAt: s.publishedAt,
    text: s.text.split('\n').join('\n\n'),
    independent: true,
  }));
}

describe('summarize/extractive', () => {
  it('says a figure once, however many outlets repeat it in their own words', () => {
    const summary = summarizeExtractive({ articles: articles(FLOOD), disputed: [] });
    expect(summary.length).toBeGreaterThanOrEqual(2);
    expect(summary.filter((s) => /2,000/.test(s))).toHaveLength(1);
  });

  it('does not take a comma-grouped figure for a year', () => {
    const summary = summarizeExtractive({
      articles: articles([
        { ...FLOOD[0], text: 'About 2,000 people fled the town of Lisky on Monday, officials said.\nThe river rose overnight.' },
        { ...FLOOD[1], text: 'The town of Lisky saw 2,000 people flee on Monday as the river rose, the mayor said.' },
      ] as typeof FLOOD),
      disputed: [],
    });
    expect(summary.filter((s) => /2,000/.test(s))).toHaveLength(1);
  });
});
