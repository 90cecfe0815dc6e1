/**
 * @module Pure: a decoded feed body to items. RSS 0.9x/1.0/2.0 and Atom through rss-parser, JSON Feed
 * by hand. Recovers what real feeds get wrong (see repair-xml.ts), fills in missing ids, resolves
 * relative links, and reports what it repaired; throws FeedParseError only when nothing is usable.
 */
import { createHash } from 'node:crypto';
import { decodeHTML } from 'entities';
import Parser from 'rss-parser';
import type { FeedFormat, FeedItem, ParsedFeed } from '../core/types.ts';
import { htmlToText } from '../extract/html-text.ts';
import { uniqueBy } from '../shared/collections.ts';
import { FeedParseError } from '../shared/errors.ts';
import { parseFeedDate } from './parse-date.ts';
import { repairXml, splitItems, truncateToLastItem, wrapHtmlInCdata, xhtmlToCdata } from './repair-xml.ts';

export interface ParseFeedOptions {
  /** The URL the feed was fetched from: the base for relative links. */
  feedUrl: string;
  now: Date;
  /** Items beyond this many are dropped (newest kept), with a warning. */
  maxItems?: number;
}

type RawItem = Record<string, unknown>;
interface RawFeed {
  title?: unknown;
  link?: unknown;
  items?: RawItem[];
}

/**
 * A new parser for every document: rss-parser keeps one xml2js parser per instance, and after a
 * document with two or more XML errors that parser is left flagged as "error already reported", so
 * the next document it reads, however broken, "succeeds" with scrambled items.
 */
function newParser(): Parser<Record<string, unknown>, RawItem> {
  return new Parser<Record<string, unknown>, RawItem>({
    defaultRSS: 2,
    customFields: {
      item: [
        ['id', 'atomId'],
        ['updated', 'atomUpdated'],
        ['published', 'atomPublished'],
        ['dc:date', 'dcDate'],
        ['dcterms:modified', 'dcModified'],
      ],
    },
  });
}

export async function parseFeed(body: string, options: ParseFeedOptions): Promise<ParsedFeed> {
  const text = body.replace(/^\uFEFF/, '').trim();
  if (!text) throw new FeedParseError('feed_empty', 'the feed is empty (no body)');
  if (text.startsWith('{') || text.startsWith('[')) return parseJsonFeed(text, options);
  sniffNotAFeed(text, options.feedUrl);

  const repaired = repairXml(text);
  const wrapped = wrapHtmlInCdata(xhtmlToCdata(repaired.xml));
  const first = { xml: wrapped.xml, warnings: [...repaired.warnings, ...wrapped.warnings] };
  const attempts: Array<() => Promise<{ xml: string; warnings: string[] } | null>> = [
    async () => first,
    async () => {
      const t = truncateToLastItem(first.xml);
      return t ? { xml: t.xml, warnings: [...first.warnings, ...t.warnings] } : null;
    },
    async () => {
      const s = await salvageItems(first.xml);
      return s ? { xml: s.xml, warnings: [...first.warnings, ...s.warnings] } : null;
    },
  ];
  let firstError: unknown = null;
  for (const attempt of attempts) {
    const candidate = await attempt();
    if (!candidate) continue;
    const dateFix = normalizeAtomDates(candidate.xml, options.now);
    try {
      const raw = await parseXmlOnce(dateFix.xml);
      return mapFeed(raw, detectFormat(dateFix.xml), options, [...candidate.warnings, ...dateFix.warnings]);
    } catch (err) {
      firstError ??= err;
    }
  }
  const message = firstError instanceof Error ? firstError.message.split('\n').slice(0, 3).join(' ') : String(firstError);
  if (/not recognized as RSS/i.test(message)) {
    const root = /<([a-zA-Z][\w:.-]*)[\s>]/.exec(text.replace(/^<\?xml[^>]*>\s*/, '').replace(/<!--[\s\S]*?-->\s*/g, ''));
    throw new FeedParseError('feed_not_a_feed', `XML but not RSS or Atom (root element <${root?.[1] ?? '?'}>)`);
  }
  if (firstError instanceof TypeError && /<rss\b/.test(text) && !/<channel\b/.test(text)) {
    throw new FeedParseError('feed_malformed', 'malformed feed: an <rss> document without a <channel>');
  }
  throw new FeedParseError('feed_malformed', `malformed feed XML that could not be repaired: ${message}`);
}

/**
 * Last resort for a document with a broken item in the middle (an unclosed tag): keeps every item
 * that parses on its own and drops the rest. Null when there is nothing to drop.
 */
async function salvageItems(xml: string): Promise<{ xml: string; warnings: string[] } | null> {
  const split = splitItems(xml);
  if (!split) return null;
  const [open, close] = split.tag === 'entry' ? ['<feed>', '</feed>'] : ['<rss version="2.0"><channel>', '</channel></rss>'];
  const good: string[] = [];
  for (const item of split.items) {
    try {
      await parseXmlOnce(`${open}${item}${close}`);
      good.push(item);
    } catch {
      // a broken item: dropped below
    }
  }
  const dropped = split.items.length - good.length;
  if (!dropped) return null;
  return {
    xml: `${split.head}${good.join('\n')}${split.closing}`,
    warnings: [`dropped ${dropped} broken items that could not be repaired; kept the other ${good.length}`],
  };
}

/** rss-parser calls back synchronously; a parse that has not settled by the next turn never will. */
async function parseXmlOnce(xml: string): Promise<RawFeed> {
  const pending = newParser().parseString(xml) as Promise<RawFeed>;
  const stalled = new Promise<never>((_, reject) =>
    setImmediate(() => reject(new Error('the XML parser did not finish (unterminated document)'))),
  );
  return Promise.race([pending, stalled]);
}

function sniffNotAFeed(text: string, feedUrl: string): void {
  const head = text.slice(0, 4096);
  const looksFeed = /<(rss|feed|rdf:RDF|channel)\b/i.test(head);
  if (!looksFeed && /<!doctype html|<html[\s>]|<body[\s>]|<head[\s>]/i.test(head)) {
    const alt = /<link[^>]+type=["']?application\/(?:rss\+xml|atom\+xml|feed\+json)["']?[^>]*>/i.exec(text)?.[0];
    const href = alt ? /href\s*=\s*["']?([^"'\s>]+)/i.exec(alt)?.[1] : undefined;
    const advertised = href ? (resolveUrl(decodeHTML(href), feedUrl) ?? href) : undefined;
    throw new FeedParseError(
      'feed_not_a_feed',
      `got an HTML page, not a feed${advertised ? ` (the page advertises a feed at ${advertised})` : ''}`,
    );
  }
  // Junk before the XML (a PHP notice) is repaired later; only text with no feed in it is not a feed.
  if (!text.startsWith('<') && !looksFeed) {
    throw new FeedParseError('feed_not_a_feed', `not XML or JSON (starts with ${JSON.stringify(text.slice(0, 24))})`);
  }
}

function detectFormat(xml: string): FeedFormat {
  if (/<feed\b/.test(xml.slice(0, 2048))) return 'atom';
  if (/<rdf:RDF\b/.test(xml.slice(0, 2048))) return 'rss1';
  const version = /<rss\b[^>]*version=["']([\d.]+)["']/.exec(xml.slice(0, 2048))?.[1];
  return version?.startsWith('0.9') ? 'rss09' : 'rss2';
}

/** rss-parser throws on an Atom date it cannot read; rewrite readable ones as ISO and drop the rest. */
function normalizeAtomDates(xml: string, now: Date): { xml: string; warnings: string[] } {
  if (!/<feed\b/.test(xml.slice(0, 2048))) return { xml, warnings: [] };
  let dropped = 0;
  const out = xml.replace(/<(published|updated)(\s[^>]*)?>([^<]*)<\/\1>/g, (_whole, tag: string, _attrs, value: string) => {
    const iso = parseFeedDate(value, { notAfter: new Date(now.getTime() + 2 * 86_400_000) });
    if (iso) return `<${tag}>${iso}</${tag}>`;
    dropped++;
    return '';
  });
  return { xml: out, warnings: dropped ? [`ignored ${dropped} unreadable Atom dates`] : [] };
}

function str(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  if (v && typeof v === 'object') {
    const inner = (v as { _?: unknown })._;
    if (typeof inner === 'string') return inner;
    const href = (v as { $?: { href?: unknown } }).$?.href;
    if (typeof href === 'string') return href;
  }
  if (Array.isArray(v)) return str(v[0]);
  return '';
}

export function resolveUrl(href: string, base: string | null): string | null {
  const h = href.trim();
  if (!h) return null;
  try {
    const u = base ? new URL(h, base) : new URL(h);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null;
  } catch {
    return null;
  }
}

function hashOf(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 24);
}

function mapFeed(raw: RawFeed, format: FeedFormat, options: ParseFeedOptions, warnings: string[]): ParsedFeed {
  const siteUrl = resolveUrl(str(raw.link), options.feedUrl);
  const base = siteUrl ?? options.feedUrl;
  const items: FeedItem[] = [];
  let relative = 0;
  let derivedIds = 0;
  let badDates = 0;
  let empty = 0;
  const bounds = { notAfter: new Date(options.now.getTime() + 2 * 86_400_000) };
  for (const it of raw.items ?? []) {
    const title = htmlToText(str(it.title));
    const linkRaw = str(it.link) || (str(it.guid).match(/^https?:\/\//) && it.guid ? str(it.guid) : '');
    const url = linkRaw ? resolveUrl(linkRaw, base) : null;
    if (linkRaw && url && !/^https?:/i.test(linkRaw.trim())) relative++;
    const contentHtml = str(it['content:encoded']) || (format === 'atom' ? str(it.content) : '') || null;
    const summaryHtml = (format === 'atom' ? str(it.summary) : str(it.content)) || null;
    if (!title && !url && !contentHtml && !summaryHtml) {
      empty++;
      continue;
    }
    const dateRaw = str(it.pubDate) || str(it.atomPublished) || str(it.dcDate) || str(it.atomUpdated) || str(it.date);
    const publishedAt = parseFeedDate(dateRaw, bounds);
    if (!publishedAt) badDates++;
    const updatedAt = parseFeedDate(str(it.atomUpdated) || str(it.dcModified), bounds);
    const id = str(it.guid) || str(it.atomId) || str(it['rdf:about']);
    let guid: string;
    let guidSource: FeedItem['guidSource'];
    if (id.trim()) {
      guid = id.trim();
      guidSource = 'guid';
    } else if (url) {
      guid = url;
      guidSource = 'link';
      derivedIds++;
    } else {
      guid = `sha256:${hashOf(title, contentHtml ?? summaryHtml ?? '')}`;
      guidSource = 'content';
      derivedIds++;
    }
    const cats = Array.isArray(it.categories) ? it.categories.map(str).filter(Boolean) : [];
    items.push({
      guid,
      guidSource,
      url,
      title,
      publishedAt,
      updatedAt,
      author: htmlToText(str(it.creator) || str(it.author)) || null,
      contentHtml,
      summaryHtml,
      categories: cats,
    });
  }
  if (relative) warnings.push(`resolved ${relative} relative links against ${base}`);
  if (derivedIds) warnings.push(`${derivedIds} items had no id; derived one from the link or content`);
  if (badDates) warnings.push(`${badDates} items had a missing or unreadable date; using the time first seen`);
  if (empty) warnings.push(`skipped ${empty} empty items (no title, link or content)`);
  return finish(format, htmlToText(str(raw.title)) || null, siteUrl, items, warnings, options);
}

function finish(
  format: FeedFormat,
  title: string | null,
  siteUrl: string | null,
  items: FeedItem[],
  warnings: string[],
  options: ParseFeedOptions,
): ParsedFeed {
  const unique = uniqueBy(items, (i) => i.guid);
  if (unique.length < items.length) warnings.push(`dropped ${items.length - unique.length} repeated items (same id twice in the feed)`);
  const max = options.maxItems ?? 1000;
  let kept = unique;
  if (unique.length > max) {
    kept = [...unique].sort((a, b) => (b.publishedAt ?? '').localeCompare(a.publishedAt ?? '')).slice(0, max);
    warnings.push(`feed has ${unique.length} items; kept the newest ${max}`);
  }
  return { format, title, siteUrl, items: kept, warnings };
}

function parseJsonFeed(text: string, options: ParseFeedOptions): ParsedFeed {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new FeedParseError('feed_malformed', `invalid JSON: ${(err as Error).message}`);
  }
  const feed = doc as { version?: unknown; title?: unknown; home_page_url?: unknown; items?: unknown };
  if (!feed || typeof feed !== 'object' || typeof feed.version !== 'string' || !feed.version.includes('jsonfeed.org')) {
    throw new FeedParseError('feed_not_a_feed', 'JSON, but not a JSON Feed (no jsonfeed.org version)');
  }
  if (!Array.isArray(feed.items)) throw new FeedParseError('feed_malformed', 'JSON Feed without an items array');
  const warnings: string[] = [];
  const siteUrl = typeof feed.home_page_url === 'string' ? resolveUrl(feed.home_page_url, options.feedUrl) : null;
  const base = siteUrl ?? options.feedUrl;
  const bounds = { notAfter: new Date(options.now.getTime() + 2 * 86_400_000) };
  const items: FeedItem[] = [];
  let skipped = 0;
  for (const raw of feed.items as unknown[]) {
    if (!raw || typeof raw !== 'object') {
      skipped++;
      continue;
    }
    const it = raw as Record<string, unknown>;
    const url = resolveUrl(str(it.url) || str(it.external_url), base);
    const contentHtml = str(it.content_html) || (str(it.content_text) ? escapeText(str(it.content_text)) : '') || null;
    const summaryHtml = str(it.summary) ? escapeText(str(it.summary)) : null;
    const title = htmlToText(str(it.title));
    if (!title && !url && !contentHtml) {
      skipped++;
      continue;
    }
    const id = str(it.id).trim();
    const authors = Array.isArray(it.authors) ? it.authors : it.author ? [it.author] : [];
    const author = authors.map((a) => str((a as { name?: unknown })?.name)).find(Boolean) ?? null;
    items.push({
      guid: id || url || `sha256:${hashOf(title, contentHtml ?? '')}`,
      guidSource: id ? 'guid' : url ? 'link' : 'content',
      url,
      title,
      publishedAt: parseFeedDate(str(it.date_published), bounds),
      updatedAt: parseFeedDate(str(it.date_modified), bounds),
      author,
      contentHtml,
      summaryHtml,
      categories: Array.isArray(it.tags) ? it.tags.map(str).filter(Boolean) : [],
    });
  }
  if (skipped) warnings.push(`skipped ${skipped} unusable JSON Feed items`);
  return finish('jsonfeed', htmlToText(str(feed.title)) || null, siteUrl, items, warnings, options);
}

function escapeText(s: string): string {
  return s
    .split(/\n\s*\n/)
    .map((p) => `<p>${p.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}</p>`)
    .join('');
}
