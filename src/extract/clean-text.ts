/**
 * @module Pure: keeps the article and drops what is not the article. Works on paragraphs from any
 * source (a feed's content, Readability's output): removes boilerplate lines (cookie banners, share
 * and subscribe prompts, "The post … appeared first on …", comment widgets), cuts "Related articles"
 * blocks, and trims a tail of teasers for other stories (headline-like lines and snippets cut off
 * mid-sentence) that scrapers and CMSs glue after the last real paragraph.
 */
import { collapseWhitespace } from './html-text.ts';

const BOILERPLATE: RegExp[] = [
  /^(advertisement|advert|sponsored( content)?|ad|ads by \w+|story continues( below)?( advertisement)?)$/i,
  /^(share|share (this|the) (article|story|post|page)|share this|tweet|email|print|copy link|save|comments?)\s*:?$/i,
  /^share (on|via|by|to) [\w ]{1,20}$/i,
  /^(facebook|twitter|whatsapp|linkedin|reddit|telegram|pinterest|messenger|threads|bluesky|mastodon|flipboard)$/i,
  /^(like this|like loading|loading)\s*[:.…]*$/i,
  /^the post .{3,300} appeared first on .{2,100}$/i,
  /^this (article|story) (was )?(originally )?(appeared|published) (first )?(on|in|by) /i,
  /^visited \d+ times?\b/i,
  /\b\d+ visits? today\b/i,
  /would love your thoughts|please (leave a )?comment|leave a (comment|reply)|you must (register|log ?in|be logged in)|join the (conversation|discussion)/i,
  /^(sign up|subscribe|register|log ?in)\b.{0,160}$/i,
  /^stay informed with free updates\b/i,
  /^(get|receive) (our|the) .{0,60}newsletter/i,
  /^follow (us|@?\w+) on (twitter|x|facebook|instagram|telegram|linkedin|threads|bluesky)/i,
  /^(all rights reserved|©|\(c\)|copyright ©?\s*\d{4}).{0,160}$/i,
  /\ball rights reserved\.?$/i,
  /^we use cookies\b|\bcookie (policy|settings|preferences)\b|\b(accept|reject) (all )?cookies\b/i,
  /^(read more|continue reading|click here|tap here|see more|show more|load more)\b.{0,120}$/i,
  /^(photo|image|video|graphic|illustration)( credit)?s?:\s/i,
  /^(published|updated|last updated|posted)( on)?:?\s.{0,60}$/i,
  /^(reporting|additional reporting|writing|editing) by\b.{0,200}$/i,
  /^this (website|site) uses cookies/i,
  /^(open|view) (in|on) (app|browser)$/i,
  // The attribution line of an embedded post: "— Name (@handle) March 1, 2026".
  /^[—–-]\s*[^()]{1,80}\(@\w{1,30}\)\s*(\p{L}+\.? \d{1,2}, \d{4})?$/u,
];

/** A heading that introduces links to other stories: what follows it is not this article. */
const TAIL_MARKER =
  /^(related( articles?| stories| content| posts| news| coverage| reading| links)?|more (from|on|stories|news|in)\b.{0,60}|you (may|might) (also )?(like|be interested in)|recommended( for you| stories| reading)?|most (read|popular|viewed|shared)|trending( now| stories)?|read (more|next|also)|also read|what to read next|latest (news|stories|headlines)|top stories|popular (now|stories)|editor'?s picks|don'?t miss|further reading)\s*:?$/i;

/** A page-view counter ("Visited 12 times, 1 visit(s) today") sits at the end of a post, before its widgets. */
const VIEW_COUNTER = /^visited \d+ times?\b/i;

/** Lines after which nothing is the article: the feed footer of a WordPress post, the comment widget. */
const HARD_END: RegExp[] = [
  /^the post .{3,300} appeared first on .{2,100}$/i,
  /^would love your thoughts, please comment/i,
  /^you must (register|be logged in|log ?in)\b.{0,40}\bto (post|leave) a (comment|reply)/i,
  /^leave a (reply|comment)\s*:?$/i,
];

function norm(s: string): string {
  return s
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

function words(p: string): number {
  return p.split(/\s+/).length;
}

export function isBoilerplate(p: string): boolean {
  if (!/\p{L}{2,}/u.test(p)) return true; // "0", "()", "x", "—"
  if (words(p) <= 2 && p.length <= 3) return true;
  if (words(p) > 45) return false;
  return BOILERPLATE.some((re) => re.test(p));
}

const TERMINAL = /[.!?…:;"”’»)\]]$/;
/** A snippet cut short on purpose: "…", "...", "[…]". */
const ELLIPSIS_END = /(…|\.\.\.|\[(…|\.\.\.)\])$/;

/** A line that reads like a headline or a link label: short, no closing punctuation. */
function isHeadlineLike(p: string): boolean {
  return words(p) <= 22 && !TERMINAL.test(p);
}

/** A teaser's headline, which may end in "?", "!" or a closing quote, but is not a sentence. */
function isTeaserHeadline(p: string): boolean {
  return words(p) <= 18 && !/[.:;,]$/.test(p) && !ELLIPSIS_END.test(p);
}

/** A teaser snippet: long enough to be prose, but cut off mid-sentence (or with an ellipsis). */
function isTruncatedSnippet(p: string): boolean {
  return words(p) >= 12 && (!TERMINAL.test(p) || ELLIPSIS_END.test(p));
}

/** A paragraph of finished prose: a few words that end a sentence. */
function isProse(p: string): boolean {
  return words(p) >= 8 && /[.!?]["”’»)]*$/.test(p) && !ELLIPSIS_END.test(p);
}

/** Leftovers of embedded posts inside a paragraph: "pic.twitter.com/…" and bare t.co links. */
function stripEmbedResidue(p: string): string {
  return p.replace(/\s*(?:https?:\/\/)?pic\.twitter\.com\/\w+/gi, '').replace(/\s*https?:\/\/t\.co\/\w+/gi, '');
}

/** Strips a dateline chain like "Headline/ Outlet/ CITY/ Author/ Edition/ " glued before the first sentence. */
function stripSlashChain(p: string): string {
  const m = /^(?:[^/]{2,90}\/\s+){3,}/.exec(p);
  if (!m) return p;
  const rest = p.slice(m[0].length);
  return words(rest) >= 6 ? rest : p;
}

/**
 * Cuts at the first end-of-article marker that has article text before it. A "Related"/"Read more"
 * heading (or a view counter) followed by link lines and then two paragraphs of prose is an inline
 * box inside the article: only the box is dropped, and the search goes on.
 */
function cutAtEndMarkers(ps: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < ps.length; i++) {
    const p = ps[i] as string;
    const afterProse = out.some(isProse);
    if (afterProse && HARD_END.some((re) => re.test(p))) return out;
    if (!afterProse && TAIL_MARKER.test(p)) continue; // a rail heading above the article
    if (afterProse && (TAIL_MARKER.test(p) || VIEW_COUNTER.test(p))) {
      let j = i + 1;
      while (j < ps.length && isHeadlineLike(ps[j] as string)) j++;
      const next = ps.slice(j).filter((q) => !isBoilerplate(q));
      if (!(next.length >= 2 && isProse(next[0] as string) && isProse(next[1] as string))) return out;
      i = j - 1; // an inline box: skip the marker and its links
      continue;
    }
    out.push(p);
  }
  return out;
}

/**
 * Trims a tail of teasers: from the end, pairs of a headline and a snippet cut off mid-sentence, and
 * bare headline-like lines. It stops at the first paragraph of finished prose, needs at least two
 * lines (a single short last line, such as a sign-off, stays), and never leaves no prose behind. A
 * tail of bare headline-like lines with no snippet is cut only when it follows a finished paragraph
 * (not a list introduced by a colon) and is not most of the text.
 */
function trimTeaserTail(ps: string[]): string[] {
  let cut = ps.length;
  let snippets = 0;
  while (cut > 0) {
    const p = ps[cut - 1] as string;
    if (isTruncatedSnippet(p)) {
      snippets++;
      cut--;
      if (cut > 0 && isTeaserHeadline(ps[cut - 1] as string)) cut--;
    } else if (isHeadlineLike(p)) {
      cut--;
    } else break;
  }
  if (ps.length - cut < 2) return ps;
  // A short subheading over an unfinished last paragraph is the article cut short, not a teaser.
  if (snippets === 1 && ps.length - cut === 2 && words(ps[cut] as string) < 5) return ps;
  const kept = ps.slice(0, cut);
  if (!kept.some(isProse)) return ps;
  if (snippets === 0 && (kept.at(-1)?.endsWith(':') || cut < Math.ceil(ps.length * 0.4))) return ps;
  return kept;
}

/** Drops a leading repeat of the title, exact repeats, and pull quotes (a paragraph repeated inside a longer one). */
function dropRepeats(ps: string[], title: string | undefined): string[] {
  const titleKey = title ? norm(title) : '';
  const keys = ps.map(norm);
  const seen = new Set<string>();
  const out: string[] = [];
  ps.forEach((p, i) => {
    const key = keys[i] as string;
    if (!key || seen.has(key)) return;
    if (out.length === 0 && titleKey && key === titleKey) return;
    const quoted = words(p) >= 8 && keys.some((other, k) => k !== i && other.length > key.length && ` ${other} `.includes(` ${key} `));
    if (quoted) return;
    seen.add(key);
    out.push(p);
  });
  return out;
}

export interface CleanOptions {
  /** The article title: a first paragraph that repeats it is dropped. */
  title?: string;
}

export function cleanParagraphs(input: readonly string[], options: CleanOptions = {}): string[] {
  let ps = input.map((p) => collapseWhitespace(stripEmbedResidue(p))).filter(Boolean);
  ps = cutAtEndMarkers(ps);
  ps = ps.filter((p) => !isBoilerplate(p)).map(stripSlashChain);
  ps = trimTeaserTail(ps);
  return dropRepeats(ps, options.title);
}

export function wordCount(text: string): number {
  const m = text.match(/[\p{L}\p{N}]+(?:['’][\p{L}]+)?/gu);
  return m ? m.length : 0;
}
