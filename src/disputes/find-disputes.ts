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
import type { DisputedPoint } from '../core/types.ts';
import { characterisationPoints, claimDenialPoints, EMBEDDED_CLAIM, rivalClaimPoints } from './claim-disputes.ts';
import { dice, isDenial, tokens } from './dispute-common.ts';
import { type ClaimArticle, extractClaims, type Statement } from './extract-claims.ts';
import { figurePoints } from './figure-disputes.ts';
import type { Party } from './parties.ts';

export { gist } from './dispute-common.ts';

export interface FindDisputesOptions {
  maxPoints?: number;
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
              quoted: false,
            },
          },
        ];
      }
    }
    // Someone named in the denial other than the denier ("Ukraine's General Staff rejected…" names only the denier).
    const named = resolver
      .partiesMentioned(`${d.content} ${d.sentence.replace(d.speaker, ' ')}`, d.party.key)
      .filter((p) => p.key !== d.party.key);
    if (named.length) return named.slice(0, 1).map((party) => ({ party, statement: null }));
    // "Kari Enger said that was not true": the claim made just before, by someone else.
    const same = statements.filter((s) => s.articleId === d.articleId);
    const idx = same.indexOf(d);
    // "…rejected the claim": what was claimed, not a characterisation said in between.
    const deniesAClaim = /^(?:the|that|this|those|these)\s+(?:claims?|assertions?|announcements?|statements?|reports?|account)\b/i.test(
      d.content,
    );
    for (let i = idx - 1; i >= 0; i--) {
      const s = same[i] as Statement;
      if (deniesAClaim && s.verbClass === 'characterise') continue;
      if (s.party.key !== d.party.key && !isDenial(s)) return [{ party: s.party, statement: s }];
    }
    // "…denied that its forces had been expelled": whoever said what is denied, in any article.
    const denied = tokens(d.content);
    let best: { s: Statement; score: number } | null = null;
    for (const s of statements) {
      if (s.party.key === d.party.key || isDenial(s)) continue;
      const score = dice(tokens(s.content), denied);
      if (score >= 0.4 && (!best || score > best.score)) best = { s, score };
    }
    return best ? [{ party: best.s.party, statement: best.s }] : [];
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
