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

interface JsonLdArticle {
  headline?: string;
  datePublished?: string;
  publisher?: { name?: string };
  author?: { name?: string } | Array<{ name?: string }>;
}

function jsonLd(doc: Doc): JsonLdArticle | null {
  for (const script of doc.querySelectorAll('script[type="application/ld+json"]')) {
    try {
      const parsed: unknown = JSON.parse(script.textContent ?? '');
      const candidates = (Array.isArray(parsed) ? parsed : [parsed]).flatMap((x: unknown) => {
        const graph = (x as { '@graph'?: unknown })?.['@graph'];
        return Array.isArray(graph) ? graph : [x];
      });
      const article = candidates.find((c: unknown) => {
        const t = (c as { '@type'?: unknown })?.['@type'];
        const types = Array.isArray(t) ? t : [t];
        return types.some((x) => typeof x === 'string' && /Article|NewsArticle|Report|BlogPosting/.test(x));
      });
      if (article) return article as JsonLdArticle;
    } catch {
      // A broken JSON-LD block is common and harmless: the other metadata still applies.
    }
  }
  return null;
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
  const siteName = meta(document, 'og:site_name', 'application-name') ?? ld?.publisher?.name ?? null;
  const publishedAt = meta(document, 'article:published_time', 'datePublished', 'pubdate', 'date') ?? ld?.datePublished ?? null;
  const metaTitle = meta(document, 'og:title', 'twitter:title') ?? ld?.headline ?? null;
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
