/**
 * @module Pure: an event's articles to attributed statements (who says what, with which verb, in
 * which article) and figure mentions (what quantity, reported by whom, in which article). Pronoun
 * speakers ("It said…", "He added…") and quotes that continue a previous quote are resolved to the
 * previous speaker of the same article.
 */
import { splitSentences } from '../nlp/sentences.ts';
import { type Attribution, findAttributions } from './attribution.ts';
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

export function articleSentences(a: ClaimArticle): string[] {
  return a.text
    .split(/\n+/)
    .map((p) => p.trim())
    .filter(Boolean)
    .flatMap(splitSentences);
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
    (p.key.startsWith('name:') && !/\s/.test(p.label)) ||
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
    for (const sentence of sentences) {
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
        attributed.push({
          articleId: a.id,
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
          sentence,
          speaker: who,
          party: denier,
          verbClass: 'deny',
          verb: m.groups.verb as string,
          content: `the ${m.groups.noun as string}`,
          quoted: false,
        });
      }
      statements.push(...attributed);
      const last = attributed[attributed.length - 1];
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
  return { statements, figures, resolver };
}
