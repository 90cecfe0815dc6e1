/**
 * @module A claim and its denial: one named holder asserts something, another says it is untrue.
 * The contradiction is checked, never assumed from a verb: the denial must either state what it
 * denies ("denied that its forces had been expelled") and that proposition must be asserted by
 * someone else, or point at a claim explicitly ("rejected the claim", "said that was not true",
 * "Russia's claims") that can be found. Denials of requests, appeals or offers, and vows about the
 * future, deny no fact and are left alone.
 */
import type { DisputeSide } from '../../core/types.ts';
import { asClaim, gist, sideLabel, urlsOf } from '../dispute-common.ts';
import type { Statement } from '../extract-claims.ts';
import type { DisputeContext, DisputeFinder, FoundPoint } from '../finder.ts';
import { CLAIM_NOUNS, FALSITY, INTENTION, PROCEDURAL_OBJECT } from '../lexicon.ts';
import type { Party } from '../parties.ts';

/** "Russia's claim that P", "claims by the ministry that P", "reports that P". */
const EMBEDDED =
  /(?:(?<owner1>\p{Lu}[\p{L}'’ -]{1,40}?)['’]s\s+)?(?:claims?|assertions?|assurances?|suggestions?|statements?|reports?|accusations?|allegations?|rumou?rs?)(?:\s+(?:from|by)\s+(?<owner2>.{3,60}?)|(?<where>(?:\s+(?!that\b)[\p{L}’'-]+){1,6}?))?\s+that\s+(?<what>.+)$/u;

/** "claims circulating on social media that …": the claim's only holder is the rumour itself. */
const ONLINE = /\b(social media|online|circulating|viral|messaging|group chats?|shared)\b/i;
const RUMOUR: Party = { key: 'rumour:posts', label: 'Posts on social media' };

/** A denial with nothing to deny but a pointer: "that was not true", "it is false", "nonsense". */
const BARE =
  /^(?:(?:that|this|it|the report|the claim|this claim|these claims|such claims|the story)\s+(?:was|is|were|are)\s+)?(?:\S+\s+){0,3}$/i;

const words = (s: string) => s.split(/\s+/).filter(Boolean).length;

export function isDenialStatement(s: Statement): boolean {
  return s.verbClass === 'deny' || FALSITY.test(s.content);
}

/** "rejected Belmark's description of the exercise as intimidation": a label, the characterisation finder's. */
const REJECTS_A_LABEL = /\b(descri\w+|characteri[sz]\w+|label\w*|portray\w*|branding)\b[^.]{0,80}\bas\b|\bas\s+[“"]/i;

/** A denial that could contest a fact (not a vote on a request, not a vow, not a label, not a denial of a plan). */
function deniesAFact(d: Statement): boolean {
  if (!isDenialStatement(d)) return false;
  if (INTENTION.test(d.content) || REJECTS_A_LABEL.test(d.content)) return false;
  if (d.verbClass === 'deny' && PROCEDURAL_OBJECT.test(d.content) && !/\bthat\b/i.test(d.content.slice(0, 40))) return false;
  return true;
}

/** A statement that can be the claim a denial answers. */
function isClaim(s: Statement): boolean {
  return (
    s.verbClass === 'assert' && !isDenialStatement(s) && !INTENTION.test(s.content) && !QUESTION.test(s.content) && words(s.content) >= 4
  );
}

/** Questions and appeals assert nothing: "Ask anyone whether…", "Who would believe that?" */
const QUESTION = /\?\s*[”"’]?\s*$|^(?:ask|look|imagine|consider|remember|tell me|listen)\b/i;

interface Target {
  /** The proposition in dispute, in the claimant's words when known. */
  proposition: string;
  claimant: Party;
  /** Statements asserting it (at least one). */
  support: Statement[];
  /** Found by a pointer ("the General Staff's statement"): it names no proposition of its own. */
  viaPointer?: boolean;
}

/** Of some candidate claims, the one the denial's sentence is most about, with its holder's paraphrases of it. */
function closestOf(candidates: readonly Statement[], d: Statement, ctx: DisputeContext, viaPointer: boolean): Target | null {
  const best = [...candidates].sort(
    (a, b) => ctx.stance.similarity(b.content, d.sentence) - ctx.stance.similarity(a.content, d.sentence),
  )[0];
  if (!best) return null;
  return {
    proposition: best.content,
    claimant: best.party,
    support: candidates.filter((c) => c.party.key === best.party.key && ctx.stance.similarity(c.content, best.content) >= 0.5),
    ...(viaPointer ? { viaPointer } : {}),
  };
}

function findTarget(d: Statement, ctx: DisputeContext, claims: readonly Statement[]): Target | null {
  const otherClaims = claims.filter((c) => c.party.key !== d.party.key);
  // 1. The denial quotes the claim it answers: "rejected Russia's claim that …".
  const embedded = EMBEDDED.exec(d.content) ?? EMBEDDED.exec(d.sentence);
  if (embedded?.groups?.what && words(embedded.groups.what) >= 4) {
    const what = embedded.groups.what.replace(/[.”"]+$/, '');
    const owner = embedded.groups.owner1 ?? embedded.groups.owner2 ?? '';
    const support = otherClaims.filter((c) => ctx.stance.stance(c, { text: what }) === 'supports');
    const named = owner
      ? ctx.resolver.partiesMentioned(owner, d.party.key)[0]
      : ONLINE.test(embedded.groups.where ?? '')
        ? (claims.find((c) => c.party.key.startsWith('rumour'))?.party ?? RUMOUR)
        : undefined;
    const claimant = support[0]?.party ?? named;
    if (claimant && claimant.key !== d.party.key) {
      const own = support.filter((c) => c.party.key === claimant.key);
      return {
        proposition: own[0]?.content ?? what,
        claimant,
        support: own.length
          ? own
          : [{ ...d, speaker: owner || claimant.label, party: claimant, verbClass: 'assert', content: what, quoted: false }],
      };
    }
  }
  // 2. The denial states what it denies: "denied that it had been driven out of Veltra".
  const pointer = CLAIM_NOUNS.test(d.content) || BARE.test(d.content);
  if (!pointer && d.verbClass === 'deny' && words(d.content) >= 3) {
    const support = otherClaims.filter((c) => ctx.stance.stance(c, { text: d.content }) === 'supports');
    if (support.length === 0) return null;
    // The holder most of the supporting statements come from.
    const votes = new Map<string, Statement[]>();
    for (const c of support) votes.set(c.party.key, [...(votes.get(c.party.key) ?? []), c]);
    const own = [...votes.values()].sort((a, b) => b.length - a.length)[0] as Statement[];
    return { proposition: (own[0] as Statement).content, claimant: (own[0] as Statement).party, support: own };
  }
  // "these rumours", "the posts": what the rumour says.
  if ((pointer || d.verbClass !== 'deny') && /\b(rumou?rs?|posts?|messages?|videos?|images?|graphics?|screenshots?)\b/i.test(d.content)) {
    return closestOf(
      otherClaims.filter((c) => c.party.key.startsWith('rumour')),
      d,
      ctx,
      false,
    );
  }
  // A flat denial without a denying verb ("There is no such plan"): the claim just before, on the same subject.
  if (!pointer && d.verbClass !== 'deny') {
    const near = otherClaims
      .filter(
        (c) =>
          c.articleId === d.articleId && c.index <= d.index && c.index >= d.index - 3 && ctx.stance.similarity(c.content, d.content) > 0,
      )
      .sort((a, b) => b.index - a.index)[0];
    const echo = near ?? otherClaims.find((c) => c.party.key.startsWith('rumour') && ctx.stance.similarity(c.content, d.content) > 0);
    if (!echo) return null;
    return {
      proposition: echo.content,
      claimant: echo.party,
      support: otherClaims.filter((c) => c.party.key === echo.party.key && ctx.stance.similarity(c.content, echo.content) >= 0.5),
    };
  }
  if (!pointer) return null;
  // 3. It points at a claim: whose? Named in the denial ("the General Staff's statement is false").
  const named = ctx.resolver.partiesMentioned(`${d.content} ${d.sentence.replace(d.speaker, ' ')}`, d.party.key);
  for (const party of named) {
    const own = otherClaims.filter((c) => c.party.key === party.key);
    if (own.length === 0) continue;
    // "Russia's version of events": the claim that holder makes most widely (in most articles), stated as a clause.
    const reach = (c: Statement) =>
      new Set(own.filter((o) => ctx.stance.similarity(o.content, c.content) >= 0.5).map((o) => o.articleId)).size +
      (FINITE.test(c.content) && words(c.content) >= 6 ? 1 : 0) +
      ctx.stance.similarity(c.content, d.sentence);
    const best = [...own].sort((a, b) => reach(b) - reach(a))[0] as Statement;
    return {
      viaPointer: true,
      proposition: best.content,
      claimant: party,
      support: own.filter((c) => ctx.stance.similarity(c.content, best.content) >= 0.5),
    };
  }
  // "called the report false": a report, by whoever reported it; nothing else will do.
  if (
    /^(?:the|that|this|these|those|such|a|an|any)?\s*(?:\S+\s+){0,2}?(?:report|reports|story|stories|article|articles)\b/i.test(d.content)
  ) {
    return closestOf(
      otherClaims.filter(
        (c) =>
          /report|according|publish/i.test(c.verb) || /\b(newspaper|paper|outlet|magazine|people familiar|sources?)\b/i.test(c.speaker),
      ),
      d,
      ctx,
      true,
    );
  }
  // …or the claim made just before it in the same article, by someone else.
  const before = otherClaims
    .filter((c) => c.articleId === d.articleId && c.index <= d.index && c.index >= d.index - 3 && c.sentence !== d.sentence)
    .sort((a, b) => b.index - a.index)[0];
  if (!before) return null;
  return {
    viaPointer: true,
    proposition: before.content,
    claimant: before.party,
    support: otherClaims.filter((c) => c.party.key === before.party.key && ctx.stance.similarity(c.content, before.content) >= 0.5),
  };
}

/**
 * What the denying side says instead: what it asserts in the very sentence of its denial ("Oil has
 * washed up beyond the harbour, the association said, contradicting…"), or next to it on the same subject.
 */
function counterClaims(d: Statement, target: Target, ctx: DisputeContext): Statement[] {
  return ctx.statements.filter(
    (s) =>
      s.party.key === d.party.key &&
      s.articleId === d.articleId &&
      s !== d &&
      isClaim(s) &&
      (s.index === d.index || (Math.abs(s.index - d.index) <= 1 && ctx.stance.similarity(s.content, target.proposition) >= 0.3)),
  );
}

const START_PRONOUN = /^(it|its|he|his|she|her|they|their|we|our|i|this|that|these|those)\b/i;

/** The claim as a reader should see it: a wording that names who did what, cut to its first clause. */
/** A clause that states something: a verb in it, and enough words to say who did what. */
const FINITE = /\b(?:is|are|was|were|has|have|had|will|would|can|could|did|does|do|\p{L}{3,}ed|\p{L}{3,}s)\b/u;

function bestWording(support: readonly Statement[]): Statement {
  const score = (s: Statement) =>
    (START_PRONOUN.test(s.content) ? 2 : 0) +
    (s.quoted || /[“”"]/.test(s.content) ? 1 : 0) +
    (words(s.content) < 6 || !FINITE.test(s.content) ? 3 : 0) +
    Math.max(0, words(s.content) - 24) * 0.1;
  const ranked = [...support].sort((a, b) => score(a) - score(b) || words(a.content) - words(b.content));
  return ranked[0] as Statement;
}

export const claimDenialFinder: DisputeFinder = {
  name: 'claim-denial',
  find(ctx) {
    const claims = ctx.statements.filter(isClaim);
    const drafts: Array<{ target: Target; denier: Party; denials: Statement[]; counters: Statement[] }> = [];
    for (const d of ctx.statements.filter(deniesAFact)) {
      const target = findTarget(d, ctx, claims);
      if (!target || target.claimant.key === d.party.key || target.support.length === 0) continue;
      // The same words on both sides is no disagreement ("X denied that Y", quoted twice).
      if (ctx.stance.similarity(target.proposition, d.content) >= 0.95 && d.verbClass !== 'deny') continue;
      // The same denier contesting the same thing is one point, however the claimant was named; a denial
      // that only points at the claimant's account ("the statement is false") joins that pair's point.
      const home = drafts.find(
        (x) =>
          x.denier.key === d.party.key &&
          ((target.viaPointer && x.target.claimant.key === target.claimant.key) ||
            ctx.stance.similarity(x.target.proposition, target.proposition) >= 0.3),
      );
      if (home) {
        home.denials.push(d);
        home.counters.push(...counterClaims(d, target, ctx));
        for (const s of target.support) if (!home.target.support.includes(s)) home.target.support.push(s);
      } else {
        drafts.push({ target, denier: d.party, denials: [d], counters: counterClaims(d, target, ctx) });
      }
    }
    // "No agreement has been reached", said by one holder against another's "we have reached an agreement".
    for (const s of ctx.statements) {
      if (s.verbClass !== 'assert' || isDenialStatement(s) || QUESTION.test(s.content)) continue;
      const opposed = claims.filter((c) => c.party.key !== s.party.key && ctx.stance.contradicts(s.content, c.content));
      if (opposed.length === 0) continue;
      const votes = new Map<string, Statement[]>();
      for (const c of opposed) votes.set(c.party.key, [...(votes.get(c.party.key) ?? []), c]);
      const own = [...votes.values()].sort((a, b) => b.length - a.length)[0] as Statement[];
      const target: Target = { proposition: (own[0] as Statement).content, claimant: (own[0] as Statement).party, support: own };
      const home = drafts.find(
        (x) => x.denier.key === s.party.key && ctx.stance.similarity(x.target.proposition, target.proposition) >= 0.3,
      );
      if (home) {
        if (!home.counters.includes(s)) home.counters.push(s);
      } else drafts.push({ target, denier: s.party, denials: [s], counters: [] });
    }
    const points: FoundPoint[] = [];
    for (const { target, denier, denials, counters } of drafts) {
      const shown = bestWording(target.support);
      // Each side's other statements on the subject, in the other articles, carry that side too (as
      // sources; the wording shown stays the one that states the claim).
      const wider = [...target.support];
      for (const s of ctx.statements) {
        if (!isClaim(s) || wider.includes(s) || counters.includes(s)) continue;
        const stance = ctx.stance.stance(s, { text: target.proposition }, { loose: true });
        if (s.party.key === target.claimant.key && stance === 'supports') wider.push(s);
        if (s.party.key === denier.key && stance === 'denies') counters.push(s);
      }
      const claimSide: DisputeSide = {
        by: sideLabel(
          target.claimant,
          target.support.map((s) => s.speaker),
        ),
        claim: gist(shown.content),
        sources: urlsOf(new Set(wider.map((s) => s.articleId)), ctx.byId),
      };
      const denial = [...denials].sort((a, b) => Number(CLAIM_NOUNS.test(a.content)) - Number(CLAIM_NOUNS.test(b.content)))[0] as Statement;
      const counter = counters.find((c) => !c.quoted) ?? counters[0];
      const denialText =
        words(denial.content) >= 3 && !BARE.test(denial.content) ? asClaim(denial) : `denies ${target.claimant.label}'s account`;
      const denierSide: DisputeSide = {
        by: sideLabel(
          denier,
          [...denials, ...counters].map((s) => s.speaker),
        ),
        claim: counter ? `${denialText}; says ${gist(counter.content, 20)}` : denialText,
        sources: urlsOf(new Set([...denials, ...counters].map((s) => s.articleId)), ctx.byId),
      };
      if (!claimSide.sources.length || !denierSide.sources.length) continue;
      points.push({
        point: `Whether ${gist(shown.content, 20).replace(/^that\s+/i, '')}`,
        // A rumour has no holder to answer for it: its denial is a debunk.
        kind: target.claimant.key.startsWith('rumour') ? 'claim_debunked' : 'claim_vs_denial',
        sides: [claimSide, denierSide],
        weight: 3 + new Set([...wider, ...denials, ...counters].map((s) => s.articleId)).size,
      });
    }
    return points;
  },
  doubts(ctx) {
    const claims = ctx.statements.filter(isClaim);
    return ctx.statements.filter((d) => deniesAFact(d) && !findTarget(d, ctx, claims)).length;
  },
};
