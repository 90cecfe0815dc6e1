/**
 * @module Pure: disagreements between parties' statements — a claim and its denial, two parties each
 * claiming victory, and a characterisation that its target rejects.
 */
import type { DisputedPoint, DisputeSide } from '../core/types.ts';
import {
  asClaim,
  CONTRAST,
  DENIAL_CONTENT,
  dice,
  gist,
  INTENTION,
  isDenial,
  labelOf,
  mostCentral,
  REJECTS_LABEL,
  rejectsLabel,
  sideLabel,
  tokens,
  urlsOf,
} from './dispute-common.ts';
import type { ClaimArticle, Statement } from './extract-claims.ts';
import type { Party } from './parties.ts';

export type WeightedPoint = DisputedPoint & { weight: number };

export const EMBEDDED_CLAIM =
  /\b(?:claims?|assurances?|assertions?|suggestions?|statements?|reports?|accusations?|allegations?)\s+(?:from|by)\s+(.{3,60}?)\s+that\s+(.+)$|(\p{Lu}[\p{L}'’ -]{1,40}?)['’]s\s+(?:claims?|assertions?|assurances?|accusations?|allegations?)\s+that\s+(.+)$/u;

/** A party claiming it won: "declared victory", "we have won", "her lead is decisive". */
const VICTORY =
  /\b(won|win|wins|victory|victorious|winner)\b|\b(lead|ahead)\b[^.]{0,50}\b(decisive|clear|will hold|cannot be overturned|insurmountable|unassailable)\b/i;
const SELF = /^(?:victory\b|(?:we|i|she|he|they|it|his|her|their|its|our|my)\b)/i;
const CONTEST = /\b(run-off|runoff|election|vote|referendum|race|primary|ballot|contest|match|final|case|trial)\b/i;

/** Two parties each claiming victory in the same contest: one point, "Who won …", with each side's claim. */
export function rivalClaimPoints(statements: readonly Statement[], byId: ReadonlyMap<string, ClaimArticle>) {
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

interface DisputeDraft {
  target: Party;
  denier: Party;
  main: Statement;
  supporting: Statement[];
  denierStatements: Statement[];
  point: DisputedPoint;
  weight: number;
}

export function claimDenialPoints(
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
  const draftFor = (target: Party, denier: Party, ds: Statement[], directlyDenied: Statement[]): DisputeDraft | null => {
    const denied = tokens(ds.map((d) => d.content).join(' '));
    const denialTopic = tokens(ds.map((d) => d.sentence).join(' '));
    const counters = statements.filter(
      (s) => s.party.key === denier.key && !isDenial(s) && CONTRAST.test(s.content) && s.content.split(' ').length >= 4,
    );
    const counterTopic = tokens(counters.map((c) => c.content).join(' '));
    const claims = [
      ...new Set([
        // What the denial answers directly: the statement just before it, or the claim it quotes.
        ...directlyDenied.filter((s) => !REJECTS_LABEL.test(s.content) && labelOf(s) === null),
        ...statements.filter(
          (s) =>
            s.party.key === target.key &&
            s.verbClass !== 'deny' &&
            !INTENTION.test(s.content) &&
            !DENIAL_CONTENT.test(s.content) &&
            !REJECTS_LABEL.test(s.content) &&
            labelOf(s) === null &&
            s.content.split(' ').length >= 4 &&
            (dice(tokens(s.content), counterTopic) > 0.08 || dice(tokens(s.content), denialTopic) > 0.08),
        ),
      ]),
    ];
    if (claims.length === 0) return null;
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
      (x.quoted || /[“”"]/.test(x.content) ? 0.3 : 0) +
      (answered.has(x) ? 0.5 : 0);
    const main = [...claims].sort((a, b) => rank(b) - rank(a))[0] as Statement;
    const mainTokens = sets.get(main) as Set<string>;
    // Articles carrying the claim: close to the main wording, or close enough and about what is denied.
    const supporting = claims.filter((c) => {
      const d = dice(sets.get(c) as Set<string>, mainTokens);
      return c === main || d >= 0.35 || (d >= 0.2 && dice(sets.get(c) as Set<string>, denied) >= 0.2);
    });
    // "it had skipped an inspection" reads badly as the point: another source's wording that names who did what.
    const PRONOUN_START = /^(it|he|she|they|we)\b/i;
    const shown = PRONOUN_START.test(main.content) ? (supporting.find((c) => !PRONOUN_START.test(c.content)) ?? main) : main;
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
      claim: asClaim(shown),
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
    if (!sideA.sources.length || !sideB.sources.length) return null;
    return {
      target,
      denier,
      main,
      supporting,
      denierStatements,
      point: { point: `Whether ${gist(shown.content, 22).replace(/^(that\s+)/i, '')}`, kind: 'claim_vs_denial', sides: [sideA, sideB] },
      weight: 3 + new Set([...supporting, ...denierStatements].map((s) => s.articleId)).size,
    };
  };
  for (const { target, denier, denials: ds, denied: directlyDenied } of pairs.values()) {
    // The same two sides can disagree about several things: group the denials by the claim each
    // one answers, and make a point of each group.
    const answers = ds.map(
      (d) =>
        draftFor(
          target,
          denier,
          [d],
          directlyDenied.filter((x) => x.articleId === d.articleId),
        )?.main ?? null,
    );
    const groups: Array<{ main: Statement | null; denials: Statement[] }> = [];
    ds.forEach((d, i) => {
      const main = answers[i] ?? null;
      const home = groups.find((g) => g.main === main || (g.main && main && dice(tokens(g.main.content), tokens(main.content)) >= 0.3));
      if (home) home.denials.push(d);
      else groups.push({ main, denials: [d] });
    });
    for (const g of groups) {
      const draft = draftFor(target, denier, g.denials, directlyDenied);
      if (draft) drafts.push(draft);
    }
  }
  // One disagreement found from several denials, or from both sides' denials, is one point.
  // When two drafts merge, the first one's claim stands: let claims made outright come before quotes.
  drafts.sort((a, b) => b.weight - (b.main.quoted ? 1.5 : 0) - (a.weight - (a.main.quoted ? 1.5 : 0)));
  const kept: DisputeDraft[] = [];
  for (const d of drafts) {
    const person = (p: Party) => p.key.startsWith('name:') && /\s/.test(p.label);
    const samePair = kept.find(
      (k) =>
        (k.target.key === d.target.key && k.denier.key === d.denier.key && dice(tokens(k.main.content), tokens(d.main.content)) >= 0.3) ||
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

export function characterisationPoints(
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
