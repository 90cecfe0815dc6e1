/**
 * @module A characterisation its target rejects: one holder calls something "a propaganda ploy", the
 * holder it is about rejects the label (says so, or repeats the label to deny it).
 */
import type { DisputedPoint } from '../../core/types.ts';
import { asClaim, dice, labelOf, REJECTS_LABEL, rejectsLabel, sideLabel, tokens, urlsOf } from '../dispute-common.ts';
import type { ClaimArticle, Statement } from '../extract-claims.ts';
import type { DisputeFinder, FoundPoint } from '../finder.ts';
import type { Party } from '../parties.ts';

export function characterisationPoints(
  statements: readonly Statement[],
  byId: ReadonlyMap<string, ClaimArticle>,
  mentioned: (s: Statement) => Party[],
): FoundPoint[] {
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

export const characterisationFinder: DisputeFinder = {
  name: 'characterisation',
  find: (ctx) =>
    characterisationPoints(ctx.statements, ctx.byId, (s) => ctx.resolver.partiesMentioned(`${s.content} ${s.sentence}`, s.party.key)),
  doubts: () => 0,
};
