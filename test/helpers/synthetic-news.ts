/**
 * Deterministic synthetic news for benchmarks: events with their own names, places and figures,
 * each reported by several outlets in different words. Not realistic prose, but realistic shape:
 * shared entities and numbers within an event, shared everyday vocabulary across events.
 */

export interface SyntheticArticle {
  id: string;
  event: number;
  outlet: string;
  title: string;
  paragraphs: string[];
  publishedAt: string;
}

/** mulberry32: small, fast, and good enough for synthetic text. */
function rng(seed: number): () => number {
  let a = seed | 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SYL = [
  'ka',
  'ro',
  'vin',
  'del',
  'mar',
  'os',
  'tek',
  'lun',
  'bra',
  'zi',
  'po',
  'sen',
  'gal',
  'dra',
  'mi',
  'tor',
  'el',
  'van',
  'ru',
  'sha',
];
const COMMON =
  'officials said the government announced on monday tuesday wednesday thursday friday that a new plan would be put to parliament after weeks of talks with local leaders while critics warned the cost could rise and residents asked for more support as the agency confirmed further details about the response and the timeline for repairs schools roads hospitals markets prices workers police army court ministers'.split(
    ' ',
  );
const TOPICS = [
  'flood',
  'strike',
  'election',
  'earthquake',
  'trial',
  'merger',
  'wildfire',
  'protest',
  'summit',
  'outbreak',
  'recall',
  'ceasefire',
];

function name(r: () => number, parts = 2): string {
  let s = '';
  for (let i = 0; i < parts; i++) s += SYL[Math.floor(r() * SYL.length)];
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export function generateNews(opts: {
  articles: number;
  outlets: number;
  perEvent?: number;
  seed?: number;
  /** Time between the starts of consecutive events (default 40 minutes). */
  eventSpacingMinutes?: number;
}): SyntheticArticle[] {
  const r = rng(opts.seed ?? 42);
  const perEvent = opts.perEvent ?? 6;
  const events = Math.ceil(opts.articles / perEvent);
  const outlets = Array.from({ length: opts.outlets }, (_, i) => `${name(r, 2)} ${['Times', 'Post', 'Herald', 'Courier', 'News'][i % 5]}`);
  const start = Date.parse('2025-03-01T00:00:00Z');
  const out: SyntheticArticle[] = [];
  for (let e = 0; e < events && out.length < opts.articles; e++) {
    const place = name(r, 3);
    const person = `${name(r, 2)} ${name(r, 3)}`;
    const org = `${name(r, 2)} ${['Ministry', 'Council', 'Agency', 'Group', 'Union'][e % 5]}`;
    const topic = TOPICS[e % TOPICS.length] as string;
    const figure = Math.floor(r() * 9000) + 100;
    const when = start + e * (opts.eventSpacingMinutes ?? 40) * 60_000;
    for (let k = 0; k < perEvent && out.length < opts.articles; k++) {
      const outlet = outlets[Math.floor(r() * outlets.length)] as string;
      const sentence = () => {
        const words: string[] = [];
        const n = 14 + Math.floor(r() * 10);
        for (let i = 0; i < n; i++) {
          const x = r();
          words.push(
            x < 0.1
              ? place
              : x < 0.16
                ? person
                : x < 0.2
                  ? org
                  : x < 0.25
                    ? topic
                    : x < 0.27
                      ? String(figure)
                      : (COMMON[Math.floor(r() * COMMON.length)] as string),
          );
        }
        const s = words.join(' ');
        return `${s.charAt(0).toUpperCase()}${s.slice(1)}.`;
      };
      const paragraphs = Array.from({ length: 6 + Math.floor(r() * 6) }, () => `${sentence()} ${sentence()} ${sentence()}`);
      out.push({
        id: `syn-${out.length}`,
        event: e,
        outlet,
        title: `${place} ${topic}: ${person} says ${figure} ${['affected', 'involved', 'counted', 'reported'][k % 4]}`,
        paragraphs,
        publishedAt: new Date(when + k * 17 * 60_000).toISOString(),
      });
    }
  }
  return out;
}
