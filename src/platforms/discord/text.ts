/**
 * @module Pure: feed text made safe for Discord markdown (no formatting, no mentions, no masked
 * links survive from a feed), links we build ourselves, and splitting long text at sentence
 * boundaries so nothing is cut mid-sentence when a Discord length limit is reached.
 */
import { type ClipRules, clipLine, splitAtSentences as splitTextAtSentences, type TextRules } from '../present/split-text.ts';

/** Zero-width space: placed after `@` / `<` it keeps the text readable but inert. */
export const ZWSP = '\u200b';

/** Longest URL we turn into a masked link; longer ones (pathological) are left out of the link. */
export const MAX_LINK_URL = 1000;

/**
 * Feed text → Discord text that renders literally: markdown characters are backslash-escaped
 * (`\ * _ ~ ` | [ ]` everywhere; `>`, `#` and `-#` at a line start), `@everyone` / `@here`
 * get a zero-width space after the `@`, and `<@123>`, `<@!123>`, `<@&123>`, `<#123>` (and other
 * `<…>` mention-like tokens: slash commands, emoji, timestamps) get one after the `<`.
 * Masked links `[text](url)` come out as plain text because their brackets are escaped.
 */
export function escapeDiscordText(s: string): string {
  return (
    s
      .replace(/\r\n?/g, '\n')
      .replace(/[\\*_~`|[\]]/g, '\\$&')
      // Block syntax only counts at a line start (after optional indentation).
      .replace(/^([ \t]*)(>|#|-#)/gm, '$1\\$2')
      .replace(/@(everyone|here)/gi, `@${ZWSP}$1`)
      // <@123> user, <@!123> nickname, <@&123> role, <#123> channel, </cmd:1> command, <:e:1> <a:e:1> emoji, <t:1> time.
      .replace(/<(?=[@#/:]|a:|t:|id:)/gi, `<${ZWSP}`)
  );
}

/** Whether a URL may become a link: absolute http(s) only (no javascript:, data:, relative …). */
export function safeHttpUrl(url: string | null | undefined): string | null {
  if (!url) return null;
  const trimmed = url.trim();
  if (!/^https?:\/\//i.test(trimmed)) return null;
  let parsed: URL;
  try {
    parsed = new URL(trimmed);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return null;
  const href = parsed.href.replace(/[()\s]/g, (c) => (c === '(' ? '%28' : c === ')' ? '%29' : encodeURIComponent(c)));
  return href.length > MAX_LINK_URL ? null : href;
}

/**
 * `[label](url)`: the label escaped like feed text (so `]` and `)` cannot end it early), the URL
 * with `(`, `)` and spaces percent-encoded. Anything but an absolute http(s) URL gives just the
 * escaped label, never a link.
 */
export function discordLink(url: string | null | undefined, label: string): string {
  const text = escapeDiscordText(label.replace(/\s+/g, ' ').trim()).replace(/[()]/g, '\\$&');
  const href = safeHttpUrl(url);
  if (!href) return text;
  return `[${text || escapeDiscordText(new URL(href).hostname)}](${href})`;
}

/** `max` code units of `s` at most, never ending inside a surrogate pair or on an escaping backslash. */
function hardCut(s: string, max: number): number {
  let cut = Math.max(1, Math.min(max, s.length));
  const code = s.charCodeAt(cut - 1);
  if (cut < s.length && code >= 0xd800 && code <= 0xdbff && cut > 1) cut--;
  // An odd run of backslashes before the cut would escape across it.
  let slashes = 0;
  while (cut - 1 - slashes >= 0 && s[cut - 1 - slashes] === '\\') slashes++;
  if (slashes % 2 === 1 && cut > 1) cut--;
  return cut;
}

/** How Discord text is cut: at spaces, never after an escaping backslash; paragraph breaks kept as one or two line ends. */
const DISCORD_TEXT_RULES: TextRules = {
  normalise: (text) => text.replace(/\r\n?/g, '\n').trim(),
  isBreak: (s, i) => s.charAt(i) === ' ',
  safeCut: hardCut,
  joinBreaks: (_pending, run) => (run.length > 1 ? '\n\n' : '\n'),
  keepIndent: false,
  longSentenceOwnChunk: false,
};

/** Discord labels: cut at a space in the second half of the room, else hard (never after a backslash). */
const DISCORD_CLIP: ClipRules = {
  minBreakShare: 0.5,
  tidyHead: (head) => head.trimEnd(),
  ellipsisOnlyBelowTwo: false,
};

/**
 * Text → chunks of at most `max` characters, each made of whole sentences (never cut
 * mid-sentence); paragraph and line breaks between chunks are dropped, inside a chunk kept. A
 * sentence longer than `max` on its own is split at the last space that fits.
 */
export function splitAtSentences(text: string, max: number): string[] {
  if (max < 1) throw new RangeError('max must be at least 1');
  return splitTextAtSentences(text, max, DISCORD_TEXT_RULES);
}

/**
 * Lines → blocks of at most `max` characters joined by `\n`, keeping each line whole where it
 * fits; a line longer than `max` is split at sentence boundaries.
 */
export function packLines(lines: readonly string[], max: number, separator = '\n'): string[] {
  const blocks: string[] = [];
  let current: string | null = null;
  for (const line of lines) {
    const pieces = line.length > max ? splitAtSentences(line, max) : [line];
    for (const piece of pieces) {
      if (current !== null && current.length + separator.length + piece.length <= max) {
        current += separator + piece;
      } else {
        if (current !== null) blocks.push(current);
        current = piece;
      }
    }
  }
  if (current !== null) blocks.push(current);
  return blocks;
}

/**
 * A single-line label of at most `max` characters: whole when it fits, otherwise cut at the last
 * word that fits with an ellipsis (for titles and field names, which cannot continue elsewhere).
 */
export function shortenLine(text: string, max: number): string {
  return clipLine(text.replace(/\s+/g, ' ').trim(), max, DISCORD_TEXT_RULES, DISCORD_CLIP);
}
