/**
 * @module The outlet an article is credited to. A feed's outlet is the configured one, else the first
 * part of the feed's title ("Reuters - World" → "Reuters"), else of the configured feed name, else the
 * host of the feed's site (or of the feed), else the feed URL itself. An article's outlet is the
 * configured one, else the site name its page declares, else its feed's.
 */
import { hostOf, outletFromFeedTitle } from './build-article.ts';

/** What the configuration says about a feed (plain values, so the core needs no config types). */
export interface FeedNaming {
  url: string;
  outlet?: string | undefined;
  name?: string | undefined;
}

/** What the fetched feed says about itself. */
export interface FeedIdentity {
  title: string | null;
  siteUrl: string | null;
}

/** The outlet of a feed's articles unless their page names its own site. */
export function feedOutlet(spec: FeedNaming, feed: FeedIdentity): string {
  return (
    spec.outlet ?? outletFromFeedTitle(feed.title) ?? outletFromFeedTitle(spec.name ?? null) ?? hostOf(feed.siteUrl ?? spec.url) ?? spec.url
  );
}

/** The outlet of one new article: the configured outlet wins over the page's site name, which wins over the feed's. */
export function articleOutlet(configured: string | undefined, pageSiteName: string | null, fromFeed: string): string {
  return configured ?? pageSiteName ?? fromFeed;
}
