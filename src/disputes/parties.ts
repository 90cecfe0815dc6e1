/**
 * @module Pure: which side a speaker speaks for.
 *  - Countries through the gazetteer: "the Kremlin", "Moscow" and "Russian officials" are Russia.
 *  - Organisations named in the event's articles ("Tallow Airports Authority", "Air Traffic
 *    Controllers' Guild"), found by their institutional head noun; a later "the authority" or "the
 *    guild" refers back to the one with that head.
 *  - People, tied to a country or organisation by how the articles introduce them: "Russia's Chief
 *    of the General Staff, Valery Gerasimov", "Marit Lund, the authority's chief executive", "Guild
 *    chair Joss Amberly", "Ole Vik of the Nordmark Consumers' Association".
 */
import { backgroundDocProbability } from '../nlp/background.ts';
import { countriesIn } from '../nlp/gazetteer.ts';
import { stem } from '../nlp/tokenize.ts';
import { LEADING_NON_NAME } from './lexicon.ts';

export interface Party {
  /** Stable key for grouping: "country:Russia", "org:tallow airports authority", "person:olena bard". */
  key: string;
  /** How the side is named in a brief: "Russia", "Tallow Airports Authority", "Olena Bard". */
  label: string;
}

const TITLE_WORDS = new Set(
  `president prime minister ministers chief general staff of the armed forces spokesman spokeswoman spokesperson foreign defence
  defense interior finance health affairs secretary ambassador envoy commander leader head deputy senior top official officials
  military intelligence security adviser advisor national state press representative director mayor governor chairman chairwoman
  chair ceo executive chancellor king queen col colonel gen lt major capt captain sgt dr mr mrs ms sir lord judge justice attorney
  federal regional local public communications presidential founder manager boss economist analyst engineer commissioner
  councillor councilor lawyer spokes vice`.split(/\s+/),
);

/** Head nouns of organisations ("… Authority", "… Guild", "the ministry"). */
const ORG_HEAD =
  'authority|authorities|guild|ministry|commission|association|corps|council|bank|union|party|court|agency|service|police|army|front|group|company|institute|committee|federation|league|alliance|office|department|government|administration|board|organi[sz]ation|foundation|network|watch|airline|airlines|airways|operator|firm|regulator|university|hospital|station|movement|coalition|campaign|fund|bureau|directorate|inspectorate|ombudsman|tribunal|senate|parliament|assembly|cabinet|military|navy|staff|forces|command|brigade|militia|rebels|organisers|organizers|unions|trust|society|club|centre|center|observatory|monitor';
// Case-sensitive on purpose: with the i flag, \p{Lu} would match lowercase letters too.
const ORG_HEAD_CAPITALISED = ORG_HEAD.split('|')
  .map((h) => h.charAt(0).toUpperCase() + h.slice(1))
  .join('|');
const ORG_PHRASE = new RegExp(
  `(?:^|[^\\p{L}])((?:\\p{Lu}[\\p{L}'’&.-]*\\s+(?:of\\s+(?:the\\s+)?|for\\s+|and\\s+)?){1,5}(?:${ORG_HEAD_CAPITALISED}))(?![\\p{L}])`,
  'gu',
);
/** One word that is an organisation's head noun ("ministry", "army"); compiled once, used per word. */
const ORG_HEAD_WORD = new RegExp(`^(${ORG_HEAD})$`, 'i');
/** A phrase that is only an organisation's head noun ("the ministry"). */
const BARE_ORG = new RegExp(`^(?:the\\s+)?()(${ORG_HEAD})(?:['’]s)?$`, 'i');
/** An organisation's head noun anywhere in a phrase. */
const ORG_HEAD_IN = new RegExp(`\\b(${ORG_HEAD})\\b`, 'i');
/** ", a ministry …" right after a name. */
const APPOSITIVE_ORG = new RegExp(`^,\\s+(?:a|an|the)\\s+(?:[a-z-]+\\s+){0,3}(${ORG_HEAD})\\b`, 'i');
const DEFINITE = new RegExp(`\\b(?:the|its|their|an?)\\s+((?:[a-z'’-]+\\s+){0,3}?)(${ORG_HEAD})(?:['’]s)?\\b`, 'i');
const GENERIC_COMPANY = /\b(the|its)\s+(company|firm|operator|group|carrier|airline|bank|insurer|retailer|manufacturer|maker|developer)\b/i;

function isEveryday(word: string): boolean {
  const w = word.toLowerCase().replace(/['’]s$/, '');
  return /^[a-z]+$/.test(w) && backgroundDocProbability(stem(w)) > 0.002;
}

function norm(s: string): string {
  return s
    .toLowerCase()
    .replace(/['’]s\b/g, '')
    .replace(/^the\s+/, '')
    .replace(/[^\p{L}\p{N} ]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** "Valery Gerasimov", "Maria Zakharova": two or three capitalised words ending in a rare one. */
function personNames(sentence: string): Array<{ name: string; index: number }> {
  const out: Array<{ name: string; index: number }> = [];
  for (const m of sentence.matchAll(/\p{Lu}[\p{L}'’-]+(?:\s+\p{Lu}[\p{L}'’-]+)+/gu)) {
    let words = m[0].split(/\s+/);
    let offset = m.index ?? 0;
    while (
      words.length &&
      (TITLE_WORDS.has((words[0] as string).toLowerCase()) ||
        LEADING_NON_NAME.test(`${words[0] as string} `) ||
        countriesIn(words[0] as string).length > 0 ||
        (isEveryday(words[0] as string) && words.length > 2))
    ) {
      offset += (words[0] as string).length + 1;
      words = words.slice(1);
    }
    const last = (words[words.length - 1] ?? '').replace(/['’]s$/, '');
    if (
      words.length < 2 ||
      words.length > 3 ||
      isEveryday(last) ||
      TITLE_WORDS.has(last.toLowerCase()) ||
      countriesIn(words.join(' ')).length
    )
      continue;
    if (words.some((w) => TITLE_WORDS.has(w.toLowerCase()) || ORG_HEAD_WORD.test(w))) continue;
    out.push({ name: words.join(' ').replace(/['’]s$/, ''), index: offset });
  }
  return out;
}

export interface PartyResolver {
  partyOf(speaker: string, context?: { sentence?: string; previousOrgs?: readonly Party[] }): Party;
  /** Parties other than `except` that a phrase refers to ("Russia's claims", "Putin's claim", "the guild's letters"). */
  partiesMentioned(phrase: string, except?: string): Party[];
  /** People known to speak for a party: surname → party. */
  people: ReadonlyMap<string, Party>;
  /** Organisations named in the event. */
  orgs: ReadonlyMap<string, Party>;
}

/** Learns the event's organisations and who speaks for which side from its sentences. */
export function buildPartyResolver(sentences: readonly string[]): PartyResolver {
  const orgs = new Map<string, Party>();
  const byHead = new Map<string, Set<string>>();
  const orgCounts = new Map<string, number>();
  for (const s of sentences) {
    for (const m of s.matchAll(ORG_PHRASE)) {
      const phrase = (m[1] as string)
        .replace(
          /^(?:(?:The|A|An|In|On|At|By|But|And|As|After|Before|When|While|All|Every|Some|Most|Many|No|Both|Each|Several|Our|Their|Its)\s+)+/,
          '',
        )
        .replace(/['’]s$/, '');
      if (countriesIn(phrase).length && phrase.split(/\s+/).length <= 2) continue; // "Russian Army" is Russia
      const words = phrase.split(/\s+/);
      if (words.length < 2) continue;
      const key = norm(phrase);
      if (!orgs.has(key)) orgs.set(key, { key: `org:${key}`, label: phrase });
      orgCounts.set(key, (orgCounts.get(key) ?? 0) + 1);
      const head = (words[words.length - 1] as string).toLowerCase().replace(/['’]s$/, '');
      if (!byHead.has(head)) byHead.set(head, new Set());
      byHead.get(head)?.add(key);
    }
  }
  // "General Staff" inside "Ardania's General Staff": the shorter name is the longer one's alias.
  const alias = new Map<string, string>();
  for (const key of orgs.keys()) {
    const longer = [...orgs.keys()].filter((k) => k !== key && k.endsWith(` ${key}`));
    if (longer.length === 1) alias.set(key, longer[0] as string);
  }
  for (const [short, long] of alias) {
    const target = orgs.get(long);
    if (target) orgs.set(short, target);
  }
  // "Civil Casualty Watch, a monitoring group": the descriptor's head noun refers to that organisation.
  for (const s of sentences) {
    for (const m of s.matchAll(ORG_PHRASE)) {
      const key = norm((m[1] as string).replace(/^(The|A|An|In|On|At|By|But|And|As|After|Before|When|While)\s+/, ''));
      const after = s.slice((m.index ?? 0) + m[0].length);
      const d = APPOSITIVE_ORG.exec(after);
      if (d?.[1] && orgs.has(key)) {
        const head = d[1].toLowerCase();
        if (!byHead.has(head)) byHead.set(head, new Set());
        byHead.get(head)?.add(key);
        orgCounts.set(key, (orgCounts.get(key) ?? 0) + 1);
      }
    }
  }
  /** The organisation a phrase names, if any: by its full name, or "the guild" by head noun. */
  const orgIn = (phrase: string): Party | null => {
    const n = norm(phrase);
    let best: Party | null = null;
    let bestLength = 0;
    for (const [key, party] of orgs) {
      if (` ${n} `.includes(` ${key} `) && key.length > bestLength) {
        best = party;
        bestLength = key.length;
      }
    }
    if (best) return best;
    const d = DEFINITE.exec(phrase) ?? BARE_ORG.exec(phrase.trim());
    const head = d?.[2]?.toLowerCase();
    if (head) {
      // "the central bank" is not "Corvane Bank": the words before the head must be in the name too.
      const modifiers = (d?.[1] ?? '')
        .toLowerCase()
        .split(/\s+/)
        .filter((w) => w && !/^(the|its|their|an?|same|new|former|local|national)$/.test(w));
      const keys = [...(byHead.get(head) ?? [])].filter((k) => modifiers.every((m) => k.split(' ').includes(m)));
      if (keys.length) {
        const key = keys.sort((a, b) => (orgCounts.get(b) ?? 0) - (orgCounts.get(a) ?? 0))[0] as string;
        return orgs.get(key) ?? null;
      }
    }
    return null;
  };

  const votes = new Map<string, Map<string, { party: Party; n: number }>>();
  const vote = (person: string, party: Party) => {
    const surname = person
      .split(/\s+/)
      .pop()
      ?.toLowerCase()
      .replace(/['’]s$/, '');
    if (!surname) return;
    const forName = votes.get(surname) ?? new Map<string, { party: Party; n: number }>();
    const v = forName.get(party.key) ?? { party, n: 0 };
    v.n++;
    forName.set(party.key, v);
    votes.set(surname, forName);
  };
  const sideOfPhrase = (phrase: string): Party | null => {
    const country = countriesIn(phrase)[0];
    const org = orgIn(phrase);
    // "Halvard's chief executive, Matthias Orrell": a bare possessive name owns the title after it.
    const bare = /^(?:the\s+)?(\p{Lu}[\p{L}-]+(?:\s+\p{Lu}[\p{L}-]+){0,2})['’]s,?$/u.exec(phrase.trim())?.[1];
    if (!country && !org && bare && !TITLE_WORDS.has(bare.toLowerCase()) && !isEveryday(bare))
      return { key: `name:${norm(bare)}`, label: bare };
    // "Belmark's foreign minister": a possessive place or organisation name owns the title.
    // Only when it owns the title itself ("Belmark's foreign minister"), not a later phrase
    // ("the National Renewal candidate in Marenland's run-off").
    const owned = /^(?:the\s+)?(\p{Lu}[\p{L}-]+)['’]s\s+((?:[\p{Ll}-]+\s*){1,4})$/u.exec(phrase.trim());
    const owner = owned?.[1];
    const titled = (owned?.[2] ?? '')
      .split(/\s+/)
      .filter(Boolean)
      .some((w) => TITLE_WORDS.has(w.toLowerCase()) || ORG_HEAD_WORD.test(w));
    if (!country && !org && owner && titled && !TITLE_WORDS.has(owner.toLowerCase())) return { key: `name:${norm(owner)}`, label: owner };
    // "Russia's foreign ministry": the country is the side; "Nordmark Consumer Authority": the organisation.
    if (country && (!org || countriesIn(org.label).length)) return { key: `country:${country}`, label: country };
    return org;
  };
  for (const s of sentences) {
    for (const { name, index } of personNames(s)) {
      // Before the name: "Russian President", "Guild chair", "Kremlin spokesman", "the authority's chief executive".
      const before = s.slice(Math.max(0, index - 90), index);
      const lead = /((?:[\p{L}'’.-]+\s+){1,7})$/u.exec(before)?.[1] ?? '';
      const leadWords = lead.trim().split(/\s+/);
      let k = leadWords.length - 1;
      while (k >= 0 && TITLE_WORDS.has((leadWords[k] as string).toLowerCase().replace(/[,'’s]+$/, ''))) k--;
      if (k < leadWords.length - 1) {
        const owner = leadWords.slice(Math.max(0, k - 4), k + 1).join(' ');
        const side = sideOfPhrase(owner) ?? (k >= 0 && /^\p{Lu}/u.test(leadWords[k] as string) ? orgIn(leadWords[k] as string) : null);
        if (side) vote(name, side);
      }
      // After the name: ", the authority's chief executive,", ", Chief of the General Staff of Russia's Armed Forces,", " of the Nordmark Consumers' Association".
      const after = s.slice(index + name.length, index + name.length + 110);
      const appositive = /^,\s*((?:the|a|an|its|their)?\s*[^,.;]{3,90}?)\s*(?:[,.;]|\s+(?:said|says|told|added))/u.exec(after)?.[1];
      const of = /^\s+(?:of|from|at)\s+(?:the\s+)?([^,.;]{3,70})/u.exec(after)?.[1];
      const leads = /^,\s*who\s+(?:chairs|heads|leads|runs|represents|speaks for|works for)\s+(?:the\s+)?([^,.;]{3,70})/u.exec(after)?.[1];
      if (leads) {
        const side = sideOfPhrase(leads);
        if (side) vote(name, side);
      }
      for (const phrase of [appositive, of]) {
        if (!phrase) continue;
        const words = phrase.split(/\s+/);
        const titled = words.some((w) => TITLE_WORDS.has(w.toLowerCase().replace(/['’]s$/, '')));
        const side = sideOfPhrase(phrase);
        if (side && (titled || phrase === of)) vote(name, side);
      }
    }
  }
  // "Ilse Varga" introduced once, "Varga" after: the side is named in full.
  const fullNames = new Map<string, string>();
  for (const s of sentences) {
    for (const { name } of personNames(s)) {
      const surname = norm(name.split(/\s+/).pop() ?? name);
      if ((fullNames.get(surname)?.length ?? 0) < name.length) fullNames.set(surname, name);
    }
  }
  const people = new Map<string, Party>();
  for (const [surname, forName] of votes) {
    const best = [...forName.values()].sort((a, b) => b.n - a.n)[0];
    if (best) people.set(surname, best.party);
  }

  const personOf = (speaker: string): Party | null => {
    const names = [...speaker.matchAll(/\p{Lu}[\p{L}'’-]+/gu)].map((m) => m[0].toLowerCase().replace(/['’]s$/, ''));
    for (const n of names.reverse()) {
      const p = people.get(n);
      if (p) return p;
    }
    return null;
  };

  const partyOf = (speaker: string, context: { sentence?: string; previousOrgs?: readonly Party[] } = {}): Party => {
    const countries = countriesIn(speaker);
    // "the Ukrainian, South Korean and American governments" speak together.
    if (countries.length >= 2 && /,|\band\b/.test(speaker)) {
      const names = countries.map((c) => (c === 'United States' || c === 'United Kingdom' ? `the ${c}` : c));
      const label = `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
      return { key: `coalition:${[...countries].sort().join('+')}`, label: label.charAt(0).toUpperCase() + label.slice(1) };
    }
    const person = personOf(speaker);
    const side = sideOfPhrase(speaker);
    if (side && !(person && side.key.startsWith('org:') && !orgIn(speaker.replace(/^[^,]+,\s*/, '')))) return side;
    if (person) return person;
    // "the company", "the firm": the organisation most recently named before in the article.
    if (GENERIC_COMPANY.test(speaker) && context.previousOrgs?.length)
      return context.previousOrgs[context.previousOrgs.length - 1] as Party;
    // "Vostria's presidential chief of staff": a possessive name speaks for that name's side.
    const owner = /^(?:the\s+)?(\p{Lu}[\p{L}-]+)['’]s\s/u.exec(speaker)?.[1];
    if (owner && !TITLE_WORDS.has(owner.toLowerCase())) return orgs.get(norm(owner)) ?? { key: `name:${norm(owner)}`, label: owner };
    // "the port authority" with no named authority in the event: the description is the side.
    const described = DEFINITE.exec(speaker);
    if (described && /^(the|its|their)\s/i.test(described[0]) && speaker.split(/\s+/).length <= 5) {
      const label = `${described[1] ?? ''}${described[2] ?? ''}`.trim().toLowerCase();
      return { key: `group:${label}`, label };
    }
    const cleaned = speaker.replace(/^(the|a|an)\s+/i, '').trim();
    // "Workers at Halvard Systems' plant in Delby", "Residents of Lisky": a group described, not a name.
    const group = /^(\p{L}+)\s+(?:of|at|from|in|for|near)\s/u.exec(cleaned)?.[1];
    if (group && isEveryday(group) && !TITLE_WORDS.has(group.toLowerCase())) {
      const label = cleaned.charAt(0).toLowerCase() + cleaned.slice(1);
      return { key: `group:${norm(label)}`, label };
    }
    // "Sabine Korda, the National Renewal candidate in …": the name before the appositive.
    const head = /^[^,]*\p{Lu}[^,]*,/u.test(cleaned) ? (cleaned.split(',')[0] as string) : cleaned;
    const capitalised = [...head.matchAll(/\p{Lu}[\p{L}'’-]+/gu)].map((m) => m[0]);
    if (capitalised.length >= 1 && !TITLE_WORDS.has((capitalised[capitalised.length - 1] as string).toLowerCase())) {
      // An unknown named speaker: a person ("Olena Bard") or an organisation we did not see introduced.
      // Keyed by the last name, so "Opposition councillor Leda Marsh" and "Marsh" are one side.
      const names = capitalised.filter((w) => !TITLE_WORDS.has(w.toLowerCase()) && !/^(Opposition|Former|Acting|Interim|Deputy)$/.test(w));
      const given = (names.length ? names : capitalised).join(' ').replace(/['’]s$/, '');
      const lastWord = (names[names.length - 1] ?? given).replace(/['’]s$/, '');
      // "Halvard Systems", "Corvane Motors": a company's last word is an everyday one; it is keyed whole.
      const last = names.length > 1 && isEveryday(lastWord) ? norm(given) : norm(lastWord);
      const full = fullNames.get(last);
      const label = names.length === 1 && full ? full : given;
      return { key: `name:${last}`, label };
    }
    const orgHead = ORG_HEAD_IN.exec(cleaned)?.[1]?.toLowerCase();
    if (orgHead) return { key: `group:${orgHead}`, label: orgHead };
    return { key: `speaker:${norm(cleaned)}`, label: cleaned };
  };

  return {
    partyOf,
    partiesMentioned(phrase, except) {
      const found: Party[] = [];
      const add = (p: Party | null) => {
        if (p && p.key !== except && !found.some((f) => f.key === p.key)) found.push(p);
      };
      for (const c of countriesIn(phrase)) add({ key: `country:${c}`, label: c });
      // An organisation named with its country ("Ukraine's General Staff") speaks for the country.
      for (const m of phrase.matchAll(ORG_PHRASE)) add(sideOfPhrase(m[1] as string));
      // "the port authority" may be another side; "its forces", "their units" are the speaker's own.
      const d = DEFINITE.exec(phrase);
      if (d && /^the\s/i.test(d[0])) {
        const label = `${d[1] ?? ''}${d[2] ?? ''}`.trim().toLowerCase();
        add(orgIn(d[0]) ?? { key: `group:${label}`, label });
      }
      for (const m of phrase.matchAll(/(\p{Lu}[\p{L}-]+)['’]s\b/gu)) {
        const o = norm(m[1] as string);
        if (!TITLE_WORDS.has(o) && !countriesIn(m[1] as string).length) add(orgs.get(o) ?? { key: `name:${o}`, label: m[1] as string });
      }
      for (const m of phrase.matchAll(/\p{Lu}[\p{L}'’-]+/gu)) add(people.get(m[0].toLowerCase().replace(/['’]s$/, '')) ?? null);
      // A named person we know nothing else about is their own side, keyed by last name as in partyOf.
      for (const { name } of personNames(phrase)) {
        const last = norm(name.split(/\s+/).pop() ?? name);
        if (!people.has(last)) add({ key: `name:${last}`, label: name });
      }
      return found;
    },
    people,
    orgs,
  };
}
