/**
 * @module HTML fragments (feed content, Readability output) to plain text, keeping paragraph
 * boundaries. Streaming (htmlparser2), so it is cheap enough for every item of a large feed.
 */
import { decodeHTML } from 'entities';
import { Parser } from 'htmlparser2';

const BLOCK = new Set([
  'p',
  'div',
  'section',
  'article',
  'main',
  'li',
  'ul',
  'ol',
  'dl',
  'dt',
  'dd',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'blockquote',
  'pre',
  'table',
  'tr',
  'td',
  'th',
  'hr',
  'header',
  'footer',
  'address',
  'center',
  'figure',
  'caption',
  'details',
  'summary',
]);
const SKIP = new Set([
  'script',
  'style',
  'noscript',
  'iframe',
  'svg',
  'form',
  'button',
  'select',
  'textarea',
  'nav',
  'aside',
  'figcaption',
  'template',
  'object',
  'embed',
  'video',
  'audio',
  'canvas',
  'math',
]);

export function collapseWhitespace(s: string): string {
  return s.replace(/[\s\u00a0\u200b\u2028\u2029]+/g, ' ').trim();
}

/** Stands for a <br> until the block is flushed: source newlines are plain whitespace in HTML, a <br> is not. */
const BR = '\uE000';
const BR_RUN = /\s*\uE000(?:\s*\uE000)+\s*/;

/** Paragraphs of visible text, in order, each whitespace-collapsed; empty ones dropped. */
export function htmlToParagraphs(raw: string): string[] {
  const html = keepChatMentions(raw);
  const out: string[] = [];
  let current = '';
  let skipDepth = 0;
  const flush = () => {
    // A run of <br><br> inside one block is how many CMSs separate paragraphs; a single <br> is a line break.
    for (const part of current.split(BR_RUN)) {
      const t = collapseWhitespace(part.replaceAll(BR, ' '));
      if (t) out.push(t);
    }
    current = '';
  };
  const parser = new Parser(
    {
      onopentag(name) {
        if (SKIP.has(name)) skipDepth++;
        else if (skipDepth === 0 && BLOCK.has(name)) flush();
        else if (skipDepth === 0 && name === 'br') current += BR;
        else if (skipDepth === 0 && name === 'img') current += ' ';
      },
      ontext(text) {
        if (skipDepth === 0) current += text.replaceAll(BR, ' ');
      },
      onclosetag(name) {
        if (SKIP.has(name)) skipDepth = Math.max(0, skipDepth - 1);
        else if (skipDepth === 0 && BLOCK.has(name)) flush();
      },
    },
    { decodeEntities: true, lowerCaseTags: true },
  );
  parser.write(html);
  parser.end();
  flush();
  return out;
}

/**
 * Chat mention syntax in feed text (`<!channel>`, `<!here>`, `<@U123>`) would be dropped as tags by
 * the HTML parser and vanish: kept as visible text instead ("@channel"), which the platforms then
 * neutralise like any other "@channel".
 */
export function keepChatMentions(html: string): string {
  return html
    .replace(/<!(channel|here|everyone|group)(?:\|[^>]*)?>/gi, '@$1')
    .replace(/<!subteam\^[^>|]*(?:\|([^>]*))?>/gi, (_m, name: string | undefined) => `@${name || 'group'}`)
    .replace(/<@([UW][A-Z0-9]{2,})(?:\|[^>]*)?>/g, '@$1')
    .replace(/&lt;!(channel|here|everyone|group)&gt;/gi, '@$1');
}

/** Inline text of an HTML fragment (titles, teasers): tags dropped, entities decoded, one line. */
export function htmlToText(raw: string | null | undefined): string {
  if (!raw) return '';
  const html = keepChatMentions(raw);
  if (!/[<&]/.test(html)) return collapseWhitespace(html);
  if (!/</.test(html)) return collapseWhitespace(decodeHTML(html));
  return collapseWhitespace(htmlToParagraphs(html).join(' '));
}
