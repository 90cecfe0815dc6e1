/**
 * @module Pure: the same quantity reported differently — intervals that cannot both be true — but not
 * figures that describe a change over time, refer to different times, are forecasts, count different
 * things, are a later update of a count, or are reported side by side by one outlet. Precision first:
 * each side of a figure dispute is a named holder's figure (the police's count against the
 * organisers'); two outlets printing different unattributed numbers are more often an update than a
 * disagreement, so they make no point — but they keep the brief from saying the sources agree.
 */
import type { DisputeSide } from '../../core/types.ts';
import { contentTokens } from '../../nlp/tokenize.ts';
import { sideLabel, urlsOf } from '../dispute-common.ts';
import { type ClaimArticle, type FigureMention, isNamedHolder } from '../extract-claims.ts';
import type { DisputeFinder, FoundPoint } from '../finder.ts';
import { NOT_A_COUNT } from '../lexicon.ts';
import type { Party } from '../parties.ts';

/** Measures that say what is counted whatever the noun ("34 people were killed" = "the number of dead at 34"). */
const COUNTED = new Set(['dead', 'injured', 'displaced', 'arrested', 'protesters', 'troops', 'votes']);

/** Units of measurement: figures in different ones are never compared ("1.2 percentage points" vs "40,000 votes"). */
const MEASUREMENT_UNIT =
  /^(%|sq km|sq mi|km|ha|tonnes|[$€£]|percentage point|point|crown|euro|dollar|pound|franc|yen|rouble|ruble|mile|metre|meter|kilogram|barrel)$/;
/** Anchors that mean "as of now": an unanchored figure is a current one too. */
const PRESENT =
  /^(now|currently|today|tonight|this week['’]s reading|this morning|this afternoon|overnight|(?:on\s+)?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)|at (?:its|the) (?:peak|height)|at that time|at the same (?:moment|time))$/;

function sameTime(a: string | null, b: string | null): boolean {
  if (a === b) return true;
  const present = (x: string | null) => x === null || PRESENT.test(x);
  return present(a) && present(b);
}

/** "25,000 people were packed into the square when the rally peaked": people counted at a protest are its size. */
function measureOf(f: FigureMention): string {
  let measure = measures.get(f);
  if (measure === undefined) {
    const m = f.quantity.measure;
    measure =
      m === 'people' && /\b(crowd|rall(?:y|ied|ies)|protest\w*|march\w*|demonstrat\w*|turnout)\b/i.test(f.sentence) ? 'protesters' : m;
    measures.set(f, measure);
  }
  return measure;
}
/** Each figure's measure, worked out once (figures are compared pairwise). */
const measures = new WeakMap<FigureMention, string>();

function comparable(a: FigureMention, b: FigureMention): boolean {
  const qa = a.quantity;
  const qb = b.quantity;
  if (measureOf(a) !== measureOf(b)) return false;
  // "12 people", "3,000 people": people counted for what? Without a class (dead, displaced, marchers…) no comparison.
  if (measureOf(a) === 'people') return false;
  if ((!COUNTED.has(measureOf(a)) || MEASUREMENT_UNIT.test(qa.unit) || MEASUREMENT_UNIT.test(qb.unit)) && qa.unit !== qb.unit) return false;
  if (qa.prospective || qb.prospective) return false;
  // Percentages and money of different things ("inflation" vs "target") are not one figure; the noun
  // guessed for a figure is rough, so two parties' figures whose sentences share it still compare.
  const twoHolders = a.party !== null && b.party !== null && a.party.key !== b.party.key;
  if ((qa.about || qb.about) && qa.about !== qb.about) {
    const crossed = (x: string | null, ctx: ReadonlySet<string>) => x !== null && contentTokens(x).some((t) => ctx.has(t));
    if (!(twoHolders && (crossed(qa.about, qb.context) || crossed(qb.about, qa.context)))) return false;
  }
  // "about 500 sq km by January" and "about 30 sq km" (now) describe different times.
  if (!sameTime(qa.anchor, qb.anchor)) return false;
  let shared = 0;
  for (const t of qa.context) if (!t.startsWith('#') && qb.context.has(t)) shared++;
  // Two parties' counts of the same class of thing ("troops", "killed") need less shared wording.
  const twoParties = a.party !== null && b.party !== null && a.party.key !== b.party.key;
  return shared >= (twoParties && COUNTED.has(measureOf(a)) ? 1 : 2);
}

function overlaps(a: FigureMention, b: FigureMention): boolean {
  const qa = a.quantity;
  const qb = b.quantity;
  if (qa.low === qa.high && qb.low === qb.high) {
    return Math.abs(qa.low - qb.low) <= 0.02 * Math.max(qa.low, qb.low);
  }
  return !(qa.high < qb.low || qb.high < qa.low);
}

/** A figure that counts something (not "Sept. 11", "Article 50", "Flight 370"). */
function counts(f: FigureMention): boolean {
  const at = f.sentence.indexOf(f.quantity.raw);
  const around = at >= 0 ? f.sentence.slice(Math.max(0, at - 12), at + f.quantity.raw.length + 4) : f.quantity.raw;
  return !NOT_A_COUNT.test(around);
}

export function figurePoints(
  figures: readonly FigureMention[],
  byId: ReadonlyMap<string, ClaimArticle>,
  resolvePartyOf: (speaker: string) => Party,
): { points: FoundPoint[]; doubts: number } {
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
    .filter((f) => !f.quantity.change && counts(f))
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

  const points: FoundPoint[] = [];
  let doubts = 0;
  const used = new Set<FigureMention>();
  // Only figures of one measure are ever comparable: each seed looks among its own measure's figures.
  const byMeasure = new Map<string, FigureMention[]>();
  for (const f of owned) byMeasure.set(measureOf(f), [...(byMeasure.get(measureOf(f)) ?? []), f]);
  // Figures whose group of comparable figures holds no conflict: any of them as a seed finds that same
  // group (comparable is symmetric), so none is tried again.
  const settled = new Set<FigureMention>();
  for (const seed of owned) {
    if (used.has(seed) || settled.has(seed)) continue;
    // Everything comparable with the seed, directly or through another comparable figure.
    const candidates = byMeasure.get(measureOf(seed)) ?? [];
    const related = [seed];
    const inRelated = new Set(related);
    for (let i = 0; i < related.length; i++) {
      for (const f of candidates) {
        if (!inRelated.has(f) && comparable(f, related[i] as FigureMention)) {
          related.push(f);
          inRelated.add(f);
        }
      }
    }
    const inConflict = related.filter((f) => related.some((g) => conflicts(f, g)));
    if (inConflict.length < 2) {
      for (const f of related) settled.add(f);
      continue;
    }
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
    // Each side a named holder's figure, and no holder on two sides.
    const held = positions
      .map((p) => ({ p, attributed: p.filter((f) => f.speaker && f.party && isNamedHolder(f.party)) }))
      .filter((x) => x.attributed.length > 0);
    const holders = held.map((x) => x.attributed[0]?.party?.key);
    if (held.length < 2 || new Set(holders).size < held.length) {
      doubts++;
      continue;
    }
    const sides: DisputeSide[] = held.slice(0, 3).map(({ p, attributed }) => {
      const by = sideLabel(
        attributed[0]?.party as Party,
        attributed.map((f) => f.speaker as string),
      );
      const rep = [...attributed].sort((x, y) => y.quantity.raw.length - x.quantity.raw.length)[0] as FigureMention;
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
  return { points, doubts };
}

/** One event's figure points, worked out once for both `find` and `doubts`. */
const pointsOfFigures = new WeakMap<readonly FigureMention[], ReturnType<typeof figurePoints>>();

function figurePointsOnce(ctx: Parameters<DisputeFinder['find']>[0]): ReturnType<typeof figurePoints> {
  let found = pointsOfFigures.get(ctx.figures);
  if (!found) {
    found = figurePoints(ctx.figures, ctx.byId, (speaker) => ctx.resolver.partyOf(speaker));
    pointsOfFigures.set(ctx.figures, found);
  }
  return found;
}

export const figureFinder: DisputeFinder = {
  name: 'figures',
  find: (ctx) => figurePointsOnce(ctx).points,
  doubts: (ctx) => figurePointsOnce(ctx).doubts,
};
