/**
 * @module Plain data shared by every stage: no classes, no I/O. Times are ISO-8601 strings in UTC.
 */

/** One entry as a feed describes it, before any page is fetched. */
export interface FeedItem {
  /** The feed's own id for the item (guid / id / rdf:about), or one derived from link or content. */
  guid: string;
  guidSource: 'guid' | 'link' | 'content';
  /** Absolute article URL, or null when the item has no usable link. */
  url: string | null;
  title: string;
  publishedAt: string | null;
  updatedAt: string | null;
  author: string | null;
  /** Full content the feed carries (content:encoded, Atom content, JSON Feed content_html). */
  contentHtml: string | null;
  /** Teaser / description / summary. */
  summaryHtml: string | null;
  categories: string[];
}

export type FeedFormat = 'rss2' | 'rss1' | 'rss09' | 'atom' | 'jsonfeed';

export interface ParsedFeed {
  format: FeedFormat;
  title: string | null;
  /** The site the feed belongs to (channel link), absolute. */
  siteUrl: string | null;
  items: FeedItem[];
  /** What was wrong but recovered (bad dates, bare ampersands, missing ids, …). */
  warnings: string[];
}

export type TextSource = 'feed' | 'page' | 'summary';

/** A stored news article with its clean extracted text. */
export interface Article {
  id: string;
  feedUrl: string;
  guid: string;
  url: string | null;
  title: string;
  outlet: string;
  author: string | null;
  publishedAt: string;
  firstSeenAt: string;
  updatedAt: string;
  /** Plain-text teaser from the feed. */
  summary: string;
  /** Clean article text, paragraphs separated by a blank line. No page chrome. */
  text: string;
  textSource: TextSource;
  /** Hash of normalised title + text, for dedupe and change detection. */
  contentHash: string;
  /** The event cluster the article belongs to, once clustered. */
  eventId: string | null;
}

/** One article as the brief cites it. */
export interface SourceRef {
  articleId: string;
  outlet: string;
  title: string;
  url: string | null;
  publishedAt: string;
  /** False when the article is a near-copy of another source (wire copy, rewrite). */
  independent: boolean;
}

/** One side of a disputed point: who says it, what they say, and the articles that carry it. */
export interface DisputeSide {
  by: string;
  claim: string;
  /** URLs of the event's own articles that carry this side. */
  sources: string[];
}

export interface DisputedPoint {
  /** What is contested, e.g. "Control of the Kursk region". */
  point: string;
  kind: 'claim_vs_denial' | 'claim_debunked' | 'figures_differ' | 'characterisation_rejected';
  sides: DisputeSide[];
}

/** The platform-neutral brief of one event; the CLI, Slack and Discord all render this. */
export interface EventBrief {
  id: string;
  title: string;
  summary: string[];
  disputed: DisputedPoint[];
  /** Set when the sources agree: says so instead of inventing a dispute. */
  noDisputeNote: string | null;
  sources: SourceRef[];
  articles: number;
  independentSources: number;
  firstPublishedAt: string;
  lastPublishedAt: string;
  /** An earlier event this one developed from. */
  relatedTo: string | null;
}

export interface FeedOutcome {
  url: string;
  ok: boolean;
  newArticles: number;
  error: string | null;
}

export interface Briefing {
  generatedAt: string;
  feeds: FeedOutcome[];
  events: EventBrief[];
}
