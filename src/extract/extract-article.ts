/**
 * @module Pure: an article page's HTML to its clean text and metadata. Readability over linkedom finds
 * the article and drops the page chrome; clean-text.ts then drops what Readability keeps but is not
 * the article (share prompts, comment widgets, teasers for other stories).
 */
import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';
import { cleanParagraphs } from './clean-text.ts';
import { collapseWhitespace, htmlToParagraphs } from './html-text.ts';

export interface ExtractedArticle {
  title: string | null;
  paragraphs: string[];
  byline: string | null;
  siteName: string | null;
  publishedAt: string | null;
  canonicalUrl: string | null;
  lang: string | null;
}

type Doc = ReturnType<typeof parseHTML>['document'];

function meta(doc: Doc, ...names: string[]): string | null {
  for (const name of names) {
    const el = doc.querySelector(`meta[property="${name}"], meta[name="${name}"], meta[itemprop="${name}"]`);
    const v = el?.getAttribute('content');
    if (v?.trim()) return collapseWhitespace(v);
  }
  return null;
}

interface JsonLdNode {
  '@type'?: unknown;
  '@id'?: string;
  name?: string;
}

interface JsonLdArticle extends JsonLdNode {
  headline?: string;
  datePublished?: string;
  publisher?: JsonLdNode | JsonLdNode[];
  author?: JsonLdNode | JsonLdNode[];
}

function hasType(node: unknown, re: RegExp): boolean {
  const t = (node as JsonLdNode | null)?.['@type'];
  return (Array.isArray(t) ? t : [t]).some((x) => typeof x === 'string' && re.test(x));
}

/** The news article in the page's JSON-LD, with its publisher's name resolved through an "@id" reference if need be. */
function jsonLd(doc: Doc): { article: JsonLdArticle; publisherName: string | null } | null {
  for (const script of doc.querySelectorAll('script[type="application/ld+json"]')) {
    try {
      const parsed: unknown = JSON.parse(script.textContent ?? '');
      const nodes = (Array.isArray(parsed) ? parsed : [parsed]).flatMap((x: unknown) => {
        const graph = (x as { '@graph'?: unknown })?.['@graph'];
        return Array.isArray(graph) ? (graph as JsonLdNode[]) : [x as JsonLdNode];
      });
      const article = nodes.find((c) => hasType(c, /Article|NewsArticle|Report|BlogPosting/)) as JsonLdArticle | undefined;
      if (!article) continue;
      const ref = Array.isArray(article.publisher) ? article.publisher[0] : article.publisher;
      const publisher = ref?.name ? ref : nodes.find((n) => ref?.['@id'] && n?.['@id'] === ref['@id']);
      const site = nodes.find((n) => hasType(n, /^WebSite$/));
      const name = publisher?.name ?? site?.name;
      return { article, publisherName: typeof name === 'string' && name.trim() ? collapseWhitespace(name) : null };
    } catch {
      // A broken JSON-LD block is common and harmless: the other metadata still applies.
    }
  }
  return null;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** "Headline | Site Name" or "Site Name: Headline" → "Headline", when the site's name is known. */
function stripSiteName(title: string, siteName: string | null): string {
  if (!siteName) return title;
  const site = escapeRegExp(siteName);
  const stripped = title.replace(new RegExp(`\\s+[|–—·•:-]\\s+${site}$`, 'i'), '').replace(new RegExp(`^${site}\\s*[|–—·•:]\\s+`, 'i'), '');
  return stripped.trim() || title;
}

function resolve(href: string | null | undefined, base: string): string | null {
  if (!href) return null;
  try {
    return new URL(href, base).href;
  } catch {
    return null;
  }
}

export function extractArticle(html: string, pageUrl: string): ExtractedArticle {
  const { document } = parseHTML(html);
  const ld = jsonLd(document);
  const canonicalUrl =
    resolve(document.querySelector('link[rel="canonical"]')?.getAttribute('href'), pageUrl) ?? resolve(meta(document, 'og:url'), pageUrl);
  const siteName = meta(document, 'og:site_name', 'application-name') ?? ld?.publisherName ?? null;
  const publishedAt = meta(document, 'article:published_time', 'datePublished', 'pubdate', 'date') ?? ld?.article.datePublished ?? null;
  const metaTitle = meta(document, 'og:title', 'twitter:title') ?? (ld?.article.headline ? collapseWhitespace(ld.article.headline) : null);
  const lang = document.documentElement?.getAttribute('lang') ?? null;

  let paragraphs: string[] = [];
  let title: string | null = metaTitle;
  let byline: string | null = null;
  try {
    const result = new Readability(document as unknown as ConstructorParameters<typeof Readability>[0], {
      charThreshold: 250,
      keepClasses: false,
    }).parse();
    if (result?.content) {
      paragraphs = htmlToParagraphs(result.content);
      title = metaTitle ?? (result.title ? collapseWhitespace(result.title) : null);
      byline = result.byline ? collapseWhitespace(result.byline) : null;
    }
  } catch {
    // Readability throws on some degenerate documents; fall back to the article element below.
  }
  if (paragraphs.length === 0) {
    const { document: fresh } = parseHTML(html);
    const root = fresh.querySelector('article') ?? fresh.querySelector('main') ?? fresh.querySelector('body');
    for (const junk of root?.querySelectorAll('header, footer, nav, aside, form, script, style') ?? []) junk.remove();
    paragraphs = root ? htmlToParagraphs(root.innerHTML) : [];
    title ??= collapseWhitespace(fresh.querySelector('h1')?.textContent ?? fresh.querySelector('title')?.textContent ?? '') || null;
  }
  if (title) title = stripSiteName(title, siteName);
  const dropByline = (p: string) => !(byline && collapseWhitespace(p) === byline) && !/^by [\p{L} .'-]{2,60}(·|\||—|-|,)\s*\S/iu.test(p);
  return {
    title,
    paragraphs: cleanParagraphs(paragraphs.filter(dropByline), { title: title ?? '' }),
    byline,
    siteName,
    publishedAt,
    canonicalUrl,
    lang,
  };
}
