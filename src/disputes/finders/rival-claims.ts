/**
 * @module Two holders each claiming victory in the same contest: one point, "Who won …", with each
 * side's claim.
 */
import type { DisputeSide } from '../../core/types.ts';
import { asClaim, sideLabel, urlsOf } from '../dispute-common.ts';
import type { ClaimArticle, Statement } from '../extract-claims.ts';
import type { DisputeFinder, FoundPoint } from '../finder.ts';

/** A party claiming it won: "declared victory", "we have won", "her lead is decisive". */
const VICTORY =
  /\b(won|win|wins|victory|victorious|winner)\b|\b(lead|ahead)\b[^.]{0,50}\b(decisive|clear|will hold|cannot be overturned|insurmountable|unassailable)\b/i;
const SELF = /^(?:victory\b|(?:we|i|she|he|they|it|his|her|their|its|our|my)\b)/i;
const CONTEST = /\b(run-off|runoff|election|vote|referendum|race|primary|ballot|contest|match|final|case|trial)\b/i;

/** Two parties each claiming victory in the same contest: one point, "Who won …", with each side's claim. */
export function rivalClaimPoints(statements: readonly Statement[], byId: ReadonlyMap<string, ClaimArticle>): FoundPoint[] {
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

export const rivalClaimsFinder: DisputeFinder = {
  name: 'rival-claims',
  find: (ctx) => rivalClaimPoints(ctx.statements, ctx.byId),
  doubts: () => 0,
};
