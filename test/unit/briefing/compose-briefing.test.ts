import { describe, expect, it } from 'vitest';
import { composeEventBrief } from '../../../src/briefing/compose-briefing.ts';
import type { Article } from '../../../src/core/types.ts';

const article = (id: string, publishedAt: string): Article => ({
  id,
  feedUrl: 'https://example.org/feed',
  guid: id,
  url: `https://example.org/${id}`,
  title: `Title ${id}`,
  outlet: `Outlet ${id}`,
  author: null,
  publishedAt,
  firstSeenAt: publishedAt,
  updatedAt: publishedAt,
  summary: '',
  text: 'Text.',
  textSource: 'feed',
  contentHash: id,
  eventId: 'e',
});

describe('briefing/compose-briefing', () => {
  it('lists each side’s sources in the order of the event’s numbered sources', () => {
    const articles = [article('c', '2025-05-01T12:00:00Z'), article('a', '2025-05-01T08:00:00Z'), article('b', '2025-05-01T10:00:00Z')];
    const brief = composeEventBrief({
      id: 'e',
      title: 't',
      articles,
      summary: ['s'],
      disputed: [
        {
          point: 'p',
          kind: 'claim_vs_denial',
          sides: [
            { by: 'X', claim: 'x', sources: ['https://example.org/c', 'https://example.org/a', 'https://example.org/b'] },
            { by: 'Y', claim: 'y', sources: ['https://example.org/b', 'https://example.org/a'] },
          ],
        },
      ],
    });
    expect(brief.sources.map((s) => s.articleId)).toEqual(['a', 'b', 'c']);
    expect(brief.disputed[0]?.sides.map((s) => s.sources)).toEqual([
      ['https://example.org/a', 'https://example.org/b', 'https://example.org/c'],
      ['https://example.org/a', 'https://example.org/b'],
    ]);
  });

  it('says the sources agree only when the dispute check found they do', () => {
    const articles = [article('a', '2025-05-01T08:00:00Z'), article('b', '2025-05-01T10:00:00Z')];
    const base = { id: 'e', title: 't', articles, summary: ['s'], disputed: [] };
    expect(composeEventBrief({ ...base, sourcesAgree: true }).noDisputeNote).toMatch(/agree/);
    expect(composeEventBrief({ ...base, sourcesAgree: false }).noDisputeNote).toBeNull();
  });
});
