/**
 * @module Pure: does a message in a briefing thread ask for the sources? "sources", "sources 2",
 * "links?", "where is this from", "source pls", "what are the sources for 3".
 */

export interface SourcesAsk {
  /** "sources 2": the second event of the thread (or page 2 when the thread has one event). */
  number: number | null;
}

const ASK =
  /^(?:@\S+\s+)?(?:(?:please\s+|pls\s+)?(?:show\s+(?:me\s+)?|send\s+(?:me\s+)?|give\s+(?:me\s+)?|what\s+are\s+(?:the\s+)?|list\s+(?:the\s+)?)?(?:the\s+)?(?:sources?|links?|refs?|references|citations?)(?:\s+(?:for|of)\s+(?:#|no\.?\s*|number\s+)?(\d{1,2}))?(?:\s+(?:#|no\.?\s*)?(\d{1,2}))?(?:\s*(?:please|pls|plz))?\s*[?!.]*|where\s+(?:is|was|does)\s+(?:this|that|it)\s+(?:from|come\s+from|coming\s+from)\s*[?!.]*|where\s+did\s+(?:this|that|you\s+get\s+this)\s+come\s+from\s*[?!.]*|(?:what(?:'s|\s+is)\s+the\s+)?source\s*\?+)$/i;

export function parseSourcesRequest(text: string): SourcesAsk | null {
  const t = text
    .replace(/<@[^>]+>/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  if (t.length > 80) return null;
  const m = ASK.exec(t);
  if (!m) return null;
  const n = m[1] ?? m[2];
  return { number: n ? Number(n) : null };
}
