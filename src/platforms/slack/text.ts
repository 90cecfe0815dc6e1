/**
 * @module Pure text helpers for Slack mrkdwn: escaping feed text so it can never ping anyone or
 * become a link, building safe links, and cutting long text at sentence boundaries.
 *
 * Everything here works on text that is already escaped (see {@link escapeSlackText}): the only
 * `<…>` sequences in it are links this module built, and `&…;` are the three entities it wrote.
 */
import { type ClipRules, clipLine, splitAtSentences as splitTextAtSentences, type TextRules } from '../present/split-text.ts';

const ZWJ = '\u200D';

/** URLs longer than this are shown as their label, not linked (Slack rejects very long links). */
const MAX_LINK_URL = 2000;

/**
 * Escapes the three mrkdwn control characters (`&` `<` `>`), breaks the ping words
 * `@channel` / `@here` / `@everyone` (any case) with a zero-width joiner after the `@`, and breaks the
 * formatting markers `*` `_` `~` `` ` `` with a zero-width space, so feed text can never mention a user,
 * a group or a channel, form a link, or turn bold, italic or struck through. `<!channel>`, `<@U123>` and
 * `<!subteam^S1>` come out as inert `&lt;…&gt;` text.
 */
export function escapeSlackText(s: string): string {
  return (
    s
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/@(?=(?:channel|here|everyone))/gi, `@${ZWJ}`)
      // Feed text's *bold*, _italic_, ~strike~ and `code` must not turn into formatting: a zero-width
      // space after each marker keeps it from pairing with the next one (mrkdwn has no escape character).
      .replace(/([*_~`])/g, `$1${ZWSP}`)
  );
}

/** Zero-width space: invisible, and enough to keep a mrkdwn marker from pairing. */
const ZWSP = '\u200B';

/** The url cleaned for use inside `<…|…>`, or null when it is not a usable http(s) URL. */
export function safeLinkUrl(url: string | null | undefined): string | null {
  if (!url) return null;
  const cleaned = url
    .trim()
    .replace(/[<>|\p{Cc}\p{Cf}]/gu, '')
    .replace(/\s/g, '%20');
  if (!/^https?:\/\/[^/?#%]/i.test(cleaned) || !URL.canParse(cleaned)) return null;
  if (cleaned.length > MAX_LINK_URL) return null;
  // Slack decodes entities in link URLs, and a raw `&` is what it would escape itself.
  return cleaned.replace(/&/g, '&amp;');
}

/**
 * `<url|label>` with the label escaped (and `|`, line breaks neutralised) and the URL stripped of
 * `<`, `>`, `|`. Only http(s) URLs become links; anything else (javascript:, mailto:, relative,
 * missing, over 2,000 characters) gives the plain escaped label.
 */
export function slackLink(url: string | null | undefined, label: string): string {
  const text = escapeSlackText(label).replace(/\|/g, '∣').replace(/\s+/g, ' ').trim();
  const href = safeLinkUrl(url);
  if (!href) return text;
  return text ? `<${href}|${text}>` : `<${href}>`;
}

/** True when position `pos` of escaped text lies inside a `<…>` link (between its brackets). */
function insideLink(s: string, pos: number): boolean {
  return s.lastIndexOf('<', pos - 1) > s.lastIndexOf('>', pos - 1);
}

/** Moves a hard cut so it splits neither a link, an entity, nor a surrogate pair. */
function safeHardCut(s: string, cut: number): number {
  let at = cut;
  if (insideLink(s, at)) {
    const open = s.lastIndexOf('<', at - 1);
    if (open > 0) at = open;
  }
  const amp = s.lastIndexOf('&', at - 1);
  if (amp > 0 && at - amp < 6 && !s.slice(amp, at).includes(';')) at = amp;
  const code = s.charCodeAt(at - 1);
  if (at > 1 && code >= 0xd800 && code <= 0xdbff) at -= 1;
  return Math.max(1, at);
}

/** How Slack text is cut: at any whitespace outside a link, never inside a link or an entity. */
const SLACK_TEXT_RULES: TextRules = {
  normalise: (text) => text.replace(/^\s*\n/, '').trimEnd(),
  isBreak: (s, i) => /\s/.test(s.charAt(i)) && !insideLink(s, i) && s.slice(0, i).trim() !== '',
  safeCut: safeHardCut,
  joinBreaks: (pending, run) => pending + run,
  keepIndent: true,
  continuesInto: (sentence) => insideLink(sentence, sentence.length),
  longSentenceOwnChunk: true,
};

/** Slack labels: cut at any break; no trailing space, comma, colon, dash or stray `;` before the ellipsis. */
const SLACK_CLIP: ClipRules = {
  minBreakShare: 0,
  tidyHead: (cut) => {
    let head = cut.replace(/[\s,:–—-]+$/u, '');
    // a trailing ';' goes, unless it ends one of the entities escaping wrote
    while (/;$/.test(head) && !/&(?:amp|lt|gt);$/.test(head)) head = head.slice(0, -1).replace(/[\s,:–—-]+$/u, '');
    return head;
  },
  ellipsisOnlyBelowTwo: true,
};

/**
 * Cuts text to at most `max` characters, at a word boundary, ending in `…` when anything was cut.
 * For titles and names, which are one line, never for running prose (use {@link splitAtSentences}).
 */
export function clipAtWord(text: string, max: number): string {
  return clipLine(text.trim(), max, SLACK_TEXT_RULES, SLACK_CLIP);
}

/**
 * Splits text into chunks of at most `max` characters at sentence boundaries: whole sentences are
 * packed greedily, keeping line breaks between lines; a sentence is only ever cut when it alone is
 * longer than `max`, and then at the last space before `max`. Links built by {@link slackLink} and
 * `&…;` entities are never cut. Empty text gives no chunks.
 */
export function splitAtSentences(text: string, max: number): string[] {
  if (!Number.isFinite(max) || max < 1) throw new RangeError(`splitAtSentences: max must be ≥ 1, got ${max}`);
  return splitTextAtSentences(text, max, SLACK_TEXT_RULES);
}
