/**
 * @module Pure sentence splitting for news text: respects abbreviations (Mr., U.S., Gen.), initials
 * (J. Smith), decimals (6.1), and closing quotes after the full stop.
 */

const ABBREVIATIONS = new Set(
  `mr mrs ms dr prof gen lt col maj capt sgt cmdr adm gov sen rep rev st jr sr no vs etc inc ltd co corp dept est approx fig jan feb mar apr
  jun jul aug sep sept oct nov dec mt ft pres ave blvd`.split(/\s+/),
);

/** Splits one paragraph into sentences. */
export function splitSentences(paragraph: string): string[] {
  const text = paragraph.trim();
  if (!text) return [];
  const out: string[] = [];
  let start = 0;
  const re = /([.!?…]+)(["”’')\]]*)(\s+)(?=["“‘'([]?[\p{Lu}\d])/gu;
  for (const m of text.matchAll(re)) {
    const [, stop = '', closer = '', space = ''] = m;
    const end = (m.index ?? 0) + stop.length + closer.length;
    const before = text.slice(start, m.index ?? 0);
    const lastWord = /([\p{L}.]+)$/u.exec(before)?.[1] ?? '';
    const bare = lastWord.replace(/\./g, '').toLowerCase();
    // "Mr. Smith", "U.S. officials", "J. Mansour": not sentence ends.
    if (stop === '.' && !closer) {
      // "at 3 p.m. Police said…": a time at the end of a sentence, when a capital follows.
      if (/^[ap]m$/.test(bare) && /^\d/.test(before.trim().split(/\s+/).at(-2) ?? '')) {
        out.push(text.slice(start, end).trim());
        start = end + space.length;
        continue;
      }
      if (ABBREVIATIONS.has(bare)) continue;
      if (/^\p{Lu}$/u.test(lastWord)) continue; // a single initial
      if (/^(\p{L}\.)+\p{L}?$/u.test(lastWord)) continue; // U.S / U.K. / e.g
    }
    out.push(text.slice(start, end).trim());
    start = end + space.length;
  }
  const rest = text.slice(start).trim();
  if (rest) out.push(rest);
  return mergeOpenQuotes(out.filter(Boolean));
}

/**
 * A quotation of several sentences followed by its attribution ("“A. B,” she said.") stays one
 * sentence, so the attribution reaches all of it; an opening quote never closed is left split.
 */
function mergeOpenQuotes(sentences: string[]): string[] {
  const out: string[] = [];
  let buffer = '';
  const balance = (s: string) => (s.match(/“/g) ?? []).length - (s.match(/”/g) ?? []).length;
  for (let i = 0; i < sentences.length; i++) {
    const s = sentences[i] as string;
    buffer = buffer ? `${buffer} ${s}` : s;
    const open = balance(buffer) > 0;
    const closesLater = sentences.slice(i + 1).some((t) => balance(t) < 0);
    if (open && closesLater && buffer.length < 600) continue;
    out.push(buffer);
    buffer = '';
  }
  if (buffer) out.push(buffer);
  return out;
}

/** Sentences of a multi-paragraph text (paragraphs separated by blank lines or newlines). */
export function textSentences(text: string): Array<{ sentence: string; paragraph: number; index: number }> {
  const out: Array<{ sentence: string; paragraph: number; index: number }> = [];
  text
    .split(/\n+/)
    .map((p) => p.trim())
    .filter(Boolean)
    .forEach((p, paragraph) => {
      for (const sentence of splitSentences(p)) out.push({ sentence, paragraph, index: out.length });
    });
  return out;
}

/** "KYIV, Ukraine —", "LERRIN (Northline) -", "PORT SELDEN —": the dateline before the first sentence. */
export const DATELINE = /^\p{Lu}[\p{Lu} .'’-]{2,40}(?:,\s*[\p{L} .'’-]{2,30})?(?:\s*\([^)]{1,30}\))?\s*[—–-]\s+/u;

export function stripDateline(s: string): string {
  return s.replace(DATELINE, '');
}
