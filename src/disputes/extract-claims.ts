/**
 * @module Pure: an event's articles to attributed statements (who says what, with which verb, in
 * which article) and figure mentions (what quantity, reported by whom, in which article). Pronoun
 * speakers ("It said…", "He added…") and quotes that continue a previous quote are resolved to the
 * previous speaker of the same article.
 */
import { backgroundDocProbability } from '../nlp/background.ts';
import { isProseParagraph } from '../nlp/prose.ts';
import { splitSentences } from '../nlp/sentences.ts';
import { stem } from '../nlp/tokenize.ts';
import { type Attribution, findAttributions } from './attribution.ts';
import { LEADING_NON_NAME, NOT_A_HOLDER, RUMOUR_SOURCE } from './lexicon.ts';
import { buildPartyResolver, type Party, type PartyResolver } from './parties.ts';
import { findQuantities, type Quantity } from './quantities.ts';

export interface ClaimArticle {
  id: string;
  url: string | null;
  outlet: string;
  publishedAt: string;
  title: string;
  text: string;
}

export interface Statement {
  articleId: string;
  /** Position of the sentence in its article's prose. */
  index: number;
  sentence: string;
  speaker: string;
  party: Party;
  verbClass: Attribution['verbClass'];
  verb: string;
  content: string;
  /** Said in quotation marks: a voice, less often the claim itself. */
  quoted: boolean;
}

export interface FigureMention {
  articleId: string;
  outlet: string;
  publishedAt: string;
  sentence: string;
  quantity: Quantity;
  /** Who the figure is attributed to, when the sentence says. */
  speaker: string | null;
  party: Party | null;
}

export interface ExtractedClaims {
  statements: Statement[];
  figures: FigureMention[];
  resolver: PartyResolver;
}

function isQuoted(sentence: string, content: string): boolean {
  const at = sentence.indexOf(content.slice(0, 20));
  return at > 0 && /[“"‘]\s*$/.test(sentence.slice(0, at));
}

/** ", a claim the company denies", ", a view the owner, Northmere Grain, disputes": a denial reported in passing. */
const TRAILING_DENIAL =
  /,\s+(?:a|an)\s+(?<noun>claim|view|charge|accusation|allegation|assertion|version|account|suggestion)\s+(?:that\s+|which\s+)?(?<who>(?:the\s+)?[^,;"“”]{2,60}?(?:,\s*[^,;"“”]{2,40},)?)\s+(?:has\s+|have\s+|had\s+|strongly\s+|flatly\s+)?(?<verb>denies|denied|disputes|disputed|rejects|rejected|dismisses|dismissed|contests|contested)\b[^,;]*$/i;

/** The article's prose sentences: captions, credits, subheadings and teaser lines are left out. */
export function articleSentences(a: ClaimArticle): string[] {
  return a.text
    .split(/\n+/)
    .map((p) => p.trim())
    .filter((p) => p && isProseParagraph(p))
    .flatMap(splitSentences);
}

/** Whether a party can be named as holding a view: not a weekday, a filler word or a bare pronoun. */
export function isNamedHolder(p: Party): boolean {
  const label = p.label.trim();
  return Boolean(label) && !NOT_A_HOLDER.test(label) && !LEADING_NON_NAME.test(label) && !/^[^\p{L}]/u.test(label);
}

/** "Posts on social media claimed that …": a rumour's spreaders, as one side named by what they are. */
const RUMOUR_PARTY: Party = { key: 'rumour:posts', label: 'Posts on social media' };

function rumourStatement(sentence: string): { content: string; label: string } | null {
  const m = RUMOUR_SOURCE.exec(sentence);
  if (!m) return null;
  const content = sentence
    .slice((m.index ?? 0) + m[0].length)
    .replace(/^\s*(?:that\s+)?/, '')
    .replace(/[.!?]+$/, '')
    .trim();
  if (content.split(/\s+/).length < 3) return null;
  const source = (m[1] ?? '').toLowerCase();
  const label = /messag/.test(source)
    ? 'Messages shared online'
    : /video|clip/.test(source)
      ? 'Videos shared online'
      : /rumou?r/.test(source)
        ? 'Rumours online'
        : RUMOUR_PARTY.label;
  return { content, label };
}

const OUTLET_WORDS =
  /^(the\s+)?(?:[\p{Lu}][\p{L}.&'’-]*\s+){0,3}(times|post|journal|independent|news|agency|gazette|tribune|herald|wire|daily|weekly|magazine|radio|television|tv|reuters|afp|ap|tass|interfax|bbc|cnn|bloomberg|guardian|telegraph|economist|politico|axios|chronicle|courier|record|observer|standard|express|mirror|sun|mail)$/iu;

/** "According to The Kyiv Independent": the outlet reports, it is not a party. */
function isOutlet(speaker: string, outlets: ReadonlySet<string>): boolean {
  const s = speaker
    .toLowerCase()
    .replace(/^the\s+/, '')
    .trim();
  if (outlets.has(s)) return true;
  return /^(the\s+)?\p{Lu}/u.test(speaker) && OUTLET_WORDS.test(speaker);
}

/** Speakers that name no side by themselves: "a senior official", "sources", "the spokesman". */
const GENERIC_SPEAKER =
  /^(a |an |the |one |two |several )?((senior|top|local|regional|military|government|foreign|defen[cs]e|security|unnamed|anonymous|other)\s+)*(officials?|sources?|spokes(man|woman|person)|representatives?|commanders?|diplomats?|aides?)$/i;

const REPORTS =
  /^(?:the\s+)?(?:early|earlier|initial|first|previous|preliminary|latest|new|some|local|media)?\s*(?:reports?|estimates?|figures?|counts?|tallies|data)\b/i;

const STATE_INSTITUTION =
  /\b(ministry|minister|government|army|military|armed forces|general staff|defen[cs]e|foreign|interior|cabinet|embassy|president|presidential|prime minister|spokes(?:man|woman|person) for the (?:government|ministry))\b/i;

/** A country, or a side named by a single proper name ("Belmark", "Tarnovia", "Dravenia's General Staff"). */
function isStateLike(p: Party): boolean {
  return (
    p.key.startsWith('country:') ||
    // A single proper name ("Belmark"), not a capitalised plural at the start of a sentence ("Insurers").
    (p.key.startsWith('name:') && !/\s/.test(p.label) && backgroundDocProbability(stem(p.label.toLowerCase())) === 0) ||
    (p.key.startsWith('org:') && /^\p{Lu}[\p{L}-]+['’]s\s/u.test(p.label))
  );
}

function dominantState(votes: ReadonlyMap<string, { party: Party; n: number }>): Party | null {
  return [...votes.values()].sort((a, b) => b.n - a.n)[0]?.party ?? null;
}

export function extractClaims(articles: readonly ClaimArticle[]): ExtractedClaims {
  const sentencesByArticle = articles.map((a) => ({ a, sentences: articleSentences(a) }));
  const resolver = buildPartyResolver(sentencesByArticle.flatMap((x) => x.sentences));
  const statePeople = new Map<string, Party>();
  const outlets = new Set(
    articles.map((a) =>
      a.outlet
        .toLowerCase()
        .replace(/^the\s+/, '')
        .replace(/\s*\(.*\)$/, '')
        .trim(),
    ),
  );
  const expand = (found: Attribution[]): Attribution[] =>
    found.flatMap((f) => (isOutlet(f.speaker, outlets) ? findAttributions(f.content).filter((g) => !isOutlet(g.speaker, outlets)) : [f]));
  const statements: Statement[] = [];
  const figures: FigureMention[] = [];
  for (const { a, sentences } of sentencesByArticle) {
    let previous: { speaker: string; party: Party } | null = null;
    let previousWasQuote = false;
    /** Figures of the last two sentences, for "put the number at …". */
    let recentFigures: Quantity[][] = [];
    const orgsSoFar: Party[] = [];
    const stateVotes = new Map<string, { party: Party; n: number }>();
    for (const [index, sentence] of sentences.entries()) {
      for (const p of resolver.partiesMentioned(sentence)) if (!p.key.startsWith('country:')) orgsSoFar.push(p);
      const found = expand(findAttributions(sentence));
      const attributed: Statement[] = [];
      for (const f of found) {
        let speaker = f.speaker;
        let party: Party;
        if (f.pronoun) {
          if (!previous) continue;
          speaker = previous.speaker;
          party = previous.party;
        } else {
          party = resolver.partyOf(speaker, { sentence, previousOrgs: orgsSoFar });
        }
        if (!isNamedHolder(party)) continue;
        attributed.push({
          articleId: a.id,
          index,
          sentence,
          speaker,
          party,
          verbClass: f.verbClass,
          verb: f.verb,
          content: f.content,
          quoted: isQuoted(sentence, f.content),
        });
      }
      // An unnamed state institution ("the ministry", "defence ministry spokesman Colonel Ivo Rast")
      // speaks for the state this article is about: its most frequent state-like speaker so far.
      for (const st of attributed) {
        const unowned = st.party.key.startsWith('group:') || (st.party.key.startsWith('name:') && /\s/.test(st.party.label));
        const known = statePeople.get(st.party.key);
        if (known) {
          st.party = known;
          continue;
        }
        if (!unowned || !STATE_INSTITUTION.test(st.speaker)) continue;
        const state = dominantState(stateVotes);
        if (!state) continue;
        // Remember the person: later "Rast said…" speaks for the same state.
        if (st.party.key.startsWith('name:')) statePeople.set(st.party.key, state);
        st.party = state;
      }
      for (const st of attributed)
        if (isStateLike(st.party)) stateVotes.set(st.party.key, { party: st.party, n: (stateVotes.get(st.party.key)?.n ?? 0) + 1 });
      // A generic speaker ("a senior official") speaks for the side named elsewhere in the sentence,
      // or else for the side of the statement just before it.
      for (const st of attributed) {
        if (!GENERIC_SPEAKER.test(st.speaker) || !/^(group|speaker):/.test(st.party.key)) continue;
        const named = attributed.find((o) => o !== st && /^(country|org):/.test(o.party.key));
        const fallback = previous && /^(country|org):/.test(previous.party.key) ? previous : null;
        const side = named ?? fallback;
        if (side) st.party = side.party;
      }
      // A sentence that is only a quotation, right after a quoted statement, continues it.
      const onlyQuote = /^[“"][^“”"]{20,}[”"]$/.test(sentence.trim());
      if (attributed.length === 0 && onlyQuote && previous && previousWasQuote) {
        attributed.push({
          articleId: a.id,
          index,
          sentence,
          speaker: previous.speaker,
          party: previous.party,
          verbClass: 'assert',
          verb: 'said',
          content: sentence.trim().replace(/^[“"]|[”"]$/g, ''),
          quoted: true,
        });
      }
      // "…had skipped an inspection, a claim Tessel Hydro denies": the sentence also reports a denial of it.
      for (const st of [...attributed]) {
        const m = TRAILING_DENIAL.exec(st.content);
        if (!m?.groups || st.verbClass === 'deny') continue;
        const who = (m.groups.who as string).replace(/[\s,]+$/, '').trim();
        const denier = resolver.partyOf(who, { sentence, previousOrgs: orgsSoFar });
        if (denier.key === st.party.key) continue;
        st.content = st.content.slice(0, m.index).trim();
        attributed.push({
          articleId: a.id,
          index,
          sentence,
          speaker: who,
          party: denier,
          verbClass: 'deny',
          verb: m.groups.verb as string,
          content: `the ${m.groups.noun as string}`,
          quoted: false,
        });
      }
      {
        // A rumour reported in the sentence, also inside someone's statement ("dismissed claims circulating online that …").
        const rumour = rumourStatement(sentence);
        if (rumour && !attributed.some((st) => st.party.key.startsWith('rumour'))) {
          attributed.push({
            articleId: a.id,
            index,
            sentence,
            speaker: rumour.label,
            party: { key: RUMOUR_PARTY.key, label: rumour.label },
            verbClass: 'assert',
            verb: 'claimed',
            content: rumour.content,
            quoted: false,
          });
        }
      }
      statements.push(...attributed);
      // A rumour speaks for no one: "he said" after it is still the person quoted before.
      const last = attributed.filter((st) => !st.party.key.startsWith('rumour')).at(-1);
      if (last) {
        previous = { speaker: last.speaker, party: last.party };
        previousWasQuote = /[“”"]/.test(sentence);
      } else {
        previousWasQuote = false;
      }
      // "Early reports put the toll at 12": reports are not a party; the figure is the outlet's.
      const parties = attributed.filter((s) => !REPORTS.test(s.speaker));
      const quantities = findQuantities(sentence, recentFigures.flat());
      recentFigures = [...recentFigures, quantities].slice(-2);
      for (const q of quantities) {
        const owner = parties.find((s) => s.content.includes(q.raw.split(' ').find((w) => /\d/.test(w)) ?? '\u0000')) ?? parties[0] ?? null;
        figures.push({
          articleId: a.id,
          outlet: a.outlet,
          publishedAt: a.publishedAt,
          sentence,
          quantity: q,
          speaker: owner?.speaker ?? null,
          party: owner?.party ?? null,
        });
      }
    }
  }
  unifyHolders(statements, figures);
  return { statements, figures, resolver };
}

const GENERIC_SIDE = /^group:(company|firm|operator|group|carrier|airline|bank|insurer|retailer|manufacturer|maker|developer|club|team)$/;

/**
 * One holder, one key, across the event: "Halvard" is "Halvard Systems" when only one longer name
 * starts with it; "the company" is the company the article quotes most by name.
 */
function unifyHolders(statements: Statement[], figures: FigureMention[]): void {
  const parties = new Map<string, Party>();
  for (const s of statements) parties.set(s.party.key, s.party);
  const alias = new Map<string, Party>();
  for (const p of parties.values()) {
    if (!/^(name|org):/.test(p.key) || /\s/.test(p.label)) continue;
    const longer = [...parties.values()].filter((q) => q !== p && /^(name|org):/.test(q.key) && q.label.startsWith(`${p.label} `));
    if (longer.length === 1) alias.set(p.key, longer[0] as Party);
  }
  // "Halvard's chief executive, Matthias Orrell" spoke for Halvard: so does a later "Orrell said".
  for (const s of statements) {
    for (const p of parties.values()) {
      if (p === s.party || !p.key.startsWith('name:') || alias.has(p.key)) continue;
      const surname = p.key.slice(5);
      if (/\s/.test(surname) || !new RegExp(`\\b${surname}\\b`, 'i').test(s.speaker) || s.party.key.startsWith('name:' + surname)) continue;
      if (/,/.test(s.speaker) || /['’]s\s/.test(s.speaker)) alias.set(p.key, s.party);
    }
  }
  const named = (key: string) => /^(name|org):/.test(key);
  const resolve = (p: Party): Party => {
    let q = p;
    for (let i = 0; i < 5 && alias.has(q.key); i++) q = alias.get(q.key) as Party;
    return q;
  };
  for (const s of statements) s.party = resolve(s.party);
  for (const articleId of new Set(statements.map((s) => s.articleId))) {
    const own = statements.filter((s) => s.articleId === articleId);
    const counts = new Map<string, { party: Party; n: number }>();
    for (const s of own) if (named(s.party.key)) counts.set(s.party.key, { party: s.party, n: (counts.get(s.party.key)?.n ?? 0) + 1 });
    // A person ("Henrik Falk", keyed by surname) is not "the club": prefer organisations.
    const person = (p: Party) => /\s/.test(p.label) && !/\s/.test(p.key.slice(5));
    const main = [...counts.values()].sort((a, b) => Number(person(a.party)) - Number(person(b.party)) || b.n - a.n)[0];
    if (!main) continue;
    for (const s of own) if (GENERIC_SIDE.test(s.party.key) && /\bthe\s+\w+$/i.test(s.speaker.trim())) s.party = main.party;
  }
  for (const f of figures) if (f.party) f.party = resolve(f.party);
}
