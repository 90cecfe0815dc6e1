import { describe, expect, it } from 'vitest';
import { itemNovelty, repeatsStoredText } from '../../../src/ingest/dedupe.ts';

const stored = (urls: string[]) => {
  const asked: string[] = [];
  const lookup = (canonical: string) => {
    asked.push(canonical);
    return urls.includes(canonical);
  };
  return { lookup, asked };
};

describe('ingest/dedupe: itemNovelty', () => {
  it('is new when neither its feed nor any other stored it', () => {
    expect(itemNovelty(null, 'fp1', 'https://a.example/x', stored([]).lookup)).toBe('new');
    expect(itemNovelty(null, 'fp1', null, stored([]).lookup)).toBe('new');
  });

  it('is a duplicate when another feed stored its canonical URL', () => {
    expect(itemNovelty(null, 'fp1', 'https://a.example/x', stored(['https://a.example/x']).lookup)).toBe('duplicate');
  });

  it('is unchanged or changed by its fingerprint when its own feed stored it, without looking up the URL', () => {
    const s = stored(['https://a.example/x']);
    expect(itemNovelty({ itemFingerprint: 'fp1' }, 'fp1', 'https://a.example/x', s.lookup)).toBe('unchanged');
    expect(itemNovelty({ itemFingerprint: 'fp0' }, 'fp1', 'https://a.example/x', s.lookup)).toBe('changed');
    expect(s.asked).toEqual([]);
  });

  it('never looks up an item without a canonical URL', () => {
    const s = stored([]);
    itemNovelty(undefined, 'fp1', null, s.lookup);
    expect(s.asked).toEqual([]);
  });
});

describe('ingest/dedupe: repeatsStoredText', () => {
  const article = { feedUrl: 'https://f.example/rss', url: 'https://www.news.example/b', outlet: 'News' };

  it('nothing with the same text: not a repeat', () => {
    expect(repeatsStoredText([], article)).toBe(false);
  });

  it('the same text from the same feed is a repeat, whatever its URL', () => {
    expect(repeatsStoredText([{ feedUrl: article.feedUrl, url: 'https://elsewhere.example/a', outlet: 'Other' }], article)).toBe(true);
  });

  it('the same text from the same outlet on the same host is a repeat', () => {
    expect(repeatsStoredText([{ feedUrl: 'https://f.example/other', url: 'https://news.example/a', outlet: 'News' }], article)).toBe(true);
  });

  it('the same text from another outlet on that host, or from another host, is not', () => {
    expect(repeatsStoredText([{ feedUrl: 'https://f.example/other', url: 'https://news.example/a', outlet: 'Sister' }], article)).toBe(
      false,
    );
    expect(repeatsStoredText([{ feedUrl: 'https://f.example/other', url: 'https://wire.example/a', outlet: 'News' }], article)).toBe(false);
  });

  it('an article without a URL repeats only what its own feed stored', () => {
    const noUrl = { ...article, url: null };
    expect(repeatsStoredText([{ feedUrl: 'https://f.example/other', url: null, outlet: 'News' }], noUrl)).toBe(false);
  });
});
