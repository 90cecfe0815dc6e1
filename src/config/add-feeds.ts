/**
 * @module Adds feeds to the YAML config file in place, keeping its comments and layout.
 */
import { Document, isMap, isSeq, parseDocument, YAMLSeq } from 'yaml';

export interface NewFeed {
  url: string;
  name: string | null;
}

/** Returns the new file text and which feeds were added (URLs already present are skipped). */
export function addFeedsToYaml(text: string, feeds: readonly NewFeed[]): { text: string; added: NewFeed[]; skipped: NewFeed[] } {
  const doc = text.trim() ? parseDocument(text) : new Document({});
  if (doc.errors.length) throw new Error(`config is not valid YAML: ${doc.errors[0]?.message ?? ''}`);
  if (!isMap(doc.contents)) throw new Error('the config file must be a YAML mapping (key: value) at the top level');
  let seq = doc.get('feeds');
  if (!isSeq(seq)) {
    seq = new YAMLSeq();
    doc.set('feeds', seq);
  }
  const list = seq as YAMLSeq;
  const existing = new Set(list.items.map((it) => (isMap(it) ? String(it.get('url') ?? '') : '')).filter(Boolean));
  const added: NewFeed[] = [];
  const skipped: NewFeed[] = [];
  for (const f of feeds) {
    if (existing.has(f.url)) {
      skipped.push(f);
      continue;
    }
    existing.add(f.url);
    list.add(doc.createNode(f.name ? { url: f.url, name: f.name } : { url: f.url }));
    added.push(f);
  }
  return { text: doc.toString({ lineWidth: 0 }), added, skipped };
}
