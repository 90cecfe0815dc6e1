/**
 * @module Pure: reads an OPML subscription list (nested outlines included) into feed entries.
 */
import { Parser } from 'htmlparser2';
import { uniqueBy } from '../shared/collections.ts';

export interface OpmlFeed {
  url: string;
  name: string | null;
}

/**
 * Feed entries of an OPML document, and how many outlines were left out: feed outlines whose URL is
 * missing or not http(s), and repeats of a URL already listed. Folders (outlines that only group
 * others) are not counted.
 */
export function parseOpml(xml: string): { feeds: OpmlFeed[]; skipped: number; duplicates: number } {
  const feeds: OpmlFeed[] = [];
  let skipped = 0;
  let sawOpml = false;
  const parser = new Parser(
    {
      onopentag(name, attrs) {
        const tag = name.toLowerCase();
        if (tag === 'opml') sawOpml = true;
        if (tag !== 'outline') return;
        const lower = Object.fromEntries(Object.entries(attrs).map(([k, v]) => [k.toLowerCase(), v]));
        const url = lower.xmlurl?.trim();
        if (!url) {
          // A folder groups others; an outline that says it is a feed but has no URL is a broken entry.
          if (/^(rss|atom|feed)$/i.test(lower.type ?? '') || lower.htmlurl) skipped++;
          return;
        }
        try {
          const u = new URL(url);
          if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('scheme');
        } catch {
          skipped++;
          return;
        }
        const label = (lower.title ?? lower.text ?? '').trim();
        feeds.push({ url, name: label || null });
      },
    },
    { xmlMode: true, decodeEntities: true },
  );
  parser.write(xml);
  parser.end();
  if (!sawOpml) throw new Error('not an OPML document (no <opml> element)');
  const unique = uniqueBy(feeds, (f) => f.url);
  return { feeds: unique, skipped, duplicates: feeds.length - unique.length };
}
