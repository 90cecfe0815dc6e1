/**
 * @module Pure: the one rule for cutting long text to a platform's length limits. Text is cut at
 * sentence boundaries: whole sentences are packed greedily into chunks, keeping line breaks between
 * lines, and a sentence is only cut when it alone is longer than the limit, then at the last break
 * (a space) that fits. Each platform supplies its {@link TextRules}: how text is normalised, which
 * cuts are unsafe for its markup (inside a link, after an escaping backslash, inside an entity),
 * and the few layout choices where Slack and Discord have always differed.
 */
import { splitSentences } from '../../nlp/sentences.ts';

/** What a platform decides about cutting its own markup. */
export interface TextRules {
  /** The text as the splitter sees it (line ends, outer whitespace). */
  normalise(text: string): string;
  /** Whether position `i` of `s` is a place to break a long sentence (the character there is dropped). */
  isBreak(s: string, i: number): boolean;
  /** A hard cut of `s` near `at` moved so it splits no markup, escape or surrogate pair. */
  safeCut(s: string, at: number): number;
  /** What goes between two lines when they share a chunk: the line-break run(s) met since the last sentence. */
  joinBreaks(pending: string, run: string): string;
  /** Keep each line's indentation on its first sentence. */
  keepIndent: boolean;
  /** A sentence ended by the sentence splitter inside markup (a link): the next sentence joins it. */
  continuesInto?: (sentence: string) => boolean;
  /** An over-long sentence always starts a chunk of its own (else its first piece may join the chunk before). */
  longSentenceOwnChunk: boolean;
}

/** One sentence and what joins it to the one before it inside a chunk. */
interface Unit {
  sep: string;
  text: string;
}

/** The last break of `s` at or before `from` (and after 0), or -1. */
export function lastBreak(s: string, from: number, rules: TextRules): number {
  for (let i = Math.min(from, s.length - 1); i > 0; i--) if (rules.isBreak(s, i)) return i;
  return -1;
}

/** Splits one over-long sentence at the last break before `max` (a safe hard cut when there is none). */
function splitLong(sentence: string, max: number, rules: TextRules): string[] {
  const out: string[] = [];
  let rest = sentence;
  while (rest.length > max) {
    const space = lastBreak(rest, max, rules);
    const at = space > 0 ? space : rules.safeCut(rest, max);
    out.push(rest.slice(0, at).trimEnd());
    rest = rest.slice(at).trimStart();
  }
  if (rest) out.push(rest);
  return out;
}

/** The sentences of each line, with the separator that goes before each one when it shares a chunk. */
function sentenceUnits(text: string, rules: TextRules): Unit[] {
  const units: Unit[] = [];
  let pending = '';
  for (const part of text.split(/(\n+)/)) {
    if (/^\n+$/.test(part)) {
      pending = rules.joinBreaks(pending, part);
      continue;
    }
    const indent = rules.keepIndent ? (/^[ \t\u00a0]*/.exec(part)?.[0] ?? '') : '';
    const merged: string[] = [];
    for (const sentence of splitSentences(part)) {
      const last = merged.length - 1;
      const prev = merged[last];
      if (prev !== undefined && rules.continuesInto?.(prev)) merged[last] = `${prev} ${sentence}`;
      else merged.push(sentence);
    }
    merged.forEach((s, i) => {
      units.push({ sep: i === 0 ? pending : ' ', text: i === 0 ? indent + s : s });
    });
    if (merged.length) pending = '';
  }
  return units;
}

/**
 * Text → chunks of at most `max` characters at sentence boundaries (see the module comment).
 * Empty text gives no chunks; `max` is checked by the caller.
 */
export function splitAtSentences(text: string, max: number, rules: TextRules): string[] {
  const s = rules.normalise(text);
  if (!s.trim()) return [];
  if (s.length <= max) return [s];
  const chunks: string[] = [];
  let current = '';
  const add = (sep: string, piece: string) => {
    if (current && current.length + sep.length + piece.length <= max) {
      current += sep + piece;
    } else {
      if (current) chunks.push(current);
      current = piece;
    }
  };
  for (const unit of sentenceUnits(s, rules)) {
    const long = unit.text.length > max;
    const pieces = long ? splitLong(unit.text, max, rules) : [unit.text];
    if (long && rules.longSentenceOwnChunk) {
      // The sentence starts a chunk of its own; its tail may share a chunk with what follows.
      if (current) chunks.push(current);
      current = pieces.pop() ?? '';
      chunks.push(...pieces);
      continue;
    }
    pieces.forEach((piece, i) => {
      add(i === 0 ? unit.sep : ' ', piece);
    });
  }
  if (current) chunks.push(current);
  return chunks;
}

/** How a platform shortens a one-line label (a title, a name) that cannot continue elsewhere. */
export interface ClipRules {
  /** A break is used only past this share of the room (else a safe hard cut): 0 takes any break. */
  minBreakShare: number;
  /** The kept head, tidied before the ellipsis (trailing space or punctuation dropped). */
  tidyHead(head: string): string;
  /** Under 2 characters there is no room for a word and the ellipsis: give only (part of) the ellipsis. */
  ellipsisOnlyBelowTwo: boolean;
}

/**
 * One line (already normalised) cut to at most `max` characters at the last break that fits,
 * ending in `…` when anything was cut; for titles and names, never for running prose.
 */
export function clipLine(line: string, max: number, rules: TextRules, clip: ClipRules): string {
  if (line.length <= max) return line;
  if (clip.ellipsisOnlyBelowTwo && max < 2) return '…'.slice(0, max);
  const room = max - 1;
  const space = lastBreak(line, room, rules);
  const at = space > room * clip.minBreakShare ? space : rules.safeCut(line, room);
  return `${clip.tidyHead(line.slice(0, at))}…`;
}
