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
      if (ABBREVIATIONS.has(bare)) continue;
      if (/^\p{Lu}$/u.test(lastWord)) continue; // a single initial
      if (/^(\p{L}\.)+\p{L}?$/u.test(lastWord)) continue; // U.S / U.K. / e.g
    }
    out.push(text.slice(start, end).trim());
    start = end + space.length;
  }
  const rest = text.slice(start).trim();
  if (rest) out.push(rest);
  return out.filter(Boolean);
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
