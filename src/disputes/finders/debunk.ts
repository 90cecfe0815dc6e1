/**
 * @module A claim and its debunk: a claim is reported (a named holder's, or a rumour's: posts,
 * messages, videos shared online), and an outlet in its own voice — or a fact-checker — says it is
 * false ("There is no evidence that…", "The video was filmed in 2019", "That is not accurate").
 * The debunk must say what it debunks: in its own sentence ("The claim that P is false") or in the
 * sentence just before, in the same article.
 */
import type { DisputeSide } from '../../core/types.ts';
import { gist, sideLabel, urlsOf } from '../dispute-common.ts';
import type { Statement } from '../extract-claims.ts';
import type { DisputeContext, DisputeFinder, FoundPoint } from '../finder.ts';
import { DEBUNK, FACT_CHECKER, FACT_CHECKER_NAME, INTENTION } from '../lexicon.ts';
import type { Party } from '../parties.ts';

/** "The claim that P is false", "There is no evidence that P", "Posts saying P were fabricated". */
const STATES_WHAT =
  /(?:claims?|posts?|rumou?rs?|reports?|suggestions?|messages?|videos?|stories|story)\s+(?:that|claiming(?: that)?|saying(?: that)?|suggesting(?: that)?|alleging(?: that)?)\s+(?<what>.{12,}?)\s+(?:is|are|was|were|has been|have been)\s+(?:false|untrue|not true|fabricated|baseless|unfounded|misleading|a hoax|fake|wrong)|no\s+(?:evidence|record|sign|indication|proof)\s+(?:that|of)\s+(?<what2>.{12,})$/i;

interface Debunk {
  articleId: string;
  index: number;
  sentence: string;
  /** Who debunks: a fact-checker named in the sentence, or the outlet itself. */
  by: Party;
  speaker: string;
}

/** Sentences that are debunks: in an outlet's own voice, or a fact-checker's. */
function debunks(ctx: DisputeContext): Debunk[] {
  const out: Debunk[] = [];
  for (const a of ctx.articles) {
    const sentences = ctx.sentences.get(a.id) ?? [];
    sentences.forEach((sentence, position) => {
      // Inside quotation marks it is someone's words, not the outlet's verdict.
      if (!DEBUNK.test(sentence) || /[“”"]/.test(sentence)) return;
      const index = position;
      const said = ctx.statements.filter((s) => s.articleId === a.id && s.sentence === sentence);
      const checker = said.find((s) => FACT_CHECKER.test(s.speaker) || FACT_CHECKER.test(s.party.label));
      // Attributed to anyone else, it is that holder's denial: the claim–denial finder's business.
      if (said.length > 0 && !checker) return;
      // "labelled false by fact-checkers at Groundtruth Desk": the checker named in passing.
      const named = FACT_CHECKER_NAME.exec(sentence)?.[1];
      const by: Party = checker
        ? checker.party
        : named
          ? { key: `checker:${named.toLowerCase()}`, label: named }
          : { key: `outlet:${a.outlet.toLowerCase()}`, label: a.outlet };
      out.push({ articleId: a.id, index, sentence, by, speaker: checker?.speaker ?? named ?? a.outlet });
    });
  }
  return out;
}

interface Claim {
  text: string;
  holder: Party;
  speakers: string[];
}

/** What a debunk sentence debunks, and who made the claim. */
function debunkedClaim(d: Debunk, ctx: DisputeContext): Claim | null {
  const m = STATES_WHAT.exec(d.sentence);
  const what = (m?.groups?.what ?? m?.groups?.what2 ?? '').replace(/[.,;]+$/, '');
  const before = ctx.statements
    .filter(
      (s) =>
        s.articleId === d.articleId &&
        // Before it, or the rumour the same sentence describes ("A video shared as showing … was filmed in 2019").
        (s.index < d.index || (s.index === d.index && s.party.key.startsWith('rumour'))) &&
        s.index >= d.index - 2 &&
        s.verbClass === 'assert' &&
        !INTENTION.test(s.content) &&
        s.party.key !== d.by.key,
    )
    .sort((a, b) => b.index - a.index);
  if (what) {
    // Whoever in the event asserts it; else the rumour it is.
    const holder = ctx.statements.find((s) => s.verbClass === 'assert' && ctx.stance.stance(s, { text: what }) === 'supports');
    if (holder) return { text: holder.content, holder: holder.party, speakers: [holder.speaker] };
    const rumour = before.find((s) => s.party.key.startsWith('rumour'));
    return rumour ? { text: what, holder: rumour.party, speakers: [rumour.speaker] } : null;
  }
  // The claim just before, when the debunk points at it ("That is not accurate.") or is about the same thing.
  const pointer = /^(?:that|this|it|the claim|the post|the video|the image|the figure|the statement)\b.{0,40}$/i.test(
    d.sentence.replace(/[.!]$/, ''),
  );
  const prior = before.find((s) => pointer || ctx.stance.similarity(s.content, d.sentence) >= 0.3);
  return prior ? { text: prior.content, holder: prior.party, speakers: [prior.speaker] } : null;
}

export const debunkFinder: DisputeFinder = {
  name: 'debunk',
  find(ctx) {
    const found = new Map<string, { claim: Claim; support: Statement[]; debunks: Debunk[] }>();
    for (const d of debunks(ctx)) {
      const claim = debunkedClaim(d, ctx);
      if (!claim || claim.holder.key === d.by.key) continue;
      const key = [...found.keys()].find((k) => ctx.stance.similarity(k, claim.text) >= 0.5) ?? claim.text;
      const entry = found.get(key) ?? { claim, support: [], debunks: [] };
      entry.debunks.push(d);
      found.set(key, entry);
    }
    const points: FoundPoint[] = [];
    for (const { claim, debunks: ds } of found.values()) {
      // Articles carrying the claim: any statement of it that is not itself denied in that sentence.
      const support = ctx.statements.filter(
        (s) => s.verbClass === 'assert' && s.party.key === claim.holder.key && ctx.stance.stance(s, { text: claim.text }) === 'supports',
      );
      const claimArticles = new Set(support.map((s) => s.articleId));
      if (claimArticles.size === 0) continue;
      const debunkers = new Map<string, Party>();
      for (const d of ds) debunkers.set(d.by.key, d.by);
      const best = [...ds].sort((a, b) => a.sentence.length - b.sentence.length)[0] as Debunk;
      const by = [...debunkers.values()];
      const debunkSide: DisputeSide = {
        by:
          by.length === 1
            ? sideLabel(
                by[0] as Party,
                ds.map((d) => d.speaker),
              )
            : by.map((p) => p.label).join(', '),
        claim: `says it is false: ${gist(best.sentence, 24)}`,
        sources: urlsOf(new Set(ds.map((d) => d.articleId)), ctx.byId),
      };
      const claimSide: DisputeSide = {
        by: sideLabel(claim.holder, [...claim.speakers, ...support.map((s) => s.speaker)]),
        claim: gist(claim.text),
        sources: urlsOf(claimArticles, ctx.byId),
      };
      points.push({
        point: `Whether ${gist(claim.text, 20).replace(/^that\s+/i, '')}`,
        kind: 'claim_debunked',
        sides: [claimSide, debunkSide],
        weight: 3 + new Set([...claimArticles, ...ds.map((d) => d.articleId)]).size,
      });
    }
    return points;
  },
  doubts(ctx) {
    return debunks(ctx).filter((d) => !debunkedClaim(d, ctx)).length;
  },
};
