/** Tiny builders for test data. */
import type { FeedSpec } from '../../src/config/load-config.ts';
import type { Story } from './stories.ts';

export function feedSpec(url: string, extra: Partial<FeedSpec> = {}): FeedSpec {
  return { url, name: undefined, outlet: undefined, intervalMs: undefined, fullText: undefined, ...extra };
}

export function rssFeed(
  title: string,
  items: Array<{ title: string; link: string; guid?: string; pubDate?: string; description?: string; content?: string }>,
): string {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const body = items
    .map(
      (i) =>
        `<item><title>${esc(i.title)}</title><link>${esc(i.link)}</link>${i.guid ? `<guid isPermaLink="false">${esc(i.guid)}</guid>` : ''}${
          i.pubDate ? `<pubDate>${i.pubDate}</pubDate>` : ''
        }${i.description ? `<description>${esc(i.description)}</description>` : ''}${
          i.content ? `<content:encoded><![CDATA[${i.content}]]></content:encoded>` : ''
        }</item>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>${esc(title)}</title><link>https://example.org/</link>
${body}
</channel></rss>`;
}

/** The stories as an RSS feed titled `outlet`: links under `baseUrl`/a/, full text in content:encoded. */
export function storiesFeed(baseUrl: string, outlet: string, stories: readonly Story[]): string {
  const esc = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return rssFeed(
    outlet,
    stories.map((st) => ({
      title: st.title,
      link: `${baseUrl}/a/${st.id}`,
      guid: st.id,
      pubDate: new Date(st.publishedAt).toUTCString(),
      description: st.text.split('\n')[0] ?? '',
      content: st.text
        .split('\n')
        .map((para) => `<p>${esc(para)}</p>`)
        .join(''),
    })),
  );
}
