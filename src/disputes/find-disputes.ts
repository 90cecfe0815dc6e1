/**
 * @module Pure: what the sources disagree about. Three kinds of disagreement are found:
 *  - a claim and its denial by another party (explicit denials, or "still holds"-style rebuttals);
 *  - the same quantity reported differently (intervals that cannot both be true), but not figures
 *    that describe a change over time ("down to 30 from 1,300"), refer to different times, or are a
 *    later update of a count;
 *  - a characterisation that its target rejects ("a publicity stunt" — "we reject that label").
 * Each point names what is contested and each side: who, what, and the articles that carry it.
 * Where the sources agree, nothing is returned: no dispute is invented.
 */
import type { DisputedPoint, DisputeSide } from '../core/types.ts';
import { countriesIn } from '../nlp/gazetteer.ts';
import { contentTokens } from '../nlp/tokenize.ts';
import { type ClaimArticle, extractClaims, type FigureMention, type Statement } from './extract-claims.ts';
import type { Party } from './parties.ts';

export interface FindDisputesOptions {
  maxPoints?: number;
}

const DENIAL_CONTENT =
  /\b(untrue|not true|false|baseless|groundless|fabricat\w*|propaganda|do(?:es)? not correspond to reality|wishful thinking|nonsense|lies|bullshit|never happened|no truth|misleading|incorrect|inaccurate|fake|distort\w*|absurd|not the case|no basis)\b/i;
const EMBEDDED_CLAIM =
  /\b(?:claims?|assurances?|assertions?|suggestions?|statements?|reports?|accusations?|allegations?)\s+(?:from|by)\s+(.{3,60}?)\s+that\s+(.+)$|(\p{Lu}[\p{L}'’ -]{1,40}?)['’]s\s+(?:claims?|assertions?|assurances?|accusations?|allegations?)\s+that\s+(.+)$/u;

/** A party claiming it won: "declared victory", "we have won", "her lead is decisive". */
const VICTORY =
  /\b(won|win|wins|victory|victorious|winner)\b|\b(lead|ahead)\b[^.]{0,50}\b(decisive|clear|will hold|cannot be overturned|insurmountable|unassailable)\b/i;
const SELF = /^(?:victory\b|(?:we|i|she|he|they|it|his|her|their|its|our|my)\b)/i;
const CONTEST = /\b(run-off|runoff|election|vote|referendum|race|primary|ballot|contest|match|final|case|trial)\b/i;

/** Two parties each claiming victory in the same contest: one point, "Who won …", with each side's claim. */
function rivalClaimPoints(statements: readonly Statement[], byId: ReadonlyMap<string, ClaimArticle>) {
  const claims = statements.filter(
    (s) =>
      s.verbClass === 'assert' &&
      VICTORY.test(s.content) &&
      (SELF.test(s.content) || s.content.toLowerCase().includes(s.party.label.split(' ').pop()?.toLowerCase() ?? '\u0000')),
  );
  const byParty = new Map<string, Statement[]>();
  for (const c of claims) byParty.set(c.party.key, [...(byParty.get(c.party.key) ?? []), c]);
  if (byParty.size < 2) return [];
  const parties = [...byParty.values()].sort((a, b) => b.length - a.length).slice(0, 2);
  const contest = statements.map((s) => CONTEST.exec(`${s.sentence}`)?.[1]?.toLowerCase()).find(Boolean) ?? 'contest';
  const sides: DisputeSide[] = parties.map((ss) => {
    const best = [...ss].sort(
      (a, b) => Number(/\b(won|victory)\b/i.test(b.content)) - Number(/\b(won|victory)\b/i.test(a.content)),
    )[0] as Statement;
    const claim = /^victory\b/i.test(best.content) ? 'claims victory' : asClaim(best);
    return {
      by: sideLabel(
        best.party,
        ss.map((s) => s.speaker),
      ),
      claim,
      sources: urlsOf(new Set(ss.map((s) => s.articleId)), byId),
    };
  });
  return [
    {
      point: `Who won the ${contest}`,
      kind: 'claim_vs_denial' as const,
      sides,
      weight: 3 + new Set(parties.flat().map((s) => s.articleId)).size,
    },
  ];
}

/** "She would ask for…", "we will appeal": plans, not claims that can be denied. */
const INTENTION = /^(?:she|he|it|they|we|i)\s+(?:would|will|plans? to|intends? to|hopes? to|wants? to|is going to|are going to)\b/i;
const CONTRAST =
  /\b(still|continu\w*|remain\w*|ongoing|active|holding|hold|held|no threat|not been|has not|have not|hasn't|haven't|no longer|never)\b/i;

function tokens(s: string): Set<string> {
  return new Set(contentTokens(s).filter((t) => !t.startsWith('#')));
}

function dice(a: Set<string>, b: Set<string>): number {
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
  return s.replace(/[.,;:]+$/, '');
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
  const name = /(\p{Lu}[\p{L}'’-]+)\s*$/u.exec(s.replace(/,.*$/, ''))?.[1];
  if (
    name &&
    !/^(Staff|Forces|Ministry|Office|Government|Army|Command|Department|Service|Agency)$/.test(name) &&
    /\p{Lu}\p{L}+\s+\p{Lu}/u.test(s)
  ) {
    return name;
  }
  // "Ukraine's General Staff" → "General Staff"; "a senior Ukrainian official" → "senior official".
  s = s.replace(new RegExp(`\\b${party.label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(['’]s)?\\s*`, 'i'), '').trim();
  for (const alias of countryWords(party.label)) s = s.replace(new RegExp(`\\b${alias}\\s+`, 'i'), '');
  return s.trim() || party.label;
}

/** "Russia (Gerasimov, Putin, Kremlin)": the side, then its most frequent voices. */
function sideLabel(party: Party, speakers: readonly string[]): string {
  const counts = new Map<string, { name: string; n: number }>();
  for (const sp of speakers) {
    const n = shortSpeaker(sp, party);
    const key = n.toLowerCase();
    if (key === party.label.toLowerCase() || party.key.startsWith('coalition:')) continue;
    const c = counts.get(key) ?? { name: n, n: 0 };
    c.n++;
    counts.set(key, c);
  }
  const names = [...counts.values()].sort((a, b) => b.n - a.n).map((c) => c.name);
  return names.length ? `${party.label} (${names.slice(0, 3).join(', ')})` : party.label;
}

function urlsOf(ids: Iterable<string>, byId: ReadonlyMap<string, ClaimArticle>): string[] {
  const out: string[] = [];
  for (const id of ids) {
    const url = byId.get(id)?.url;
    if (url && !out.includes(url)) out.push(url);
  }
  return out;
}

function mostCentral(items: readonly Statement[]): Statement | undefined {
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

function isDenial(s: Statement): boolean {
  return s.verbClass === 'deny' || DENIAL_CONTENT.test(s.content);
}

/** A statement's content as a side's claim: "accuses the authority of …", "denies that it misled …". */
function asClaim(st: Statement): string {
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

interface DisputeDraft {
  target: Party;
  denier: Party;
  main: Statement;
  supporting: Statement[];
  denierStatements: Statement[];
  point: DisputedPoint;
  weight: number;
}

function claimDenialPoints(
  statements: readonly Statement[],
  byId: ReadonlyMap<string, ClaimArticle>,
  resolveTargets: (s: Statement) => Array<{ party: Party; statement: Statement | null }>,
) {
  const denials = statements.filter(isDenial);
  const pairs = new Map<string, { target: Party; denier: Party; denials: Statement[]; denied: Statement[] }>();
  for (const d of denials) {
    for (const { party: target, statement } of resolveTargets(d)) {
      const key = `${target.key}|${d.party.key}`;
      const entry = pairs.get(key) ?? { target, denier: d.party, denials: [], denied: [] };
      entry.denials.push(d);
      if (statement) entry.denied.push(statement);
      pairs.set(key, entry);
    }
  }
  const drafts: DisputeDraft[] = [];
  for (const { target, denier, denials: ds, denied: directlyDenied } of pairs.values()) {
    const denied = tokens(ds.map((d) => d.content).join(' '));
    const denialTopic = tokens(ds.map((d) => d.sentence).join(' '));
    const counters = statements.filter(
      (s) => s.party.key === denier.key && !isDenial(s) && CONTRAST.test(s.content) && s.content.split(' ').length >= 4,
    );
    const counterTopic = tokens(counters.map((c) => c.content).join(' '));
    const claims = [
      ...new Set([
        // What the denial answers directly: the statement just before it, or the claim it quotes.
        ...directlyDenied.filter((s) => !REJECTS_LABEL.test(s.content)),
        ...statements.filter(
          (s) =>
            s.party.key === target.key &&
            s.verbClass !== 'deny' &&
            !INTENTION.test(s.content) &&
            !DENIAL_CONTENT.test(s.content) &&
            !REJECTS_LABEL.test(s.content) &&
            s.content.split(' ').length >= 4 &&
            (dice(tokens(s.content), counterTopic) > 0.08 || dice(tokens(s.content), denialTopic) > 0.08),
        ),
      ]),
    ];
    if (claims.length === 0) continue;
    // The claim is the one that is denied: closest to what the denials say, then most repeated.
    const central = new Map(claims.map((c) => [c, 0]));
    const sets = new Map(claims.map((c) => [c, tokens(c.content)]));
    for (const c of claims) {
      let score = 0;
      for (const o of claims) if (o.articleId !== c.articleId) score += dice(sets.get(c) as Set<string>, sets.get(o) as Set<string>);
      central.set(c, score / Math.max(1, claims.length - 1));
    }
    const answered = new Set(directlyDenied);
    const rank = (x: Statement) =>
      3 * dice(sets.get(x) as Set<string>, denied) +
      (central.get(x) ?? 0) -
      (/[“”"]/.test(x.content) ? 0.1 : 0) +
      (answered.has(x) ? 0.5 : 0);
    const main = [...claims].sort((a, b) => rank(b) - rank(a))[0] as Statement;
    const mainTokens = sets.get(main) as Set<string>;
    // Articles carrying the claim: close to the main wording, or close enough and about what is denied.
    const supporting = claims.filter((c) => {
      const d = dice(sets.get(c) as Set<string>, mainTokens);
      return c === main || d >= 0.35 || (d >= 0.2 && dice(sets.get(c) as Set<string>, denied) >= 0.2);
    });
    // What the denying side says instead: its rebuttals on topic, and what it asserts in the very
    // sentence of its denial ("Oil has washed up beyond the harbour, the association said, contradicting…").
    const aboutMain = ds.filter((d) => dice(tokens(d.content), mainTokens) >= 0.3);
    const sameSentence = statements.filter(
      (s) => s.party.key === denier.key && !isDenial(s) && aboutMain.some((d) => d.sentence === s.sentence && d.articleId === s.articleId),
    );
    const relevantCounters = [...new Set([...sameSentence, ...counters.filter((c) => dice(tokens(c.content), mainTokens) >= 0.1)])];
    const counter = sameSentence[0] ?? mostCentral(relevantCounters);
    const labels = new Map<string, number>();
    for (const d of ds) {
      for (const m of d.content.matchAll(/[“"]([^”"]{3,40})[”"]/g)) {
        const l = (m[1] as string).replace(/[,.]$/, '');
        if (DENIAL_CONTENT.test(l)) labels.set(l.toLowerCase(), (labels.get(l.toLowerCase()) ?? 0) + 1);
      }
    }
    // The label most sources report, not the crudest one.
    const label = [...labels].sort((a, b) => b[1] - a[1] || a[0].length - b[0].length)[0]?.[0];
    const bestDenial = [...ds].sort((a, b) => dice(tokens(b.content), mainTokens) - dice(tokens(a.content), mainTokens))[0] as Statement;
    const denialText = counter
      ? `${gist(counter.content)}${label ? `; calls the claim “${label}”` : ''}`
      : bestDenial.content.split(' ').length >= 3
        ? asClaim(bestDenial)
        : `denies ${target.label}'s account`;
    const denierStatements = [...ds, ...relevantCounters];
    const sideA: DisputeSide = {
      by: sideLabel(
        target,
        supporting.map((s) => s.speaker),
      ),
      claim: asClaim(main),
      sources: urlsOf(new Set(supporting.map((s) => s.articleId)), byId),
    };
    const sideB: DisputeSide = {
      by: sideLabel(
        denier,
        denierStatements.map((s) => s.speaker),
      ),
      claim: denialText,
      sources: urlsOf(new Set(denierStatements.map((s) => s.articleId)), byId),
    };
    if (!sideA.sources.length || !sideB.sources.length) continue;
    drafts.push({
      target,
      denier,
      main,
      supporting,
      denierStatements,
      point: { point: `Whether ${gist(main.content, 22).replace(/^(that\s+)/i, '')}`, kind: 'claim_vs_denial', sides: [sideA, sideB] },
      weight: 3 + new Set([...supporting, ...denierStatements].map((s) => s.articleId)).size,
    });
  }
  // One disagreement found from several denials, or from both sides' denials, is one point.
  drafts.sort((a, b) => b.weight - a.weight);
  const kept: DisputeDraft[] = [];
  for (const d of drafts) {
    const person = (p: Party) => p.key.startsWith('name:') && /\s/.test(p.label);
    const samePair = kept.find(
      (k) =>
        (k.target.key === d.target.key && k.denier.key === d.denier.key) ||
        // "Defence Minister Ana Korvel" we could not tie to a side: with the same opponent, one dispute.
        (k.denier.key === d.denier.key && (person(k.target) || person(d.target))) ||
        (k.target.key === d.target.key && (person(k.denier) || person(d.denier))) ||
        (k.target.key === d.denier.key && k.denier.key === d.target.key) ||
        ((k.denier.key === d.denier.key || k.target.key === d.target.key) && dice(tokens(k.main.content), tokens(d.main.content)) >= 0.3),
    );
    if (samePair) {
      for (const side of samePair.point.sides) {
        const extra = side === samePair.point.sides[0] ? d.supporting : d.denierStatements;
        const sameParty = side === samePair.point.sides[0] ? samePair.target.key === d.target.key : samePair.denier.key === d.denier.key;
        if (sameParty) side.sources = [...new Set([...side.sources, ...urlsOf(new Set(extra.map((s) => s.articleId)), byId)])];
      }
      continue;
    }
    kept.push(d);
  }
  return kept.map((d) => ({ ...d.point, weight: d.weight }));
}

/** Measures that say what is counted whatever the noun ("34 people were killed" = "the number of dead at 34"). */
const COUNTED = new Set(['dead', 'injured', 'displaced', 'arrested', 'protesters', 'troops', 'votes']);

/** Units of measurement: figures in different ones are never compared ("1.2 percentage points" vs "40,000 votes"). */
const MEASUREMENT_UNIT =
  /^(%|sq km|sq mi|km|ha|tonnes|[$€£]|percentage point|point|crown|euro|dollar|pound|franc|yen|rouble|ruble|mile|metre|meter|kilogram|barrel)$/;
/** Anchors that mean "as of now": an unanchored figure is a current one too. */
const PRESENT = /^(now|currently|today|this week['’]s reading|this morning|overnight)$/;

function sameTime(a: string | null, b: string | null): boolean {
  if (a === b) return true;
  const present = (x: string | null) => x === null || PRESENT.test(x);
  return present(a) && present(b);
}

function comparable(a: FigureMention, b: FigureMention): boolean {
  const qa = a.quantity;
  const qb = b.quantity;
  if (qa.measure !== qb.measure) return false;
  if ((!COUNTED.has(qa.measure) || MEASUREMENT_UNIT.test(qa.unit) || MEASUREMENT_UNIT.test(qb.unit)) && qa.unit !== qb.unit) return false;
  if (qa.prospective || qb.prospective) return false;
  if ((qa.about || qb.about) && qa.about !== qb.about) return false;
  // "about 500 sq km by January" and "about 30 sq km" (now) describe different times.
  if (!sameTime(qa.anchor, qb.anchor)) return false;
  let shared = 0;
  for (const t of qa.context) if (!t.startsWith('#') && qb.context.has(t)) shared++;
  // Two parties' counts of the same class of thing ("troops", "killed") need less shared wording.
  const twoParties = a.party !== null && b.party !== null && a.party.key !== b.party.key;
  return shared >= (twoParties && COUNTED.has(qa.measure) ? 1 : 2);
}

function overlaps(a: FigureMention, b: FigureMention): boolean {
  const qa = a.quantity;
  const qb = b.quantity;
  if (qa.low === qa.high && qb.low === qb.high) {
    return Math.abs(qa.low - qb.low) <= 0.02 * Math.max(qa.low, qb.low);
  }
  return !(qa.high < qb.low || qb.high < qa.low);
}

function figurePoints(
  figures: readonly FigureMention[],
  byId: ReadonlyMap<string, ClaimArticle>,
  resolvePartyOf: (speaker: string) => Party,
) {
  // Values that some article presents as a change over time ("fallen to 30 from 1,300").
  const changes = new Map<string, number[][]>();
  const bySentence = new Map<string, FigureMention[]>();
  for (const f of figures) if (f.quantity.change) bySentence.set(f.sentence, [...(bySentence.get(f.sentence) ?? []), f]);
  for (const group of bySentence.values()) {
    for (const unit of new Set(group.map((g) => g.quantity.unit))) {
      const values = group.filter((g) => g.quantity.unit === unit).map((g) => g.quantity.value);
      if (values.length >= 2) changes.set(unit, [...(changes.get(unit) ?? []), values]);
    }
  }
  const near = (x: number, y: number) => Math.abs(x - y) <= 0.1 * Math.max(x, y);
  const isKnownChange = (a: FigureMention, b: FigureMention) =>
    (changes.get(a.quantity.unit) ?? []).some(
      (vs) => vs.some((v) => near(v, a.quantity.value)) && vs.some((v) => near(v, b.quantity.value)),
    );
  // "the toll of 27 given by the health ministry": that figure is the ministry's, whoever speaks in the sentence.
  const owned = figures
    .filter((f) => !f.quantity.change)
    .map((f) => (f.quantity.givenBy ? { ...f, speaker: f.quantity.givenBy, party: resolvePartyOf(f.quantity.givenBy) } : f));
  const isUpdate = (a: FigureMention, b: FigureMention) => {
    if (a.party && b.party) return a.party.key === b.party.key && a.articleId !== b.articleId;
    if (a.party || b.party) return false;
    const [early, late] = a.publishedAt <= b.publishedAt ? [a, b] : [b, a];
    const hours = (Date.parse(late.publishedAt) - Date.parse(early.publishedAt)) / 3_600_000;
    return hours >= 3 && late.quantity.value > early.quantity.value;
  };
  // Values one article reports side by side, without giving them to different parties, are not in
  // dispute (a part and its whole, a figure now and then): the outlet holds both to be true.
  const valuesByArticle = new Map<string, FigureMention[]>();
  for (const f of owned) valuesByArticle.set(f.articleId, [...(valuesByArticle.get(f.articleId) ?? []), f]);
  const coReported = (a: FigureMention, b: FigureMention) =>
    [...valuesByArticle.values()].some((fs) => {
      const x = fs.find((f) => near(f.quantity.value, a.quantity.value) && f.quantity.measure === a.quantity.measure);
      const y = fs.find((f) => near(f.quantity.value, b.quantity.value) && f.quantity.measure === b.quantity.measure);
      if (x === undefined || y === undefined || x === y) return false;
      // Suppressed only when the article gives both to nobody, or to the same party.
      return (!x.party && !y.party) || (x.party !== null && y.party !== null && x.party.key === y.party.key);
    });
  const conflicts = (a: FigureMention, b: FigureMention) => {
    // One article does not dispute itself, unless it reports two parties' figures.
    if (a.articleId === b.articleId && !(a.party && b.party && a.party.key !== b.party.key)) return false;
    return comparable(a, b) && !overlaps(a, b) && !isKnownChange(a, b) && !isUpdate(a, b) && !coReported(a, b);
  };

  const points: Array<DisputedPoint & { weight: number }> = [];
  const used = new Set<FigureMention>();
  for (const seed of owned) {
    if (used.has(seed)) continue;
    // Everything comparable with the seed, directly or through another comparable figure.
    const related = [seed];
    for (let i = 0; i < related.length; i++) {
      for (const f of owned) if (!related.includes(f) && comparable(f, related[i] as FigureMention)) related.push(f);
    }
    const inConflict = related.filter((f) => related.some((g) => conflicts(f, g)));
    if (inConflict.length < 2) continue;
    for (const f of related) used.add(f);
    // Positions: groups of mutually consistent figures; figures that fit every position (an open
    // "at least 12") say nothing about the disagreement and are left out.
    const positions: FigureMention[][] = [];
    for (const f of [...inConflict].sort((x, y) => x.quantity.value - y.quantity.value)) {
      const home = positions.find((p) => p.every((g) => overlaps(g, f)));
      if (home) home.push(f);
      else positions.push([f]);
    }
    for (const f of related) {
      if (inConflict.includes(f)) continue;
      const fits = positions.filter((p) => p.every((g) => overlaps(g, f)));
      if (fits.length === 1) fits[0]?.push(f);
    }
    if (positions.length < 2) continue;
    const subject =
      [...related].sort((x, y) => y.quantity.subject.split(' ').length - x.quantity.subject.split(' ').length)[0]?.quantity.subject ??
      seed.quantity.unit;
    const measureName = COUNTED.has(seed.quantity.measure)
      ? {
          dead: 'people killed',
          injured: 'people injured',
          displaced: 'people displaced',
          arrested: 'people detained',
          protesters: 'people taking part',
          troops: subject,
          votes: 'votes',
        }[seed.quantity.measure]
      : seed.quantity.about
        ? `${seed.quantity.about} (${seed.quantity.unit})`
        : subject;
    const sides: DisputeSide[] = positions.slice(0, 3).map((p) => {
      const attributed = p.filter((f) => f.speaker && f.party);
      const by = attributed.length
        ? sideLabel(
            attributed[0]?.party as Party,
            attributed.map((f) => f.speaker as string),
          )
        : [...new Set(p.map((f) => f.outlet))].join(', ');
      const rep = [...p].sort(
        (x, y) => Number(y.party !== null) - Number(x.party !== null) || y.quantity.raw.length - x.quantity.raw.length,
      )[0] as FigureMention;
      return { by, claim: rep.quantity.raw, sources: urlsOf(new Set(p.map((f) => f.articleId)), byId) };
    });
    const point = `Number of ${String(measureName).replace(/^(the|a|an)\s+/i, '')}`;
    const same = points.find((p) => p.point === point);
    if (same) {
      // The same figure found from another starting point: keep the better-supported version.
      if (same.weight >= 2 + new Set(related.map((f) => f.articleId)).size) continue;
      points.splice(points.indexOf(same), 1);
    }
    points.push({
      point,
      kind: 'figures_differ',
      sides,
      weight: 2 + new Set(related.map((f) => f.articleId)).size,
    });
  }
  return points;
}

/** "called the exercise “an act of intimidation”", "dismissed the offer as “a propaganda ploy”", "Belmark's description of the exercise as intimidation". */
function labelOf(st: Statement): string | null {
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
function rejectsLabel(s: Statement, labelWords: Set<string>): boolean {
  const mine = tokens(s.content);
  let shared = 0;
  for (const w of labelWords) if (mine.has(w)) shared++;
  const reject = isDenial(s) || REJECTS_LABEL.test(s.content);
  return reject && shared > 0 && (REJECTS_LABEL.test(s.content) || shared >= Math.max(2, labelWords.size / 2));
}

const REJECTS_LABEL =
  /\b(descri\w+|characteri[sz]\w+|label\w*|insult\w*|smear|accusation|absurd|nonsense|routine|sincere|genuine|legitimate|defensive)\b/i;

function characterisationPoints(
  statements: readonly Statement[],
  byId: ReadonlyMap<string, ClaimArticle>,
  mentioned: (s: Statement) => Party[],
) {
  const points: Array<DisputedPoint & { weight: number }> = [];
  const seen = new Set<string>();
  for (const c of statements) {
    const label = labelOf(c);
    if (!label) continue;
    const labelWords = tokens(label);
    // The target is named ("Kelmar's offer") or only implied ("called the exercise …"): then it is
    // whoever rejects the label.
    const rejecters = statements.filter((s) => s.party.key !== c.party.key && rejectsLabel(s, labelWords)).map((s) => s.party);
    const targets = [...mentioned(c), ...rejecters].filter((p, i, all) => all.findIndex((q) => q.key === p.key) === i);
    for (const target of targets) {
      if (target.key === c.party.key || seen.has(`${c.party.key}|${target.key}`)) continue;
      const rejections = statements.filter((s) => s.party.key === target.key && rejectsLabel(s, labelWords));
      if (rejections.length === 0) continue;
      seen.add(`${c.party.key}|${target.key}`);
      const labellers = statements.filter(
        (s) => s.party.key === c.party.key && labelOf(s) !== null && dice(tokens(labelOf(s) ?? ''), labelWords) > 0.3,
      );
      const best = [...rejections].sort(
        (x, y) => Number(REJECTS_LABEL.test(y.content)) - Number(REJECTS_LABEL.test(x.content)),
      )[0] as Statement;
      points.push({
        point: `Whether it was “${label}”`,
        kind: 'characterisation_rejected',
        sides: [
          {
            by: sideLabel(
              c.party,
              labellers.map((s) => s.speaker),
            ),
            claim: `calls it “${label}”`,
            sources: urlsOf(new Set(labellers.map((s) => s.articleId)), byId),
          },
          {
            by: sideLabel(
              target,
              rejections.map((s) => s.speaker),
            ),
            claim: asClaim(best),
            sources: urlsOf(new Set(rejections.map((s) => s.articleId)), byId),
          },
        ],
        weight: 2 + new Set([...labellers, ...rejections].map((s) => s.articleId)).size,
      });
    }
  }
  return points;
}

export function findDisputes(articles: readonly ClaimArticle[], options: FindDisputesOptions = {}): DisputedPoint[] {
  const { statements, figures, resolver } = extractClaims(articles);
  const byId = new Map(articles.map((a) => [a.id, a]));
  const mentioned = (s: Statement) => resolver.partiesMentioned(`${s.content} ${s.sentence}`, s.party.key);
  const resolveTargets = (d: Statement): Array<{ party: Party; statement: Statement | null }> => {
    // "contradicting assurances from the port authority that the spill had been contained",
    // "Putin's claim that …": the denial quotes the claim it answers.
    const embedded = EMBEDDED_CLAIM.exec(d.content);
    if (embedded) {
      const who = embedded[1] ?? embedded[3] ?? '';
      const what = embedded[2] ?? embedded[4] ?? '';
      const party = resolver.partiesMentioned(who, d.party.key)[0] ?? null;
      if (party && what.split(' ').length >= 3) {
        return [
          {
            party,
            statement: {
              articleId: d.articleId,
              sentence: d.sentence,
              speaker: who,
              party,
              verbClass: 'assert',
              verb: 'said',
              content: what,
            },
          },
        ];
      }
    }
    const named = resolver.partiesMentioned(`${d.content} ${d.sentence}`, d.party.key).filter((p) => p.key !== d.party.key);
    if (named.length) return named.slice(0, 1).map((party) => ({ party, statement: null }));
    // "Kari Enger said that was not true": the claim made just before, by someone else.
    const same = statements.filter((s) => s.articleId === d.articleId);
    const idx = same.indexOf(d);
    for (let i = idx - 1; i >= 0; i--) {
      const s = same[i] as Statement;
      if (s.party.key !== d.party.key && !isDenial(s)) return [{ party: s.party, statement: s }];
    }
    return [];
  };
  const all = [
    ...claimDenialPoints(statements, byId, resolveTargets),
    ...rivalClaimPoints(statements, byId),
    ...figurePoints(figures, byId, (sp) => resolver.partyOf(sp)),
    ...characterisationPoints(statements, byId, mentioned),
  ];
  all.sort((a, b) => b.weight - a.weight);
  return all.slice(0, options.maxPoints ?? 4).map(({ weight: _weight, ...p }) => p);
}
