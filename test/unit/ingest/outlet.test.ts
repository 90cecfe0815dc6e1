import { describe, expect, it } from 'vitest';
import { articleOutlet, feedOutlet } from '../../../src/ingest/outlet.ts';

const url = 'https://feeds.example.com/world.xml';

describe('ingest/outlet', () => {
  it('takes the configured outlet first', () => {
    expect(feedOutlet({ url, outlet: 'Example News', name: 'Other' }, { title: 'Reuters - World', siteUrl: null })).toBe('Example News');
  });

  it('else the first part of the feed title', () => {
    expect(feedOutlet({ url }, { title: 'Reuters - World', siteUrl: null })).toBe('Reuters');
    expect(feedOutlet({ url }, { title: 'BBC News | World', siteUrl: null })).toBe('BBC News');
  });

  it('else the first part of the configured feed name', () => {
    expect(feedOutlet({ url, name: 'The Wire — Politics' }, { title: null, siteUrl: null })).toBe('The Wire');
  });

  it("else the host of the feed's site, else of the feed, else the feed URL", () => {
    expect(feedOutlet({ url }, { title: null, siteUrl: 'https://www.example.org/news' })).toBe('example.org');
    expect(feedOutlet({ url }, { title: null, siteUrl: null })).toBe('feeds.example.com');
    expect(feedOutlet({ url: 'not a url' }, { title: null, siteUrl: null })).toBe('not a url');
  });

  it("credits an article to the configured outlet, else its page's site name, else its feed's outlet", () => {
    expect(articleOutlet('Configured', 'Page Site', 'Feed')).toBe('Configured');
    expect(articleOutlet(undefined, 'Page Site', 'Feed')).toBe('Page Site');
    expect(articleOutlet(undefined, null, 'Feed')).toBe('Feed');
  });
});
