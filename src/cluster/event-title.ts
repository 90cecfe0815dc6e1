/**
 * @module Pure: a short, specific, neutral title for an event, chosen from its sources' headlines:
 * the headline closest to what all sources share (so not one outlet's angle), penalising clickbait
 * (questions, exclamations, teasers, live-blog tags, all caps) and outlet suffixes.
 */
import { contentTokens } from '../nlp/tokenize.ts';

export interface TitleInput {
  title: string;
  independent: boolean;
}

const CLICKBAIT =
  /\b(you won'?t believe|here'?s (what|why|how)|this is (what|why)|what (we|you) know|things to know|explained|everything you need|shocking|stunning|watch:|video:|photos?:|opinion:|analysis:|live:|live updates?|as it happened|breaking:?)\b/i;

/** Strips "… - BBC News", "| Reuters", "LIVE:" and similar decorations. */
export function cleanHeadline(title: string): string {
  return title
    .replace(/\s+[-–—|:]\s+[^-–—|:]{2,40}$/u, (m) =>
      /\b(news|times|post|wire|herald|gazette|tribune|reuters|press|daily|journal|online|\.com)\b/i.test(m) ? '' : m,
    )
    .replace(/^(live|breaking|update|updated|watch|video|exclusive)\s*[:|-]\s*/i, '')
    .replace(/\s+/g, ' ')
    .trim();
}

function penalty(title: string): number {
  let p = 0;
  if (/\?\s*$/.test(title)) p += 0.25;
  if (/!/.test(title)) p += 0.2;
  if (CLICKBAIT.test(title)) p += 0.3;
  const words = title.split(/\s+/).length;
  if (words < 4) p += 0.2;
  if (words > 16) p += 0.1 * Math.min(3, (words - 16) / 4);
  if (/^[\p{Lu}\s\d\W]+$/u.test(title) && /\p{Lu}{4,}/u.test(title)) p += 0.2;
  return p;
}

export function chooseEventTitle(items: readonly TitleInput[]): string {
  const candidates = items.map((i) => ({ ...i, clean: cleanHeadline(i.title) })).filter((i) => i.clean.length > 0);
  if (candidates.length === 0) return '(untitled event)';
  if (candidates.length === 1) return (candidates[0] as { clean: string }).clean;
  const tokenSets = candidates.map((c) => new Set(contentTokens(c.clean)));
  const freq = new Map<string, number>();
  for (const s of tokenSets) for (const t of s) freq.set(t, (freq.get(t) ?? 0) + 1);
  let best = 0;
  let bestScore = Number.NEGATIVE_INFINITY;
  candidates.forEach((c, i) => {
    const set = tokenSets[i] as Set<string>;
    if (set.size === 0) return;
    // Coverage of what the sources share, normalised so long headlines don't win by length alone.
    let shared = 0;
    for (const t of set) shared += ((freq.get(t) ?? 1) - 1) / (candidates.length - 1);
    const score = shared / Math.sqrt(set.size) - penalty(c.clean) + (c.independent ? 0.05 : 0);
    if (score > bestScore) {
      bestScore = score;
      best = i;
    }
  });
  return (candidates[best] as { clean: string }).clean;
}
