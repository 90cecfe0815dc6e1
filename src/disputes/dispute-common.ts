/**
 * @module Shared by the dispute finders: statement tests (denial, intention, label), token overlap,
 * and how a side is named and phrased in a brief.
 */
import { countriesIn } from '../nlp/gazetteer.ts';
import { contentTokens } from '../nlp/tokenize.ts';
import type { ClaimArticle, Statement } from './extract-claims.ts';
import type { Party } from './parties.ts';

export const DENIAL_CONTENT =
  /\b(untrue|not true|false|baseless|groundless|fabricat\w*|propaganda|do(?:es)? not correspond to reality|wishful thinking|nonsense|lies|bullshit|never happened|no truth|misleading|incorrect|inaccurate|fake|distort\w*|absurd|not the case|no basis)\b/i;

/** "She would ask for…", "we will appeal": plans, not claims that can be denied. */
export const INTENTION = /^(?:she|he|it|they|we|i)\s+(?:would|will|plans? to|intends? to|hopes? to|wants? to|is going to|are going to)\b/i;
export const CONTRAST =
  /\b(still|continu\w*|remain\w*|ongoing|active|holding|hold|held|no threat|not been|has not|have not|hasn't|haven't|no longer|never)\b/i;

export function tokens(s: string): Set<string> {
  return new Set(contentTokens(s).filter((t) => !t.startsWith('#')));
}

export function dice(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let n = 0;
  for (const x of a) if (b.has(x)) n++;
  return (2 * n) / (a.size + b.size);
}

/** A claim short enough to read in a bullet: the first clause, at most ~28 words. */
export function gist(content: string, maxWords = 28): string {
  let s = content
    .replace(/^[“"‘]|[”"’]$/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  s = s.replace(
    /,?\s+(and|while|as)\s+(?:\w+\s+){0,5}?(confirmed|said|added|announced|noted|praised|hailed|questioned|acknowledged|admitted)\b.*$/i,
    '',
  );
  const words = s.split(' ');
  if (words.length > maxWords) {
    const cut = words.slice(0, maxWords).join(' ');
    const clause = /^(.{30,}?)[,;:](?=[^,;:]*$)/.exec(cut)?.[1];
    s = `${clause ?? cut}…`;
  }
  return balanceQuotes(s.replace(/[.,;:]+$/, ''));
}

/** Drops a quotation mark left open or closed alone by a cut ("its “defensive operation … continues"). */
export function balanceQuotes(s: string): string {
  const opens = (s.match(/“/g) ?? []).length;
  const closes = (s.match(/”/g) ?? []).length;
  if (opens === closes) return s;
  return s.replace(/[“”]/g, '');
}

/** Demonyms and capitals of a country label, for trimming speaker names ("Ukrainian", "Kyiv"). */
function countryWords(label: string): string[] {
  const candidates = [
    'Ukrainian',
    'Russian',
    'American',
    'British',
    'French',
    'German',
    'Chinese',
    'Israeli',
    'Iranian',
    'Turkish',
    'Polish',
    'Indian',
    'Japanese',
  ];
  return candidates.filter((w) => countriesIn(w)[0] === label);
}

function shortSpeaker(speaker: string, party: Party): string {
  let s = speaker.replace(/^(the|a|an)\s+/i, '');
  // "Russia's chief of the general staff, Valery Gerasimov" → "Gerasimov".
  const appositive = /,\s*(?:\p{Lu}[\p{L}'’.-]*\s+){1,3}(\p{Lu}[\p{L}'’-]+)\s*$/u.exec(s)?.[1];
  if (appositive) return appositive;
  const name = /(\p{Lu}[\p{L}'’-]+)\s*$/u.exec(s.replace(/,.*$/, ''))?.[1];
  if (
    name &&
    !/^(Staff|Forces|Ministry|Office|Government|Army|Command|Department|Service|Agency)$/.test(name) &&
    /\p{Lu}\p{L}+\s+\p{Lu}/u.test(s)
  ) {
    return name;
  }
  // "Ukraine's General Staff" → "General Staff"; "a senior Ukrainian official" → "senior official".
  s = s.replace(new RegExp(`\\b${party.label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(['’]s)?(?![\\p{L}])\\s*`, 'iu'), '').trim();
  for (const alias of countryWords(party.label)) s = s.replace(new RegExp(`\\b${alias}\\s+`, 'i'), '');
  return s.trim() || party.label;
}

/** "Russia (Gerasimov, Putin, Kremlin)": the side, then its most frequent voices. */
export function sideLabel(party: Party, speakers: readonly string[]): string {
  // "Western intelligence agencies": a one-word side that is really the start of a description is named by it.
  if (!/\s/.test(party.label) && !party.key.startsWith('country:')) {
    const described = speakers
      .map((sp) => sp.replace(/^(the|a|an)\s+/i, '').trim())
      .find((sp) => sp.startsWith(`${party.label} `) && /^\S+(\s+\p{Ll}[\p{L}-]*){1,3}$/u.test(sp));
    if (described) return described;
  }
  const counts = new Map<string, { name: string; n: number }>();
  for (const sp of speakers) {
    const n = shortSpeaker(sp, party);
    const key = n.toLowerCase();
    // "Lena Marsh (Marsh)", "Tessel Hydro (Hydro)" say nothing more than the label.
    const inLabel = new RegExp(`(?<![\\p{L}])${key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\p{L}])`, 'iu').test(party.label);
    if (inLabel || party.key.startsWith('coalition:')) continue;
    const c = counts.get(key) ?? { name: n, n: 0 };
    c.n++;
    counts.set(key, c);
  }
  const ranked = [...counts.values()].sort((a, b) => b.n - a.n).map((c) => c.name);
  // "senior official, official": the shorter voice says nothing the longer one does not.
  const names = ranked.filter((n) => !ranked.some((m) => m !== n && m.toLowerCase().endsWith(` ${n.toLowerCase()}`)));
  return names.length ? `${party.label} (${names.slice(0, 3).join(', ')})` : party.label;
}

export function urlsOf(ids: Iterable<string>, byId: ReadonlyMap<string, ClaimArticle>): string[] {
  const out: string[] = [];
  for (const id of ids) {
    const url = byId.get(id)?.url;
    if (url && !out.includes(url)) out.push(url);
  }
  return out;
}

export function mostCentral(items: readonly Statement[]): Statement | undefined {
  let best: Statement | undefined;
  let bestScore = -1;
  const sets = items.map((s) => tokens(s.content));
  items.forEach((s, i) => {
    let score = 0;
    items.forEach((o, j) => {
      if (o.articleId !== s.articleId) score += dice(sets[i] as Set<string>, sets[j] as Set<string>);
    });
    // Prefer plain wording over quotes and very long clauses.
    score -= /[“”"]/.test(s.content) ? 0.3 : 0;
    score -= Math.max(0, s.content.split(' ').length - 30) * 0.02;
    if (score > bestScore) {
      bestScore = score;
      best = s;
    }
  });
  return best;
}

export function isDenial(s: Statement): boolean {
  return s.verbClass === 'deny' || DENIAL_CONTENT.test(s.content);
}

/** A statement's content as a side's claim: "accuses the authority of …", "denies that it misled …". */
export function asClaim(st: Statement): string {
  const c = gist(st.content);
  if (/^accus/.test(st.verb)) return `accuses ${c}`;
  if (/^alleg/.test(st.verb)) return `alleges ${c}`;
  if (st.verbClass === 'deny' && c.split(' ').length >= 2) {
    const verb = /^reject/.test(st.verb)
      ? 'rejects'
      : /^disput/.test(st.verb)
        ? 'disputes'
        : /^refut/.test(st.verb)
          ? 'refutes'
          : /^contradict/.test(st.verb)
            ? 'contradicts'
            : /^dismiss/.test(st.verb)
              ? 'dismisses'
              : 'denies';
    if (verb !== 'denies') return `${verb} ${c}`;
    return /^(that|any|the|it|its|their|a|an|he|she|they|there)\b/i.test(c) && !/^that\b/i.test(c) ? `denies that ${c}` : `denies ${c}`;
  }
  return c;
}

/** "called the exercise “an act of intimidation”", "dismissed the offer as “a propaganda ploy”", "Belmark's description of the exercise as intimidation". */
export function labelOf(st: Statement): string | null {
  const quoted =
    /\bas\s+[“"]([^”"]{3,60})[”"]|^(?:the|it|them|this|that|their|its|his|her)?\s*(?:[\w'’-]+\s+){0,6}?[“"]([^”"]{3,60})[”"]/i.exec(
      st.content,
    );
  // "dismissed the offer as “a ploy”" labels it; "selling plans as “unlimited”" does not.
  const labelling =
    st.verbClass === 'characterise' ||
    (/^(dismiss|describ|brand|label|portray|characteri|denounc|condemn|reject)/.test(st.verb) && /\bas\s+[“"]/.test(st.content));
  return labelling ? ((quoted?.[1] ?? quoted?.[2] ?? null)?.replace(/[,.]$/, '') ?? null) : null;
}

/** A statement that turns down a label: says so ("rejected the description"), or repeats it to deny it. */
export function rejectsLabel(s: Statement, labelWords: Set<string>): boolean {
  const mine = tokens(s.content);
  let shared = 0;
  for (const w of labelWords) if (mine.has(w)) shared++;
  const reject = isDenial(s) || REJECTS_LABEL.test(s.content);
  return reject && shared > 0 && (REJECTS_LABEL.test(s.content) || shared >= Math.max(2, labelWords.size / 2));
}

export const REJECTS_LABEL =
  /\b(descri\w+|characteri[sz]\w+|label\w*|insult\w*|smear|accusation|absurd|nonsense|routine|sincere|genuine|legitimate|defensive)\b/i;
