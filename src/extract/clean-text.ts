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
  /^(share|share this( article| story)?|tweet|email|print|copy link|save|comments?)$/i,
  /^the post .{3,300} appeared first on .{2,100}$/i,
  /^this (article|story) (was )?(originally )?(appeared|published) (first )?(on|in) /i,
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
];

const TAIL_MARKER =
  /^(related( articles?| stories| content| posts| news| coverage| reading| links)?|more (from|on|stories|news|in)\b.{0,60}|you (may|might) (also )?(like|be interested in)|recommended( for you| stories| reading)?|most (read|popular|viewed|shared)|trending( now| stories)?|read (more|next|also)|also read|what to read next|latest (news|stories|headlines)|top stories|popular (now|stories)|editor'?s picks|don'?t miss|further reading)\s*:?$/i;

function norm(s: string): string {
  return s
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

export function isBoilerplate(p: string): boolean {
  const words = p.split(/\s+/).length;
  if (!/\p{L}{2,}/u.test(p)) return true; // "0", "()", "x", "—"
  if (words <= 2 && p.length <= 3) return true;
  if (words > 45) return false;
  return BOILERPLATE.some((re) => re.test(p));
}

const TERMINAL = /[.!?…:;"”’»)\]]$/;

/** A line that reads like a headline or a link label: short, no closing punctuation. */
function isHeadlineLike(p: string): boolean {
  const words = p.split(/\s+/).length;
  return words <= 22 && !TERMINAL.test(p);
}

/** A teaser snippet cut off mid-sentence: long enough to be prose, but it never ends. */
function isTruncatedSnippet(p: string): boolean {
  const words = p.split(/\s+/).length;
  return words >= 12 && !TERMINAL.test(p) && !/[.!?…]["”’»)]?$/.test(p);
}

function isNonArticle(p: string): boolean {
  return isBoilerplate(p) || isHeadlineLike(p) || isTruncatedSnippet(p) || TAIL_MARKER.test(p);
}

/** Strips a dateline chain like "Headline/ Outlet/ CITY/ Author/ Edition/ " glued before the first sentence. */
function stripSlashChain(p: string): string {
  const m = /^(?:[^/]{2,90}\/\s+){3,}/.exec(p);
  if (!m) return p;
  const rest = p.slice(m[0].length);
  return rest.split(/\s+/).length >= 6 ? rest : p;
}

export interface CleanOptions {
  /** The article title: a first paragraph that repeats it is dropped. */
  title?: string;
}

export function cleanParagraphs(input: readonly string[], options: CleanOptions = {}): string[] {
  let ps = input.map(collapseWhitespace).filter(Boolean);

  // Cut at a "Related articles" style marker, if it is not the start of the article.
  const markerAt = ps.findIndex((p, i) => i >= 2 && TAIL_MARKER.test(p));
  if (markerAt > 0) ps = ps.slice(0, markerAt);

  ps = ps.filter((p) => !isBoilerplate(p)).map(stripSlashChain);

  // Trim a teaser tail: the longest run of non-article paragraphs at the end, kept to at most
  // 60% of the paragraphs, and only when it holds at least two (a single short last line is left alone).
  let cut = ps.length;
  while (cut > 0 && isNonArticle(ps[cut - 1] as string)) cut--;
  const tailLength = ps.length - cut;
  if (tailLength >= 2 && cut >= Math.ceil(ps.length * 0.4)) ps = ps.slice(0, cut);

  // Drop a leading repeat of the title, and exact repeats of earlier paragraphs.
  const titleKey = options.title ? norm(options.title) : '';
  const seen = new Set<string>();
  const out: string[] = [];
  for (const p of ps) {
    const key = norm(p);
    if (!key || seen.has(key)) continue;
    if (out.length === 0 && titleKey && key === titleKey) continue;
    seen.add(key);
    out.push(p);
  }
  return out;
}

export function wordCount(text: string): number {
  const m = text.match(/[\p{L}\p{N}]+(?:['’][\p{L}]+)?/gu);
  return m ? m.length : 0;
}
