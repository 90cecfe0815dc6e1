import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type ExtractedArticle, extractArticle } from '../../../src/extract/extract-article.ts';

interface PageExpectation {
  file: string;
  describes: string;
  url: string;
  title: string;
  siteName: string | null;
  publishedAt: string | null;
  canonicalUrl: string | null;
  firstParagraph: string;
  lastParagraph: string;
  mustContain: string[];
  mustNotContain: string[];
  minWords?: number;
  minParagraphs?: number;
}

const fixtures = new URL('../../fixtures/articles/', import.meta.url);
const expectations = JSON.parse(readFileSync(new URL('expected.json', fixtures), 'utf8')) as PageExpectation[];

const cache = new Map<string, ExtractedArticle>();
function extracted(e: PageExpectation): ExtractedArticle {
  let article = cache.get(e.file);
  if (!article) {
    article = extractArticle(readFileSync(new URL(e.file, fixtures), 'utf8'), e.url);
    cache.set(e.file, article);
  }
  return article;
}

const words = (ps: string[]) => ps.join(' ').split(/\s+/).filter(Boolean).length;

/** A plain news page around the given body HTML, with the usual chrome. */
function page(body: string, head = '<meta property="og:title" content="Harbour tunnel to close for six weeks of repairs">'): string {
  return `<!doctype html><html lang="en"><head><title>Harbour tunnel to close for six weeks of repairs</title>${head}</head><body>
<header><nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></nav></header>
<main><article><h1>Harbour tunnel to close for six weeks of repairs</h1><div class="article-body">${body}</div></article></main>
<footer><p>© 2026 Example Gazette. All rights reserved.</p></footer></body></html>`;
}

const tunnelParagraphs = [
  'The harbour tunnel will close to traffic for six weeks from June 2 so that engineers can replace its ventilation fans and repair leaks in the roof, the transport department said on Monday.',
  'About 31,000 vehicles use the tunnel on an average weekday. Drivers will be sent over the Gantry Bridge, which officials said could add up to 20 minutes to journeys at peak times.',
  'The department said buses would keep using the tunnel at night, when the work crews are not in it, and that two extra ferry sailings would run each morning during the closure.',
  'The repairs are expected to cost about $14 million. The tunnel, which opened in 1974, last closed for major work in 2009.',
];
const tunnelBody = tunnelParagraphs.map((p) => `<p>${p}</p>`).join('\n');

describe('extract/extract-article', () => {
  it('has an expectation for every fixture page, and at least twelve pages', () => {
    const pages = readdirSync(fixtures)
      .filter((f) => f.endsWith('.html'))
      .sort();
    expect(pages.length).toBeGreaterThanOrEqual(12);
    expect(expectations.map((e) => e.file).sort()).toEqual(pages);
  });

  describe.each(expectations)('$file', (e) => {
    it('reads the title, site name, publication time and canonical URL', () => {
      const a = extracted(e);
      expect({ title: a.title, siteName: a.siteName, publishedAt: a.publishedAt, canonicalUrl: a.canonicalUrl }).toEqual({
        title: e.title,
        siteName: e.siteName,
        publishedAt: e.publishedAt,
        canonicalUrl: e.canonicalUrl,
      });
    });

    it('starts with the first paragraph of the article', () => {
      expect(extracted(e).paragraphs[0]).toBe(e.firstParagraph);
    });

    it('ends with the last paragraph of the article', () => {
      expect(extracted(e).paragraphs.at(-1)).toBe(e.lastParagraph);
    });

    it('keeps the body of the article', () => {
      const text = extracted(e).paragraphs.join('\n');
      for (const phrase of e.mustContain) expect(text).toContain(phrase);
      if (e.minWords) expect(words(extracted(e).paragraphs)).toBeGreaterThanOrEqual(e.minWords);
      if (e.minParagraphs) expect(extracted(e).paragraphs.length).toBeGreaterThanOrEqual(e.minParagraphs);
    });

    it('leaves out the page chrome and the other stories', () => {
      const text = extracted(e).paragraphs.join('\n');
      for (const phrase of e.mustNotContain) expect(text).not.toContain(phrase);
    });
  });

  it('drops a glued tail of teasers with no marker', () => {
    const tail = [
      '<p><a href="/a">Council approves new cycle lanes on Quay Street</a></p>',
      '<p>Cyclists will get a protected lane along the length of Quay Street under plans approved on Tuesday by councillors who said the change would</p>',
      '<p><a href="/b">Ferry operator warns of summer staff shortage</a></p>',
      '<p>The operator of the harbour ferries says it is still short of eleven deckhands for the summer timetable and may have to cancel some of the</p>',
    ].join('\n');
    const a = extractArticle(page(`${tunnelBody}\n${tail}`), 'https://gazette.example/news/tunnel');
    expect(a.paragraphs).toEqual(tunnelParagraphs);
  });

  it('drops a "Related" block even when its snippets are whole sentences', () => {
    const tail = [
      '<p><strong>Related</strong></p>',
      '<p><a href="/a">Gantry Bridge speed limit cut to 40mph</a></p>',
      '<p>The speed limit on the Gantry Bridge has been lowered to 40mph while its expansion joints are replaced.</p>',
      '<p><a href="/b">Night buses return to the harbour route</a></p>',
      '<p>Night buses will run along the harbour route again from next month after a two-year gap.</p>',
    ].join('\n');
    const a = extractArticle(page(`${tunnelBody}\n${tail}`), 'https://gazette.example/news/tunnel');
    expect(a.paragraphs).toEqual(tunnelParagraphs);
  });

  it('keeps the rest of the article after an inline "READ MORE" box', () => {
    const box =
      '<p><strong>READ MORE</strong></p><p><a href="/x">Why the tunnel leaks every winter</a></p><p><a href="/y">Five bridges that need repairs</a></p>';
    const body = tunnelParagraphs.map((p, i) => `<p>${p}</p>${i === 1 ? box : ''}`).join('\n');
    const a = extractArticle(page(body), 'https://gazette.example/news/tunnel');
    expect(a.paragraphs).toEqual(tunnelParagraphs);
  });

  it('takes the site name from the JSON-LD publisher when it is given by @id', () => {
    const ld = {
      '@context': 'https://schema.org',
      '@graph': [
        {
          '@type': 'NewsArticle',
          headline: 'Harbour tunnel to close',
          datePublished: '2026-05-04T09:00:00Z',
          publisher: { '@id': '#org' },
        },
        { '@type': 'Organization', '@id': '#org', name: 'Example Gazette' },
      ],
    };
    const a = extractArticle(
      page(tunnelBody, `<script type="application/ld+json">${JSON.stringify(ld)}</script>`),
      'https://gazette.example/news/tunnel',
    );
    expect(a.siteName).toBe('Example Gazette');
    expect(a.title).toBe('Harbour tunnel to close');
    expect(a.publishedAt).toBe('2026-05-04T09:00:00Z');
  });

  it('strips the site name from a title that carries it', () => {
    const head =
      '<meta property="og:title" content="Harbour tunnel to close for six weeks of repairs — Example Gazette"><meta property="og:site_name" content="Example Gazette">';
    expect(extractArticle(page(tunnelBody, head), 'https://gazette.example/news/tunnel').title).toBe(
      'Harbour tunnel to close for six weeks of repairs',
    );
  });

  it('keeps a title whose last words only look like a site name', () => {
    const head =
      '<meta property="og:title" content="Tunnel repairs: what drivers need to know"><meta property="og:site_name" content="Know">';
    expect(extractArticle(page(tunnelBody, head), 'https://gazette.example/news/tunnel').title).toBe(
      'Tunnel repairs: what drivers need to know',
    );
  });

  it('survives a broken JSON-LD block and resolves a relative canonical link', () => {
    const head =
      '<script type="application/ld+json">{"@type": "NewsArticle", "headline": </script><meta property="og:title" content="Harbour tunnel to close"><link rel="canonical" href="/news/tunnel">';
    const a = extractArticle(page(tunnelBody, head), 'https://gazette.example/amp/news/tunnel?ref=rss');
    expect(a.title).toBe('Harbour tunnel to close');
    expect(a.canonicalUrl).toBe('https://gazette.example/news/tunnel');
    expect(a.paragraphs).toEqual(tunnelParagraphs);
  });
});
