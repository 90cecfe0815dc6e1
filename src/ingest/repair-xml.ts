/**
 * @module Text-level repairs that rescue real feeds the XML parser would reject: junk before the root,
 * control characters, bare ampersands, HTML-only entities, unescaped HTML inside description-like
 * elements, and bodies cut off mid-document. Each repair reports what it changed.
 */
import { decodeHTML } from 'entities';

const XML_ENTITIES = new Set(['amp', 'lt', 'gt', 'quot', 'apos']);

/** Applies `fn` to the parts of `xml` outside CDATA sections and comments. */
export function mapOutsideCdata(xml: string, fn: (chunk: string) => string): string {
  const parts = xml.split(/(<!\[CDATA\[[\s\S]*?\]\]>|<!--[\s\S]*?-->)/);
  return parts.map((p, i) => (i % 2 === 1 ? p : fn(p))).join('');
}

export interface Repaired {
  xml: string;
  warnings: string[];
}

/** Repairs that are always safe: they only touch what a strict parser would reject. */
export function repairXml(input: string): Repaired {
  const warnings: string[] = [];
  let xml = input.replace(/^\uFEFF/, '');

  const firstTag = xml.search(/<(\?xml|rss|feed|rdf:RDF|RDF|channel)\b/i);
  if (firstTag > 0 && xml.slice(0, firstTag).trim()) {
    warnings.push(`ignored ${firstTag} characters of junk before the XML`);
  }
  if (firstTag > 0) xml = xml.slice(firstTag);

  // XML 1.0 forbids most C0 controls (and lone surrogates, which would not survive decoding anyway).
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point.
  const withoutControls = xml.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '');
  if (withoutControls.length !== xml.length) {
    warnings.push(`removed ${xml.length - withoutControls.length} control characters that XML does not allow`);
    xml = withoutControls;
  }

  let bare = 0;
  let html = 0;
  let unknown = 0;
  let lessThan = 0;
  xml = mapOutsideCdata(xml, (chunk) =>
    chunk
      .replace(/&(?!#\d{1,7};|#x[0-9a-fA-F]{1,6};|[a-zA-Z][a-zA-Z0-9]{1,31};)/g, () => {
        bare++;
        return '&amp;';
      })
      .replace(/&([a-zA-Z][a-zA-Z0-9]{1,31});/g, (whole, name: string) => {
        if (XML_ENTITIES.has(name)) return whole;
        const decoded = decodeHTML(whole);
        if (decoded === whole) {
          unknown++;
          return `&amp;${name};`;
        }
        html++;
        return [...decoded].map((c) => `&#${c.codePointAt(0)};`).join('');
      })
      // "margins < 5%": a "<" that cannot start a tag, end tag, comment, CDATA or processing instruction.
      .replace(/<(?![\p{L}_:/!?])/gu, () => {
        lessThan++;
        return '&lt;';
      }),
  );
  if (bare) warnings.push(`escaped ${bare} bare "&" characters`);
  if (html) warnings.push(`converted ${html} HTML entities that XML does not define`);
  if (unknown) warnings.push(`kept ${unknown} unknown entities (like "&foo;") as plain text`);
  if (lessThan) warnings.push(`escaped ${lessThan} bare "<" characters`);
  return { xml, warnings };
}

const HTML_CARRIERS = ['description', 'content:encoded', 'summary', 'content', 'media:description', 'itunes:summary'];

/**
 * Wraps raw (unescaped) HTML inside description-like elements in CDATA, so stray `<br>` does not break
 * the parse and well-formed markup (`<p>a <b>b</b> c</p>`) keeps its text in order.
 */
export function wrapHtmlInCdata(xml: string): Repaired {
  let wrapped = 0;
  let out = xml;
  for (const tag of HTML_CARRIERS) {
    // `(?<!/)>`: a self-closing `<content src="…"/>` has no body and must not pair with a later close tag.
    const re = new RegExp(`(<${escapeRe(tag)}(?:\\s[^>]*?)?(?<!/)>)([\\s\\S]*?)(</${escapeRe(tag)}>)`, 'g');
    out = out.replace(re, (whole, open: string, inner: string, close: string) => {
      if (!/</.test(inner) || /^\s*<!\[CDATA\[[\s\S]*\]\]>\s*$/.test(inner)) return whole;
      if (/type\s*=\s*["']xhtml["']/.test(open)) return whole;
      wrapped++;
      return `${open}${toCdata(inner.replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, '$1'))}${close}`;
    });
  }
  return { xml: out, warnings: wrapped ? [`wrapped unescaped HTML in ${wrapped} elements`] : [] };
}

/**
 * Atom `type="xhtml"` text constructs carry markup as XML children, which the XML-to-object step
 * scrambles (text first, child elements after). Turns each into `type="html"` with the markup, minus
 * the required wrapping `<div>`, in CDATA. Valid Atom, so no warning.
 */
export function xhtmlToCdata(xml: string): string {
  const re = /<(title|subtitle|summary|content|rights)(\s[^>]*?\btype\s*=\s*["']xhtml["'][^>]*?)(?<!\/)>([\s\S]*?)<\/\1>/g;
  return xml.replace(re, (_whole, tag: string, attrs: string, inner: string) => {
    const div = /^\s*<([\w.-]+:)?div\b[^>]*>([\s\S]*)<\/\1?div>\s*$/.exec(inner);
    const markup = (div ? (div[2] ?? '') : inner).trim();
    return `<${tag}${attrs.replace(/(\btype\s*=\s*["'])xhtml(["'])/, '$1html$2')}>${toCdata(markup)}</${tag}>`;
  });
}

function toCdata(text: string): string {
  return `<![CDATA[${text.replace(/\]\]>/g, ']]]]><![CDATA[>')}]]>`;
}

/** A feed cut into the part before its first item, each item (complete or not), and the tags that close it. */
export interface SplitFeed {
  head: string;
  /** Each `<item>`/`<entry>` from its open tag up to the next one (or the end); may be broken. */
  items: string[];
  tag: 'item' | 'entry';
  closing: string;
}

/**
 * Splits a feed at its item open tags, so a caller can keep the items that parse and drop one that
 * does not (an unclosed tag mid-document would otherwise lose the whole feed). Null when not RSS/Atom.
 */
export function splitItems(xml: string): SplitFeed | null {
  const tag = /<feed\b/.test(xml.slice(0, 4096)) ? 'entry' : 'item';
  const open = new RegExp(`<${tag}(?=[\\s>/])`, 'g');
  const starts = [...xml.matchAll(open)].map((m) => m.index);
  const first = starts[0];
  if (first === undefined) return null;
  const head = xml.slice(0, first);
  let closing: string;
  if (tag === 'entry') closing = '</feed>';
  else if (/<rdf:RDF\b/.test(head)) closing = '</rdf:RDF>';
  else if (/<rss\b/.test(head)) closing = '</channel></rss>';
  else return null;
  const items = starts.map((start, i) => {
    const chunk = xml.slice(start, starts[i + 1] ?? xml.length);
    const end = chunk.lastIndexOf(`</${tag}>`);
    return end >= 0 ? chunk.slice(0, end + tag.length + 3) : chunk;
  });
  return { head, items, tag, closing };
}

/** Cuts a truncated or broken document after its last complete item and closes the root. */
export function truncateToLastItem(xml: string): Repaired | null {
  const endItem = xml.lastIndexOf('</item>');
  const endEntry = xml.lastIndexOf('</entry>');
  const cut = Math.max(endItem >= 0 ? endItem + 7 : -1, endEntry >= 0 ? endEntry + 8 : -1);
  if (cut < 0) return null;
  const head = xml.slice(0, cut);
  let closing: string;
  if (/<feed\b/.test(head)) closing = '</feed>';
  else if (/<rdf:RDF\b/.test(head)) closing = '</rdf:RDF>';
  else if (/<rss\b/.test(head)) closing = head.includes('</channel>') ? '</rss>' : '</channel></rss>';
  else return null;
  const items = (head.match(/<\/(item|entry)>/g) ?? []).length;
  return {
    xml: head + closing,
    warnings: [`document was broken or cut off after item ${items}; kept the ${items} complete items before it`],
  };
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
