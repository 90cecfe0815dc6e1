/**
 * @module Pure helpers that turn a feed item (and, when fetched, its page) into stored-article fields:
 * canonical URLs, content hashes, the "is the feed's own content the whole article?" decision, and
 * the outlet name.
 */
import { createHash } from 'node:crypto';
import type { FeedItem } from '../core/types.ts';
import { cleanParagraphs, wordCount } from '../extract/clean-text.ts';
import { htmlToParagraphs, htmlToText } from '../extract/html-text.ts';

const TRACKING_PARAM =
  /^(utm_[a-z_]+|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|cmpid|ocid|ito|at_medium|at_campaign|at_custom\d*|ns_mchannel|ns_source|ns_campaign|ns_linkname|ns_fee|rss|feed|xtor|smid|partner|spm|__twitter_impression|wt\.mc_id|s_cid|cid|ref|ref_src|src)$/i;

/** A URL reduced to what identifies the article: no fragment, no tracking parameters, no default port. */
export function canonicalizeUrl(url: string): string {
  try {
    const u = new URL(url);
    u.hash = '';
    u.hostname = u.hostname.toLowerCase().replace(/^www\./, '');
    if ((u.protocol === 'http:' && u.port === '80') || (u.protocol === 'https:' && u.port === '443')) u.port = '';
    const keep = [...u.searchParams.entries()].filter(([k]) => !TRACKING_PARAM.test(k));
    u.search = '';
    for (const [k, v] of keep) u.searchParams.append(k, v);
    let s = u.href;
    if (u.pathname.length > 1 && s.endsWith('/')) s = s.slice(0, -1);
    return s.replace(/^https:/, 'http:');
  } catch {
    return url.trim();
  }
}

export function sha(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('hex');
}

export function articleId(feedUrl: string, guid: string, canonicalUrl: string | null): string {
  return `a_${sha(canonicalUrl ?? `${feedUrl}\n${guid}`).slice(0, 16)}`;
}

function normText(s: string): string {
  return s
    .toLowerCase()
    .normalize('NFKC')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** Same normalised title and opening text means the same content, whatever the URL or id. */
export function contentHash(title: string, text: string): string {
  return sha(normText(title), normText(text).slice(0, 2000)).slice(0, 32);
}

/** Everything the feed says about an item: if this changes, the item was updated. */
export function itemFingerprint(item: FeedItem): string {
  return sha(item.title, item.summaryHtml ?? '', item.contentHtml ?? '', item.updatedAt ?? '', item.url ?? '').slice(0, 32);
}

export function feedParagraphs(item: FeedItem): string[] {
  const html = item.contentHtml ?? '';
  return html ? cleanParagraphs(htmlToParagraphs(html), { title: item.title }) : [];
}

export function summaryText(item: FeedItem): string {
  const s = htmlToText(item.summaryHtml ?? '') || htmlToText(item.contentHtml ?? '');
  return s.length > 600 ? `${s.slice(0, 597).replace(/\s+\S*$/, '')}…` : s;
}

const TEASER_END = /(\.\.\.|…|\[…\]|\[\.\.\.\]|read more|continue reading|read the full (story|article)|more\s*»)\s*$/i;

/** True when the feed's own content is the article, not a teaser that needs the page. */
export function feedCarriesArticle(paragraphs: readonly string[]): boolean {
  const text = paragraphs.join('\n\n');
  if (wordCount(text) < 150) return false;
  return !TEASER_END.test(text);
}

/** "BBC News - World" → "BBC News"; the outlet, not the section. */
export function outletFromFeedTitle(title: string | null): string | null {
  if (!title) return null;
  const first = title.split(/\s+[-–—|>:»]\s+/)[0]?.trim();
  return first || null;
}

export function hostOf(url: string | null): string | null {
  if (!url) return null;
  try {
    return new URL(url).hostname.replace(/^www\./, '');
  } catch {
    return null;
  }
}
