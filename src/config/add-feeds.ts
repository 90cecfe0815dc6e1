/**
 * @module Adds feeds to the YAML config file in place: the new entries are inserted as text after the
 * last feed, in the file's own indentation, so every comment, alignment and blank line stays as it was.
 */
import { isMap, isSeq, parseDocument, stringify } from 'yaml';

export interface NewFeed {
  url: string;
  name: string | null;
}

/** A scalar as YAML writes it (quoted only when it must be). */
const scalar = (v: string) => stringify(v, { lineWidth: 0 }).trimEnd();

function entries(feeds: readonly NewFeed[], indent: string): string {
  return feeds.map((f) => `${indent}- url: ${scalar(f.url)}${f.name ? `\n${indent}  name: ${scalar(f.name)}` : ''}`).join('\n');
}

/** Returns the new file text and which feeds were added (URLs already present are skipped). */
export function addFeedsToYaml(text: string, feeds: readonly NewFeed[]): { text: string; added: NewFeed[]; skipped: NewFeed[] } {
  const doc = parseDocument(text);
  if (doc.errors.length) throw new Error(`config is not valid YAML: ${doc.errors[0]?.message ?? ''}`);
  if (text.trim() && !isMap(doc.contents)) throw new Error('the config file must be a YAML mapping (key: value) at the top level');
  const node = text.trim() ? doc.get('feeds', true) : undefined;
  const items = isSeq(node) ? node.items : [];
  const existing = new Set(items.map((it) => (isMap(it) ? String(it.get('url') ?? '') : '')).filter(Boolean));
  const added: NewFeed[] = [];
  const skipped: NewFeed[] = [];
  for (const f of feeds) {
    if (existing.has(f.url)) skipped.push(f);
    else {
      existing.add(f.url);
      added.push(f);
    }
  }
  if (added.length === 0) return { text, added, skipped };

  const last = items[items.length - 1] as { range?: [number, number, number] } | undefined;
  if (isSeq(node) && !node.flow && last?.range) {
    // After the last entry's line, indented as the first entry's dash is.
    const firstStart = (items[0] as { range?: [number, number, number] }).range?.[0] ?? 0;
    const lineStart = text.lastIndexOf('\n', firstStart - 1) + 1;
    const indent = /^(\s*)-/.exec(text.slice(lineStart, firstStart))?.[1] ?? '  ';
    const endOfLast = text.indexOf('\n', Math.max(last.range[1] - 1, 0));
    const at = endOfLast < 0 ? text.length : endOfLast;
    return { text: `${text.slice(0, at)}\n${entries(added, indent)}${text.slice(at)}${endOfLast < 0 ? '\n' : ''}`, added, skipped };
  }
  if (node && (node as { range?: [number, number, number] }).range) {
    // "feeds: []" or "feeds:" with nothing: the list replaces the empty value.
    const [start, end] = (node as { range: [number, number, number] }).range;
    const keyLine = text.lastIndexOf('\n', start - 1) + 1;
    const keyIndent = /^(\s*)/.exec(text.slice(keyLine))?.[1] ?? '';
    const before = text.slice(0, start).replace(/[ \t]+$/, '');
    return { text: `${before}\n${entries(added, `${keyIndent}  `)}${text.slice(end)}`, added, skipped };
  }
  // No feeds yet: a new section at the end.
  const base = text.trim() ? `${text.replace(/\s*$/, '')}\n\n` : '';
  return { text: `${base}feeds:\n${entries(added, '  ')}\n`, added, skipped };
}
